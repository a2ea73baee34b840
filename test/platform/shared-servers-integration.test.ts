/**
 * What lets several servers share one database (ADR 0059), on both engines: the job-run ledger runs a job once per
 * period whichever server asks, gives a failed run back and lets a dead run be taken over after its lease; the
 * PostgreSQL rate-limit store counts a key's requests in windows, apart for each limiter, and two stores (two
 * servers) count together.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { createJobRuns, slotPeriod } from '../../src/platform/job-runs.js'
import { postgresRateLimitStore } from '../../src/platform/rate-limit-store.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

describe('Integration: several servers on one database', () => {
  let t: TestDatabase
  before(async () => {
    t = await createTestDatabase()
  })
  after(async () => {
    await t.drop()
  })

  it('runs a job once per period across servers, retries a failed run and takes over a dead one', async () => {
    let at = new Date('2026-12-07T02:00:00Z')
    const clock = { now: () => at }
    const first = createJobRuns({ db: t.database.db, clock, holder: 'server-1' })
    const second = createJobRuns({ db: t.database.db, clock, holder: 'server-2' })
    let runs = 0
    const work = async () => ++runs

    const outcomes = await Promise.all([
      first.once('nightly', '2026-12-07', work),
      second.once('nightly', '2026-12-07', work),
      first.once('nightly', '2026-12-07', work),
    ])
    assert.equal(runs, 1)
    assert.equal(outcomes.filter(outcome => outcome.ran).length, 1)
    assert.equal((await second.once('nightly', '2026-12-08', work)).ran, true, 'the next period runs')
    assert.equal(runs, 2)

    // A failed run gives its claim back: the next check (any server) runs it.
    await assert.rejects(
      first.once('import', 'p1', () => Promise.reject(new Error('boom'))),
      /boom/,
    )
    assert.deepEqual(await second.once('import', 'p1', work), { ran: true, result: 3 })

    // A run that died unfinished is left alone during its lease and taken over after it.
    await t.database.db
      .insertInto('job_run')
      .values({
        job: 'digest',
        period: '2026-12-07',
        holder: 'dead-server',
        started_at: at,
        lease_until: new Date(at.getTime() + 60_000),
        finished_at: null,
      })
      .execute()
    assert.equal((await first.once('digest', '2026-12-07', work)).ran, false)
    at = new Date(at.getTime() + 61_000)
    assert.equal((await first.once('digest', '2026-12-07', work)).ran, true)
    const row = await t.database.db
      .selectFrom('job_run')
      .selectAll()
      .where('job', '=', 'digest')
      .executeTakeFirstOrThrow()
    assert.equal(row.holder, 'server-1')
    assert.equal(row.attempts, 2)
    assert.ok(row.finished_at)
    // A finished run is never taken over, however old.
    at = new Date(at.getTime() + 24 * 60 * 60_000)
    assert.equal((await second.once('digest', '2026-12-07', work)).ran, false)

    assert.equal(slotPeriod(new Date('2026-12-07T10:00:59Z'), 60_000), '2026-12-07T10:00:00.000Z')
    assert.equal(slotPeriod(new Date('2026-12-07T10:01:00Z'), 60_000), '2026-12-07T10:01:00.000Z')
  })

  it('counts requests per key and window in the database, shared by two stores, apart per limiter', async () => {
    const Store = postgresRateLimitStore(t.database.db)
    const serverA = new Store()
    const serverB = new Store()
    const incr = (store: InstanceType<typeof Store>, key: string, windowMs = 60_000) =>
      new Promise<{ current: number; ttl: number }>((resolve, reject) => {
        store.incr(
          key,
          (error, result) => {
            if (error || !result) reject(error ?? new Error('no result'))
            else resolve(result)
          },
          windowMs,
        )
      })

    assert.equal((await incr(serverA, 'client-1')).current, 1)
    assert.equal((await incr(serverB, 'client-1')).current, 2, 'the other server counts the same client')
    const third = await incr(serverA, 'client-1')
    assert.equal(third.current, 3)
    assert.ok(third.ttl > 55_000 && third.ttl <= 60_000, `ttl ${String(third.ttl)}`)
    assert.equal((await incr(serverA, 'client-2')).current, 1, 'another client counts alone')

    // A route's limiter counts apart from the global one, and the same route on two servers together.
    const signInA = serverA.child({ routeInfo: { method: 'POST', url: '/sign-in' } })
    const signInB = serverB.child({ routeInfo: { method: 'POST', url: '/sign-in' } })
    assert.equal((await incr(signInA, 'client-1')).current, 1)
    assert.equal((await incr(signInB, 'client-1')).current, 2)

    // Concurrent hits are all counted.
    const counts = await Promise.all(Array.from({ length: 10 }, (_, i) => incr(i % 2 ? serverA : serverB, 'burst')))
    assert.deepEqual(
      counts.map(count => count.current).sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    )

    // Many clients on one key (a partner's Open311 key) on two servers: each request still gets its own place in the
    // count, and the requests that arrive while a key's upsert is on its way share the next one (fewer statements).
    let statements = 0
    const counting = t.database.db.withPlugin({
      transformQuery: args => {
        statements++
        return args.node
      },
      transformResult: args => Promise.resolve(args.result),
    })
    const ServerC = postgresRateLimitStore(counting)
    const ServerD = postgresRateLimitStore(counting)
    const [serverC, serverD] = [new ServerC(), new ServerD()]
    const crowd = await Promise.all(Array.from({ length: 40 }, (_, i) => incr(i % 2 ? serverC : serverD, 'partner')))
    assert.deepEqual(
      crowd.map(count => count.current).sort((a, b) => a - b),
      Array.from({ length: 40 }, (_, i) => i + 1),
    )
    // Per server: the first request's upsert, one for the rest, and its first purge of ended windows.
    assert.ok(statements <= 6, `40 requests on one key in ${String(statements)} statements`)
    assert.equal((await incr(serverC, 'partner')).current, 41)

    // A window that has ended starts again at 1.
    assert.equal((await incr(serverA, 'short', 50)).current, 1)
    assert.equal((await incr(serverA, 'short', 50)).current, 2)
    await new Promise(resolve => setTimeout(resolve, 80))
    assert.equal((await incr(serverB, 'short', 50)).current, 1)
  })
})
