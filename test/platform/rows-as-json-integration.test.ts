/**
 * `rowsAsJson` (src/platform/monthly-counts.ts, ADR 0062): a grouped read's rows come back as one JSON value of one
 * array per column, and are rebuilt into exactly the rows the plain query returns, on PGlite and PostgreSQL.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { sql, type Kysely } from 'kysely'

import { rowsAsJson } from '../../src/platform/monthly-counts.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

interface Row {
  ward_code: string | null
  month: string
  total: number
  hate: number | null
}

describe('rowsAsJson', () => {
  let testDb: TestDatabase
  let db: Kysely<{ rows_as_json_check: { ward_code: string | null; month: string; records: number; hate: boolean } }>

  before(async () => {
    testDb = await createTestDatabase({ LOG_LEVEL: 'warn' })
    db = testDb.database.db as unknown as typeof db
    await sql`create table rows_as_json_check (ward_code text, month date not null, records integer not null,
      hate boolean not null)`.execute(db)
    await sql`insert into rows_as_json_check values
      ('E05009317', '2026-04-01', 3, false), ('E05009317', '2026-04-01', 2, true), (null, '2026-05-01', 7, false),
      ('E05009336', '2026-05-01', 1, false), ('E05009336', '2026-06-01', 4, true)`.execute(db)
  })
  after(async () => {
    await testDb.drop()
  })

  const grouped = () =>
    db
      .selectFrom('rows_as_json_check')
      .select([
        'ward_code',
        sql<string>`to_char(month, 'YYYY-MM-DD')`.as('month'),
        sql<number>`sum(records)::integer`.as('total'),
        sql<number | null>`(sum(records) filter (where hate))::integer`.as('hate'),
      ])
      .groupBy(['ward_code', 'month'])
      .orderBy('month')
      .orderBy('ward_code')

  it('returns the same rows, values and nulls as the query itself, in its order', async () => {
    const plain = (await grouped().execute()) as Row[]
    const viaJson = await rowsAsJson(db, grouped())
    assert.equal(plain.length, 4)
    assert.deepEqual(viaJson, plain)
    assert.deepEqual(
      viaJson.find(row => row.ward_code === null),
      { ward_code: null, month: '2026-05-01', total: 7, hate: null },
    )
  })

  it('names a union by its first query, and a plain column by its name', async () => {
    const query = db
      .selectFrom('rows_as_json_check')
      .select([sql<string>`'records'`.as('event'), 'records'])
      .where('hate', '=', true)
      .unionAll(
        db
          .selectFrom('rows_as_json_check')
          .select([sql<string>`'none'`.as('event'), 'records'])
          .where('records', '>', 6),
      )
    const rows = await rowsAsJson(db, query)
    assert.deepEqual(
      [...rows].sort((a, b) => a.records - b.records),
      [
        { event: 'records', records: 2 },
        { event: 'records', records: 4 },
        { event: 'none', records: 7 },
      ],
    )
  })

  it('returns no rows for a read that matches nothing', async () => {
    assert.deepEqual(await rowsAsJson(db, grouped().where('records', '>', 100)), [])
  })

  it('falls back to an object per row when the columns are not all named (select *)', async () => {
    const rows = await rowsAsJson(db, db.selectFrom('rows_as_json_check').selectAll().where('records', '=', 1))
    assert.deepEqual(rows, [{ ward_code: 'E05009336', month: '2026-05-01', records: 1, hate: false }])
  })
})
