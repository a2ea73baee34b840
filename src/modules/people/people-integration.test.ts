/**
 * The person and place index through real HTTP: fuzzy search, a person page filtered by the casework access policy
 * (hidden records counted by team only where the viewer may be told they exist), the "known to" page after a party is
 * added, places with their history, and merges proposed by the index, confirmed by a person, audited and undone.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import { t as copy } from '../../platform/i18n.js'

const clock = fixedClock('2026-11-20T10:00:00Z')
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const DOB = '1987-06-14'

describe('Integration: people and places across cases', () => {
  let t: TestApp
  let asb: StaffSession
  let asbId = ''
  let police: StaffSession
  let enforcementTeamName = ''
  let asbTeamName = ''
  const refs: Record<string, string> = {}

  const get = (session: StaffSession, url: string) =>
    t.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } })
  const post = (session: StaffSession, url: string, values: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, cookie: session.cookie },
      payload: new URLSearchParams({ _csrf: session.token, ...values }).toString(),
    })
  const search = (session: StaffSession, query: Record<string, string>) =>
    get(session, `/people?${new URLSearchParams(query).toString()}`)
  const personLinks = (html: string) => [...html.matchAll(/href="\/people\/([0-9a-f-]{36})"/g)].map(m => m[1] ?? '')
  /** The person a result names, by the name shown on its link. */
  const personNamed = (html: string, name: string) =>
    new RegExp(`href="/people/([0-9a-f-]{36})">${name}</a>`).exec(html)?.[1] ?? 'missing'
  const auditActions = async (action: string) =>
    t.deps.database.db.selectFrom('audit_event').selectAll().where('action', '=', action).execute()

  before(async () => {
    t = await buildTestApp({ clock })
    const asbStaff = await createStaff(t.deps, {
      roles: ['officer'],
      partnerCode: 'council',
      teamCode: 'asb-investigations',
    })
    const enforcementStaff = await createStaff(t.deps, {
      roles: ['officer'],
      partnerCode: 'council',
      teamCode: 'enforcement',
    })
    const policeStaff = await createStaff(t.deps, {
      roles: ['officer'],
      partnerCode: 'police',
      teamCode: 'police-partnership',
    })
    asbId = asbStaff.id
    asb = await signIn(t.app, t.deps, asbStaff)
    police = await signIn(t.app, t.deps, policeStaff)
    const open = async (
      key: string,
      ownerId: string,
      party: {
        name: string
        dateOfBirth: string | null
        postcode?: string
        address?: string
        phone?: string
        contactWithheld?: boolean
      },
      sensitivity: 'safeguarding' | null = null,
    ) => {
      const owner = await t.deps.accounts.repository.userById(ownerId)
      assert.ok(owner?.teamId)
      const actor = { type: 'user' as const, id: ownerId }
      const opened = await t.deps.casework.openCase(
        {
          title: `Case ${key}`,
          category: 'harassment',
          priority: 'standard',
          sensitivity,
          owningTeamId: owner.teamId,
          owningPartnerId: owner.partnerId,
          leadOfficerId: ownerId,
          wardCode: null,
          location: party.postcode ?? null,
        },
        actor,
      )
      const row = await t.deps.casework.repository.caseById(opened.id)
      assert.ok(row)
      await t.deps.casework.addParty(row, { role: 'perpetrator', kind: 'person', ...party }, actor)
      refs[key] = opened.reference
      if (key === 'enforcement') enforcementTeamName = row.owning_team_name
    }
    const darren = { name: 'Darren Smith', dateOfBirth: DOB, postcode: 'E1 8JG', address: '14 Cable Street' }
    await open('first', asbId, { ...darren, phone: '07700 900456' })
    await open('second', asbId, { ...darren, name: 'SMITH, Darren' })
    await open('enforcement', enforcementStaff.id, darren)
    await open('safeguarding', enforcementStaff.id, darren, 'safeguarding')
    await open('variant', asbId, { name: 'Daren Smyth', dateOfBirth: DOB })
    await open('uddin', asbId, { name: 'Mohammed Uddin', dateOfBirth: '1975-01-02', postcode: 'E14 2AB' })
    // A case shared with the police on which Darren Smith is a confidential reporter who withheld his details.
    await open('withheld', asbId, { name: 'Darren Smith', dateOfBirth: DOB, contactWithheld: true })
    const withheld = await t.deps.casework.repository.caseByReference(refs.withheld ?? '')
    const policePartner = await t.deps.accounts.repository.partnerByCode('police')
    assert.ok(withheld && policePartner)
    asbTeamName = withheld.owning_team_name
    await t.deps.casework.share(
      withheld,
      { partnerId: policePartner.id, lawfulBasis: 'cda-1998-s115', consentStatus: 'given' },
      { type: 'user', id: asbId },
      policePartner.name,
    )
  })
  after(() => t.close())

  it('links a report’s named reporter, and shows the report to those who may see it', async () => {
    const submitted = await t.deps.reporting.intake.submit(
      {
        channel: 'web',
        category: 'noise_music',
        location: { postcode: 'E1 0AA' },
        occurredOn: '2026-11-19',
        pattern: 'ongoing',
        frequency: 'daily',
        description: 'Loud music every night',
        impact: {
          reporterRole: 'witness',
          howOften: 'regularly',
          unsafeAtHome: 'no',
          healthAffected: 'no',
          targeted: 'no',
          characteristics: [],
        },
        reporter: {
          mode: 'named',
          name: 'Shirin Akhter',
          email: 'shirin@example.org',
          contactPreference: 'email',
          consentToShare: true,
        },
      },
      { type: 'system', id: null },
    )
    const owner = await t.deps.accounts.repository.userById(asbId)
    assert.ok(owner?.teamId)
    await t.deps.casework.openCase(
      {
        title: 'Music at night',
        category: 'noise_music',
        priority: 'standard',
        sensitivity: null,
        owningTeamId: owner.teamId,
        owningPartnerId: owner.partnerId,
        leadOfficerId: asbId,
        wardCode: null,
        reportIds: [submitted.report.id],
      },
      { type: 'user', id: asbId },
    )
    // Another spelling of the name finds her; her page has the report she made.
    const response = await search(asb, { name: 'Shireen Akter' })
    const ids = [...new Set(personLinks(response.body))]
    assert.ok(ids.length >= 1, response.body)
    const pages = await Promise.all(ids.map(id => get(asb, `/people/${id}`)))
    assert.ok(pages.some(page => page.body.includes(submitted.report.reference)))
    // The police officer, with no share, is not shown her.
    assert.equal(personLinks((await search(police, { name: 'Shirin Akhter' })).body).length, 0)
  })

  it('finds Darren Smith on two cases, with the record the officer cannot see counted for its team', async () => {
    const response = await search(asb, { name: 'Darren Smith' })
    assert.equal(response.statusCode, 200)
    const ids = [...new Set(personLinks(response.body))]
    // Darren Smith (the two ASB cases) and Daren Smyth (another person until someone merges them).
    assert.equal(ids.length, 2)
    const darren = personNamed(response.body, 'Darren Smith')
    assert.equal(ids[0], darren, 'the exact spelling first')
    const page = await get(asb, `/people/${darren}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, new RegExp(refs.first ?? 'missing'))
    assert.match(page.body, new RegExp(refs.second ?? 'missing'))
    assert.doesNotMatch(page.body, new RegExp(refs.enforcement ?? 'missing'))
    assert.doesNotMatch(page.body, new RegExp(refs.safeguarding ?? 'missing'))
    // The enforcement case may be said to exist; the safeguarding one is never mentioned.
    assert.ok(page.body.includes(copy('people.hidden.one', { count: 1, team: enforcementTeamName })), page.body)
    assert.match(page.body, /Also recorded as/)
    assert.match(page.body, /07700 900456/)
    const viewed = await auditActions('people.person-viewed')
    assert.ok(viewed.some(event => event.actor_id === asbId && event.subject_id === darren))
    const listed = await auditActions('people.person-page-case-viewed')
    assert.ok(listed.some(event => event.subject_type === 'case' && event.actor_id === asbId))
    // In the case's access log, among the views, in words.
    const firstCase = await t.deps.casework.repository.caseByReference(refs.first ?? '')
    assert.ok(firstCase)
    const log = await t.deps.casework.accessLog(firstCase.id, { filter: 'views' })
    assert.ok(JSON.stringify(log).includes('people.person-page-case-viewed'), JSON.stringify(log).slice(0, 500))
    const searched = await auditActions('people.searched')
    assert.ok(searched.some(event => event.actor_id === asbId))
  })

  it('matches typos and the borough’s transliterations', async () => {
    for (const [name, expected] of [
      ['Muhammad Udin', 'Mohammed Uddin'],
      ['Mohamed uddin', 'Mohammed Uddin'],
      ['Darren Smiht', 'Darren Smith'],
      ['smyth', 'Darren Smith'],
    ] as const) {
      const response = await search(asb, { name })
      assert.equal(response.statusCode, 200)
      assert.ok(response.body.includes(expected), `${name} should find ${expected}`)
    }
    const none = await search(asb, { name: 'Jones' })
    assert.equal(personLinks(none.body).length, 0)
  })

  it('narrows by date of birth and by postcode, and refuses an empty or impossible search', async () => {
    const byBirth = await search(asb, {
      name: 'Smith',
      'dateOfBirth-day': '14',
      'dateOfBirth-month': '6',
      'dateOfBirth-year': '1987',
    })
    assert.equal(new Set(personLinks(byBirth.body)).size, 2)
    const wrongBirth = await search(asb, {
      name: 'Smith',
      'dateOfBirth-day': '15',
      'dateOfBirth-month': '6',
      'dateOfBirth-year': '1987',
    })
    assert.equal(personLinks(wrongBirth.body).length, 0)
    const byDistrict = await search(asb, { name: 'Uddin', place: 'E14' })
    assert.equal(new Set(personLinks(byDistrict.body)).size, 1)
    const empty = await search(asb, { name: '' })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /govuk-error-summary/)
    const impossible = await search(asb, {
      name: 'Smith',
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '1987',
    })
    assert.equal(impossible.statusCode, 400)
    // A name pasted far too long is answered on the page, with what was typed kept, not refused as a bad request.
    const long = `Smith ${'x'.repeat(300)}`
    const tooLong = await search(asb, { name: long })
    assert.equal(tooLong.statusCode, 400)
    assert.match(tooLong.body, /The name must be 200 characters or fewer/)
    assert.ok(tooLong.body.includes(`value="${long}"`), 'the answer is kept')
  })

  it('shows a partner that sees none of his records no one, only who to ask', async () => {
    const response = await search(police, { name: 'Darren Smith' })
    assert.equal(response.statusCode, 200)
    assert.equal(personLinks(response.body).length, 0)
    assert.doesNotMatch(response.body, /Cable Street|1987/)
    // His two ASB cases, Daren Smyth's (a fuzzy match) and the Enforcement one may be said to exist; the safeguarding
    // case is never mentioned, nor the shared case where he withheld his details (the police see that case, but not
    // that he is on it: counting it would make 4).
    assert.ok(response.body.includes(copy('people.hidden.many', { count: 3, team: asbTeamName })), response.body)
    assert.ok(response.body.includes(copy('people.hidden.one', { count: 1, team: enforcementTeamName })))
    // His page answers as a missing one.
    const darren = personNamed((await search(asb, { name: 'Darren Smith' })).body, 'Darren Smith')
    const page = await get(police, `/people/${darren}`)
    assert.equal(page.statusCode, 404)
  })

  it('warns that a person added to a case is known to other cases', async () => {
    const response = await post(asb, `/cases/${refs.uddin ?? ''}/parties`, {
      role: 'witness',
      kind: 'person',
      name: 'Darren Smith',
      'dateOfBirth-day': '14',
      'dateOfBirth-month': '06',
      'dateOfBirth-year': '1987',
    })
    assert.equal(response.statusCode, 303)
    assert.match(response.headers.location ?? '', /\/known-to$/)
    const page = await get(asb, response.headers.location ?? '')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /is known to the partnership/)
    assert.match(page.body, new RegExp(refs.first ?? 'missing'))
    assert.ok(page.body.includes(copy('people.hidden.one', { count: 1, team: enforcementTeamName })))
    // Someone new goes straight back to the case.
    const fresh = await post(asb, `/cases/${refs.uddin ?? ''}/parties`, {
      role: 'witness',
      kind: 'person',
      name: 'Priya Newcomer',
    })
    assert.equal(fresh.statusCode, 303)
    assert.match(fresh.headers.location ?? '', /#parties$/)
  })

  it('finds a place by postcode with its repeat history', async () => {
    const response = await search(asb, { place: 'e1 8jg' })
    assert.equal(response.statusCode, 200)
    const place = /href="(\/people\/places\/[0-9a-f-]{36})"/.exec(response.body)?.[1]
    assert.ok(place, response.body)
    const page = await get(asb, place)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, new RegExp(refs.first ?? 'missing'))
    assert.doesNotMatch(page.body, new RegExp(refs.safeguarding ?? 'missing'))
    assert.ok((await auditActions('people.place-viewed')).length > 0)
  })

  it('proposes a merge, which a person confirms, the audit records and a person can undo', async () => {
    const list = await get(asb, '/people/merges')
    assert.equal(list.statusCode, 200)
    const mergeHref = /href="(\/people\/merges\/[0-9a-f-]{36})">[^<]*Daren Smyth/.exec(list.body)?.[1]
    assert.ok(mergeHref, list.body)
    assert.match(list.body, /Daren Smyth/)
    const refused = await post(asb, mergeHref, { note: 'x' })
    assert.equal(refused.statusCode, 400)
    const merged = await post(asb, mergeHref, { decision: 'merge', note: 'Same date of birth and address' })
    assert.equal(merged.statusCode, 303)
    const person = await get(asb, merged.headers.location ?? '')
    assert.match(person.body, /Daren Smyth/)
    assert.match(person.body, new RegExp(refs.variant ?? 'missing'))
    const confirmed = await auditActions('people.merge-confirmed')
    assert.equal(confirmed.length, 1)
    assert.equal(confirmed[0]?.actor_id, asbId)
    // Deciding twice is refused; undoing needs a reason, then restores both people.
    const again = await post(asb, mergeHref, { decision: 'reject', note: 'no' })
    assert.equal(again.statusCode, 400)
    assert.equal((await post(asb, `${mergeHref}/undo`, { undoNote: '' })).statusCode, 400)
    const undone = await post(asb, `${mergeHref}/undo`, { undoNote: 'Housing say they are brothers' })
    assert.equal(undone.statusCode, 303)
    assert.equal((await get(asb, undone.headers.location ?? '')).statusCode, 200)
    // Two people again (whichever the index made first): Darren Smith's page no longer has Daren Smyth's case.
    const darren = personNamed((await search(asb, { name: 'Darren Smith' })).body, 'Darren Smith')
    const separate = await get(asb, `/people/${darren}`)
    assert.match(separate.body, new RegExp(refs.first ?? 'missing'))
    assert.doesNotMatch(separate.body, new RegExp(refs.variant ?? 'missing'))
    assert.equal((await auditActions('people.merge-undone')).length, 1)
    // The police officer sees neither person: the merge is not theirs to see.
    assert.equal((await get(police, mergeHref)).statusCode, 404)
  })
})
