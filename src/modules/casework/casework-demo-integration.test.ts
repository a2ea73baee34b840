/**
 * The demo borough, seeded once for all these checks (seeding costs more than the tests): its casework records dated
 * from today, the tasking pack's casework sections, its audit trail verified from the first row to the head, and
 * words, not codes (issue 16, defect 6): the staff pages of a demo case, its reports, risk, powers and panel pages,
 * read as text a person reads (tags and attributes stripped), hold no snake_case code, no "window(s)", no 12-hour
 * time printed as "0:xx pm", and the access log never says "Viewed the case case".
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { sql } from 'kysely'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../accounts/index.js'
import { describeVerification, systemActor } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import { panelsPaths } from '../panels/index.js'
import { createCaseworkTaskingProvider } from './tasking-provider.js'

/** The text a person reads on a page: no tags, attributes, scripts or styles; common entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style|template)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
}

/** Codes a person should never read: snake_case words, "window(s)", and noon or midnight printed as 0 o'clock. */
function codesIn(text: string): string[] {
  const found = [
    ...(text.match(/\b[a-z]+(?:_[a-z]+)+\b/g) ?? []),
    ...(text.match(/\b0:\d\d\s?[ap]m\b/gi) ?? []),
    ...(text.match(/window\(s\)/g) ?? []),
    ...(text.match(/Viewed the case case/g) ?? []),
  ]
  return [...new Set(found)]
}

