/**
 * Reading a resident survey CSV: perception measures (for example "feel safe after dark") by area and fieldwork
 * period, as respondents and how many agreed. The header must be exactly `SURVEY_CSV_HEADER`; every line is
 * checked and each problem is reported with its line number (the header is line 1). Pure: saving is
 * all-or-nothing in the service.
 */
import { parse } from 'csv-parse/sync'

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

export interface SurveyProblem {
  line: number
  field: string
  message: string
}

const MEASURE = /^[a-z0-9][a-z0-9-]*$/
const WHOLE = /^\d{1,9}$/

export function readSurveyCsv(
  text: string,
  context: { areaCodes: ReadonlySet<string>; measures: ReadonlySet<string> },
): { ok: true; rows: SurveyRow[] } | { ok: false; problems: SurveyProblem[] } {
  let parsed: { record: string[]; info: { lines: number } }[]
  try {
    parsed = parse(text.replace(/^\uFEFF/, ''), {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[]
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1
    return { ok: false, problems: [{ line, field: 'file', message: 'This line is not valid CSV (check the quotes)' }] }
  }
  const [header, ...body] = parsed
  if (!header) return { ok: false, problems: [{ line: 1, field: 'file', message: 'The file is empty' }] }
  if (header.record.map(name => name.trim()).join(',') !== SURVEY_CSV_HEADER.join(',')) {
    return {
      ok: false,
      problems: [
        { line: 1, field: 'header', message: `The first line must be exactly: ${SURVEY_CSV_HEADER.join(',')}` },
      ],
    }
  }
  if (body.length === 0) return { ok: false, problems: [{ line: 2, field: 'file', message: 'There are no results' }] }
  if (body.length > MAX_SURVEY_ROWS) {
    return {
      ok: false,
      problems: [{ line: 1, field: 'file', message: `Import at most ${String(MAX_SURVEY_ROWS)} results at a time` }],
    }
  }
  const problems: SurveyProblem[] = []
  const rows: SurveyRow[] = []
  const seen = new Map<string, number>()
  for (const { record, info } of body) {
    const line = info.lines
    if (record.length !== SURVEY_CSV_HEADER.length) {
      problems.push({
        line,
        field: 'line',
        message: `Has ${String(record.length)} columns; it needs ${String(SURVEY_CSV_HEADER.length)}`,
      })
      continue
    }
    const [survey, measure, areaCode, periodStart, periodEnd, respondentsText, agreeingText] = record.map(cell =>
      cell.trim(),
    ) as [string, string, string, string, string, string, string]
    const before = problems.length
    const problem = (field: string, message: string) => problems.push({ line, field, message })
    if (survey === '') problem('survey', 'Enter the name of the survey')
    else if (survey.length > 200) problem('survey', 'The survey name must be 200 characters or fewer')
    if (!MEASURE.test(measure)) problem('measure', 'Enter the measure code in lower case, like safe-after-dark')
    else if (!context.measures.has(measure))
      problem('measure', `No indicator takes its figures from the survey measure "${measure}"`)
    if (!context.areaCodes.has(areaCode)) problem('area_code', 'Enter the code of the borough or one of its wards')
    const start = parseIsoDate(periodStart)
    const end = parseIsoDate(periodEnd)
    if (!start) problem('period_start', 'Enter the start of fieldwork as a real date, like 2019-01-01')
    if (!end) problem('period_end', 'Enter the end of fieldwork as a real date, like 2019-03-31')
    if (start && end && periodEnd < periodStart) problem('period_end', 'The end must be on or after the start')
    const respondents = WHOLE.test(respondentsText) ? Number(respondentsText) : NaN
    const agreeing = WHOLE.test(agreeingText) ? Number(agreeingText) : NaN
    if (!(respondents > 0)) problem('respondents', 'Enter the number of respondents as a whole number above 0')
    if (!(agreeing >= 0)) problem('agreeing', 'Enter how many agreed as a whole number, 0 or more')
    if (respondents > 0 && agreeing > respondents) problem('agreeing', 'More agreed than there were respondents')
    const key = [measure, areaCode, periodStart, periodEnd].join('|')
    const earlier = seen.get(key)
    if (earlier !== undefined) problem('line', `Repeats line ${String(earlier)} (same measure, area and period)`)
    else seen.set(key, line)
    if (problems.length === before) {
      rows.push({ survey, measure, areaCode, periodStart, periodEnd, respondents, agreeing })
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows }
}
