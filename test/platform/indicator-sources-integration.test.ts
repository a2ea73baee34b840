/**
 * Every module's indicator sources, declared through the module contract, reach performance's registry and count
 * from the module's own records: the queries run on the real database (PGlite, and PostgreSQL in CI), and an action
 * taken through the product moves its count on the next read.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { sql } from 'kysely'

import type { CountSource } from '../../src/modules/performance/index.js'
import type { IntakeInput } from '../../src/modules/reporting/index.js'
import { systemActor } from '../../src/platform/audit.js'
import { fixedClock } from '../../src/platform/clock.js'
import { buildTestApp, type TestApp } from '../helpers/build-app.js'
import { openCaseWithParties, type RiskPowersCase } from '../helpers/risk-powers-fixtures.js'
import { createStaff, signIn, type StaffSession } from '../helpers/staff.js'

const MONTH = { from: '2026-11-01', to: '2026-11-30' }

async function total(source: CountSource | undefined): Promise<number> {
  assert.ok(source, 'source registered')
  const counts = await source.monthlyCounts(MONTH.from, MONTH.to)
  return counts.reduce((sum, count) => sum + count.total, 0)
}

/** A source's figure for one ward (or the borough, `undefined`) in one month: the count and, for a percentage, its base. */
async function figure(
  source: CountSource | undefined,
  month: string,
  ward?: string | null,
): Promise<{ total: number; denominator: number }> {
  assert.ok(source, 'source registered')
  const [year, m] = month.split('-').map(Number) as [number, number]
  const end = new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10)
  const counts = await source.monthlyCounts(`${month}-01`, end)
  const picked = counts.filter(
    count => count.month === `${month}-01` && (ward === undefined || count.wardCode === ward),
  )
  return {
    total: picked.reduce((sum, count) => sum + count.total, 0),
    denominator: picked.reduce((sum, count) => sum + (count.denominator ?? 0), 0),
  }
}

const WARD = 'E05009336'

function report(overrides: Partial<IntakeInput>): IntakeInput {
  return {
    channel: 'web',
    category: 'noise_music',
    location: { latitude: 51.5155, longitude: -0.0596 },
    occurredOn: '2026-11-01',
    occurredTime: '23:30',
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
      name: 'Ada Resident',
      email: 'ada@example.org',
      contactPreference: 'email',
      consentToShare: true,
    },
    ...overrides,
  }
}

