import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { fixedClock } from '../../platform/clock.js'
import { createCaseworkTaskingProvider } from './tasking-provider.js'

describe('Integration: casework demo data', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ clock: fixedClock('2026-11-20T10:00:00Z'), seedDemo: true })
  })
  after(() => t.close())

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
})