describe('Integration: the demo borough (casework, audit trail, words not codes)', () => {
  let t: TestApp
  let session: StaffSession
  before(async () => {
    t = await buildTestApp({ clock: fixedClock('2026-11-20T10:00:00Z'), seedDemo: true })
    session = await signIn(t.app, t.deps, {
      email: 'supervisor@council.safer.example',
      password: DEMO_PASSWORD,
      totpSecret: DEMO_TOTP_SECRET,
    })
  })
  after(() => t.close())

  it('verifies the demo’s audit trail from the first row to the head', async () => {
    // Seeding the demo writes audit rows through every path at once (hooks, services, the intake's own statement).
    const { n } = await t.deps.database.db
      .selectFrom('audit_event')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    assert.ok(n > 50, `${String(n)} audit rows in the demo`)
    const result = await t.deps.audit.verify({ batchSize: 40 })
    assert.ok(result.ok, describeVerification(result).join(' '))
    assert.equal(result.rows, n)
    assert.equal(result.anchor.seq, 0)
  })

  it('opens cases from the demo reports, with parties, overdue tasks and partner shares', async () => {
    const db = t.deps.database.db
    const count = async (table: 'asb_case' | 'case_party' | 'case_report') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select(eb => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    assert.ok((await count('asb_case')) >= 24)
    assert.ok((await count('case_report')) >= 24)
    assert.ok((await count('case_party')) >= (await count('asb_case')))
    const overdue = await db
      .selectFrom('case_task')
      .select('id')
      .where('status', '=', 'open')
      .where('due_date', '<', '2026-11-20')
      .execute()
    assert.ok(overdue.length > 0)
    const shares = await db
      .selectFrom('case_share as s')
      .innerJoin('partner as p', 'p.id', 's.partner_id')
      .select('p.code')
      .distinct()
      .execute()
    assert.deepEqual(shares.map(row => row.code).sort(), ['housing', 'police'])
    const closed = await db.selectFrom('asb_case').select('id').where('status', '=', 'closed').execute()
    assert.ok(closed.length > 0)
  })

  it('dates twenty months of records in every module from today: this year and last year to date have them, none in the future', async () => {
    const db = t.deps.database.db
    // Today is 2026-11-20 (the app's clock): financial year 2026/27 began on 1 April, 2025/26 on 1 April 2025; the
    // demo goes back about twenty months (DEMO_SPAN_DAYS, 600 days: 2025-03-30), so last year to date has records too.
    const [fyStart, previousYearToDate, today, earliest] = ['2026-04-01', '2025-11-20', '2026-11-20', '2025-03-30']
    const dates = async (rows: Promise<{ on: unknown }[]>) =>
      (await rows).map(row => (row.on instanceof Date ? row.on.toISOString() : String(row.on)).slice(0, 10))
    const found: Record<string, string[]> = {
      'risk assessments': await dates(db.selectFrom('risk_assessment').select('assessed_on as on').execute()),
      'powers actions': await dates(db.selectFrom('power_action').select('action_date as on').execute()),
      'powers breaches': await dates(db.selectFrom('power_breach').select('occurred_on as on').execute()),
      'DASH checklists': await dates(db.selectFrom('marac_dash').select('assessed_on as on').execute()),
      'panel actions': await dates(db.selectFrom('panel_action').select('created_at as on').execute()),
      'Case Reviews': await dates(db.selectFrom('case_review').select('received_on as on').execute()),
      'tasking decisions': await dates(
        db.selectFrom('intelligence_tasking_decision').select('week_start as on').execute(),
      ),
      'check-ins answered': await dates(
        db.selectFrom('case_checkin').select('answered_at as on').where('answered_at', 'is not', null).execute(),
      ),
    }
    for (const [what, list] of Object.entries(found)) {
      assert.ok(
        list.some(on => on >= fyStart),
        `${what}: some in this financial year (${String(list.length)} in all)`,
      )
      assert.ok(
        list.some(on => on >= '2025-04-01' && on <= previousYearToDate),
        `${what}: some in last financial year to date (${String(list.length)} in all)`,
      )
      assert.ok(
        list.every(on => on >= earliest && on <= today),
        `${what}: all within the last twenty months, none after today: ${list.filter(on => on < earliest || on > today).join(', ')}`,
      )
    }
    // Several powers, and a Community Protection Warning followed by a Notice to the same person on one case.
    const powers = await db.selectFrom('power_action').select(['case_id', 'party_id', 'power', 'action_date']).execute()
    assert.ok(new Set(powers.map(row => row.power)).size >= 6, 'warnings, CPW, CPN, FPN, closure, injunction, CBO')
    assert.ok(
      powers.some(
        cpn =>
          cpn.power === 'cpn' &&
          powers.some(
            cpw =>
              cpw.power === 'cpw' &&
              cpw.case_id === cpn.case_id &&
              cpw.party_id === cpn.party_id &&
              cpw.action_date < cpn.action_date,
          ),
      ),
      'a CPW then a CPN on the same case',
    )
    const levels = await db.selectFrom('risk_assessment').select('level').distinct().execute()
    assert.deepEqual(levels.map(row => row.level).sort(), ['high', 'medium', 'standard'])
    // Cases opened and closed with an outcome in this year and the last, so both year-to-date figures have values.
    const closed = await db
      .selectFrom('asb_case')
      .select(['closed_at', 'outcome'])
      .where('status', '=', 'closed')
      .execute()
    const closedOn = closed.map(row => new Date(row.closed_at ?? 0).toISOString().slice(0, 10))
    assert.ok(
      closedOn.some(on => on >= fyStart && on <= today),
      'closed this financial year',
    )
    assert.ok(
      closedOn.some(on => on >= '2025-04-01' && on <= '2025-11-20'),
      'closed in the previous year to date',
    )
    assert.ok(new Set(closed.map(row => row.outcome)).size >= 3, 'with several outcomes')
  })

  it('gives the tasking pack repeat locations and overdue actions, only from cases the reader may see', async () => {
    const provider = createCaseworkTaskingProvider({ casework: t.deps.casework })
    const reader = async (email: string) => {
      const user = await t.deps.accounts.repository.userByEmail(email)
      assert.ok(user)
      return provider.sections({
        weekStart: '2026-11-16',
        weekEnd: '2026-11-22',
        user: { id: user.id, partnerId: user.partnerId, roles: user.roles },
      })
    }
    const officer = await reader('officer@council.safer.example')
    const overdue = officer.find(section => section.title === 'Overdue actions')
    assert.ok(overdue && overdue.rows.length > 0)
    const admin = await reader('admin@council.safer.example')
    assert.deepEqual(
      admin.map(section => section.rows.length),
      admin.map(() => 0),
    )
  })

  async function text(url: string): Promise<string> {
    const response = await t.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } })
    assert.equal(response.statusCode, 200, `${url} answered ${String(response.statusCode)}`)
    return visibleText(response.body)
  }

  it('a case with risk, powers and a panel item: every page in words', async () => {
    const db = t.deps.database.db
    // The case with a powers action, a risk assessment and a panel agenda item (the demo makes at least one).
    const item = await db
      .selectFrom('panel_agenda_item as i')
      .innerJoin('panel_referral as r', 'r.id', 'i.referral_id')
      .innerJoin('panel_meeting as m', 'm.id', 'i.meeting_id')
      .innerJoin('panel_type as p', 'p.id', 'm.panel_id')
      .innerJoin('asb_case as c', 'c.id', 'r.case_id')
      .where(eb => eb.exists(eb.selectFrom('power_action as a').select('a.id').whereRef('a.case_id', '=', 'c.id')))
      .where(eb =>
        eb.exists(eb.selectFrom('risk_assessment as ra').select('ra.id').whereRef('ra.case_id', '=', 'c.id')),
      )
      .select(['i.id', 'm.id as meetingId', 'p.code', 'c.id as caseId', 'c.reference'])
      .executeTakeFirstOrThrow()
    const action = await db
      .selectFrom('power_action')
      .select('id')
      .where('case_id', '=', item.caseId)
      .executeTakeFirstOrThrow()
    const assessment = await db
      .selectFrom('risk_assessment')
      .select('id')
      .where('case_id', '=', item.caseId)
      .executeTakeFirstOrThrow()
    const reports = await db
      .selectFrom('case_report as cr')
      .innerJoin('report as r', 'r.id', 'cr.report_id')
      .select('r.reference')
      .where('cr.case_id', '=', item.caseId)
      .execute()
    // Notes about noon and half past midnight, UK time (GMT in November).
    for (const [summary, at] of [
      ['Noon note', '2026-11-19T12:00:00Z'],
      ['Midnight note', '2026-11-19T00:30:00Z'],
    ] as const)
      await t.deps.casework.addChronology(item.caseId, { kind: 'note', summary, occurredAt: new Date(at) }, systemActor)

    const ref = item.reference
    const pages = [
      `/cases/${ref}`,
      `/cases/${ref}/chronology`,
      `/cases/${ref}/tasks`,
      `/cases/${ref}/access-log`,
      `/cases/${item.caseId}/risk-assessments`,
      `/cases/${item.caseId}/risk-assessments/${assessment.id}`,
      `/cases/${item.caseId}/powers`,
      `/cases/${item.caseId}/powers/actions/${action.id}`,
      panelsPaths.caseHome(item.caseId),
      panelsPaths.item(item.code, item.meetingId, item.id),
      ...reports.flatMap(report => [`/staff/reports/${report.reference}`, `/staff/triage/${report.reference}`]),
    ]
    assert.ok(reports.length > 0)
    for (const url of pages) assert.deepEqual(codesIn(await text(url)), [], url)

    const chronology = await text(`/cases/${ref}/chronology`)
    assert.match(chronology, /19 November 2026 at 12:00 pm/)
    assert.match(chronology, /19 November 2026 at 12:30 am/)
    // Viewing pages above wrote "Viewed the case" and friends; the log names the action once, in words.
    const log = await text(`/cases/${ref}/access-log`)
    assert.match(log, /Viewed the case\b/)
  })

  it('a staff report says why its priority, when it happened and its flags in sentences', async () => {
    const db = t.deps.database.db
    const ongoing = await db
      .selectFrom('report')
      .select('reference')
      .where('pattern', '=', 'ongoing')
      .where('frequency', 'is not', null)
      .executeTakeFirstOrThrow()
    const when = await text(`/staff/reports/${ongoing.reference}`)
    assert.deepEqual(codesIn(when), [])
    assert.match(when, /Last happened on \d{1,2} [A-Z][a-z]+ 20\d\d( at \d{1,2}:\d\d [ap]m)?\. Ongoing, [a-z ]+\./)
    assert.match(when, /Not a repeat caller|Repeat caller: at least \d+ reports from this reporter in \d+ days/)
    const report = await db
      .selectFrom('report')
      .select('reference')
      .where(sql<boolean>`flags @> ${JSON.stringify({ priorityReasons: ['unsafe_at_home'] })}::jsonb`)
      .executeTakeFirstOrThrow()
    const page = await text(`/staff/reports/${report.reference}`)
    assert.deepEqual(codesIn(page), [])
    assert.match(page, /Priority High: [^.]*they feel unsafe at home/)
    const triage = await text(`/staff/triage/${report.reference}`)
    assert.match(triage, /Why this risk They feel unsafe at home|Why this risk [A-Z][^;]*; they feel unsafe at home/)
  })

  it('seeds case titles in words from the category label, never from its code', async () => {
    const titles = await t.deps.database.db.selectFrom('asb_case').select('title').execute()
    assert.ok(titles.length > 0)
    for (const { title } of titles) assert.doesNotMatch(title, /^[a-z]+(_[a-z]+)* at /, title)
    assert.ok(titles.some(({ title }) => /^[A-Z][^:]+: [A-Z]/.test(title)))
  })
})
