import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createRandom } from '../../db/seeds/random.js'
import { fixedClock } from '../../platform/clock.js'
import { DEMO_REPORT_COUNT, reportingDemoSeeder } from './reporting-demo.js'

describe('Integration: reporting demo seeder', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ clock: fixedClock('2026-11-20T10:00:00Z') })
  })
  after(async () => {
    await t.close()
  })

  it('creates about 300 deterministic reports across wards and categories over 18 months', async () => {
    const summary = await reportingDemoSeeder.seed(t.deps, createRandom(42))
    assert.equal(summary.reports, DEMO_REPORT_COUNT)
    const db = t.deps.database.db
    const rows = await db
      .selectFrom('report')
      .select(['reference', 'ward_code', 'category', 'received_at', 'status'])
      .orderBy('id')
      .execute()
    assert.equal(rows.length, DEMO_REPORT_COUNT)
    assert.ok(new Set(rows.map(row => row.ward_code)).size >= 15, 'spread across wards')
    assert.ok(new Set(rows.map(row => row.category)).size >= 15, 'spread across categories')
    const times = rows.map(row => new Date(row.received_at).getTime())
    const span = (Math.max(...times) - Math.min(...times)) / (24 * 60 * 60 * 1000)
    assert.ok(span > 450 && span <= 548, `span ${String(span)} days`)
    assert.ok(rows.some(row => row.status === 'closed') && rows.some(row => row.status === 'received'))

    // The same seed gives the same reports: a second run only finds its idempotency keys already used.
    const again = await reportingDemoSeeder.seed(t.deps, createRandom(42))
    assert.equal(again.reports, 0)
    const count = await db
      .selectFrom('report')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(count.n, DEMO_REPORT_COUNT)
  })
})
