import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import type { StaffUser } from '../accounts/index.js'
import { DASH_TOPICS } from './marac-rules.js'

const clock = fixedClock('2026-11-20T10:00:00Z')
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

function form(values: Record<string, string | string[]>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(values)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item)
  }
  return params.toString()
}

function dash(yes: number): Record<string, string> {
  return Object.fromEntries(DASH_TOPICS.map((topic, index) => [`q-${topic}`, index < yes ? 'yes' : 'no']))
}

describe('Integration: panels over HTTP', () => {
  let t: TestApp
  let officer: StaffUser
  let sessions: Record<'officer' | 'coordinator' | 'police' | 'housing' | 'probation' | 'admin', StaffSession>
  let ids: Record<string, string>
  let caseId = ''
  let caseReference = ''
  let victimId = ''

  const get = (who: keyof typeof sessions, url: string) =>
    t.app.inject({ method: 'GET', url, headers: { cookie: sessions[who].cookie } })
  const post = (who: keyof typeof sessions, url: string, values: Record<string, string | string[]>) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, cookie: sessions[who].cookie },
      payload: form({ _csrf: sessions[who].token, ...values }),
    })

  before(async () => {
    t = await buildTestApp({ clock })
    const staff = {
      officer: await createStaff(t.deps, {
        roles: ['officer'],
        partnerCode: 'council',
        teamCode: 'asb-investigations',
      }),
      coordinator: await createStaff(t.deps, { roles: ['panel-coordinator'], partnerCode: 'council', teamCode: 'csp' }),
      police: await createStaff(t.deps, { roles: ['officer'], partnerCode: 'police', name: 'Pat Police' }),
      housing: await createStaff(t.deps, { roles: ['partner-read-only'], partnerCode: 'housing' }),
      probation: await createStaff(t.deps, { roles: ['officer', 'panel-coordinator'], partnerCode: 'probation' }),
      admin: await createStaff(t.deps, { roles: ['administrator'], partnerCode: 'council' }),
    }
    ids = Object.fromEntries(Object.entries(staff).map(([key, value]) => [key, value.id]))
    officer = (await t.deps.accounts.repository.userById(staff.officer.id))!
    const partners = await t.deps.database.db.selectFrom('partner').select(['id', 'code']).execute()
    const partner = (code: string) => partners.find(row => row.code === code)!.id
    for (const code of ['community-marac', 'da-marac', 'hate-incident-panel', 'tension-monitoring', 'case-review']) {
      const panel = (await t.deps.panels.repository.panelByCode(code))!
      await t.deps.panels.repository.setMembers(panel.id, [partner('council'), partner('police'), partner('housing')])
    }
    sessions = {
      officer: await signIn(t.app, t.deps, staff.officer),
      coordinator: await signIn(t.app, t.deps, staff.coordinator),
      police: await signIn(t.app, t.deps, staff.police),
      housing: await signIn(t.app, t.deps, staff.housing),
      probation: await signIn(t.app, t.deps, staff.probation),
      admin: await signIn(t.app, t.deps, staff.admin),
    }
    const actor = { type: 'user' as const, id: officer.id }
    const opened = await t.deps.casework.openCase(
      {
        title: 'Harassment of a disabled resident',
        category: 'harassment',
        priority: 'high',
        sensitivity: null,
        owningTeamId: officer.teamId!,
        owningPartnerId: officer.partnerId,
        leadOfficerId: officer.id,
        wardCode: null,
      },
      actor,
    )
    caseId = opened.id
    caseReference = opened.reference
    const caseRow = (await t.deps.casework.repository.caseById(caseId))!
    victimId = await t.deps.casework.addParty(caseRow, { role: 'victim', kind: 'person', name: 'Ada Victim' }, actor)
  })
  after(() => t.close())

  it('puts a high-risk victim the risk module refers onto the Community MARAC', async () => {
    const { risk, casework } = t.deps
    const caseRow = (await casework.repository.caseById(caseId))!
    const answers: Record<string, string> = {}
    for (const question of risk.policy.questions) {
      answers[question.id] = question.kind === 'scale' ? question.options!.at(-1)!.value : 'yes'
    }
    const recorded = await risk.record(officer, { type: 'user', id: officer.id }, caseRow, {
      partyId: victimId,
      answers,
      assessedOn: '2026-11-20',
      overrideLevel: '',
      overrideReason: '',
      notes: '',
      submissionId: randomUUID(),
    })
    assert.ok(recorded.ok)
    const referred = await risk.referToMarac(officer, { type: 'user', id: officer.id }, caseRow, recorded.id)
    assert.ok(referred.ok)
    const panel = (await t.deps.panels.repository.panelByCode('community-marac'))!
    const open = await t.deps.panels.service.referrals(panel, 'open')
    assert.equal(open.length, 1)
    assert.equal(open[0]?.source_module, 'risk')
    assert.equal(open[0]?.case_id, caseId)
    assert.match(open[0]?.subject ?? '', /Ada Victim \(victim\), case ASB-26-/)
  })

  it('shows the panel to its members only: others get 404 (recorded), other roles 403', async () => {
    const page = await get('coordinator', '/panels/community-marac')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Ada Victim/)
    assert.equal((await get('police', '/panels/community-marac')).statusCode, 200)
    assert.equal((await get('probation', '/panels/community-marac')).statusCode, 404)
    assert.equal((await get('probation', '/panels/no-such-panel')).statusCode, 404)
    assert.equal((await get('admin', '/panels/community-marac')).statusCode, 403)
    const panel = (await t.deps.panels.repository.panelByCode('community-marac'))!
    const events = await t.deps.audit.forSubject('panel_type', panel.id)
    assert.ok(events.some(event => event.action === 'PANEL_ACCESS_REFUSED' && event.actor_id === ids.probation))
    const index = await get('probation', '/panels')
    assert.equal(index.statusCode, 200)
    assert.doesNotMatch(index.body, /href="\/panels\/community-marac"/)
    assert.match(index.body, /href="\/panels\/community-marac\/settings"/)
    const unsigned = await t.app.inject({ method: 'GET', url: '/panels/community-marac' })
    assert.equal(unsigned.statusCode, 303)
  })

  it('holds a meeting: agenda from open referrals, attendance, minutes and an owned action on the case', async () => {
    const bad = await post('coordinator', '/panels/community-marac/meetings/new', {
      'meetsOn-day': '31',
      'meetsOn-month': '2',
      'meetsOn-year': '2026',
      chair: '',
      submissionId: randomUUID(),
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /govuk-error-summary/)
    assert.match(bad.body, /Enter the meeting date as a real date/)
    assert.match(bad.body, /Enter who chairs the meeting/)
    assert.equal((await post('police', '/panels/community-marac/meetings/new', {})).statusCode, 403)

    const made = await post('coordinator', '/panels/community-marac/meetings/new', {
      'meetsOn-day': '26',
      'meetsOn-month': '11',
      'meetsOn-year': '2026',
      chair: 'Inspector Hughes',
      location: 'Town hall',
      submissionId: randomUUID(),
    })
    assert.equal(made.statusCode, 303)
    const meetingUrl = made.headers.location!
    const meeting = await get('coordinator', meetingUrl)
    assert.equal(meeting.statusCode, 200)
    const itemUrl = /href="([^"]+\/items\/[^"]+)"/.exec(meeting.body)?.[1]
    assert.ok(itemUrl)

    const partners = await t.deps.database.db.selectFrom('partner').select(['id', 'code']).execute()
    const partner = (code: string) => partners.find(row => row.code === code)!.id
    const noName = await post('coordinator', `${meetingUrl}/attendance`, { present: [partner('council')] })
    assert.equal(noName.statusCode, 400)
    assert.match(noName.body, /Enter the name of the representative/)
    const attendance = await post('coordinator', `${meetingUrl}/attendance`, {
      present: [partner('council'), partner('police')],
      [`rep-${partner('council')}`]: 'Grace Okafor',
      [`rep-${partner('police')}`]: 'PC Police',
    })
    assert.equal(attendance.statusCode, 303)

    const minutes = await post('coordinator', `${itemUrl}/minutes`, { minutes: 'Housing to review; police patrols.' })
    assert.equal(minutes.statusCode, 303)

    const noOwner = await post('coordinator', `${itemUrl}/actions`, {
      title: 'Visit the victim',
      owner: '',
      'due-day': '4',
      'due-month': '12',
      'due-year': '2026',
      submissionId: randomUUID(),
    })
    assert.equal(noOwner.statusCode, 400)
    assert.match(noOwner.body, /an action without an owner cannot be recorded/)
    assert.match(noOwner.body, /value="Visit the victim"/)
    const noDue = await post('coordinator', `${itemUrl}/actions`, {
      title: 'Visit the victim',
      owner: ids.police!,
      submissionId: randomUUID(),
    })
    assert.equal(noDue.statusCode, 400)
    assert.match(noDue.body, /an action without a due date cannot be recorded/)
    const outsider = await post('coordinator', `${itemUrl}/actions`, {
      title: 'Visit the victim',
      owner: ids.probation!,
      'due-day': '4',
      'due-month': '12',
      'due-year': '2026',
      submissionId: randomUUID(),
    })
    assert.equal(outsider.statusCode, 400)

    const submissionId = randomUUID()
    const action = {
      title: 'Visit the victim with the housing officer',
      owner: ids.police!,
      'due-day': '4',
      'due-month': '12',
      'due-year': '2026',
      submissionId,
    }
    // The police officer cannot see the council's case: the action offers to share it first (ADR 0053).
    const offered = await post('coordinator', `${itemUrl}/actions`, action)
    assert.equal(offered.statusCode, 400)
    assert.match(offered.body, /data-qa="share-offer"/)
    assert.equal(
      (await t.deps.casework.repository.tasks(caseId)).filter(task => task.source_module === 'panels').length,
      0,
    )
    const shared = {
      ...action,
      shareOfferedFor: ids.police!,
      shareLawfulBasis: 'cda-1998-s115',
      shareConsent: 'not-required',
    }
    assert.equal((await post('coordinator', `${itemUrl}/actions`, shared)).statusCode, 303)
    assert.equal((await post('coordinator', `${itemUrl}/actions`, shared)).statusCode, 303)
    const tasks = (await t.deps.casework.repository.tasks(caseId)).filter(task => task.source_module === 'panels')
    assert.equal(tasks.length, 1, 'one task, however often the form is sent')
    assert.equal(tasks[0]?.owner_user_id, ids.police)
    assert.equal(tasks[0]?.due_date, '2026-12-04')
    assert.match(tasks[0]?.title ?? '', /Community MARAC action: Visit the victim/)
    const { rows } = await t.deps.casework.repository.chronology(caseId, { limit: 50 })
    const summaries = rows.map(row => row.summary)
    assert.ok(summaries.some(s => s.includes('Task set: Community MARAC action: Visit the victim')))
    assert.ok(summaries.some(s => s.includes('Discussed at the Community MARAC meeting on 26 November 2026')))
    assert.ok(summaries.some(s => s.includes('Referred to the Community MARAC')))

    const casePage = await get('officer', `/panels/cases/${caseId}`)
    assert.equal(casePage.statusCode, 200)
    assert.match(casePage.body, /Visit the victim with the housing officer/)
  })

  it('shows minutes to attending members, refuses absent ones, and audits every read and refusal', async () => {
    const panel = (await t.deps.panels.repository.panelByCode('community-marac'))!
    const [meeting] = await t.deps.panels.service.meetings(panel)
    const [item] = await t.deps.panels.service.agenda(meeting!)
    const url = `/panels/community-marac/meetings/${meeting!.id}/items/${item!.id}`
    const police = await get('police', url)
    assert.equal(police.statusCode, 200)
    assert.match(police.body, /Housing to review; police patrols./)
    const housing = await get('housing', url)
    assert.equal(housing.statusCode, 200)
    assert.doesNotMatch(housing.body, /Housing to review/)
    assert.match(housing.body, /restricted to the partners who attended/)
    assert.equal((await get('probation', url)).statusCode, 404)
    const events = await t.deps.audit.forSubject('panel_agenda_item', item!.id)
    assert.ok(events.some(event => event.action === 'PANEL_MINUTES_READ' && event.actor_id === ids.police))
    assert.ok(events.some(event => event.action === 'PANEL_MINUTES_REFUSED' && event.actor_id === ids.housing))
    assert.ok(!events.some(event => event.action === 'PANEL_MINUTES_READ' && event.actor_id === ids.probation))
  })

  it('exports the chronology as CSV and PDF, with minutes only for those allowed them', async () => {
    const panel = (await t.deps.panels.repository.panelByCode('community-marac'))!
    const [referral] = await t.deps.panels.service.referrals(panel)
    const base = `/panels/community-marac/referrals/${referral!.id}`
    const csv = await get('police', `${base}/chronology.csv`)
    assert.equal(csv.statusCode, 200)
    assert.match(csv.headers['content-type'] as string, /text\/csv/)
    assert.match(csv.body, /^Date,Entry,What,Detail\r\n/)
    assert.match(csv.body, /Visit the victim with the housing officer/)
    assert.match(csv.body, /Housing to review; police patrols./)
    const restricted = await get('housing', `${base}/chronology.csv`)
    assert.doesNotMatch(restricted.body, /Housing to review/)
    assert.match(restricted.body, /Minutes restricted/)
    const pdf = await get('police', `${base}/chronology.pdf`)
    assert.equal(pdf.statusCode, 200)
    assert.equal(pdf.rawPayload.subarray(0, 4).toString(), '%PDF')
    // The route's audit event is written when the response has gone: wait for it rather than race it.
    let exported = 0
    for (let attempt = 0; attempt < 50 && exported < 3; attempt += 1) {
      if (attempt > 0) await new Promise(resolve => setTimeout(resolve, 50))
      const events = await t.deps.audit.forSubject('panel_referral', referral!.id)
      exported = events.filter(event => event.action === 'PANEL_CHRONOLOGY_EXPORTED').length
    }
    assert.equal(exported, 3)
  })

  it('records a DASH checklist: 13 is not high, 14 cannot be downgraded, and safe contact stays apart', async () => {
    const url = `/panels/cases/${caseId}/dash/new`
    const base = {
      party: victimId,
      'incident-day': '18',
      'incident-month': '11',
      'incident-year': '2026',
      callouts: '',
      judgementReasons: '',
    }
    const missing = await post('officer', url, { ...base, refer: 'no', submissionId: randomUUID() })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /Answer yes, no or not known for: Injury from the current incident/)

    const thirteen = await post('officer', url, { ...base, ...dash(13), refer: 'no', submissionId: randomUUID() })
    assert.equal(thirteen.statusCode, 303)
    const thirteenPage = await get('officer', thirteen.headers.location!)
    assert.match(thirteenPage.body, /Not referred to the DA MARAC/)
    assert.match(thirteenPage.body, /13 of 24 \(medium\)/)

    const downgrade = await post('officer', url, { ...base, ...dash(14), refer: 'no', submissionId: randomUUID() })
    assert.equal(downgrade.statusCode, 400)
    assert.match(downgrade.body, /This must be referred: visible high risk. Professional judgement cannot lower it/)

    const escalation = await post('officer', url, {
      ...base,
      ...dash(2),
      callouts: '20/11/2025\n1/3/2026\n2026-10-01',
      refer: 'no',
      submissionId: randomUUID(),
    })
    assert.equal(escalation.statusCode, 400)
    assert.match(escalation.body, /potential escalation/)

    const high = await post('officer', url, {
      ...base,
      ...dash(14),
      refer: 'yes',
      safePhone: '07700 900123',
      safeTimes: 'Weekdays 10 to 12',
      avoid: 'The landline at home',
      submissionId: randomUUID(),
    })
    assert.equal(high.statusCode, 303)
    const da = (await t.deps.panels.repository.panelByCode('da-marac'))!
    const [referral] = await t.deps.panels.service.referrals(da, 'open')
    assert.ok(referral)
    assert.deepEqual(referral.criteria, ['visible-high-risk'])

    const { rows } = await t.deps.casework.repository.chronology(caseId, { limit: 100 })
    assert.ok(!rows.some(row => row.summary.includes('07700')))
    const csv = await get('coordinator', `/panels/da-marac/referrals/${referral.id}/chronology.csv`)
    assert.doesNotMatch(csv.body, /07700/)
    const referralPage = await get('coordinator', `/panels/da-marac/referrals/${referral.id}`)
    assert.doesNotMatch(referralPage.body, /07700/)

    const safe = await get('coordinator', `/panels/da-marac/referrals/${referral.id}/safe-contact`)
    assert.equal(safe.statusCode, 200)
    assert.match(safe.body, /07700 900123/)
    assert.equal(safe.headers['cache-control'], 'no-store')
    assert.equal((await get('housing', `/panels/da-marac/referrals/${referral.id}/safe-contact`)).statusCode, 403)
    assert.equal((await get('probation', `/panels/da-marac/referrals/${referral.id}/safe-contact`)).statusCode, 404)
    const events = await t.deps.audit.forSubject('panel_referral', referral.id)
    assert.ok(events.some(event => event.action === 'MARAC_SAFE_CONTACT_VIEWED' && event.actor_id === ids.coordinator))

    // A new incident after this victim's last DA MARAC hearing (and within 12 months of it) is a repeat: it must
    // be referred again whatever the score. On the day of the hearing itself it is not yet a repeat.
    const made = await post('coordinator', '/panels/da-marac/meetings/new', {
      'meetsOn-day': '19',
      'meetsOn-month': '11',
      'meetsOn-year': '2026',
      chair: 'DA MARAC chair',
      submissionId: randomUUID(),
    })
    assert.equal(made.statusCode, 303)
    const sameDay = await post('officer', url, {
      ...base,
      'incident-day': '19',
      ...dash(1),
      refer: 'no',
      submissionId: randomUUID(),
    })
    assert.equal(sameDay.statusCode, 303)
    const repeat = await post('officer', url, {
      ...base,
      'incident-day': '20',
      ...dash(1),
      refer: 'no',
      submissionId: randomUUID(),
    })
    assert.equal(repeat.statusCode, 400)
    assert.match(repeat.body, /This must be referred: repeat within 12 months of the last marac/)
  })

  it('records hate incidents from a case and refers them to the Hate Incident Panel; counts feed the KPIs', async () => {
    const url = `/panels/cases/${caseId}/hate-incidents/new`
    const bad = await post('officer', url, { summary: '', submissionId: randomUUID() })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /Select at least one protected characteristic/)
    const good = await post('officer', url, {
      characteristics: ['disability'],
      'occurred-day': '12',
      'occurred-month': '11',
      'occurred-year': '2026',
      ward: '',
      crime: 'no',
      summary: 'Abuse shouted about the victim’s disability',
      refer: 'yes',
      submissionId: randomUUID(),
    })
    assert.equal(good.statusCode, 303)
    const hip = (await t.deps.panels.repository.panelByCode('hate-incident-panel'))!
    assert.equal((await t.deps.panels.service.referrals(hip, 'open')).length, 1)
    const list = await get('police', '/panels/hate-incident-panel/hate-incidents')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, /Disability/)
    const source = t.deps.performanceSources.get('hate-incidents:recorded')
    assert.ok(source)
    const counts = await source.monthlyCounts('2026-11-01', '2026-11-30')
    assert.deepEqual(counts, [{ wardCode: null, month: '2026-11-01', total: 1 }])
    const referrals = await t.deps.performanceSources.get('panels:referrals')!.monthlyCounts('2026-11-01', '2026-11-30')
    assert.equal(
      referrals.reduce((sum, row) => sum + row.total, 0),
      3,
    )
  })

  it('keeps a ward tension log with a weekly summary', async () => {
    const ward = t.deps.geography.wards()[0]!
    const bad = await post('coordinator', '/panels/tension-monitoring/tensions/new', { submissionId: randomUUID() })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /Select evidenced, experienced or potential/)
    const good = await post('coordinator', '/panels/tension-monitoring/tensions/new', {
      ward: ward.code,
      'reported-day': '19',
      'reported-month': '11',
      'reported-year': '2026',
      category: 'potential',
      level: '4',
      sources: ['social-media', 'community'],
      summary: 'Posts calling for a protest outside the mosque',
      actions: 'Police monitoring',
      submissionId: randomUUID(),
    })
    assert.equal(good.statusCode, 303)
    assert.equal(good.headers.location, '/panels/tension-monitoring/tensions?week=2026-11-16')
    const week = await get('housing', good.headers.location)
    assert.equal(week.statusCode, 200)
    assert.match(week.body, new RegExp(ward.name))
    assert.match(week.body, /Posts calling for a protest/)
    assert.equal((await get('probation', '/panels/tension-monitoring/tensions')).statusCode, 404)
  })

  it('lets another module refer once per source item (the Case Review panel)', async () => {
    const input = {
      panel: 'case-review' as const,
      caseId,
      subject: 'ASB Case Review CR-26-0001',
      reason: 'Threshold met',
      sourceModule: 'case-review',
      sourceId: 'review-1',
    }
    const first = await t.deps.panels.refer(input, { type: 'system', id: null })
    const second = await t.deps.panels.refer(input, { type: 'system', id: null })
    assert.equal(first.created, true)
    assert.equal(second.created, false)
    assert.equal(second.id, first.id)
    assert.equal((await t.deps.panels.service.forSource('case-review', 'review-1')).length, 1)
    assert.ok(caseReference.startsWith('ASB-26-'))
  })

  it("runs the panels the pack names: adds, removes an unused one, keeps a used one's records, never rewords", async () => {
    const pack = t.deps.pack.panels ?? []
    const service = t.deps.panels.service
    const none = { added: [], reworded: [], reactivated: [], removed: [], deactivated: [] }
    // Tower Hamlets' database already runs exactly its pack's panels.
    assert.deepEqual(await service.applyPackPanels(pack), none)
    const settings = await post('admin', '/panels/case-review/settings', {
      name: 'ASB Case Review panel (Tower Hamlets)',
      purpose: 'Carries out ASB Case Reviews.',
      criteria: 'A review that is to take place.',
      cadence: 'As needed',
      restriction: 'members',
      partners: (
        await t.deps.database.db
          .selectFrom('partner')
          .select('id')
          .where('code', '=', 'council')
          .executeTakeFirstOrThrow()
      ).id,
      version: '1',
    })
    assert.equal(settings.statusCode, 303, settings.body)

    const youth = { ...pack[0]!, code: 'youth-panel', name: 'Youth Panel' }
    const changed = await service.applyPackPanels(pack.map(panel => (panel.code === 'community-marac' ? youth : panel)))
    assert.deepEqual(changed, { ...none, added: ['youth-panel'], deactivated: ['community-marac'] })
    const marac = await t.deps.panels.repository.panelByCode('community-marac')
    assert.equal(marac?.active, false)
    assert.equal((await service.referrals(marac, 'open')).length > 0, true, 'its referrals are kept')
    assert.equal((await get('coordinator', '/panels/community-marac')).statusCode, 404)

    const back = await service.applyPackPanels(pack)
    assert.deepEqual(back, { ...none, reactivated: ['community-marac'], removed: ['youth-panel'] })
    assert.equal((await get('coordinator', '/panels/community-marac')).statusCode, 200)
    const panels = await service.panels()
    assert.equal(panels.find(panel => panel.code === 'case-review')?.name, 'ASB Case Review panel (Tower Hamlets)')
    assert.equal(
      panels.find(panel => panel.code === 'youth-panel'),
      undefined,
    )
    const audited = await t.deps.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'PANELS_CONFIGURED')
      .execute()
    assert.equal(audited.length, 2)
  })
})
