/**
 * Month partitions (ADR 0061): a row for a month without a partition waits in the default partition and moves into
 * the month's partition when it is created; creating months ahead is idempotent; the audit chain still verifies
 * after rows moved. Runs on PGlite and, as an -integration test, on PostgreSQL.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { sql } from 'kysely'

import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js'
import { createMonthPartitions, createPartitionsAhead, monthOf } from './partitions.js'

describe('Integration: tables partitioned by month', () => {
  let test: TestDatabase

  before(async () => {
    test = await createTestDatabase()
  })
  after(() => test.drop())

  async function partitionOf(table: string, where: ReturnType<typeof sql>): Promise<string[]> {
    const { rows } = await sql<{ part: string }>`
      select distinct tableoid::regclass::text as part from ${sql.table(table)} where ${where}`.execute(
      test.database.db,
    )
    return rows.map(row => row.part)
  }

  it('keeps a street record of a month without a partition in the default one, and moves it when the month is made', async () => {
    const db = test.database.db
    await db
      .insertInto('intelligence_street_crime')
      .values({
        force: 'metropolitan',
        month: '2011-03',
        reported_by: 'Metropolitan Police Service',
        crime_type: 'burglary',
        location_missing: false,
        outside_area: false,
        source_file: 'test',
        source_line: 2,
      })
      .execute()
    assert.deepEqual(await partitionOf('intelligence_street_crime', sql`month = '2011-03'`), [
      'intelligence_street_crime_default',
    ])
    const before = await db
      .selectFrom('intelligence_street_monthly')
      .select('records')
      .where('month', '=', '2011-03')
      .executeTakeFirstOrThrow()

    assert.deepEqual(await createMonthPartitions(db, 'intelligence_street_crime', ['2011-03', 'not a month']), [
      'intelligence_street_crime 2011-03',
    ])
    assert.deepEqual(await partitionOf('intelligence_street_crime', sql`month = '2011-03'`), [
      'intelligence_street_crime_201103',
    ])
    // Moving between partitions is not a new record: the monthly counts stay as they were.
    const afterMove = await db
      .selectFrom('intelligence_street_monthly')
      .select('records')
      .where('month', '=', '2011-03')
      .executeTakeFirstOrThrow()
    assert.equal(afterMove.records, before.records)
    assert.deepEqual(await createMonthPartitions(db, 'intelligence_street_crime', ['2011-03']), [])
  })

  it('creates this month and the next three of every table once, and reads a month range from its partitions only', async () => {
    const db = test.database.db
    const now = new Date(Date.UTC(2031, 10, 15))
    const made = await createPartitionsAhead(db, { now })
    assert.equal(made.length, 12)
    assert.ok(made.includes('audit_event 2032-02'))
    assert.deepEqual(await createPartitionsAhead(db, { now }), [])
    assert.equal(monthOf(now, 3), '2032-02')

    const { rows } = await sql<{ plan: string }>`
      explain select * from intelligence_street_crime where month >= '2031-12' and month <= '2032-01'`.execute(db)
    const plan = rows.map(row => Object.values(row).join('')).join('\n')
    assert.match(plan, /intelligence_street_crime_203112/)
    assert.match(plan, /intelligence_street_crime_203201/)
    assert.doesNotMatch(plan, /intelligence_street_crime_203111|intelligence_street_crime_default/)
  })

  it('moves audit rows out of the default partition with their chain intact', async () => {
    const db = test.database.db
    await db
      .insertInto('audit_event')
      .values({
        occurred_at: new Date(Date.UTC(2012, 4, 2)),
        actor_type: 'system',
        action: 'test.old',
        details: JSON.stringify({}),
      })
      .execute()
    assert.deepEqual(await partitionOf('audit_event', sql`action = 'test.old'`), ['audit_event_default'])
    await createMonthPartitions(db, 'audit_event', ['2012-05'])
    assert.deepEqual(await partitionOf('audit_event', sql`action = 'test.old'`), ['audit_event_201205'])
    const { rows } = await sql<{ ok: boolean }>`
      select bool_and(hash = audit_event_hash(a)) as ok from audit_event a`.execute(db)
    assert.equal(rows[0]?.ok, true)
    await assert.rejects(sql`truncate audit_event_201205`.execute(db), /append-only/)
  })
})
