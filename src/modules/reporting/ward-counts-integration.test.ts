import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { sql } from 'kysely'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'

const WARD = 'E05009336'

async function submit(t: TestApp, category: string, times: number, wardCode = WARD) {
  for (let i = 0; i < times; i++)
    await t.deps.reporting.intake.submit(
      {
        channel: 'phone',
        category,
        location: { wardCode, description: 'Somewhere in the ward' },
        occurredOn: '2026-11-15',
        pattern: 'one_off',
        description: `Report ${String(i)} of ${category}`,
        impact: {
          reporterRole: 'witness',
          unsafeAtHome: 'no',
          healthAffected: 'no',
          targeted: 'no',
          characteristics: [],
        },
        reporter: { mode: 'anonymous', contactPreference: 'none', consentToShare: true },
      },
      { type: 'system', id: null },
    )
}

/** The ward page's table as [type, count] pairs, in page order. */
function tableOf(body: string): [string, string][] {
  const table = /data-qa="ward-report-counts"[\s\S]*?<\/table>/.exec(body)?.[0] ?? ''
  return [...table.matchAll(/<tr class="govuk-table__row">\s*<th[^>]*>([^<]*)<\/th>\s*<td[^>]*>([^<]*)<\/td>/g)].map(
    m => [(m[1] ?? '').trim(), (m[2] ?? '').trim()],
  )
}

describe('Integration: small-number protection on the public ward page', () => {
  let t: TestApp

  before(async () => {
    t = await buildTestApp()
  })
  after(() => t.close())

  it('shows a small count of a sensitive type as "fewer than 3", hides a second cell, and keeps the total', async () => {
    await submit(t, 'harassment', 1)
    await submit(t, 'fly_tipping', 4)
    await submit(t, 'noise_music', 6)
    const page = await t.app.inject({ method: 'GET', url: `/wards/${WARD}/reports` })
    assert.equal(page.statusCode, 200)
    const rows = tableOf(page.body)
    assert.deepEqual(rows, [
      ['Loud music, TV or parties', '6'],
      ['Fly-tipping or dumped rubbish', 'not shown'],
      ['Harassment, intimidation or threats', 'fewer than 3'],
    ])
    assert.match(page.body, /11 reports in total/)
    assert.match(page.body, /data-qa="ward-report-protection"/)
    assert.doesNotMatch(page.body, />\s*1\s*</, 'the count of 1 is published nowhere')
    assert.doesNotMatch(page.body, />\s*4\s*</, 'the hiding cell is published nowhere')
  })

  it('publishes the count once it reaches the threshold', async () => {
    await submit(t, 'harassment', 2)
    const rows = tableOf((await t.app.inject({ method: 'GET', url: `/wards/${WARD}/reports` })).body)
    assert.deepEqual(rows, [
      ['Loud music, TV or parties', '6'],
      ['Fly-tipping or dumped rubbish', '4'],
      ['Harassment, intimidation or threats', '3'],
    ])
  })

  it('withholds the total when a small sensitive count is the only row', async () => {
    const lone = 'E05009332'
    const before = tableOf((await t.app.inject({ method: 'GET', url: `/wards/${lone}/reports` })).body)
    assert.deepEqual(before, [])
    await submit(t, 'hate', 2, lone)
    const page = await t.app.inject({ method: 'GET', url: `/wards/${lone}/reports` })
    assert.deepEqual(tableOf(page.body), [['Hate incident', 'fewer than 3']])
    assert.doesNotMatch(page.body, /reports? in total/)
    assert.match(page.body, /The total is not shown/)
  })
})

describe('Integration: PUBLIC_SMALL_NUMBER_THRESHOLD', () => {
  let t: TestApp

  before(async () => {
    t = await buildTestApp({ config: { PUBLIC_SMALL_NUMBER_THRESHOLD: '5' } })
  })
  after(() => t.close())

  it('suppresses sensitive counts below the configured threshold', async () => {
    await submit(t, 'neighbour_nuisance', 4)
    await submit(t, 'graffiti', 2)
    await submit(t, 'noise_banging', 9)
    const rows = tableOf((await t.app.inject({ method: 'GET', url: `/wards/${WARD}/reports` })).body)
    assert.deepEqual(rows, [
      ['Banging, DIY or building noise at unreasonable hours', '9'],
      ['Graffiti or fly-posting', 'not shown'],
      ['Nuisance neighbours', 'fewer than 5'],
    ])
  })
})

describe('Integration: the report aggregates follow inserts, updates and deletes', () => {
  let t: TestApp

  before(async () => {
    t = await buildTestApp()
  })
  after(() => t.close())

  it('hold exactly what grouping the reports gives, with no row counted down to nothing', async () => {
    const db = t.deps.database.db
    await submit(t, 'graffiti', 3)
    await submit(t, 'noise_music', 2, 'E05009317')
    const month = `date_trunc('month', received_at at time zone 'Europe/London')::date`
    const expected = async () => {
      const monthly = await sql<{ key: string }>`
        select concat_ws('|', ${sql.raw(month)}, ward_code, hate, channel, nsir_qualifier, count(*)) as key
        from report group by ${sql.raw(month)}, ward_code, hate, channel, nsir_qualifier order by 1`.execute(db)
      const byWard = await sql<{ key: string }>`
        select concat_ws('|', ${sql.raw(month)}, ward_code, count(*)) as key
        from report group by ${sql.raw(month)}, ward_code order by 1`.execute(db)
      return { monthly: monthly.rows.map(row => row.key), byWard: byWard.rows.map(row => row.key) }
    }
    const held = async () => {
      const monthly = await sql<{ key: string }>`
        select concat_ws('|', month, ward_code, hate, channel, nsir_qualifier, records) as key
        from report_monthly order by 1`.execute(db)
      const byWard = await sql<{ key: string }>`
        select concat_ws('|', month, ward_code, reports) as key from report_ward_monthly order by 1`.execute(db)
      return { monthly: monthly.rows.map(row => row.key), byWard: byWard.rows.map(row => row.key) }
    }
    assert.deepEqual(await held(), await expected())

    // Every report of one ward moves to another ward and channel: its old aggregate rows empty and go.
    await sql`update report set ward_code = ${WARD}, channel = 'web' where ward_code = 'E05009317'`.execute(db)
    assert.deepEqual(await held(), await expected())
    const emptied = await sql<{ n: number }>`
      select (select count(*) from report_monthly where records = 0)
        + (select count(*) from report_ward_monthly where reports = 0) as n`.execute(db)
    assert.equal(Number(emptied.rows[0]?.n), 0)
    assert.ok(!(await held()).byWard.some(key => key.includes('E05009317')))
  })
})
