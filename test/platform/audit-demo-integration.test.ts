import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { describeVerification } from '../../src/platform/audit.js'
import { fixedClock } from '../../src/platform/clock.js'
import { buildTestApp, type TestApp } from '../helpers/build-app.js'

// Seeding the demo writes audit rows through every path at once (hooks, services, the intake's own statement).
describe('Integration: the demo borough’s audit trail', () => {
  let t: TestApp

  before(async () => {
    t = await buildTestApp({ clock: fixedClock('2026-11-20T10:00:00Z'), seedDemo: true })
  })
  after(async () => {
    await t.close()
  })

  it('verifies from the first row to the head', async () => {
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
})
