/**
 * Reading a CSV of activity records through the platform's all-or-nothing import (`platform/csv-import.ts`): the
 * header must be `CSV_HEADER` (any case), every line is checked as the form checks one record, and each problem is
 * reported with its line number (the header is line 1). Pure; saving is in the service.
 */
import { readCsvImport, type CsvImportFormat, type CsvImportProblem } from '../../platform/csv-import.js'
import { CSV_HEADER, validateActivity, type ValidActivity, type ValidationContext } from './activity-validation.js'

/** A problem with a file: a pipeline code (`csv-…`) or an activity code, at a line and column. */
export type ImportProblem = CsvImportProblem

export const MAX_IMPORT_ROWS = 5000

export function activityCsvFormat(context: ValidationContext): CsvImportFormat<ValidActivity> {
  return {
    header: CSV_HEADER,
    headerIgnoresCase: true,
    maxRows: MAX_IMPORT_ROWS,
    row(fields) {
      const [type, date, ward, priority, quantity, operation, partner, evidence] = fields as [
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
      return result.ok ? { ok: true, row: result.value } : { ok: false, problems: result.errors }
    },
  }
}

export function readActivityCsv(
  text: string,
  context: ValidationContext,
): { ok: true; records: ValidActivity[] } | { ok: false; problems: ImportProblem[] } {
  const read = readCsvImport(text, activityCsvFormat(context))
  return read.ok ? { ok: true, records: read.rows } : read
}
