/**
 * Issue 16, defects 1 and 2: reports "added to" another (by residents, or marked duplicates by staff) join the case
 * with it and close with it; closing a case goes through the closure checklist (open tasks closed or carried, a
 * high-risk victim's review and Community MARAC referral, a legal action in its appeal window) that only a supervisor
 * may override with a recorded reason; a closed case can be reopened with its reports. Real database, real HTTP.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { systemActor } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import type { IntakeInput } from '../reporting/index.js'

const clock = fixedClock('2026-11-20T10:00:00Z')
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

function report(name: string, overrides: Partial<IntakeInput> = {}): IntakeInput {
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
      unsafeAtHome: 'no',
      healthAffected: 'no',
      targeted: 'no',
      characteristics: [],
    },
    reporter: {
      mode: 'named',
      name,
      email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`,
      contactPreference: 'email',
      consentToShare: true,
    },
    ...overrides,
  }
}

describe('Integration: linked reports and safe closure', () => {
  let t: TestApp
  let officer: StaffSession
  let officerId: string
  let supervisor: StaffSession
  let team = ''

  before(async () => {
    t = await buildTestApp({ clock })
    const o = await createStaff(t.deps, { roles: ['officer'], partnerCode: 'council', teamCode: 'asb-investigations' })
    officerId = o.id
    officer = await signIn(t.app, t.deps, o)
    supervisor = await signIn(
      t.app,
      t.deps,
      await createStaff(t.deps, { roles: ['supervisor'], partnerCode: 'council', teamCode: 'asb-investigations' }),
    )
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

  async function openCase(reference: string, title: string): Promise<string> {
    if (!team) {
      const page = await get(officer, `/staff/triage/${reference}`)
      team = /<option value="([0-9a-f-]{36})"[^>]*>Test council: Team asb-investigations/.exec(page.body)?.[1] ?? ''
    }
    const created = await post(officer, `/staff/triage/${reference}/case`, {
      title,
      teamId: team,
      leadOfficerId: officerId,
      priority: 'medium',
      publicNote: 'An officer is looking into it.',
    })
    assert.equal(created.statusCode, 303, created.body)
    return String(created.headers.location)
  }

  async function versionOf(session: StaffSession, url: string): Promise<string> {
    const form = await get(session, url)
    assert.equal(form.statusCode, 200)
    return /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? ''
  }

  it('brings the reports residents added to a report into its case, and closes them all with their outcome', async () => {
    const parent = await t.deps.reporting.intake.submit(report('Parent Reporter'), systemActor)
    const added = []
    for (const name of ['Added One', 'Added Two', 'Added Three']) {
      added.push(
        await t.deps.reporting.intake.submit(
          report(name, { linkedReference: parent.report.reference, location: { postcode: 'E1 0AA' } }),
          systemActor,
        ),
      )
    }
    // Before a case: the triage page names the real links, never "None".
    const before = await get(officer, `/staff/triage/${parent.report.reference}`)
    const links = /Linked reports\s*<\/dt>\s*<dd[^>]*>([\s\S]*?)<\/dd>/.exec(before.body)?.[1] ?? ''
    assert.match(links, /Reports added to this one/)
    for (const child of added) assert.match(links, new RegExp(child.report.reference))
    const childPage = await get(officer, `/staff/triage/${added[0]?.report.reference ?? ''}`)
    assert.match(childPage.body, new RegExp(`Added to ${parent.report.reference}`))
    const queueBefore = await get(officer, '/staff/triage')
    assert.match(queueBefore.body, /Added to another report/)

    const casePath = await openCase(parent.report.reference, 'Music at the flats')
    const caseRow = await t.deps.casework.repository.caseByReference(casePath.split('/')[2] ?? '')
    assert.ok(caseRow)
    const linked = await t.deps.casework.repository.linkedReports(caseRow.id)
    assert.deepEqual(
      linked.map(row => row.reference).sort(),
      [parent, ...added].map(submitted => submitted.report.reference).sort(),
    )
    assert.ok(linked.every(row => row.status === 'in_progress'))
    // Each reporter joins the case; the triage queue no longer holds any of them.
    const parties = await t.deps.casework.repository.parties(caseRow.id)
    assert.deepEqual(parties.map(party => party.name).sort(), [
      'Added One',
      'Added Three',
      'Added Two',
      'Parent Reporter',
    ])
    const queue = await get(officer, '/staff/triage')
    for (const submitted of [parent, ...added]) assert.ok(!queue.body.includes(submitted.report.reference))

    const casePage = await get(officer, casePath)
    assert.equal((casePage.body.match(/data-qa="report-added-to"/g) ?? []).length, 3)
    assert.match(casePage.body, new RegExp(`Added to ${parent.report.reference}`))
    const staffReport = await get(officer, `/staff/reports/${parent.report.reference}`)
    const staffLinks = /Linked reports\s*<\/dt>\s*<dd[^>]*>([\s\S]*?)<\/dd>/.exec(staffReport.body)?.[1] ?? ''
    assert.match(staffLinks, /Reports added to this one/)
    assert.doesNotMatch(staffLinks, /None/)

    const closed = await post(officer, `${casePath}/close`, {
      outcome: 'resolved',
      publicNote: 'A Community Protection Notice was served and the music has stopped.',
      version: await versionOf(officer, `${casePath}/close`),
    })
    assert.equal(closed.statusCode, 303, closed.body)
    for (const submitted of [parent, ...added]) {
      const row = await t.deps.reporting.reports.findByReference(submitted.report.reference)
      assert.equal(row?.status, 'closed')
      assert.equal(row.closure_reason, 'resolved')
      const tracking = await t.app.inject({
        method: 'GET',
        url: `/track/${submitted.report.reference}/${submitted.trackingCode ?? ''}`,
      })
      assert.equal(tracking.statusCode, 200)
      assert.match(tracking.body, /the music has stopped/)
      const checkins = await t.deps.database.db
        .selectFrom('notification_outbox')
        .select('id')
        .where('report_id', '=', submitted.report.id)
        .where('template', '=', 'case-satisfaction-checkin')
        .execute()
      assert.equal(checkins.length, 1, `${submitted.report.reference} gets the check-in`)
    }
  })

  it('joins a report staff mark as a duplicate to the case of the report it duplicates, now or when one opens', async () => {
    const parent = await t.deps.reporting.intake.submit(
      report('Second Parent', { category: 'noise_dogs' }),
      systemActor,
    )
    const early = await t.deps.reporting.intake.submit(
      report('Early Duplicate', { category: 'noise_dogs' }),
      systemActor,
    )
    const marked = await post(officer, `/staff/triage/${early.report.reference}/duplicate`, {
      parentReference: parent.report.reference,
    })
    assert.equal(marked.statusCode, 303)
    const bad = await post(officer, `/staff/triage/${early.report.reference}/duplicate`, {
      parentReference: early.report.reference,
    })
    assert.equal(bad.statusCode, 400)
    // Marked but no case yet: still in the queue, as "added to another report", not "possible duplicate".
    const queue = await get(officer, '/staff/triage')
    const row = new RegExp(`${early.report.reference}[\\s\\S]*?</tr>`).exec(queue.body)?.[0] ?? ''
    assert.match(row, /Added to another report/)
    assert.doesNotMatch(row, /Possible duplicate/)

    const casePath = await openCase(parent.report.reference, 'Barking dogs')
    const caseRow = await t.deps.casework.repository.caseByReference(casePath.split('/')[2] ?? '')
    assert.ok(caseRow)
    assert.equal(await t.deps.casework.repository.caseForReport(early.report.id), caseRow.id)

    // Marked later, while the case is open: it joins the case at once.
    const late = await t.deps.reporting.intake.submit(report('Late Duplicate', { category: 'noise_dogs' }), systemActor)
    const joined = await post(officer, `/staff/triage/${late.report.reference}/duplicate`, {
      parentReference: parent.report.reference,
    })
    assert.equal(joined.statusCode, 303)
    assert.equal(joined.headers.location, casePath)
    assert.equal(await t.deps.casework.repository.caseForReport(late.report.id), caseRow.id)
    assert.equal((await t.deps.reporting.reports.findByReference(late.report.reference))?.status, 'in_progress')
  })

  it('joins a report a resident adds to a report already in an open case to that case as it arrives', async () => {
    const parent = await t.deps.reporting.intake.submit(
      report('Open Case Parent', { category: 'graffiti' }),
      systemActor,
    )
    const casePath = await openCase(parent.report.reference, 'Tagging on the estate')
    const caseRow = await t.deps.casework.repository.caseByReference(casePath.split('/')[2] ?? '')
    assert.ok(caseRow)
    const added = await t.deps.reporting.intake.submit(
      report('Arrives Later', { category: 'graffiti', linkedReference: parent.report.reference }),
      systemActor,
    )
    assert.equal(await t.deps.casework.repository.caseForReport(added.report.id), caseRow.id)
    assert.equal((await t.deps.reporting.reports.findByReference(added.report.reference))?.status, 'in_progress')
    const parties = await t.deps.casework.repository.parties(caseRow.id)
    assert.ok(
      parties.some(party => party.name === 'Arrives Later'),
      'the reporter joins the case',
    )
    const queue = await get(officer, '/staff/triage')
    assert.ok(!queue.body.includes(added.report.reference), 'nothing left waiting in triage')
  })

  it('refuses a new task due before today with a form error', async () => {
    const submitted = await t.deps.reporting.intake.submit(
      report('Task Reporter', { category: 'graffiti' }),
      systemActor,
    )
    const casePath = await openCase(submitted.report.reference, 'Graffiti on the wall')
    const past = await post(officer, `${casePath}/tasks`, {
      title: 'Visit',
      ownerUserId: officerId,
      'dueDate-day': '1',
      'dueDate-month': '6',
      'dueDate-year': '2020',
    })
    assert.equal(past.statusCode, 400)
    assert.match(past.body, /The due date must be today or in the future/)
    assert.match(past.body, /govuk-error-summary/)
    const today = await post(officer, `${casePath}/tasks`, {
      title: 'Visit',
      ownerUserId: officerId,
      'dueDate-day': '20',
      'dueDate-month': '11',
      'dueDate-year': '2026',
    })
    assert.equal(today.statusCode, 303)
  })

  it('blocks closure on a high-risk victim and a Notice in its appeal window until a supervisor overrides, then reopens', async () => {
    const submitted = await t.deps.reporting.intake.submit(
      report('Vera Victim', { category: 'noise_shouting' }),
      systemActor,
    )
    const casePath = await openCase(submitted.report.reference, 'Shouting and threats')
    const caseRow = await t.deps.casework.repository.caseByReference(casePath.split('/')[2] ?? '')
    assert.ok(caseRow)
    const [victim] = await t.deps.casework.repository.parties(caseRow.id)
    assert.ok(victim)

    // A high-risk assessment (it sets a review task), and a Community Protection Notice served this week.
    const officerUser = await t.deps.accounts.repository.userById(officerId)
    assert.ok(officerUser)
    const answers: Record<string, string> = {}
    for (const question of t.deps.risk.policy.questions)
      answers[question.id] = question.kind === 'scale' ? (question.options?.at(-1)?.value ?? 'yes') : 'yes'
    const assessed = await t.deps.risk.record(officerUser, { type: 'user', id: officerId }, caseRow, {
      partyId: victim.id,
      answers,
      assessedOn: '2026-11-20',
      overrideLevel: '',
      overrideReason: '',
      notes: '',
      submissionId: randomUUID(),
    })
    assert.ok(assessed.ok)
    const perpetrator = await t.deps.casework.addParty(
      caseRow,
      { role: 'perpetrator', kind: 'person', name: 'Pat Loud', dateOfBirth: '1980-01-01' },
      systemActor,
    )
    const policy = await t.deps.database.db.selectFrom('power_policy').select('version').executeTakeFirst()
    const version =
      policy?.version ??
      (
        await t.deps.database.db
          .insertInto('power_policy')
          .values({ version: 'closure-test', document: JSON.stringify({}), first_used_at: clock.now() })
          .returning('version')
          .executeTakeFirstOrThrow()
      ).version
    await t.deps.database.db
      .insertInto('power_action')
      .values({
        case_id: caseRow.id,
        party_id: perpetrator,
        premises: null,
        power: 'cpn',
        policy_version: version,
        action_date: '2026-11-18',
        starts_at: null,
        subject_age: 46,
        details: JSON.stringify({}),
        deadlines: JSON.stringify({ appealBy: '2026-12-09', complianceEnds: '2026-12-02' }),
        prior_action_id: null,
        issued_by: officerId,
        created_at: clock.now(),
        submission_id: randomUUID(),
      })
      .execute()

    const form = await get(officer, `${casePath}/close`)
    const checklist = /data-qa="closure-checklist"[\s\S]*?<\/div>\s*<form/.exec(form.body)?.[0] ?? ''
    assert.match(checklist, /Vera Victim is assessed at high risk and their risk review is not done/)
    assert.match(checklist, /Vera Victim is assessed at high risk and has not been referred to the Community MARAC/)
    assert.match(checklist, /Community Protection Notice of 18 November 2026 is still in its appeal window/)
    assert.match(checklist, /Open tasks on this case: 1/)
    assert.doesNotMatch(form.body, /name="overrideReason"/, 'an officer cannot override')

    const values = {
      outcome: 'resolved',
      publicNote: 'The shouting has stopped.',
      version: await versionOf(officer, `${casePath}/close`),
    }
    const noChoice = await post(supervisor, `${casePath}/close`, { ...values, overrideReason: 'Reason' })
    assert.equal(noChoice.statusCode, 400)
    assert.match(noChoice.body, /Choose whether to close the open tasks with the case or carry them/)

    const refused = await post(officer, `${casePath}/close`, { ...values, tasks: 'carry' })
    assert.equal(refused.statusCode, 409)
    assert.match(refused.body, /A supervisor must close this case/)
    assert.equal((await t.deps.casework.repository.caseById(caseRow.id))?.status, 'open')

    const noReason = await post(supervisor, `${casePath}/close`, { ...values, tasks: 'carry' })
    assert.equal(noReason.statusCode, 400)
    assert.match(noReason.body, /Enter why the case can close while the checks above are open/)

    const overridden = await post(supervisor, `${casePath}/close`, {
      ...values,
      tasks: 'carry',
      overrideReason: 'The victim has moved out of the borough; the review is with their new council.',
    })
    assert.equal(overridden.statusCode, 303, overridden.body)
    const closedRow = await t.deps.casework.repository.caseById(caseRow.id)
    assert.equal(closedRow?.status, 'closed')
    const { rows: chronology } = await t.deps.casework.repository.chronology(caseRow.id, { limit: 50 })
    assert.ok(
      chronology.some(entry =>
        entry.summary.includes('Closure checks overridden by a supervisor: The victim has moved out of the borough'),
      ),
    )
    const overrideAudit = await t.deps.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'case.closure-overridden')
      .where('subject_id', '=', caseRow.id)
      .execute()
    assert.equal(overrideAudit.length, 1)

    // The carried review task is not "Overdue" on the closed case.
    const closedPage = await get(officer, casePath)
    const tasks = /data-qa="tasks"[\s\S]*?<\/table>/.exec(closedPage.body)?.[0] ?? ''
    assert.match(tasks, /Carried after closure/)
    assert.doesNotMatch(tasks, /Overdue/)
    assert.match(closedPage.body, /data-qa="reopen-link"/)

    // Reopening: a reason is required; the case and its report reopen, in the chronology and the audit trail.
    const reopenVersion = await versionOf(officer, `${casePath}/reopen`)
    const empty = await post(officer, `${casePath}/reopen`, { reason: '', version: reopenVersion })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /Enter why the case is being reopened/)
    const reopened = await post(officer, `${casePath}/reopen`, {
      reason: 'The shouting started again.',
      version: reopenVersion,
    })
    assert.equal(reopened.statusCode, 303)
    const open = await t.deps.casework.repository.caseById(caseRow.id)
    assert.equal(open?.status, 'open')
    assert.equal(open.outcome, null)
    assert.equal((await t.deps.reporting.reports.findByReference(submitted.report.reference))?.status, 'in_progress')
    const { rows: after } = await t.deps.casework.repository.chronology(caseRow.id, { limit: 5 })
    assert.ok(after.some(entry => entry.summary === 'Case reopened: The shouting started again.'))
    const reopenAudit = await t.deps.database.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'case.reopened')
      .where('subject_id', '=', caseRow.id)
      .execute()
    assert.equal(reopenAudit.length, 1)
    // Reopening an open case changes nothing.
    const again = await post(officer, `${casePath}/reopen`, { reason: 'Again', version: reopenVersion })
    assert.equal(again.statusCode, 303)
    const { rows: latest } = await t.deps.casework.repository.chronology(caseRow.id, { limit: 1 })
    assert.equal(latest[0]?.summary, 'Case reopened: The shouting started again.')
  })

  it('closes open tasks with the case when asked, and a clear checklist needs no override', async () => {
    const submitted = await t.deps.reporting.intake.submit(report('Quiet Case', { category: 'graffiti' }), systemActor)
    const casePath = await openCase(submitted.report.reference, 'Litter')
    const task = await post(officer, `${casePath}/tasks`, {
      title: 'Check the bins',
      ownerUserId: officerId,
      'dueDate-day': '25',
      'dueDate-month': '11',
      'dueDate-year': '2026',
    })
    assert.equal(task.statusCode, 303)
    const form = await get(officer, `${casePath}/close`)
    assert.match(form.body, /data-qa="closure-clear"/)
    const closed = await post(officer, `${casePath}/close`, {
      outcome: 'resolved',
      tasks: 'close',
      version: /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? '',
    })
    assert.equal(closed.statusCode, 303, closed.body)
    const caseRow = await t.deps.casework.repository.caseByReference(casePath.split('/')[2] ?? '')
    assert.ok(caseRow)
    const tasks = await t.deps.casework.repository.tasks(caseRow.id)
    assert.deepEqual(
      tasks.map(row => row.status),
      ['cancelled'],
    )
    const page = await get(officer, casePath)
    assert.match(page.body, /Closed with the case/)
  })

  it('lists an ASB Case Review in progress on the case as a reason not to close', async () => {
    const submitted = await t.deps.reporting.intake.submit(
      report('Rae Applicant', { category: 'noise_dogs' }),
      systemActor,
    )
    const casePath = await openCase(submitted.report.reference, 'Dogs barking all day')
    const applied = await t.deps.caseReview.apply(
      {
        submissionId: randomUUID(),
        applicantType: 'victim',
        name: 'Rae Applicant',
        email: 'rae@example.org',
        phone: null,
        address: null,
        victimName: null,
        relationship: null,
        consent: false,
        reportReference: submitted.report.reference,
        trackingCode: submitted.trackingCode ?? '',
        description: 'The dogs still bark all day.',
        dissatisfaction: 'Nothing has changed.',
        hate: false,
        otherAgencies: [],
      },
      systemActor,
    )
    assert.ok(applied.ok)
    const form = await get(officer, `${casePath}/close`)
    assert.match(form.body, new RegExp(`ASB Case Review ${applied.reference} is in progress`))
  })
})
