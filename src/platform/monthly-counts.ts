/**
 * The shape every indicator source's query shares: records counted by ward and calendar month, between two dates
 * inclusive, on London dates. A module writes the `FROM` and `WHERE` that say what it counts; this adds the month, the
 * ward and the grouping, so every source buckets a record into the same month the same way.
 */
import {
  AliasNode,
  ColumnNode,
  IdentifierNode,
  ReferenceNode,
  SelectQueryNode,
  sql,
  type Compilable,
  type Expression,
  type Kysely,
  type OperationNodeSource,
  type RawBuilder,
} from 'kysely'

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
 * The names of the columns a select query returns, in order, when every selection is a plain column or an aliased
 * expression (what the grouped reads select); null for anything else (`select *`, a selection without a name).
 */
function selectedColumns(query: OperationNodeSource): string[] | null {
  const node = query.toOperationNode()
  const select = SelectQueryNode.is(node) ? node : null
  const selections = select?.selections
  // json_build_array takes at most 100 arguments.
  if (!selections || selections.length === 0 || selections.length > 100) return null
  const names: string[] = []
  for (const { selection } of selections) {
    if (AliasNode.is(selection) && IdentifierNode.is(selection.alias)) names.push(selection.alias.name)
    else if (ReferenceNode.is(selection) && ColumnNode.is(selection.column)) names.push(selection.column.column.name)
    else return null
  }
  return names
}

/**
 * The rows of a grouped read as one JSON value, for reads that return hundreds or thousands of rows. PGlite decodes
 * every field of every row of a result in JavaScript, which for a few thousand monthly rows costs several times the
 * query itself; one JSON value is decoded by `JSON.parse` (ADR 0062). The value is one array per column
 * (`json_agg` of each column over the same rows, so the arrays line up), not an object per row: the column names are
 * not repeated on every row, which halves the text PGlite copies and `JSON.parse` reads (ADR 0062, 2026-12-08).
 * A query whose columns are not all named falls back to an object per row. Same rows, same values on PostgreSQL.
 * Only for numbers, text and dates ('YYYY-MM-DD'): a timestamp would come back in JSON's format.
 */
export async function rowsAsJson<DB, R>(db: Kysely<DB>, query: Compilable<R> & OperationNodeSource): Promise<R[]> {
  const names = selectedColumns(query)
  if (names === null) {
    const result = await sql<{ rows: R[] | null }>`select json_agg(r) as rows from (${query}) as r`.execute(db)
    return result.rows[0]?.rows ?? []
  }
  const columns = sql.join(names.map(name => sql`json_agg(r.${sql.id(name)})`))
  const result = await sql<{ columns: unknown[][] | null }>`
    select json_build_array(${columns}) as columns from (${query}) as r
  `.execute(db)
  const values = result.rows[0]?.columns
  const first = values?.[0]
  if (!values || !first) return []
  const rows = new Array<R>(first.length)
  for (let i = 0; i < first.length; i += 1) {
    const row: Record<string, unknown> = {}
    names.forEach((name, j) => {
      row[name] = values[j]?.[i]
    })
    rows[i] = row as R
  }
  return rows
}