describe('Integration: indicator sources from every module', () => {
  let test: TestApp
  let officer: StaffSession
  let fixture: RiskPowersCase
  let officerId = ''

  before(async () => {
    test = await buildTestApp({ clock: fixedClock('2026-11-20T10:00:00Z') })
    const staff = await createStaff(test.deps, { roles: ['officer'], partnerCode: 'council', teamCode: 'asb-test' })
    officerId = staff.id
    fixture = await openCaseWithParties(test.deps, { teamCode: 'asb-test', leadOfficerId: staff.id })
    officer = await signIn(test.app, test.deps, staff)
  })
  after(() => test.close())

  it('registers every count source named by the Tower Hamlets pack indicators', () => {
    const keys = new Set(test.deps.performanceSources.list().map(source => source.key))
    assert.ok(test.deps.pack.performance.indicators.some(indicator => indicator.id === 'panel-actions-on-time'))
    for (const indicator of test.deps.pack.performance.indicators) {
      if (indicator.source?.kind === 'count') assert.ok(keys.has(indicator.source.key), indicator.source.key)
    }
  })

  it('registers what each module declares, once, and every source answers with counts by ward and month', async () => {
    const registered = test.deps.performanceSources.list()
    const declared = test.deps.modules.flatMap(module => module.indicatorSources ?? [])
    assert.deepEqual(registered.map(source => source.key).sort(), declared.map(source => source.key).sort())
    const modules = new Set(registered.map(source => source.module))
    for (const module of ['reporting', 'intelligence', 'panels', 'casework', 'risk', 'powers', 'case-review']) {
      assert.ok(modules.has(module), `${module} declares sources`)
    }
    for (const source of registered) {
      const counts = await source.monthlyCounts('2025-04-01', '2026-11-30')
      for (const count of counts) {
        assert.match(count.month, /^\d{4}-\d{2}-01$/, source.key)
        assert.ok(Number.isInteger(count.total) && count.total > 0, source.key)
      }
    }
  })

  it('counts the case this test opened, and moves the CPW count by one when a CPW is issued', async () => {
    const sources = test.deps.performanceSources
    assert.equal(await total(sources.get('cases:opened')), 1)
    const cpwBefore = await total(sources.get('powers:cpw'))
    const allBefore = await total(sources.get('powers:all'))

    const issued = await test.app.inject({
      method: 'POST',
      url: `/cases/${fixture.caseId}/powers/cpw/new`,
      headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: officer.token,
        submissionId: randomUUID(),
        party: fixture.adultId,
        'actionDate-day': '20',
        'actionDate-month': '11',
        'actionDate-year': '2026',
        conduct: 'Loud music nightly',
        requirements: 'No amplified music after 11pm',
        complianceDays: '14',
      }).toString(),
    })
    assert.equal(issued.statusCode, 303)
    assert.equal(await total(sources.get('powers:cpw')), cpwBefore, 'a preview counts nothing')
    const confirmed = await test.app.inject({
      method: 'POST',
      url: `${issued.headers.location ?? ''}/confirm`,
      headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: officer.token }).toString(),
    })
    assert.equal(confirmed.statusCode, 303)
    assert.equal(await total(sources.get('powers:cpw')), cpwBefore + 1)
    assert.equal(await total(sources.get('powers:all')), allBefore + 1)
    assert.equal(await total(sources.get('powers:cpn')), 0)
  })

  it('counts repeat callers as people and repeat locations as places, and never an anonymous caller', async () => {
    const sources = test.deps.performanceSources
    const { intake } = test.deps.reporting
    const callersBefore = await figure(sources.get('reports:repeat-callers'), '2026-11')
    const placesBefore = await figure(sources.get('reports:repeat-locations'), '2026-11')
    const caller = {
      mode: 'confidential' as const,
      name: 'Bo',
      phone: '07700 900123',
      contactPreference: 'phone' as const,
      consentToShare: true,
    }
    const anonymous = { mode: 'anonymous' as const, contactPreference: 'none' as const, consentToShare: false }
    const submit = (overrides: Partial<IntakeInput>) => intake.submit(report(overrides), systemActor)
    // Bo reports three times in November at one place: one repeat caller, one repeat location.
    await submit({ reporter: caller, receivedAt: '2026-11-03T09:00:00Z' })
    await submit({
      reporter: caller,
      receivedAt: '2026-11-05T09:00:00Z',
      location: { latitude: 51.5156, longitude: -0.0595 },
    })
    const third = await submit({
      reporter: caller,
      receivedAt: '2026-11-10T09:00:00Z',
      location: { latitude: 51.5156, longitude: -0.0595 },
    })
    assert.equal(third.report.flags.repeatCaller.length > 0, true)
    // An anonymous resident reports twice at another place: a repeat location, but no caller to count.
    const elsewhere = { latitude: 51.5, longitude: -0.02 }
    await submit({ reporter: anonymous, receivedAt: '2026-11-06T09:00:00Z', location: elsewhere })
    const second = await submit({ reporter: anonymous, receivedAt: '2026-11-07T09:00:00Z', location: elsewhere })
    assert.equal(second.report.flags.repeatLocation.length > 0, true)

    const callers = await figure(sources.get('reports:repeat-callers'), '2026-11')
    assert.equal(callers.total, callersBefore.total + 1, 'Bo counts once in the month; the anonymous caller never')
    assert.equal(
      (await figure(sources.get('reports:repeat-callers'), '2026-11', third.report.wardCode)).total >= 1,
      true,
    )
    assert.equal((await figure(sources.get('reports:repeat-locations'), '2026-11')).total, placesBefore.total + 2)
    assert.equal((await figure(sources.get('reports:repeat-callers'), '2026-10')).total, 0)
  })

  it('answers every report source asked together from one read, equal to the reports themselves, and sees the next report', async () => {
    const sources = test.deps.performanceSources
    const keys = [
      'reports:all',
      'reports:hate',
      'reports:channel-web',
      'reports:channel-phone',
      'reports:channel-open311',
      'reports:channel-partner',
      'reports:personal',
      'reports:nuisance',
      'reports:environmental',
    ]
    const submit = (overrides: Partial<IntakeInput>) =>
      test.deps.reporting.intake.submit(report(overrides), systemActor)
    await submit({ channel: 'phone', receivedAt: '2026-11-12T09:00:00Z' })
    await submit({ channel: 'partner', category: 'fly_tipping', receivedAt: '2026-11-13T09:00:00Z' })
    await submit({ channel: 'web', category: 'hate', receivedAt: '2026-11-14T09:00:00Z' })
    /** What each source must say, counted from the report table itself, by ward. */
    const expected = async (key: string) => {
      const rows = await test.deps.database.db
        .selectFrom('report')
        .select(['ward_code', 'channel', 'hate', 'nsir_qualifier'])
        .where(sql<string>`(received_at at time zone 'Europe/London')::date`, '>=', MONTH.from)
        .where(sql<string>`(received_at at time zone 'Europe/London')::date`, '<=', MONTH.to)
        .execute()
      const byWard = new Map<string, number>()
      for (const row of rows) {
        const what = key.slice('reports:'.length)
        const counted =
          what === 'all' ||
          (what === 'hate' && row.hate) ||
          what === `channel-${row.channel}` ||
          what === row.nsir_qualifier
        if (counted) byWard.set(row.ward_code ?? '', (byWard.get(row.ward_code ?? '') ?? 0) + 1)
      }
      return byWard
    }
    const read = () =>
      Promise.all(keys.map(key => sources.get(key)?.monthlyCounts(MONTH.from, MONTH.to) ?? Promise.resolve([])))
    const together = await read()
    for (const [i, key] of keys.entries()) {
      const byWard = new Map<string, number>()
      for (const count of together[i] ?? [])
        byWard.set(count.wardCode ?? '', (byWard.get(count.wardCode ?? '') ?? 0) + count.total)
      assert.deepEqual(byWard, await expected(key), key)
    }
    assert.ok((together[keys.indexOf('reports:channel-phone')] ?? []).length > 0, 'the phone report is counted')
    assert.ok((together[keys.indexOf('reports:hate')] ?? []).length > 0, 'the hate report is counted')
    const allBefore = (together[0] ?? []).reduce((sum, count) => sum + count.total, 0)
    await submit({ channel: 'phone', receivedAt: '2026-11-15T09:00:00Z' })
    const after = await read()
    assert.equal(
      (after[0] ?? []).reduce((sum, count) => sum + count.total, 0),
      allBefore + 1,
      'nothing is kept from the earlier read',
    )
  })

  it('gives first contact within target, closure within target and check-in satisfaction as shares with their bases', async () => {
    const sources = test.deps.performanceSources
    const { casework } = test.deps
    const team = (await test.deps.accounts.repository.teamByCode('asb-test'))!
    const open = async (priority: 'high' | 'medium' | 'standard', openedAt: string) =>
      casework.openCase(
        {
          title: 'Noise',
          category: 'noise',
          priority,
          sensitivity: null,
          owningTeamId: team.id,
          owningPartnerId: team.partner_id,
          leadOfficerId: null,
          wardCode: WARD,
          openedAt: new Date(openedAt),
        },
        systemActor,
      )
    const note = async (caseId: string, kind: string, occurredAt: string) =>
      casework.addNote(
        (await casework.repository.caseById(caseId))!,
        { kind, summary: 'Spoke to the resident', occurredAt: new Date(occurredAt) },
        systemActor,
      )
    const contactBefore = await figure(sources.get('cases:first-contact-in-target'), '2026-11', WARD)
    // Today is Friday 20 November 2026. High priority, opened Monday 2nd, phoned on the 3rd: within 1 working day.
    const quick = await open('high', '2026-11-02T09:00:00Z')
    await note(quick.id, 'contact', '2026-11-03T15:00:00Z')
    // Standard, opened the 2nd, visited on the 16th: the 5 working days ran out on the 9th.
    const late = await open('standard', '2026-11-02T09:00:00Z')
    await note(late.id, 'visit', '2026-11-16T10:00:00Z')
    // Medium, opened the 3rd, a note but no contact, and its 3 working days have passed: missed.
    const missed = await open('medium', '2026-11-03T09:00:00Z')
    await note(missed.id, 'note', '2026-11-03T10:00:00Z')
    // Standard, opened yesterday, no contact yet: still inside its target, not counted either way.
    await open('standard', '2026-11-19T09:00:00Z')
    const contact = await figure(sources.get('cases:first-contact-in-target'), '2026-11', WARD)
    assert.deepEqual(contact, { total: contactBefore.total + 1, denominator: contactBefore.denominator + 3 })

    // The pack's indicator on this source is a percentage: its YTD is the numerators over the denominators.
    await test.deps.performance.seedDefaults()
    const detail = await test.deps.performance.indicatorDetail('asb-first-contact-in-target', '2026-11-30')
    assert.ok(detail)
    const fy = await sources.get('cases:first-contact-in-target')!.monthlyCounts('2026-04-01', '2026-11-30')
    const share = (counts: typeof fy) =>
      (counts.reduce((sum, c) => sum + c.total, 0) / counts.reduce((sum, c) => sum + (c.denominator ?? 0), 0)) * 100
    assert.equal(detail.borough.ytd, share(fy))
    const ward = detail.wards.find(row => row.ward.code === WARD)
    assert.equal(ward?.result.ytd, share(fy.filter(c => c.wardCode === WARD)))
    assert.ok(ward.result.ytd !== null && ward.result.ytd > 0 && ward.result.ytd < 100)

    // Closed today: one opened 18 days ago (within 90 days), one opened in July (not).
    const closedBefore = await figure(sources.get('cases:closed-in-target'), '2026-11', WARD)
    const old = await open('standard', '2026-07-01T09:00:00Z')
    for (const id of [quick.id, old.id]) {
      const row = (await casework.repository.caseById(id))!
      await casework.close(row, row.version, { outcome: 'resolved', publicNote: null }, systemActor)
    }
    assert.deepEqual(await figure(sources.get('cases:closed-in-target'), '2026-11', WARD), {
      total: closedBefore.total + 1,
      denominator: closedBefore.denominator + 2,
    })

    // Three check-ins on the closed case: one satisfied, one dissatisfied, one never answered.
    const satisfiedBefore = await figure(sources.get('cases:checkin-satisfied'), '2026-11', WARD)
    const made = await test.deps.reporting.intake.submit(report({ receivedAt: '2026-11-01T09:00:00Z' }), systemActor)
    const answer = async (satisfaction: string | null) => {
      const token = await casework.createCheckin(quick.id, made.report.id, test.deps.database.db)
      if (satisfaction === null) return
      const url = `/check-in/${token}`
      const page = await test.app.inject({ method: 'GET', url })
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
      const cookie = String(page.headers['set-cookie'] ?? '').split(';')[0] ?? ''
      const answered = await test.app.inject({
        method: 'POST',
        url,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, satisfaction, feelsSafer: 'yes' }).toString(),
      })
      assert.equal(answered.statusCode, 200)
    }
    await answer('very_satisfied')
    await answer('dissatisfied')
    await answer(null)
    assert.deepEqual(await figure(sources.get('cases:checkin-satisfied'), '2026-11', WARD), {
      total: satisfiedBefore.total + 1,
      denominator: satisfiedBefore.denominator + 2,
    })
  })

  it('counts panel actions completed and those done by their due date, and tension entries by level', async () => {
    const sources = test.deps.performanceSources
    const { panels, casework, accounts } = test.deps
    const staff = await createStaff(test.deps, {
      roles: ['panel-coordinator', 'officer'],
      partnerCode: 'council',
      teamCode: 'asb-test',
    })
    const user = (await accounts.repository.userById(staff.id))!
    const actor = { type: 'user' as const, id: user.id }
    const partners = await test.deps.database.db.selectFrom('partner').select(['id', 'code']).execute()
    const council = partners.find(row => row.code === 'council')!.id
    const team = (await accounts.repository.teamByCode('asb-test'))!
    const { id: caseId } = await casework.openCase(
      {
        title: 'Harassment',
        category: 'harassment',
        priority: 'high',
        sensitivity: null,
        owningTeamId: team.id,
        owningPartnerId: team.partner_id,
        leadOfficerId: null,
        wardCode: WARD,
      },
      systemActor,
    )
    const caseRow = (await casework.repository.caseById(caseId))!
    const panel = (await panels.repository.panelByCode('community-marac'))!
    await panels.repository.setMembers(panel.id, [council])
    const member = (await panels.repository.panelByCode('community-marac'))!
    const referred = await panels.service.referCase(user, actor, caseRow, {
      panelCode: member.code,
      partyId: '',
      reason: 'Repeated harassment',
      submissionId: randomUUID(),
    })
    assert.ok(referred.ok)
    const meetingMade = await panels.service.createMeeting(user, actor, member, {
      meetsOn: '2026-11-02',
      chair: 'Chair',
      location: '',
      submissionId: randomUUID(),
    })
    assert.ok(meetingMade.ok)
    const meeting = (await panels.service.meeting(member, meetingMade.id))!
    const [item] = await panels.service.agenda(meeting)
    assert.ok(item)
    const referral = (await panels.service.referral(member, item.referral_id))!
    const completedBefore = await figure(sources.get('panels:actions-completed'), '2026-11', WARD)
    const onTimeBefore = await figure(sources.get('panels:actions-on-time'), '2026-11', WARD)
    const action = async (dueDate: string, done: boolean) => {
      const added = await panels.service.addAction(
        user,
        actor,
        member,
        meeting,
        { id: item.id, referral },
        {
          title: `Action due ${dueDate}`,
          ownerUserId: user.id,
          dueDate,
          submissionId: randomUUID(),
        },
      )
      assert.ok(added.ok && added.taskId)
      if (done) await casework.completeTask(caseRow, added.taskId, actor)
    }
    await action('2026-11-25', true) // done today, before it was due: on time
    await action('2026-11-10', false) // overdue and not done: missed
    await action('2026-11-05', true) // done today, after it was due: late
    await action('2026-11-30', false) // not due yet: waits
    assert.equal(
      (await figure(sources.get('panels:actions-completed'), '2026-11', WARD)).total,
      completedBefore.total + 2,
    )
    assert.deepEqual(await figure(sources.get('panels:actions-on-time'), '2026-11', WARD), {
      total: onTimeBefore.total + 1,
      denominator: onTimeBefore.denominator + 3,
    })

    const tensionPanel = (await panels.repository.panelByCode('tension-monitoring'))!
    await panels.repository.setMembers(tensionPanel.id, [council])
    const tmg = (await panels.repository.panelByCode('tension-monitoring'))!
    const highBefore = await figure(sources.get('tension:high'), '2026-11', WARD)
    const level5Before = await figure(sources.get('tension:level-5'), '2026-11', WARD)
    const entriesBefore = await figure(sources.get('tension:entries'), '2026-11', WARD)
    const tension = async (level: string, reportedOn: string) => {
      const recorded = await panels.community.recordTension(user, actor, tmg, {
        wardCode: WARD,
        validWard: true,
        reportedOn,
        category: 'evidenced',
        level,
        sources: ['police'],
        summary: 'Graffiti targeting a community centre',
        actions: '',
        submissionId: randomUUID(),
      })
      assert.ok(recorded.ok)
    }
    await tension('5', '2026-11-12')
    await tension('2', '2026-11-13')
    await tension('6', '2026-10-30')
    assert.equal((await figure(sources.get('tension:high'), '2026-11', WARD)).total, highBefore.total + 1)
    assert.equal((await figure(sources.get('tension:level-5'), '2026-11', WARD)).total, level5Before.total + 1)
    assert.equal((await figure(sources.get('tension:entries'), '2026-11', WARD)).total, entriesBefore.total + 2)
    assert.equal((await figure(sources.get('tension:low'), '2026-11', WARD)).total >= 1, true)
  })

  it('counts tasking decisions by meeting week and police.uk street records by category, ward and month', async () => {
    const sources = test.deps.performanceSources
    await test.deps.activity.seedDefaults()
    const decisionsBefore = await figure(sources.get('tasking:decisions'), '2026-11')
    const withOutputBefore = await figure(sources.get('tasking:decisions-with-output'), '2026-11', WARD)
    const decide = async (output: boolean) => {
      const result = await test.deps.tasking.recordDecision(
        {
          id: randomUUID(),
          decision: 'Patrol Brick Lane on Friday nights',
          owner: 'NET Team',
          dueOn: '2026-11-27',
          ...(output ? { outputType: 'patrol', outputQuantity: '2', outputWard: WARD } : {}),
        },
        { type: 'user', id: officerId },
      )
      assert.deepEqual(result, { ok: true })
    }
    await decide(true)
    await decide(false)
    assert.equal((await figure(sources.get('tasking:decisions'), '2026-11')).total, decisionsBefore.total + 2)
    assert.equal(
      (await figure(sources.get('tasking:decisions-with-output'), '2026-11', WARD)).total,
      withOutputBefore.total + 1,
    )

    const folder = await mkdtemp(path.join(tmpdir(), 'safer-street-'))
    try {
      const row = (type: string, lng: string, lat: string) =>
        `,2026-10,Metropolitan Police Service,Metropolitan Police Service,${lng},${lat},On or near Brick Lane,,,${type},,`
      const lines = [
        'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context',
        row('Anti-social behaviour', '-0.0596', '51.5155'),
        row('Violence and sexual offences', '-0.0596', '51.5155'),
        row('Violence and sexual offences', '-0.0596', '51.5155'),
        row('Shoplifting', '-0.0596', '51.5155'),
        // Outside the borough (the City): not counted.
        row('Violence and sexual offences', '-0.0900', '51.5150'),
      ]
      await writeFile(path.join(folder, '2026-10-metropolitan-street.csv'), `${lines.join('\n')}\n`)
      await test.deps.intelligenceImports.importPoliceStreet([folder])
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
    assert.equal((await figure(sources.get('police-street:violence-and-sexual-offences'), '2026-10')).total, 2)
    assert.equal((await figure(sources.get('police-street:anti-social-behaviour'), '2026-10')).total, 1)
    assert.equal((await figure(sources.get('police-street:shoplifting'), '2026-10')).total, 1)
    assert.equal((await figure(sources.get('police-street:all-crime'), '2026-10')).total, 3, 'all crime leaves ASB out')
    assert.equal((await figure(sources.get('police-street:burglary'), '2026-10')).total, 0)
  })
})
