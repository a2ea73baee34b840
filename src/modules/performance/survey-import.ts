/**
 * Reading a resident survey CSV: perception measures (for example "feel safe after dark") by area and fieldwork
 * period, as respondents and how many agreed. Read through the platform's all-or-nothing import
 * (`platform/csv-import.ts`): the header must be exactly `SURVEY_CSV_HEADER`; every line is checked and each problem
 * is reported with its line number (the header is line 1) as a code, `performanceEditing.surveyErrors.<code>` in the
 * locale file. Pure: saving is in the service.
 */
import { readCsvImport, type CsvImportFormat, type CsvImportProblem } from '../../platform/csv-import.js'
import { parseIsoDate } from './kpi-engine.js'

export const SURVEY_CSV_HEADER = [
  'survey',
  'measure',
  'area_code',
  'period_start',
  'period_end',
  'respondents',
  'agreeing',
] as const

export const MAX_SURVEY_ROWS = 5000

export interface SurveyRow {
  survey: string
  measure: string
  areaCode: string
  periodStart: string
  periodEnd: string
  respondents: number
  agreeing: number
}

export type SurveyProblem = CsvImportProblem

const MEASURE = /^[a-z0-9][a-z0-9-]*$/
const WHOLE = /^\d{1,9}$/

export function surveyCsvFormat(context: {
  areaCodes: ReadonlySet<string>
  measures: ReadonlySet<string>
}): CsvImportFormat<SurveyRow> {
  const seen = new Map<string, number>()
  return {
    header: SURVEY_CSV_HEADER,
    maxRows: MAX_SURVEY_ROWS,
    row(fields, line) {
      const [survey, measure, areaCode, periodStart, periodEnd, respondentsText, agreeingText] = fields.map(cell =>
        cell.trim(),
      ) as [string, string, string, string, string, string, string]
      const problems: { field: string; code: string; params?: Record<string, string | number> }[] = []
      const problem = (field: string, code: string, params?: Record<string, string | number>) =>
        problems.push({ field, code, ...(params ? { params } : {}) })
      if (survey === '') problem('survey', 'survey-missing')
      else if (survey.length > 200) problem('survey', 'survey-too-long')
      if (!MEASURE.test(measure)) problem('measure', 'measure-invalid')
      else if (!context.measures.has(measure)) problem('measure', 'measure-unknown', { measure })
      if (!context.areaCodes.has(areaCode)) problem('area_code', 'area-unknown')
      const start = parseIsoDate(periodStart)
      const end = parseIsoDate(periodEnd)
      if (!start) problem('period_start', 'start-invalid')
      if (!end) problem('period_end', 'end-invalid')
      if (start && end && periodEnd < periodStart) problem('period_end', 'end-before-start')
      const respondents = WHOLE.test(respondentsText) ? Number(respondentsText) : NaN
      const agreeing = WHOLE.test(agreeingText) ? Number(agreeingText) : NaN
      if (!(respondents > 0)) problem('respondents', 'respondents-invalid')
      if (!(agreeing >= 0)) problem('agreeing', 'agreeing-invalid')
      if (respondents > 0 && agreeing > respondents) problem('agreeing', 'agreeing-too-many')
      const key = [measure, areaCode, periodStart, periodEnd].join('|')
      const earlier = seen.get(key)
      if (earlier !== undefined) problem('line', 'repeated', { line: earlier })
      else seen.set(key, line)
      if (problems.length > 0) return { ok: false, problems }
      return { ok: true, row: { survey, measure, areaCode, periodStart, periodEnd, respondents, agreeing } }
    },
  }
}

export function readSurveyCsv(
  text: string,
  context: { areaCodes: ReadonlySet<string>; measures: ReadonlySet<string> },
): { ok: true; rows: SurveyRow[] } | { ok: false; problems: SurveyProblem[] } {
  return readCsvImport(text, surveyCsvFormat(context))
}
