/**
 * The all-or-nothing CSV import (ADR 0034): read → check the header → check every line, collecting each problem with
 * its line number (the header is line 1) → if there is any problem, write nothing and return them all → else write
 * every row in one transaction. A staff upload either goes in whole or not at all, with a report the user can fix the
 * file from.
 *
 * Problems are codes, never copy: the module's presenter turns `code` (with `params`) into words from the locale
 * file. The codes the pipeline itself gives are `CSV_PROBLEM` below; a module's row check adds its own.
 *
 * Not for the police.uk imports: those stream files of millions of rows through COPY and import the good rows of a
 * file while reporting the bad ones (ADR 0011), which is a different contract.
 */
import { createHash } from 'node:crypto'

import { readCsv } from './csv.js'

/** One thing wrong with a file, at a line (1 is the header) and a column (`file`, `header` or `line` for the whole). */
export interface CsvImportProblem {
  line: number
  field: string
  code: string
  params?: Record<string, string | number>
}

/** The problems the pipeline finds before any line is checked by the module. */
export const CSV_PROBLEM = {
  /** The text is not CSV (a broken quote); `line` is where the bad record starts. */
  invalid: 'csv-invalid',
  empty: 'csv-empty',
  /** params: `header`, the exact first line expected. */
  header: 'csv-header',
  noRows: 'csv-no-rows',
  /** params: `max`. */
  tooMany: 'csv-too-many',
  /** params: `has`, `needs`. */
  columns: 'csv-columns',
} as const

export type RowCheck<Row> =
  | { ok: true; row: Row }
  | { ok: false; problems: { field: string; code: string; params?: Record<string, string | number> }[] }

export interface CsvImportFormat<Row> {
  /** The exact first line, as column names. */
  header: readonly string[]
  /** Whether the header's names are compared ignoring case (always ignoring spaces around them). */
  headerIgnoresCase?: boolean
  /** The most lines of data one file may hold. */
  maxRows: number
  /**
   * Checks one line of data, which has exactly the header's number of columns. Lines are checked in file order, so a
   * check may compare a line with earlier ones (a repeat).
   */
  row(fields: string[], line: number): RowCheck<Row>
}

export type CsvImportRead<Row> = { ok: true; rows: Row[] } | { ok: false; problems: CsvImportProblem[] }

/** Reads and checks a whole file; writes nothing. */
export function readCsvImport<Row>(text: string, format: CsvImportFormat<Row>): CsvImportRead<Row> {
  const records = readCsv(text)
  const broken = records.find(record => 'error' in record)
  if (broken) return refuse(broken.line, 'file', CSV_PROBLEM.invalid)
  const [header, ...body] = records as { line: number; fields: string[] }[]
  if (!header) return refuse(1, 'file', CSV_PROBLEM.empty)
  const name = (text: string) => (format.headerIgnoresCase ? text.trim().toLowerCase() : text.trim())
  if (header.fields.map(name).join(',') !== format.header.join(',')) {
    return refuse(1, 'header', CSV_PROBLEM.header, { header: format.header.join(',') })
  }
  if (body.length === 0) return refuse(2, 'file', CSV_PROBLEM.noRows)
  if (body.length > format.maxRows) return refuse(1, 'file', CSV_PROBLEM.tooMany, { max: format.maxRows })
  const problems: CsvImportProblem[] = []
  const rows: Row[] = []
  for (const { line, fields } of body) {
    if (fields.length !== format.header.length) {
      problems.push({
        line,
        field: 'line',
        code: CSV_PROBLEM.columns,
        params: { has: fields.length, needs: format.header.length },
      })
      continue
    }
    const checked = format.row(fields, line)
    if (checked.ok) rows.push(checked.row)
    else for (const problem of checked.problems) problems.push({ line, ...problem })
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows }
}

/**
 * Reads and checks a whole file, then, only if every line is good, hands all the rows to `write`, which saves them in
 * one transaction (and audits the import in it). `write` is never called for a file with any problem.
 */
export async function runCsvImport<Row, Written>(
  text: string,
  format: CsvImportFormat<Row>,
  write: (rows: Row[], file: { sha256: string }) => Promise<Written>,
): Promise<{ ok: true; written: Written; rows: number } | { ok: false; problems: CsvImportProblem[] }> {
  const read = readCsvImport(text, format)
  if (!read.ok) return read
  const written = await write(read.rows, { sha256: createHash('sha256').update(text).digest('hex') })
  return { ok: true, written, rows: read.rows.length }
}

function refuse(
  line: number,
  field: string,
  code: string,
  params?: Record<string, string | number>,
): { ok: false; problems: CsvImportProblem[] } {
  return { ok: false, problems: [{ line, field, code, ...(params ? { params } : {}) }] }
}
