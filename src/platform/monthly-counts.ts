/**
 * The shape every indicator source's query shares: records counted by ward and calendar month, between two dates
 * inclusive, on London dates. A module writes the `FROM` and `WHERE` that say what it counts; this adds the month, the
 * ward and the grouping, so every source buckets a record into the same month the same way.
 */
import { sql, type Compilable, type Expression, type Kysely, type OperationNodeSource, type RawBuilder } from 'kysely'

import type { MonthlyCount } from './module-contract.js'

/** The London calendar date of a timestamp column, for comparing with 'YYYY-MM-DD' bounds. */
export function londonDate(column: Expression<unknown> | RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`(${column} at time zone 'Europe/London')::date`
}

/** The first day of the month ('YYYY-MM-01') of a date column, or of a timestamp column's London date. */
export function monthOf(date: Expression<unknown> | RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`to_char(date_trunc('month', ${date}), 'YYYY-MM-DD')`
}

/** Rows as the registry takes them: `total` may arrive as a string from some drivers. */
export function toMonthlyCounts(
  rows: readonly { ward_code: string | null; month: string; total: number | string | bigint }[],
): MonthlyCount[] {
  return rows.map(row => ({ wardCode: row.ward_code, month: row.month, total: Number(row.total) }))
}

/**
 * One query for the calls made together: wraps `load(from, to)` so that every call made in the same turn of the event
 * loop with the same bounds shares one load (the KPI pack asks a module's sources for the same months at once, and
 * each source filters the module's one grouped result in memory). A call made once the load has started starts a new
 * load, so a page load after a write always reads the write (nothing is cached beyond the turn).
 *
 * A call may name the figure it wants (`wanted`, a column of the grouped read); the load is given every figure named
 * by the calls it serves, and may compute only those (ADR 0062). A load given no names computes every figure.
 */
export function batchedByPeriod<T, K extends string = string>(
  load: (from: string, to: string, wanted: ReadonlySet<K>) => Promise<T>,
): (from: string, to: string, wanted?: K) => Promise<T> {
  const pending = new Map<string, { wanted: Set<K>; started: Promise<T> }>()
  return (from, to, wanted) => {
    const key = `${from}|${to}`
    let batch = pending.get(key)
    if (!batch) {
      const names = new Set<K>()
      const started = Promise.resolve().then(() => {
        pending.delete(key)
        return load(from, to, names)
      })
      batch = { wanted: names, started }
      pending.set(key, batch)
    }
    if (wanted !== undefined) batch.wanted.add(wanted)
    return batch.started
  }
}

/**
 * The rows of a grouped read as one JSON value (`json_agg`), for reads that return hundreds or thousands of rows.
 * PGlite decodes every field of every row of a result in JavaScript, which for a few thousand monthly rows costs
 * several times the query itself; one JSON value is decoded by `JSON.parse`. Same rows, same values on PostgreSQL
 * (ADR 0062). Only for numbers, text and dates ('YYYY-MM-DD'): a timestamp would come back in JSON's format.
 */
export async function rowsAsJson<DB, R>(db: Kysely<DB>, query: Compilable<R> & OperationNodeSource): Promise<R[]> {
  const result = await sql<{ rows: R[] | null }>`select json_agg(r) as rows from (${query}) as r`.execute(db)
  return result.rows[0]?.rows ?? []
}
