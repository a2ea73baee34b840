import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { systemActor } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import type { IntakeInput } from '../reporting/index.js'

const clock = fixedClock('2026-11-20T10:00:00Z')
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

function report(overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    channel: 'web',
    category: 'noise_music',
    location: { postcode: 'E1 0AA' },
    occurredOn: '2026-11-19',
    pattern: 'ongoing',
    frequency: 'several_times_a_week',
    description: 'Loud music every night from the flat above',
    impact: {
      reporterRole: 'victim',
      howOften: 'regularly',
      unsafeAtHome: 'yes',
      healthAffected: 'no',
      targeted: 'no',
      characteristics: [],
    },
    reporter: {
      mode: 'named',
      name: 'Ada Resident',
      email: 'ada@example.org',
      contactPreference: 'email',
      consentToShare: true,
    },
    ...overrides,
  }
}

describe('Integration: triage and casework pages', () => {
  let t: TestApp
  let officer: StaffSession
  let officerId: string
  let police: StaffSession
  let policeId: string

  before(async () => {
    t = await buildTestApp({ clock })
    const o = await createStaff(t.deps, { roles: ['officer'], partnerCode: 'council', teamCode: 'asb-investigations' })
    officerId = o.id
    officer = await signIn(t.app, t.deps, o)
    const p = await createStaff(t.deps, { roles: ['officer'], partnerCode: 'police', teamCode: 'police-partnership' })
    policeId = p.id
    police = await signIn(t.app, t.deps, p)
  })
  after(() => t.close())

  const get = (session: StaffSession, url: string) =>
    t.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } })
  const post = (session: StaffSession, url: string, values: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, cookie: session.cookie },
      payload: new URLSearchParams({ _csrf: session.token, ...values }).toString(),
    })

  it('lands staff on the officer home after sign-in', async () => {
    const home = await get(officer, '/staff')
    assert.equal(home.statusCode, 200)
    assert.match(home.body, /My open cases/)
    assert.match(home.body, /href="\/staff\/triage"/)
  })

  it('triages a report into a case, works it, closes it, and the resident sees the honest outcome', async () => {
    const submitted = await t.deps.reporting.intake.submit(report(), systemActor)
    const quiet = await t.deps.reporting.intake.submit(
      report({ category: 'graffiti', impact: { ...report().impact, unsafeAtHome: 'no' } }),
      systemActor,
    )
    const reference = submitted.report.reference

    const queue = await get(officer, '/staff/triage')
    assert.equal(queue.statusCode, 200)
    assert.ok(queue.body.indexOf(reference) < queue.body.indexOf(quiet.report.reference), 'higher risk first')
    assert.match(queue.body, /Vulnerable/)

    const page = await get(officer, `/staff/triage/${reference}`)
    assert.equal(page.statusCode, 200)
    const team = /<option value="([0-9a-f-]{36})"[^>]*>Test council: Team asb-investigations/.exec(page.body)?.[1]
    assert.ok(team)

    const invalid = await post(officer, `/staff/triage/${reference}/case`, {
      title: '',
      teamId: team,
      priority: 'high',
    })
    assert.equal(invalid.statusCode, 400)
    assert.match(invalid.body, /Enter a title for the case/)

    const created = await post(officer, `/staff/triage/${reference}/case`, {
      title: 'Music from flat 4',
      teamId: team,
      leadOfficerId: officerId,
      priority: 'high',
      publicNote: 'An officer is looking into it.',
    })
    assert.equal(created.statusCode, 303)
    const casePath = String(created.headers.location)
    assert.match(casePath, /^\/cases\/ASB-26-\d{5}$/)
    const caseReference = casePath.split('/')[2] ?? ''

    const again = await post(officer, `/staff/triage/${reference}/case`, {
      title: 'Twice',
      teamId: team,
      priority: 'high',
    })
    assert.equal(again.statusCode, 400, 'a report already in a case cannot open another')

    const tracking = await t.deps.reporting.reports.findByReference(reference)
    assert.equal(tracking?.status, 'in_progress')

    // The reporter said they were the victim: they join the case as its victim, from the report.
    const opened = await t.deps.casework.repository.caseByReference(caseReference)
    assert.ok(opened)
    const fromReport = await t.deps.casework.repository.parties(opened.id)
    assert.deepEqual(
      fromReport.map(p => [p.role, p.name, p.email]),
      [['victim', 'Ada Resident', 'ada@example.org']],
    )

    const party = await post(officer, `${casePath}/parties`, {
      role: 'perpetrator',
      kind: 'person',
      name: 'Sam Loud',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '1990',
      postcode: 'E1 0AA',
    })
    assert.equal(party.statusCode, 303)
    const badParty = await post(officer, `${casePath}/parties`, {
      role: 'victim',
      kind: 'person',
      name: '',
      email: 'nope',
    })
    assert.equal(badParty.statusCode, 400)
    assert.match(badParty.body, /Enter a name/)
    assert.match(badParty.body, /Enter an email address in the correct format/)

    // A new task cannot be due in the past (issue 16): the form says so.
    const past = await post(officer, `${casePath}/tasks`, {
      title: 'Visit the victim',
      ownerUserId: officerId,
      'dueDate-day': '19',
      'dueDate-month': '11',
      'dueDate-year': '2026',
    })
    assert.equal(past.statusCode, 400)
    assert.match(past.body, /The due date must be today or in the future/)
    // A reminder another module set (a powers deadline) can fall due and become overdue.
    const opened2 = await t.deps.casework.repository.caseByReference(caseReference)
    assert.ok(opened2)
    await t.deps.casework.createTask(
      {
        caseId: opened2.id,
        title: 'Visit the victim',
        ownerUserId: officerId,
        dueDate: '2026-11-19',
        sourceModule: 'powers',
      },
      systemActor,
    )
    const home = await get(officer, '/staff')
    assert.match(home.body, /Overdue tasks \(1\)/)
    assert.match(home.body, /Visit the victim/)
    assert.match(home.body, /Music from flat 4/)

    const note = await post(officer, `${casePath}/chronology`, { kind: 'contact', summary: 'Phoned the victim' })
    assert.equal(note.statusCode, 303)

    const casePage = await get(officer, casePath)
    assert.equal(casePage.statusCode, 200)
    assert.match(casePage.body, /Sam Loud/)
    assert.match(casePage.body, /Phoned the victim/)
    assert.match(casePage.body, new RegExp(reference))

    // Letters come from the powers ladder, which checks the guardrails; casework has no letter form of its own.
    assert.equal((await get(officer, `${casePath}/letters/new`)).statusCode, 404)
    assert.equal(
      (await post(officer, `${casePath}/letters`, { template: 'community-protection-warning' })).statusCode,
      404,
    )

    // Police cannot see it until it is shared with them.
    assert.equal((await get(police, casePath)).statusCode, 404)
    const policePartner = await t.deps.accounts.repository.partnerByCode('police')
    assert.ok(policePartner)
    const badShare = await post(officer, `${casePath}/shares`, {
      partnerId: policePartner.id,
      lawfulBasis: 'consent',
      consentStatus: 'not-sought',
    })
    assert.equal(badShare.statusCode, 400)
    // A partner that is not a partner's id is the user's mistake: the form again, naming the field.
    const notAPartner = await post(officer, `${casePath}/shares`, {
      partnerId: 'police',
      lawfulBasis: 'cda-1998-s115',
      consentStatus: 'given',
    })
    assert.equal(notAPartner.statusCode, 400)
    assert.match(notAPartner.body, /govuk-error-summary[\s\S]*href="#partnerId"/)
    const share = await post(officer, `${casePath}/shares`, {
      partnerId: policePartner.id,
      lawfulBasis: 'cda-1998-s115',
      consentStatus: 'given',
    })
    assert.equal(share.statusCode, 303)
    assert.equal((await get(police, casePath)).statusCode, 200)
    assert.equal(
      (await post(police, `${casePath}/chronology`, { kind: 'note', summary: 'Police visit' })).statusCode,
      303,
    )
    assert.equal((await get(police, `${casePath}/edit`)).statusCode, 403)
    assert.ok(policeId)

    // Two officers editing: the second save is refused with the conflict page and nothing is overwritten.
    const form = await get(officer, `${casePath}/edit`)
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1]
    assert.ok(version)
    const details = {
      title: 'Music from flat 4 (renamed)',
      category: 'noise_music',
      priority: 'high',
      sensitivity: '',
      leadOfficerId: officerId,
      location: '',
      version,
    }
    assert.equal((await post(officer, `${casePath}/edit`, details)).statusCode, 303)
    const stale = await post(officer, `${casePath}/edit`, { ...details, title: 'Overwritten?' })
    assert.equal(stale.statusCode, 409)
    assert.match(stale.body, /Someone else changed this case/)
    assert.equal(
      (await t.deps.casework.repository.caseByReference(caseReference))?.title,
      'Music from flat 4 (renamed)',
    )

    // Closure: the outcome becomes the resident-facing status, and a check-in goes out.
    const closeForm = await get(officer, `${casePath}/close`)
    const closeVersion = /name="version" value="(\d+)"/.exec(closeForm.body)?.[1] ?? ''
    const missingNote = await post(officer, `${casePath}/close`, {
      outcome: 'no_further_action',
      version: closeVersion,
    })
    assert.equal(missingNote.statusCode, 400)
    const closed = await post(officer, `${casePath}/close`, {
      outcome: 'resolved',
      publicNote: 'The resident at the flat agreed to stop and the music has stopped.',
      tasks: 'close',
      version: closeVersion,
    })
    assert.equal(closed.statusCode, 303)
    const after = await t.deps.reporting.reports.findByReference(reference)
    assert.equal(after?.status, 'closed')
    assert.equal(after.closure_reason, 'resolved')
    const trackingPage = await t.app.inject({
      method: 'GET',
      url: `/track/${reference}/${submitted.trackingCode ?? ''}`,
    })
    assert.equal(trackingPage.statusCode, 200)
    assert.match(trackingPage.body, /the music has stopped/)

    const outbox = await t.deps.database.db
      .selectFrom('notification_outbox')
      .select(['template', 'personalisation'])
      .where('report_id', '=', submitted.report.id)
      .where('template', '=', 'case-satisfaction-checkin')
      .execute()
    assert.equal(outbox.length, 1)
    // The link is sealed at rest (it carries the check-in token); the dispatcher opens it as it sends.
    assert.doesNotMatch(JSON.stringify(outbox[0]?.personalisation), /https?:|\/checkin/)
    const link = t.deps.reporting.personalisation.open(outbox[0]?.personalisation ?? {}).link ?? ''
    const path = new URL(link).pathname
    const checkin = await t.app.inject({ method: 'GET', url: path })
    assert.equal(checkin.statusCode, 200)
    const { token, cookie } = {
      token: /name="_csrf" value="([^"]+)"/.exec(checkin.body)?.[1] ?? '',
      cookie: String(checkin.headers['set-cookie'] ?? '').split(';')[0] ?? '',
    }
    const empty = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { ...FORM, cookie },
      payload: `_csrf=${encodeURIComponent(token)}`,
    })
    assert.equal(empty.statusCode, 400)
    const answered = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { ...FORM, cookie },
      payload: new URLSearchParams({ _csrf: token, satisfaction: 'satisfied', feelsSafer: 'yes' }).toString(),
    })
    assert.equal(answered.statusCode, 200)
    assert.match(answered.body, /Thank you/)
    assert.equal((await t.app.inject({ method: 'GET', url: '/check-in/not-a-real-token-at-all-xx' })).statusCode, 404)
  })

  it('closes and refers reports from the queue with the reason the resident sees', async () => {
    const first = await t.deps.reporting.intake.submit(report({ category: 'graffiti' }), systemActor)
    const missing = await post(officer, `/staff/triage/${first.report.reference}/close`, { reason: 'not_asb' })
    assert.equal(missing.statusCode, 400)
    const closed = await post(officer, `/staff/triage/${first.report.reference}/close`, {
      reason: 'not_asb',
      publicNote: 'Graffiti on private property is for the owner to remove.',
    })
    assert.equal(closed.statusCode, 303)
    assert.equal((await t.deps.reporting.reports.findByReference(first.report.reference))?.closure_reason, 'not_asb')

    const second = await t.deps.reporting.intake.submit(report({ category: 'noise_dogs' }), systemActor)
    await createStaff(t.deps, { roles: ['partner-read-only'], partnerCode: 'housing' })
    const partner = await t.deps.accounts.repository.partnerByCode('housing')
    assert.ok(partner)
    const referred = await post(officer, `/staff/triage/${second.report.reference}/refer`, { partnerId: partner.id })
    assert.equal(referred.statusCode, 303)
    const row = await t.deps.reporting.reports.findByReference(second.report.reference)
    assert.equal(row?.closure_reason, 'referred')
    assert.equal(row.referred_agency, partner.name)
  })

  it('takes phone, 101 and walk-in reports through intake, and re-shows a bad form', async () => {
    const form = await get(officer, '/staff/triage/new')
    assert.equal(form.statusCode, 200)
    const key = /name="key" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
    const bad = await post(officer, '/staff/triage/new', { key, source: 'phone', description: 'Shouting' })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /Select the type of anti-social behaviour/)
    assert.match(bad.body, /Shouting/)
    const values = {
      key,
      source: '101',
      category: 'noise_shouting',
      postcode: 'E1 0AA',
      'occurredOn-day': '19',
      'occurredOn-month': '11',
      'occurredOn-year': '2026',
      pattern: 'one_off',
      description: 'Shouting in the street at 2am',
      reporterRole: 'witness',
      unsafeAtHome: 'no',
      healthAffected: 'no',
      mode: 'named',
      name: 'Caller',
      phone: '07700 900123',
      contactPreference: 'phone',
      consent: 'yes',
    }
    const saved = await post(officer, '/staff/triage/new', values)
    assert.equal(saved.statusCode, 303)
    const again = await post(officer, '/staff/triage/new', values)
    assert.equal(again.headers.location, saved.headers.location, 'submitting twice stores one report')
    const reference = String(saved.headers.location).split('/').pop() ?? ''
    assert.equal((await t.deps.reporting.reports.findByReference(reference))?.channel, 'phone')
  })

  it('allocates queue reports by the configured rules', async () => {
    const supervisor = await createStaff(t.deps, {
      roles: ['supervisor'],
      partnerCode: 'council',
      teamCode: 'asb-investigations',
    })
    const session = await signIn(t.app, t.deps, supervisor)
    const enforcement = await t.deps.accounts.createTeam(systemActor, {
      partnerCode: 'council',
      code: 'enforcement',
      name: 'Enforcement',
    })
    const bad = await post(session, '/admin/allocation-rules', { position: 'x', teamId: enforcement.id })
    assert.equal(bad.statusCode, 400)
    const added = await post(session, '/admin/allocation-rules', {
      position: '1',
      category: 'dog_fouling',
      teamId: enforcement.id,
    })
    assert.equal(added.statusCode, 303)
    const fouling = await t.deps.reporting.intake.submit(report({ category: 'dog_fouling' }), systemActor)
    // A council supervisor sees every council team's reports; an officer of another team does not (ADR 0019).
    const queue = await get(session, '/staff/triage')
    const row = new RegExp(`${fouling.report.reference}[\\s\\S]*?Enforcement`).exec(queue.body)
    assert.ok(row, 'the report shows the allocated team')
    assert.ok(!(await get(officer, '/staff/triage')).body.includes(fouling.report.reference))
    assert.equal((await get(officer, '/admin/allocation-rules')).statusCode, 403)

    // "Allocated to my team": an enforcement officer's queue holds the dog fouling report and nothing of another team's.
    const enforcer = await signIn(
      t.app,
      t.deps,
      await createStaff(t.deps, { roles: ['officer'], partnerCode: 'council', teamCode: 'enforcement' }),
    )
    const mine = await get(enforcer, '/staff/triage?allocation=mine')
    assert.equal(mine.statusCode, 200)
    const references = [...mine.body.matchAll(/>(ASB-\d{4}-[0-9A-Z]{4})</g)].map(match => match[1])
    assert.deepEqual(references, [fouling.report.reference])
    assert.match(mine.body, /1 report waiting/)
    const all = await get(enforcer, '/staff/triage')
    assert.ok([...all.body.matchAll(/>(ASB-\d{4}-[0-9A-Z]{4})</g)].length > 1, 'the whole queue holds more')
  })
})
