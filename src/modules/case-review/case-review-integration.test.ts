import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, formSession, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffCredentials, type StaffSession } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'

const clock = fixedClock('2026-11-20T10:00:00Z')
const citizen = { type: 'anonymous' as const, id: null }

function form(values: Record<string, string | string[]>): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(values)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item)
  }
  return params.toString()
}

describe('Integration: ASB Case Review over HTTP', () => {
  let t: TestApp
  let reference = ''
  let trackingCode = ''
  let reviewId = ''
  let officer: StaffCredentials
  let supervisor: StaffCredentials
  let chair: StaffCredentials
  let coordinator: StaffCredentials
  let secondCoordinator: StaffCredentials
  let policeOfficer: StaffCredentials
  let housingOfficer: StaffCredentials
  const sessions = new Map<string, StaffSession>()

  async function session(staff: StaffCredentials): Promise<StaffSession> {
    let found = sessions.get(staff.id)
    if (!found) {
      found = await signIn(t.app, t.deps, staff)
      sessions.set(staff.id, found)
    }
    return found
  }

  async function staffGet(staff: StaffCredentials, url: string) {
    return t.app.inject({ method: 'GET', url, headers: { cookie: (await session(staff)).cookie } })
  }

  async function staffPost(staff: StaffCredentials, url: string, values: Record<string, string | string[]>) {
    const { cookie, token } = await session(staff)
    return t.app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: token, ...values }),
    })
  }

  async function publicPost(url: string, values: Record<string, string | string[]>) {
    const { token, cookie } = await formSession(t.app, '/asb-case-review/apply')
    return t.app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: token, ...values }),
    })
  }

  async function report(receivedAt: string, email: string, extra: { hate?: boolean } = {}) {
    const result = await t.deps.reporting.intake.submit(
      {
        channel: 'web',
        receivedAt,
        category: 'noise_music',
        location: { postcode: 'E1 0AA' },
        occurredOn: receivedAt.slice(0, 10),
        pattern: 'ongoing',
        description: 'Loud music through the night',
        impact: {
          reporterRole: 'victim',
          unsafeAtHome: 'no',
          healthAffected: 'yes',
          targeted: extra.hate ? 'yes' : 'no',
          characteristics: extra.hate ? ['race'] : [],
        },
        reporter: { mode: 'named', name: 'Ada Resident', email, contactPreference: 'email', consentToShare: true },
      },
      citizen,
    )
    return result
  }

  async function row() {
    return t.deps.database.db.selectFrom('case_review').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow()
  }

  before(async () => {
    t = await buildTestApp({ clock })
    officer = await createStaff(t.deps, { roles: ['officer'], teamCode: 'asb-investigations' })
    supervisor = await createStaff(t.deps, { roles: ['supervisor'], teamCode: 'asb-team-2' })
    // The Case Review coordinators: panel coordinators of a relevant body (ADR 0025). The first sits in the team
    // that will own the case, so can see it to link it.
    coordinator = await createStaff(t.deps, { roles: ['panel-coordinator'], teamCode: 'asb-investigations' })
    secondCoordinator = await createStaff(t.deps, { roles: ['panel-coordinator'] })
    chair = await createStaff(t.deps, { roles: ['supervisor'], partnerCode: 'health', partnerKind: 'health' })
    policeOfficer = await createStaff(t.deps, { roles: ['officer'], partnerCode: 'police' })
    housingOfficer = await createStaff(t.deps, { roles: ['officer'], partnerCode: 'housing', partnerKind: 'housing' })
  })
  after(async () => {
    await t.close()
  })

  it('shows the Case Review link on the tracking page after three reports, and the application says the threshold is met', async () => {
    await report('2026-09-10T10:00:00Z', 'ada@example.org')
    await report('2026-10-15T10:00:00Z', 'ada@example.org')
    const third = await report('2026-11-10T10:00:00Z', 'ada@example.org')
    reference = third.report.reference
    trackingCode = third.trackingCode ?? ''
    const tracking = await t.app.inject({ method: 'GET', url: `/track/${reference}/${trackingCode}` })
    assert.equal(tracking.statusCode, 200)
    const href = `/asb-case-review/apply/${reference}/${trackingCode}`
    assert.match(tracking.body, new RegExp(`data-qa="case-review-notice"[\\s\\S]*href="${href}"`))
    const apply = await t.app.inject({ method: 'GET', url: href })
    assert.equal(apply.statusCode, 200)
    assert.match(apply.body, /Your reports meet the threshold for a review/)
    assert.match(apply.body, new RegExp(`value="${reference}"`))
    // The name and email address the resident gave on the report start the application.
    assert.match(/<input[^>]*id="name"[^>]*>/.exec(apply.body)?.[0] ?? '', /value="Ada Resident"/)
    assert.match(/<input[^>]*id="email"[^>]*>/.exec(apply.body)?.[0] ?? '', /value="ada@example.org"/)
    const wrong = await t.app.inject({ method: 'GET', url: `/asb-case-review/apply/${reference}/AAAAAAAAAAAA` })
    assert.equal(wrong.statusCode, 404)
  })

  it('refuses an incomplete application with a GOV.UK error summary, 400 and the answers kept', async () => {
    const empty = await publicPost('/asb-case-review/apply', { name: 'Ada <b>Resident</b>' })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /govuk-error-summary/)
    assert.match(empty.body, /href="#applicantType"/)
    assert.match(empty.body, /Enter an email address or a phone number/)
    assert.match(empty.body, /value="Ada &lt;b&gt;Resident&lt;\/b&gt;"/)
    const noConsent = await publicPost('/asb-case-review/apply', {
      applicantType: 'representative',
      name: 'Cllr Smith',
      email: 'cllr@example.org',
      victimName: 'Ada Resident',
      relationship: 'Ward councillor',
      description: 'Noise',
      dissatisfaction: 'No action',
    })
    assert.equal(noConsent.statusCode, 400)
    assert.match(noConsent.body, /You can only apply for someone else with their consent/)
    const badCode = await publicPost('/asb-case-review/apply', {
      applicantType: 'victim',
      name: 'Ada Resident',
      email: 'ada@example.org',
      reportReference: reference,
      trackingCode: 'AAAAAAAAAAAA',
      description: 'Noise',
      dissatisfaction: 'No action',
    })
    assert.equal(badCode.statusCode, 400)
    assert.match(badCode.body, /We cannot find a report with that reference and tracking code/)
    // A field sent twice or far too long is the form's to refuse, with its summary: never Fastify's bare 400.
    const tampered = await publicPost('/asb-case-review/apply', {
      applicantType: ['victim', 'representative'],
      name: ['Ada', 'Resident'],
      email: 'ada@example.org',
      description: 'x'.repeat(6000),
      dissatisfaction: 'No action',
    })
    assert.equal(tampered.statusCode, 400)
    assert.match(String(tampered.headers['content-type']), /text\/html/)
    assert.match(tampered.body, /govuk-error-summary/)
    assert.match(tampered.body, /href="#applicantType"/)
    assert.match(tampered.body, /href="#name"/)
    assert.match(tampered.body, /href="#description"/)
  })

  it('takes the application once per submission, stamps the policy version, and links a second application about the same problem', async () => {
    const values = {
      submissionId: '6f1c2b8e-1d5e-4c1a-9d1f-0a2b3c4d5e6f',
      applicantType: 'victim',
      name: 'Ada Resident',
      email: 'ada@example.org',
      reportReference: reference,
      trackingCode,
      otherAgencies: ['police', 'housing'],
      description: 'Loud music every night from the flat above.',
      dissatisfaction: 'Nobody has come back to me.',
    }
    const first = await publicPost('/asb-case-review/apply', values)
    assert.equal(first.statusCode, 303)
    assert.match(first.headers.location ?? '', /^\/asb-case-review\/confirmation\?reference=CR-26-0001$/)
    const again = await publicPost('/asb-case-review/apply', values)
    assert.equal(again.headers.location, first.headers.location)
    const confirmation = await t.app.inject({ method: 'GET', url: first.headers.location ?? '' })
    assert.equal(confirmation.statusCode, 200)
    // Received Friday 20 November 2026: acknowledge in 3 working days, decide in 10.
    assert.match(confirmation.body, /25 November 2026/)
    assert.match(confirmation.body, /4 December 2026/)
    const stored = await t.deps.database.db.selectFrom('case_review').selectAll().execute()
    assert.equal(stored.length, 1)
    reviewId = stored[0]?.id ?? ''
    assert.equal(stored[0]?.eligibility_policy_version, 'safer-case-review-2026.1')
    assert.equal((stored[0]?.eligibility as { route: string }).route, 'complaints')

    const carer = await publicPost('/asb-case-review/apply', {
      ...values,
      submissionId: '7f1c2b8e-1d5e-4c1a-9d1f-0a2b3c4d5e6f',
      applicantType: 'representative',
      name: 'Ben Carer',
      victimName: 'Ada Resident',
      relationship: 'Carer',
      consent: 'yes',
    })
    assert.equal(carer.statusCode, 303)
    assert.match(carer.headers.location ?? '', /linked=CR-26-0001$/)
    const carerConfirmation = await t.app.inject({ method: 'GET', url: carer.headers.location ?? '' })
    assert.match(
      carerConfirmation.body,
      /Someone else has already asked for a review of the same problem \(CR-26-0001\)/,
    )
    // Ada again, with a new submission: her own earlier application, not someone else's.
    const mine = await publicPost('/asb-case-review/apply', {
      ...values,
      submissionId: '8f1c2b8e-1d5e-4c1a-9d1f-0a2b3c4d5e6f',
      name: ' ada resident ',
      email: 'ADA@example.org',
    })
    assert.equal(mine.statusCode, 303)
    assert.match(mine.headers.location ?? '', /linked=CR-26-0001&mine=yes$/)
    const mineConfirmation = await t.app.inject({ method: 'GET', url: mine.headers.location ?? '' })
    assert.match(mineConfirmation.body, /You have already asked for a review of this problem \(CR-26-0001\)/)
    assert.doesNotMatch(mineConfirmation.body, /Someone else/)
    // The tracking page no longer invites an application: it says one was made.
    const tracking = await t.app.inject({ method: 'GET', url: `/track/${reference}/${trackingCode}` })
    assert.match(tracking.body, /data-qa="case-review-applied"[\s\S]*CR-26-000\d/)
    assert.doesNotMatch(tracking.body, /data-qa="case-review-apply"/)
    const policy = await t.deps.database.db.selectFrom('case_review_policy').select('version').execute()
    assert.deepEqual(
      policy.map(p => p.version),
      ['safer-case-review-2026.1'],
    )
  })

  it('lets only Case Review staff see the dashboard, with the clocks, and only the applications they may see', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/staff/case-reviews' })
    assert.equal(anonymous.statusCode, 303)
    const analyst = await createStaff(t.deps, { roles: ['analyst'] })
    assert.equal((await staffGet(analyst, '/staff/case-reviews')).statusCode, 403)
    const dashboard = await staffGet(coordinator, '/staff/case-reviews')
    assert.equal(dashboard.statusCode, 200)
    assert.match(dashboard.body, /CR-26-0001/)
    assert.match(dashboard.body, /Linked to CR-26-0001/)
    assert.match(dashboard.body, /Acknowledge: 25 November 2026/)
    const page = await staffGet(coordinator, `/staff/case-reviews/${reviewId}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /The threshold is met: Qualifying complaints by the applicant/)
    // The police were named by the applicant but not asked yet: nothing, as if there were no application.
    const police = await staffGet(policeOfficer, '/staff/case-reviews')
    assert.equal(police.statusCode, 200)
    assert.doesNotMatch(police.body, /CR-26-0001|Ada Resident/)
    assert.equal((await staffGet(policeOfficer, `/staff/case-reviews/${reviewId}`)).statusCode, 404)
  })

  it('runs the review: threshold, case, chair conflict check, agencies, invitation, minutes, recommendations, outcome', async () => {
    const url = `/staff/case-reviews/${reviewId}`
    // An officer who may see the application (its report is in the council's triage pool) changes nothing.
    assert.equal((await staffGet(officer, url)).statusCode, 200)
    assert.equal((await staffPost(officer, `${url}/acknowledge`, { version: '1' })).statusCode, 403)
    assert.equal((await staffPost(coordinator, `${url}/acknowledge`, { version: '1' })).statusCode, 303)
    // Officers and supervisors cannot decide; a met threshold cannot be decided "not met".
    assert.equal((await staffPost(officer, `${url}/threshold`, { decision: 'met', reason: 'x' })).statusCode, 403)
    assert.equal((await staffPost(supervisor, `${url}/threshold`, { decision: 'met', reason: 'x' })).statusCode, 403)
    const refused = await staffPost(coordinator, `${url}/threshold`, { decision: 'not-met', reason: 'Not persuaded' })
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /it must be treated as met/)
    assert.match(refused.body, /Not persuaded/)
    // Sign in again after the clock moves on (sessions time out when idle).
    clock.advance(2 * 86_400_000)
    sessions.clear()
    assert.equal(
      (await staffPost(coordinator, `${url}/threshold`, { decision: 'met', reason: 'Three reports.' })).statusCode,
      303,
    )
    assert.equal((await row()).status, 'review')
    assert.equal((await row()).threshold_policy_version, 'safer-case-review-2026.1')

    // The case the reports belong to, owned by the council's ASB team.
    const team = await t.deps.accounts.repository.teamByCode('asb-investigations')
    const reportRow = await t.deps.reporting.reports.findByReference(reference)
    assert.ok(team && reportRow)
    const opened = await t.deps.casework.openCase(
      {
        title: 'Noise from flat above',
        category: 'noise_music',
        priority: 'medium',
        sensitivity: null,
        owningTeamId: team.id,
        owningPartnerId: team.partner_id,
        leadOfficerId: officer.id,
        wardCode: null,
        reportIds: [reportRow.id],
      },
      { type: 'user', id: officer.id },
    )
    assert.equal((await staffPost(officer, `${url}/link-case`, { caseReference: opened.reference })).statusCode, 403)
    assert.equal(
      (await staffPost(coordinator, `${url}/link-case`, { caseReference: opened.reference })).statusCode,
      303,
    )

    const conflicted = await staffPost(coordinator, `${url}/chair`, { chair: supervisor.id })
    assert.equal(conflicted.statusCode, 400)
    assert.match(conflicted.body, /This person cannot chair the review: from an agency involved in the case/)
    assert.equal((await staffPost(coordinator, `${url}/chair`, { chair: chair.id })).statusCode, 303)

    // Asking the police for information lets their officers see the application and answer.
    const police = await t.deps.accounts.repository.partnerByCode('police')
    assert.ok(police)
    assert.equal((await staffGet(policeOfficer, url)).statusCode, 404)
    assert.equal((await staffPost(coordinator, `${url}/information`, { partners: [police.id] })).statusCode, 303)
    assert.equal((await staffGet(policeOfficer, url)).statusCode, 200)
    assert.match((await staffGet(policeOfficer, '/staff/case-reviews')).body, /CR-26-0001/)
    assert.equal((await staffGet(housingOfficer, url)).statusCode, 404)
    const [request] = await t.deps.database.db.selectFrom('case_review_information').selectAll().execute()
    assert.ok(request)
    assert.equal(request.due_on, '2026-12-04')
    const answered = await staffPost(policeOfficer, `${url}/information/${request.id}`, {
      [`response-${request.id}`]: 'Two visits, one warning given.',
    })
    assert.equal(answered.statusCode, 303)

    const past = await staffPost(coordinator, `${url}/invite`, {
      'meetingOn-day': '1',
      'meetingOn-month': '1',
      'meetingOn-year': '2020',
      note: 'Letter',
    })
    assert.equal(past.statusCode, 400)
    assert.match(past.body, /The meeting date must be today or in the future/)
    const invited = await staffPost(coordinator, `${url}/invite`, {
      'meetingOn-day': '10',
      'meetingOn-month': '12',
      'meetingOn-year': '2026',
      note: 'Letter and email; offered to attend or send views',
    })
    assert.equal(invited.statusCode, 303)

    // Minutes: the chair and panel coordinators only; every read and every refusal audited.
    assert.equal((await staffGet(officer, `${url}/minutes`)).statusCode, 403)
    assert.equal((await staffPost(chair, `${url}/minutes`, { attendees: '', minutes: '' })).statusCode, 400)
    const minuted = await staffPost(chair, `${url}/minutes`, {
      attendees: 'Chair (NHS), council ASB team, police, applicant',
      minutes: 'The panel reviewed the response.',
    })
    assert.equal(minuted.statusCode, 303)
    assert.equal((await staffGet(secondCoordinator, `${url}/minutes`)).statusCode, 200)
    const audit = await t.deps.database.db
      .selectFrom('audit_event')
      .select(['action', 'actor_id'])
      .where('subject_id', '=', reviewId)
      .where('action', 'in', ['CASE_REVIEW_MINUTES_VIEWED', 'case-review.access-refused'])
      .execute()
    assert.deepEqual(
      audit.map(event => [event.action, event.actor_id]).sort(),
      [
        // The officer's refused attempts: acknowledge, threshold, link, minutes; the supervisor's threshold.
        ['case-review.access-refused', officer.id],
        ['case-review.access-refused', officer.id],
        ['case-review.access-refused', officer.id],
        ['case-review.access-refused', officer.id],
        ['case-review.access-refused', supervisor.id],
        // The police officer's two looks before they were asked.
        ['case-review.access-refused', policeOfficer.id],
        ['case-review.access-refused', policeOfficer.id],
        ['case-review.access-refused', housingOfficer.id],
        // The chair's form, shown again with its errors, is a read.
        ['CASE_REVIEW_MINUTES_VIEWED', chair.id],
        ['CASE_REVIEW_MINUTES_VIEWED', secondCoordinator.id],
      ].sort(),
    )

    const noOwner = await staffPost(chair, `${url}/recommendations`, {
      text: 'Noise monitoring',
      'dueOn-day': '31',
      'dueOn-month': '1',
      'dueOn-year': '2027',
      updateFrequency: 'Fortnightly by phone',
    })
    assert.equal(noOwner.statusCode, 400)
    assert.match(noOwner.body, /Select an owner/)
    const recommended = await staffPost(chair, `${url}/recommendations`, {
      text: 'Install noise monitoring for four weeks',
      owner: officer.id,
      'dueOn-day': '31',
      'dueOn-month': '1',
      'dueOn-year': '2027',
      updateFrequency: 'Fortnightly by phone',
    })
    assert.equal(recommended.statusCode, 303)
    const tasks = await t.deps.database.db
      .selectFrom('case_task')
      .selectAll()
      .where('case_id', '=', opened.id)
      .where('source_module', '=', 'case-review')
      .execute()
    assert.equal(tasks.length, 1)
    assert.equal(tasks[0]?.owner_user_id, officer.id)
    assert.equal(tasks[0]?.due_date, '2027-01-31')

    const outcome = await staffPost(coordinator, `${url}/outcome`, {
      summary: 'The agencies will monitor the noise and act on the evidence.',
    })
    assert.equal(outcome.statusCode, 303)
    const sent = await row()
    assert.equal(sent.status, 'outcome')
    const letter = await staffGet(officer, `${url}/letter`)
    assert.equal(letter.statusCode, 200)
    assert.match(letter.body, /Install noise monitoring for four weeks/)
    assert.match(letter.body, /Lead: Test council/)
    // Outcome on Sunday 22 November 2026 + 20 working days.
    assert.match(letter.body, /Appeal by 18 December 2026/)
    // From the CSP pack's letterhead (issue 16), styled within the Content Security Policy: its one style carries
    // this response's nonce, the same as the header's.
    assert.match(letter.body, /data-qa="letterhead"><strong>London Borough of Tower Hamlets<\/strong>/)
    assert.match(letter.body, /<img src="data:image\/svg\+xml;base64,/)
    const nonce = /style-src[^;]*'nonce-([^']+)'/.exec(String(letter.headers['content-security-policy']))?.[1]
    assert.ok(nonce, 'the response allows styles by nonce')
    assert.ok(letter.body.includes(`<style nonce="${nonce}">`), 'the letter style carries it')
    assert.doesNotMatch(letter.body, /<style>/)
  })

  it('takes an appeal within its window and has it decided by someone independent', async () => {
    const url = `/staff/case-reviews/${reviewId}`
    assert.equal((await staffPost(officer, `${url}/appeal`, { grounds: 'x' })).statusCode, 403)
    assert.equal((await staffPost(coordinator, `${url}/appeal`, { grounds: '' })).statusCode, 400)
    assert.equal(
      (await staffPost(coordinator, `${url}/appeal`, { grounds: 'The police evidence was not considered.' }))
        .statusCode,
      303,
    )
    const notIndependent = await staffPost(coordinator, `${url}/appeal-decision`, {
      appealDecision: 'not-upheld',
      appealReason: 'Considered.',
    })
    assert.equal(notIndependent.statusCode, 400)
    assert.match(notIndependent.body, /decided by someone who did not make the threshold decision/)
    const decided = await staffPost(secondCoordinator, `${url}/appeal-decision`, {
      appealDecision: 'not-upheld',
      appealReason: 'The police evidence was considered at the meeting.',
    })
    assert.equal(decided.statusCode, 303)
    const closed = await row()
    assert.equal(closed.status, 'closed')
    assert.equal(closed.letter_kind, 'appeal')
    const page = await staffGet(officer, url)
    assert.match(page.body, /Appeal not upheld/)
    const chronology = await t.deps.database.db
      .selectFrom('case_chronology')
      .select('summary')
      .where('source_module', '=', 'case-review')
      .execute()
    assert.ok(chronology.some(entry => entry.summary.includes('appeal not upheld')))
  })

  it('decides "not met" below the threshold only with persistence, harm and adequacy, then publishes the year\u2019s figures', async () => {
    clock.set('2027-01-11T10:00:00Z')
    sessions.clear()
    const applied = await publicPost('/asb-case-review/apply', {
      applicantType: 'victim',
      name: 'Carl Neighbour',
      phone: '020 7946 0000',
      description: 'Youths gathering in the stairwell.',
      dissatisfaction: 'Nothing changed.',
    })
    assert.equal(applied.statusCode, 303)
    const other = await t.deps.database.db
      .selectFrom('case_review')
      .select('id')
      .where('applicant_name', '=', 'Carl Neighbour')
      .executeTakeFirstOrThrow()
    const url = `/staff/case-reviews/${other.id}`
    // No report, no case, nobody asked: only the coordinators see it.
    assert.equal((await staffGet(supervisor, url)).statusCode, 404)
    const page = await staffGet(coordinator, url)
    assert.match(page.body, /No threshold route is met. This is not a refusal/)
    const missing = await staffPost(coordinator, `${url}/threshold`, { decision: 'not-met', reason: 'Below threshold' })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /Describe the persistence of the behaviour/)
    const decided = await staffPost(coordinator, `${url}/threshold`, {
      decision: 'not-met',
      persistence: 'Two evenings in a month.',
      harm: 'Annoyance, no vulnerability found.',
      adequacy: 'Patrols were increased.',
      reason: 'Agencies have responded proportionately.',
    })
    assert.equal(decided.statusCode, 303)
    const notMet = await t.deps.database.db
      .selectFrom('case_review')
      .selectAll()
      .where('id', '=', other.id)
      .executeTakeFirstOrThrow()
    assert.equal(notMet.threshold_route, 'discretionary')
    assert.equal(notMet.letter_kind, 'not-met')
    assert.match(notMet.letter_html ?? '', /Agencies have responded proportionately/)

    const figures = await t.app.inject({ method: 'GET', url: '/asb-case-review/figures' })
    assert.equal(figures.statusCode, 200)
    const csv = await t.app.inject({ method: 'GET', url: '/asb-case-review/figures.csv' })
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
    // 2026/27: two applications (the linked duplicate counted once), one not met, one review, with recommendations.
    assert.match(csv.body, /\r\n2026\/27,2026-04-01,2027-03-31,2,1,1,1\r\n/)
  })
})
