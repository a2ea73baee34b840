import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import type { StaffUser } from '../accounts/index.js'
import { isCaseworkError } from '../casework/index.js'

// A Friday: the Community MARAC meets on the second Thursday of the month (the pack's cadence).
const clock = fixedClock('2026-11-20T10:00:00Z')
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

function form(values: Record<string, string | string[]>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(values)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item)
  }
  return params.toString()
}

type Who = 'officer' | 'coordinator' | 'housing' | 'housingOfficer' | 'crCoordinator'

describe('Integration: handoffs between partners (issue 16, defects 5 and 7)', () => {
  let t: TestApp
  let officer: StaffUser
  let sessions: Record<Who, StaffSession>
  let ids: Record<Who, string>

  const get = (who: Who, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: sessions[who].cookie } })
  const post = (who: Who, url: string, values: Record<string, string | string[]>) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, cookie: sessions[who].cookie },
      payload: form({ _csrf: sessions[who].token, ...values }),
    })

  async function openCase(title: string, sensitivity: 'safeguarding' | null = null) {
    const actor = { type: 'user' as const, id: officer.id }
    const opened = await t.deps.casework.openCase(
      {
        title,
        category: 'harassment',
        priority: 'high',
        sensitivity,
        owningTeamId: officer.teamId!,
        owningPartnerId: officer.partnerId,
        leadOfficerId: officer.id,
        wardCode: null,
      },
      actor,
    )
    const caseRow = (await t.deps.casework.repository.caseById(opened.id))!
    const partyId = await t.deps.casework.addParty(
      caseRow,
      { role: 'victim', kind: 'person', name: 'Ada Victim' },
      actor,
    )
    return { ...opened, caseRow, partyId }
  }

  /** Refers the case to the Community MARAC and schedules a meeting; the URL of the case's agenda item. */
  async function agendaItem(caseRow: Awaited<ReturnType<typeof openCase>>['caseRow'], partyId: string) {
    const referred = await t.deps.panels.service.referCase(officer, { type: 'user', id: officer.id }, caseRow, {
      panelCode: 'community-marac',
      partyId,
      reason: 'High risk: repeated targeting.',
      submissionId: randomUUID(),
    })
    assert.ok(referred.ok)
    const made = await post('coordinator', '/panels/community-marac/meetings/new', {
      'meetsOn-day': '10',
      'meetsOn-month': '12',
      'meetsOn-year': '2026',
      chair: 'Inspector Hughes',
      location: '',
      submissionId: randomUUID(),
    })
    assert.equal(made.statusCode, 303)
    const meeting = await get('coordinator', made.headers.location!)
    const items = [...meeting.body.matchAll(/href="([^"]+\/items\/[^"]+)"/g)].map(match => match[1]!)
    for (const url of items) {
      if ((await get('coordinator', url)).body.includes(caseRow.reference)) return url
    }
    throw new Error('no agenda item for the case')
  }

  before(async () => {
    t = await buildTestApp({ clock })
    const staff = {
      officer: await createStaff(t.deps, {
        roles: ['officer'],
        partnerCode: 'council',
        teamCode: 'asb-investigations',
      }),
      coordinator: await createStaff(t.deps, { roles: ['panel-coordinator'], partnerCode: 'council', teamCode: 'csp' }),
      housing: await createStaff(t.deps, {
        roles: ['partner-read-only'],
        partnerCode: 'housing',
        partnerKind: 'housing',
        teamCode: 'housing-asb',
        name: 'Chris Housing',
      }),
      housingOfficer: await createStaff(t.deps, {
        roles: ['officer'],
        partnerCode: 'housing',
        partnerKind: 'housing',
        name: 'Hana Housing',
      }),
      // A Case Review coordinator outside the team that owns the cases.
      crCoordinator: await createStaff(t.deps, { roles: ['panel-coordinator'], partnerCode: 'council' }),
    }
    ids = Object.fromEntries(Object.entries(staff).map(([key, value]) => [key, value.id])) as Record<Who, string>
    officer = (await t.deps.accounts.repository.userById(staff.officer.id))!
    const partners = await t.deps.database.db.selectFrom('partner').select(['id', 'code']).execute()
    const panel = (await t.deps.panels.repository.panelByCode('community-marac'))!
    await t.deps.panels.repository.setMembers(
      panel.id,
      partners.filter(row => ['council', 'housing'].includes(row.code)).map(row => row.id),
    )
    sessions = Object.fromEntries(
      await Promise.all(
        Object.entries(staff).map(async ([key, value]) => [key, await signIn(t.app, t.deps, value)] as const),
      ),
    ) as Record<Who, StaffSession>
  })
  after(() => t.close())

  it('dates a new Community MARAC meeting by its cadence, the second Thursday, not today', async () => {
    const page = await get('coordinator', '/panels/community-marac/meetings/new')
    assert.equal(page.statusCode, 200)
    // 20 November 2026 is a Friday; the second Thursday of November has passed, December's is the 10th.
    assert.match(page.body, /name="meetsOn-day"[^>]*value="10"/)
    assert.match(page.body, /name="meetsOn-month"[^>]*value="12"/)
    assert.match(page.body, /name="meetsOn-year"[^>]*value="2026"/)
    assert.match(page.body, /Meets: Monthly, second Thursday\. The next meeting day is 10 December 2026\./)
  })

  it('offers to share the case when a MARAC action goes to a housing officer, and the task opens from their home page', async () => {
    const opened = await openCase('Harassment on the estate')
    const itemUrl = await agendaItem(opened.caseRow, opened.partyId)
    // Before: the housing officer cannot see the case at all.
    assert.equal((await get('housing', `/cases/${opened.reference}`)).statusCode, 404)
    const action = {
      title: 'Check the tenancy support',
      owner: ids.housing,
      'due-day': '17',
      'due-month': '12',
      'due-year': '2026',
      submissionId: randomUUID(),
    }
    const offered = await post('coordinator', `${itemUrl}/actions`, action)
    assert.equal(offered.statusCode, 400)
    assert.match(offered.body, /data-qa="share-offer"/)
    assert.match(offered.body, /Chris Housing cannot see this case\. Share it with Test housing/)
    assert.equal((await t.deps.casework.repository.tasks(opened.id)).length, 0, 'no task the owner cannot open')

    const noBasis = await post('coordinator', `${itemUrl}/actions`, { ...action, shareOfferedFor: ids.housing })
    assert.equal(noBasis.statusCode, 400)
    assert.match(noBasis.body, /Select the lawful basis for sharing/)

    const saved = await post('coordinator', `${itemUrl}/actions`, {
      ...action,
      shareOfferedFor: ids.housing,
      shareLawfulBasis: 'cda-1998-s115',
      shareConsent: 'not-required',
    })
    assert.equal(saved.statusCode, 303)
    const shares = await t.deps.casework.repository.shares(opened.id)
    assert.equal(shares.length, 1)
    assert.equal(shares[0]?.partner_code, 'housing')
    assert.equal(shares[0]?.lawful_basis, 'cda-1998-s115')
    assert.match(shares[0]?.note ?? '', /Community MARAC action/)
    const events = await t.deps.audit.forSubject('case', opened.id)
    assert.ok(events.some(event => event.action === 'case.shared' && event.actor_id === ids.coordinator))
    const [task] = (await t.deps.casework.repository.tasks(opened.id)).filter(row => row.source_module === 'panels')
    assert.ok(task)
    assert.equal(task.owner_user_id, ids.housing)

    // The task is on the housing officer's home page, and its link opens the case at the task.
    const home = await get('housing', '/staff')
    assert.equal(home.statusCode, 200)
    const href = `/cases/${opened.reference}#task-${task.id}`
    assert.match(
      home.body,
      new RegExp(
        `data-qa="upcoming-tasks"[\\s\\S]*href="${href}"[^>]*>Community MARAC action: Check the tenancy support`,
      ),
    )
    const casePage = await get('housing', `/cases/${opened.reference}`)
    assert.equal(casePage.statusCode, 200)
    assert.match(casePage.body, new RegExp(`id="task-${task.id}"`))

    // The case's lead officer hears of the action on their case (staff notifications), by reference, not name.
    await t.deps.accounts.staffAlerts.sweep()
    const alerts = await t.deps.accounts.staffAlerts.recentFor(officer.id)
    const alert = alerts.find(row => row.event === 'panel-action' && row.case_reference === opened.reference)
    assert.match(alert?.detail ?? '', /^Community MARAC action due 17 December 2026$/)
    assert.equal(alert?.link, href)
  })

  it('refuses, with the reason in words, an action on a sensitive case for someone who may never see one', async () => {
    const opened = await openCase('Safeguarding concern', 'safeguarding')
    const itemUrl = await agendaItem(opened.caseRow, opened.partyId)
    const refused = await post('coordinator', `${itemUrl}/actions`, {
      title: 'Check the tenancy',
      owner: ids.housing,
      'due-day': '17',
      'due-month': '12',
      'due-year': '2026',
      submissionId: randomUUID(),
    })
    assert.equal(refused.statusCode, 400)
    assert.doesNotMatch(refused.body, /data-qa="share-offer"/)
    assert.match(refused.body, /Chris Housing cannot be given this action: the case is sensitive/)
    assert.equal((await t.deps.casework.repository.tasks(opened.id)).length, 0)
    assert.equal((await t.deps.casework.repository.shares(opened.id)).length, 0)
    // A housing officer may see a sensitive case once it is shared: they are offered the share instead.
    const offered = await post('coordinator', `${itemUrl}/actions`, {
      title: 'Check the tenancy',
      owner: ids.housingOfficer,
      'due-day': '17',
      'due-month': '12',
      'due-year': '2026',
      submissionId: randomUUID(),
    })
    assert.equal(offered.statusCode, 400)
    assert.match(offered.body, /data-qa="share-offer"/)
  })

  it('never makes a task its owner cannot open, whichever module asks', async () => {
    const opened = await openCase('Noise nuisance')
    await assert.rejects(
      t.deps.casework.createTask(
        { caseId: opened.id, title: 'Visit', ownerUserId: ids.housing, dueDate: '2026-12-01', sourceModule: 'test' },
        { type: 'user', id: officer.id },
      ),
      (error: unknown) => isCaseworkError(error, 'assignee_cannot_see'),
    )
    assert.equal((await t.deps.casework.repository.tasks(opened.id)).length, 0)
  })

  it("lets the Case Review coordinator link another team's case, audited and in the case's chronology, so the high-risk victim counts", async () => {
    const opened = await openCase('Harassment of a resident')
    const answers: Record<string, string> = {}
    for (const question of t.deps.risk.policy.questions)
      answers[question.id] = question.kind === 'scale' ? question.options!.at(-1)!.value : 'yes'
    const assessed = await t.deps.risk.record(officer, { type: 'user', id: officer.id }, opened.caseRow, {
      partyId: opened.partyId,
      answers,
      assessedOn: '2026-11-19',
      overrideLevel: '',
      overrideReason: '',
      notes: '',
      submissionId: randomUUID(),
    })
    assert.ok(assessed.ok)
    const level = await t.deps.database.db
      .selectFrom('risk_assessment')
      .select('level')
      .where('id', '=', assessed.id)
      .executeTakeFirstOrThrow()
    assert.equal(level.level, 'high')
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
    const url = `/staff/case-reviews/${applied.id}`
    // The coordinator is not in the team that owns the case, and cannot open it.
    assert.equal((await get('crCoordinator', `/cases/${opened.reference}`)).statusCode, 404)
    const before = await get('crCoordinator', url)
    assert.equal(before.statusCode, 200)
    const highRiskFound = (body: string) =>
      /<th scope="row"[^>]*>A victim at high risk[\s\S]*?<\/th>\s*<td[^>]*>(\d+)<\/td>/.exec(body)?.[1]
    assert.equal(highRiskFound(before.body), '0')
    const linked = await post('crCoordinator', `${url}/link-case`, { caseReference: opened.reference.toLowerCase() })
    assert.equal(linked.statusCode, 303)
    const events = await t.deps.audit.forSubject('case', opened.id)
    assert.ok(events.some(event => event.action === 'case.case-review-linked' && event.actor_id === ids.crCoordinator))
    const { rows } = await t.deps.casework.repository.chronology(opened.id, { limit: 50 })
    assert.ok(rows.some(row => row.summary.includes('ASB Case Review') && row.summary.includes('linked')))
    // The case's owner sees the link on the case; the review now counts the high-risk assessment.
    const caseChronology = await get('officer', `/cases/${opened.reference}/chronology`)
    assert.match(caseChronology.body, /ASB Case Review CR-26-\d+ linked/)
    const after = await get('crCoordinator', url)
    assert.equal(highRiskFound(after.body), '1')
    // Still no access to the case itself from the link.
    assert.equal((await get('crCoordinator', `/cases/${opened.reference}`)).statusCode, 404)
    // A reference that is no case is refused in words.
    const unknown = await post('crCoordinator', `${url}/link-case`, { caseReference: 'ASB-26-99999' })
    assert.equal(unknown.statusCode, 400)
    assert.match(unknown.body, /Enter the reference of a case in the partnership/)
  })
})
