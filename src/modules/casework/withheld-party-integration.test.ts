/**
 * A confidential reporter who asked not to share their details (`case_party.contact_withheld`) stays withheld from a
 * partner the case is shared with on every page that shows a party, not only the case, person and export pages: the
 * risk pages, the officer home's high-risk list, the powers ladder, actions and letters, the DASH checklist and the
 * panels' refer form. Text stored on the case (chronology, tasks, panel agenda subjects) never names them. The owning
 * team sees them everywhere, and reads of a party's details are audited against the case.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import { t as copy } from '../../platform/i18n.js'
import { DASH_TOPICS } from '../panels/index.js'

const clock = fixedClock('2026-11-20T10:00:00Z')
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const SECRET = /Carys|Confidential-Reporter|carys@example\.org|07700 900123|12 Hidden Row/
const WITHHELD = copy('casework.party.withheldName')

const dated = (prefix: string, iso: string) => {
  const [year = '', month = '', day = ''] = iso.split('-')
  return { [`${prefix}-day`]: day, [`${prefix}-month`]: month, [`${prefix}-year`]: year }
}

describe('Integration: a confidential reporter is withheld from partners on every page', () => {
  let t: TestApp
  let owner: StaffSession
  let ownerId = ''
  let partner: StaffSession
  let partnerId = ''
  let caseId = ''
  let reference = ''
  let victimId = ''
  let perpetratorId = ''
  let assessmentId = ''
  let dashId = ''
  let actionId = ''
  let letterId = ''

  const get = (session: StaffSession, url: string) =>
    t.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } })
  const post = (session: StaffSession, url: string, values: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, cookie: session.cookie },
      payload: new URLSearchParams({ _csrf: session.token, ...values }).toString(),
    })

  before(async () => {
    t = await buildTestApp({ clock })
    const ownerStaff = await createStaff(t.deps, {
      roles: ['officer'],
      partnerCode: 'council',
      teamCode: 'asb-investigations',
    })
    const partnerStaff = await createStaff(t.deps, {
      roles: ['officer'],
      partnerCode: 'police',
      teamCode: 'police-partnership',
    })
    ownerId = ownerStaff.id
    partnerId = partnerStaff.id
    owner = await signIn(t.app, t.deps, ownerStaff)
    partner = await signIn(t.app, t.deps, partnerStaff)
    const ownerUser = await t.deps.accounts.repository.userById(ownerId)
    const police = await t.deps.accounts.repository.partnerByCode('police')
    assert.ok(ownerUser && police)
    const actor = { type: 'user' as const, id: ownerId }
    const opened = await t.deps.casework.openCase(
      {
        title: 'Harassment at Hidden Row',
        category: 'harassment',
        priority: 'high',
        sensitivity: null,
        owningTeamId: ownerUser.teamId ?? '',
        owningPartnerId: ownerUser.partnerId,
        leadOfficerId: ownerId,
        wardCode: null,
      },
      actor,
    )
    caseId = opened.id
    reference = opened.reference
    const row = await t.deps.casework.repository.caseById(caseId)
    assert.ok(row)
    victimId = await t.deps.casework.addParty(
      row,
      {
        role: 'victim',
        kind: 'person',
        name: 'Carys Confidential-Reporter',
        dateOfBirth: '1980-03-31',
        address: '12 Hidden Row',
        email: 'carys@example.org',
        phone: '07700 900123',
        contactWithheld: true,
      },
      actor,
    )
    // No page makes a withheld perpetrator today (only reporters are withheld), but a letter naming a withheld party
    // must not reach a partner however it came about.
    perpetratorId = await t.deps.casework.addParty(
      row,
      {
        role: 'perpetrator',
        kind: 'person',
        name: 'Carys Confidential-Reporter',
        dateOfBirth: '1990-01-01',
        address: '12 Hidden Row',
        contactWithheld: true,
      },
      actor,
    )
    const current = await t.deps.casework.repository.caseById(caseId)
    assert.ok(current)
    await t.deps.casework.share(
      current,
      { partnerId: police.id, lawfulBasis: 'cda-1998-s115', consentStatus: 'given' },
      actor,
      police.name,
    )

    // A high-risk assessment through its page, referred to the Community MARAC.
    const answers: Record<string, string> = {}
    for (const question of t.deps.risk.policy.questions)
      answers[`q-${question.id}`] = question.kind === 'scale' ? (question.options?.[0]?.value ?? '') : 'no'
    const assessed = await post(owner, `/cases/${caseId}/risk-assessments/new`, {
      submissionId: randomUUID(),
      party: victimId,
      ...dated('assessedOn', '2026-11-20'),
      ...answers,
      'q-threatToLife': 'yes',
    })
    assert.equal(assessed.statusCode, 303, assessed.body.slice(0, 400))
    assessmentId = (assessed.headers.location ?? '').split('/').pop() ?? ''
    const referred = await post(owner, `/cases/${caseId}/risk-assessments/${assessmentId}/marac-referral`, {})
    assert.equal(referred.statusCode, 303)

    const dash = await post(owner, `/panels/cases/${caseId}/dash/new`, {
      submissionId: randomUUID(),
      party: victimId,
      ...Object.fromEntries(DASH_TOPICS.map(topic => [`q-${topic}`, 'no'])),
      ...dated('incident', '2026-11-18'),
      callouts: '',
      refer: 'no',
    })
    assert.equal(dash.statusCode, 303, dash.body.slice(0, 400))
    dashId = (dash.headers.location ?? '').split('/').pop() ?? ''

    const previewed = await post(owner, `/cases/${caseId}/powers/cpw/new`, {
      submissionId: randomUUID(),
      party: perpetratorId,
      ...dated('actionDate', '2026-11-20'),
      conduct: 'Shouting at neighbours',
      requirements: 'No shouting in the stairwell',
      complianceDays: '14',
    })
    assert.equal(previewed.statusCode, 303, previewed.body.slice(0, 400))
    const warning = await post(owner, `${previewed.headers.location ?? ''}/confirm`, {})
    assert.equal(warning.statusCode, 303, warning.body.slice(0, 400))
    actionId = (warning.headers.location ?? '').split('/').pop() ?? ''
    const letter = await t.deps.casework.repository.letterFor(caseId, 'powers', actionId)
    assert.ok(letter)
    letterId = letter.id
  })
  after(() => t.close())

  const pages = () => ({
    'risk overview': `/cases/${caseId}/risk-assessments`,
    'risk assessment': `/cases/${caseId}/risk-assessments/${assessmentId}`,
    'risk history': `/cases/${caseId}/victims/${victimId}/risk-assessments`,
    'powers ladder': `/cases/${caseId}/powers?party=${perpetratorId}`,
    'powers action': `/cases/${caseId}/powers/actions/${actionId}`,
    'DASH checklist': `/panels/cases/${caseId}/dash/${dashId}`,
    'case panels': `/panels/cases/${caseId}`,
    'panel referral form': `/panels/cases/${caseId}/refer`,
    'case page': `/cases/${reference}`,
    chronology: `/cases/${reference}/chronology`,
    tasks: `/cases/${reference}/tasks`,
    home: '/staff',
  })

  it('shows the partner “withheld” and never the name, email, phone or address', async () => {
    const problems: string[] = []
    for (const [name, url] of Object.entries(pages())) {
      const response = await get(partner, url)
      if (response.statusCode !== 200) problems.push(`${name}: ${String(response.statusCode)}`)
      if (SECRET.test(response.body)) problems.push(`${name}: shows the reporter`)
    }
    assert.deepEqual(problems, [])
    for (const url of [
      `/cases/${caseId}/risk-assessments`,
      `/cases/${caseId}/risk-assessments/${assessmentId}`,
      `/cases/${caseId}/victims/${victimId}/risk-assessments`,
      `/cases/${caseId}/powers?party=${perpetratorId}`,
      `/cases/${caseId}/powers/actions/${actionId}`,
      `/panels/cases/${caseId}/dash/${dashId}`,
      `/panels/cases/${caseId}/refer`,
      '/staff',
    ]) {
      const body = (await get(partner, url)).body
      assert.ok(body.includes(WITHHELD), `${url} says the reporter is withheld`)
    }
  })

  it('shows the owning team who the reporter is on the same pages', async () => {
    for (const [name, url] of Object.entries(pages())) {
      if (['case panels', 'chronology', 'tasks'].includes(name)) continue
      const response = await get(owner, url)
      assert.equal(response.statusCode, 200, name)
      assert.match(response.body, /Carys Confidential-Reporter/, name)
    }
  })

  it('never names the reporter in text stored on the case or on a panel’s agenda', async () => {
    const chronology = await t.deps.casework.repository.chronology(caseId, { limit: 100 })
    const tasks = await t.deps.casework.repository.tasks(caseId)
    const referrals = await t.deps.panels.service.referralsForCase(caseId)
    assert.ok(referrals.length > 0, 'the Community MARAC referral is on the panel')
    for (const text of [
      ...chronology.rows.map(row => row.summary),
      ...tasks.map(task => task.title),
      ...referrals.map(row => row.subject),
    ])
      assert.doesNotMatch(text, SECRET, text)
    assert.ok(chronology.rows.some(row => row.summary.includes('the confidential reporter (victim)')))
  })

  it('refuses the partner a letter that names the reporter, as HTML and PDF, and logs the refusal on the case', async () => {
    for (const url of [
      `/cases/${caseId}/powers/actions/${actionId}/letter`,
      `/cases/${caseId}/powers/actions/${actionId}/letter.pdf`,
      `/cases/${reference}/letters/${letterId}`,
      `/cases/${reference}/letters/${letterId}?format=pdf`,
    ]) {
      const refused = await get(partner, url)
      assert.equal(refused.statusCode, 403, url)
      assert.doesNotMatch(refused.body, SECRET, url)
    }
    const letter = await get(owner, `/cases/${caseId}/powers/actions/${actionId}/letter`)
    assert.equal(letter.statusCode, 200)
    assert.match(letter.body, /<address class="app-letter__addressee" data-qa="addressee">Carys Confidential-Reporter/)
    const refusals = (await t.deps.audit.forSubject('case', caseId)).filter(
      event => event.action === 'case.access-refused' && event.actor_id === partnerId,
    )
    assert.ok(refusals.some(event => (event.details as { withheld?: boolean }).withheld === true))
    const casePage = await get(partner, `/cases/${reference}`)
    assert.ok(casePage.body.includes(WITHHELD), 'the case page lists the letter’s addressee as withheld')
  })

  it('audits every read of the reporter’s details against the case', async () => {
    await get(partner, `/cases/${caseId}/risk-assessments/${assessmentId}`)
    await get(partner, `/cases/${caseId}/victims/${victimId}/risk-assessments`)
    await get(partner, `/panels/cases/${caseId}/dash/${dashId}`)
    await get(partner, `/cases/${caseId}/powers/actions/${actionId}`)
    await get(partner, `/panels/cases/${caseId}/refer`)
    const events = (await t.deps.audit.forSubject('case', caseId)).filter(event => event.actor_id === partnerId)
    const partyReads = (action: string) =>
      events.filter(event => event.action === action && (event.details as { partyId?: string }).partyId !== undefined)
    assert.ok(partyReads('RISK_ASSESSMENT_VIEWED').length > 0)
    assert.ok(partyReads('RISK_HISTORY_VIEWED').length > 0)
    assert.ok(partyReads('MARAC_DASH_VIEWED').length > 0)
    assert.ok(partyReads('POWER_ACTION_VIEWED').length > 0)
    assert.ok(events.some(event => event.action === 'CASE_PANEL_REFER_FORM_VIEWED'))
  })
})
