/**
 * Words, not codes (issue 16, defect 6): the staff pages of a demo case, its reports, risk, powers and panel pages,
 * read as text a person reads (tags and attributes stripped), hold no snake_case code, no "window(s)", no 12-hour
 * time printed as "0:xx pm", and the access log never says "Viewed the case case".
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { sql } from 'kysely'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../accounts/index.js'
import { systemActor } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import { panelsPaths } from '../panels/index.js'

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

describe('Integration: staff pages of a demo case read in words, not codes', () => {
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
