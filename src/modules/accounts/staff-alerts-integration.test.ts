import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import { startStaffAlertSchedule } from './staff-alerts.js'

// 10:00 in London on a Friday.
const clock = fixedClock('2026-11-20T10:00:00Z')
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

describe('Integration: staff notifications (issue 16)', () => {
  let t: TestApp
  let ids: { lead: string; supervisor: string; analyst: string; other: string }
  let lead: StaffSession
  let caseId = ''
  let reference = ''

  const outbox = (template?: string) => {
    let query = t.deps.database.db.selectFrom('notification_outbox').selectAll().orderBy('id')
    if (template) query = query.where('template', '=', template)
    return query.execute()
  }
  const emails = async () => {
    const users = await t.deps.database.db.selectFrom('staff_user').select(['id', 'email']).execute()
    const byEmail = new Map(users.map(user => [user.email, user.id]))
    return (await outbox()).map(row => ({ user: byEmail.get(row.recipient), template: row.template }))
  }

  before(async () => {
    t = await buildTestApp({ clock })
    const staff = {
      lead: await createStaff(t.deps, { roles: ['officer'], teamCode: 'asb-investigations', name: 'Lead Officer' }),
      supervisor: await createStaff(t.deps, { roles: ['supervisor'], teamCode: 'asb-investigations' }),
      analyst: await createStaff(t.deps, { roles: ['analyst'], teamCode: 'asb-investigations' }),
      other: await createStaff(t.deps, { roles: ['supervisor'], partnerCode: 'police' }),
    }
    ids = { lead: staff.lead.id, supervisor: staff.supervisor.id, analyst: staff.analyst.id, other: staff.other.id }
    lead = await signIn(t.app, t.deps, staff.lead)
    const officer = (await t.deps.accounts.repository.userById(ids.lead))!
    const actor = { type: 'user' as const, id: ids.lead }
    const opened = await t.deps.casework.openCase(
      {
        title: 'Harassment on the stairs',
        category: 'harassment',
        priority: 'high',
        sensitivity: null,
        owningTeamId: officer.teamId!,
        owningPartnerId: officer.partnerId,
        leadOfficerId: ids.lead,
        wardCode: null,
      },
      actor,
    )
    caseId = opened.id
    reference = opened.reference
    const caseRow = (await t.deps.casework.repository.caseById(caseId))!
    const partyId = await t.deps.casework.addParty(
      caseRow,
      { role: 'victim', kind: 'person', name: 'Ada Victim' },
      actor,
    )
    const answers: Record<string, string> = {}
    for (const question of t.deps.risk.policy.questions)
      answers[question.id] = question.kind === 'scale' ? question.options!.at(-1)!.value : 'yes'
    const assessed = await t.deps.risk.record(officer, actor, caseRow, {
      partyId,
      answers,
      assessedOn: '2026-11-20',
      overrideLevel: '',
      overrideReason: '',
      notes: '',
      submissionId: randomUUID(),
    })
    assert.ok(assessed.ok)
    await t.deps.casework.createTask(
      { caseId, title: 'Write to Ada Victim', ownerUserId: ids.lead, dueDate: '2026-11-18', sourceModule: 'casework' },
      actor,
    )
  })
  after(() => t.close())

  it('lets each user choose per event, on their account, and refuses a missing choice in words', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/account/notifications', headers: { cookie: lead.cookie } })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /A victim is assessed at high risk/)
    assert.match(page.body, /name="event-task-overdue" type="radio" value="immediate" checked/)
    const post = (values: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/account/notifications',
        headers: { ...FORM, cookie: lead.cookie },
        payload: new URLSearchParams({ _csrf: lead.token, ...values }).toString(),
      })
    const missing = await post({ 'event-high-risk': 'immediate' })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /govuk-error-summary/)
    assert.match(missing.body, /Choose when to be told: A task is overdue/)
    const saved = await post({
      'event-high-risk': 'immediate',
      'event-task-overdue': 'digest',
      'event-panel-action': 'off',
      'event-case-review-clock': 'off',
    })
    assert.equal(saved.statusCode, 303)
    assert.deepEqual(await t.deps.accounts.staffAlerts.preferences(ids.lead), {
      'high-risk': 'immediate',
      'task-overdue': 'digest',
      'panel-action': 'off',
      'case-review-clock': 'off',
    })
    const events = await t.deps.audit.forSubject('staff_user', ids.lead)
    assert.ok(events.some(event => event.action === 'accounts.notification-preferences-changed'))
  })

  it('emails the lead officer and supervisor through the Notify outbox as each chose, once, with no names', async () => {
    const before = (await outbox()).length
    const swept = await t.deps.accounts.staffAlerts.sweep()
    assert.ok(swept.raised >= 3)
    const sent = (await emails()).slice(before)
    // The lead wants high risk at once and overdue tasks in the digest; the supervisor everything at once.
    assert.deepEqual(
      sent
        .map(
          row =>
            `${row.user === ids.lead ? 'lead' : row.user === ids.supervisor ? 'supervisor' : 'someone else'}:${row.template}`,
        )
        .sort(),
      ['lead:staff-alert', 'supervisor:staff-alert', 'supervisor:staff-alert'],
    )
    // Neither the analyst of the team nor another partner's supervisor is told.
    assert.ok(!sent.some(row => row.user === ids.analyst || row.user === ids.other))
    const raised = await t.deps.accounts.staffAlerts.recentFor(ids.supervisor)
    assert.deepEqual(raised.map(row => row.event).sort(), ['high-risk', 'task-overdue'])
    for (const row of raised) {
      assert.equal(row.case_reference, reference)
      assert.doesNotMatch(`${row.detail ?? ''} ${row.link}`, /Ada|Victim/)
    }
    // Personalisation is sealed at rest, like every outbox message.
    for (const row of (await outbox('staff-alert')).slice(0))
      assert.doesNotMatch(JSON.stringify(row.personalisation), new RegExp(reference))

    // A second sweep raises nothing new.
    const again = await t.deps.accounts.staffAlerts.sweep()
    assert.equal(again.raised, 0)
    assert.equal((await outbox()).length, before + 3)
  })

  it('sends the digest once a day from the morning, then the outbox goes through Notify', async () => {
    const schedule = startStaffAlertSchedule({ alerts: t.deps.accounts.staffAlerts, intervalMs: 3_600_000, clock })
    clock.set('2026-11-21T05:30:00Z')
    await schedule.tick()
    assert.equal((await outbox('staff-digest')).length, 0, 'not before the digest hour')
    clock.set('2026-11-21T07:30:00Z')
    await schedule.tick()
    await schedule.tick()
    const digests = await outbox('staff-digest')
    assert.equal(digests.length, 1, 'one digest, however often the schedule ticks')
    const users = await t.deps.database.db.selectFrom('staff_user').select(['id', 'email']).execute()
    assert.equal(users.find(user => user.email === digests[0]?.recipient)?.id, ids.lead)
    await schedule.stop()
    const waiting = await t.deps.database.db
      .selectFrom('staff_notification')
      .select('id')
      .where('emailed_at', 'is', null)
      .execute()
    assert.equal(waiting.length, 0)
    const dispatched = await t.deps.reporting.notifications.drain()
    assert.equal(dispatched.failed, 0)
    assert.ok(dispatched.sent >= 4)
  })

  it('tells the supervisor when a Case Review time limit on their case is close, and not the lead who turned it off', async () => {
    const coordinator = await createStaff(t.deps, { roles: ['panel-coordinator'] })
    const user = (await t.deps.accounts.repository.userById(coordinator.id))!
    const actor = { type: 'user' as const, id: coordinator.id }
    clock.set('2026-11-20T12:00:00Z')
    const applied = await t.deps.caseReview.apply(
      {
        submissionId: randomUUID(),
        applicantType: 'victim',
        name: 'Ada Victim',
        email: 'ada@example.org',
        phone: null,
        address: null,
        victimName: null,
        relationship: null,
        consent: true,
        reportReference: null,
        trackingCode: null,
        description: 'Harassment for months',
        dissatisfaction: 'Nothing has changed',
        hate: false,
        otherAgencies: [],
      },
      { type: 'system', id: null },
    )
    assert.ok(applied.ok)
    const found = (await t.deps.caseReview.get(applied.id))!
    assert.ok((await t.deps.caseReview.linkCase(user, actor, found.row, found.row.version, reference)).ok)
    // Received on Friday 20 November: acknowledgement due in 3 working days (Wednesday); close from Monday.
    await t.deps.accounts.staffAlerts.sweep()
    assert.ok(
      !(await t.deps.accounts.staffAlerts.recentFor(ids.supervisor)).some(row => row.event === 'case-review-clock'),
    )
    clock.set('2026-11-23T09:00:00Z')
    await t.deps.accounts.staffAlerts.sweep()
    const told = (await t.deps.accounts.staffAlerts.recentFor(ids.supervisor)).filter(
      row => row.event === 'case-review-clock',
    )
    assert.deepEqual(
      told.map(row => row.detail),
      ['acknowledgement due 25 November 2026'],
    )
    assert.equal(told[0]?.link, `/staff/case-reviews/${applied.id}`)
    assert.ok(!(await t.deps.accounts.staffAlerts.recentFor(ids.lead)).some(row => row.event === 'case-review-clock'))
  })
})
