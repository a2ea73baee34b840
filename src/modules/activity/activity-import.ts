/**
 * Reading a CSV of activity records: the header must be exactly `CSV_HEADER`, every line is checked, and the
 * report lists each problem with its line number (the header is line 1). Pure; saving is all-or-nothing elsewhere.
 */
import { parse } from 'csv-parse/sync'

import { CSV_HEADER, validateActivity, type ValidActivity, type ValidationContext } from './activity-validation.js'

export interface ImportProblem {
  line: number
  field: string
  message: string
}

export const MAX_IMPORT_ROWS = 5000

export function readActivityCsv(
  text: string,
  context: ValidationContext,
): { ok: true; records: ValidActivity[] } | { ok: false; problems: ImportProblem[] } {
  let rows: { record: string[]; info: { lines: number } }[]
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[]
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1
    return { ok: false, problems: [{ line, field: 'file', message: 'This line is not valid CSV (check the quotes)' }] }
  }
  const [header, ...body] = rows
  if (!header) return { ok: false, problems: [{ line: 1, field: 'file', message: 'The file is empty' }] }
  const names = header.record.map(name => name.trim().toLowerCase())
  if (names.join(',') !== CSV_HEADER.join(',')) {
    return {
      ok: false,
      problems: [{ line: 1, field: 'header', message: `The first line must be exactly: ${CSV_HEADER.join(',')}` }],
    }
  }
  if (body.length === 0) return { ok: false, problems: [{ line: 2, field: 'file', message: 'There are no records' }] }
  if (body.length > MAX_IMPORT_ROWS) {
    return {
      ok: false,
      problems: [{ line: 1, field: 'file', message: `Import at most ${String(MAX_IMPORT_ROWS)} records at a time` }],
    }
  }
  const problems: ImportProblem[] = []
  const records: ValidActivity[] = []
  for (const { record, info } of body) {
    const line = info.lines
    if (record.length !== CSV_HEADER.length) {
      problems.push({
        line,
        field: 'line',
        message: `Has ${String(record.length)} columns; it needs ${String(CSV_HEADER.length)}`,
      })
      continue
    }
    const [type, date, ward, priority, quantity, operation, partner, evidence] = record as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ]
    const result = validateActivity({ type, date, ward, priority, quantity, operation, partner, evidence }, context)
    if (result.ok) records.push(result.value)
    else for (const error of result.errors) problems.push({ line, field: error.field, message: error.message })
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, records }
}
