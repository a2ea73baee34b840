/**
 * The shape every indicator source's query shares: records counted by ward and calendar month, between two dates
 * inclusive, on London dates. A module writes the `FROM` and `WHERE` that say what it counts; this adds the month, the
 * ward and the grouping, so every source buckets a record into the same month the same way.
 */
import { sql, type Expression, type RawBuilder } from 'kysely'

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
 */
export function batchedByPeriod<T>(
  load: (from: string, to: string) => Promise<T>,
): (from: string, to: string) => Promise<T> {
  const pending = new Map<string, Promise<T>>()
  return (from, to) => {
    const key = `${from}|${to}`
    const waiting = pending.get(key)
    if (waiting) return waiting
    const started = Promise.resolve().then(() => {
      pending.delete(key)
      return load(from, to)
    })
    pending.set(key, started)
    return started
  }
}
