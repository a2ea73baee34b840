/**
 * The generated reports as view data: a quarterly performance report and an annual delivery report, each a list of
 * numbered sections holding paragraphs, key figures, charts (each with its data table) and tables. The same model
 * renders the web page, the printed PDF and the CSV of every table, so they can never disagree. Pure: no I/O.
 */
import { t } from '../../platform/i18n.js'
import { writeCsv, type CsvCell } from '../../platform/csv.js'
import { performancePaths, reportPaths } from './performance-paths.js'
import { financialYearLabel, financialYearOf, monthEnd, parseIsoDate } from './kpi-engine.js'
import {
  presentDirectionOfTravel,
  formatChangePct,
  formatDate,
  formatValue,
  presentChangeChart,
  ragTag,
  targetText,
  type BarChart,
} from './performance-presenters.js'
import type { KpiPack, OutputsFigures, PlanView, ReportFigures, TrendYear } from './performance-service.js'
import { pairBarChart, trendChart, type LineChart, type PairBarChart } from './report-charts.js'
import { statusTag, ACTION_STATUSES } from './plan-status.js'
import { LONG_MONTHS } from '../../platform/dates.js'
import { recordSections } from './report-record-sections.js'
import type { ReportRecordFigures } from './report-records.js'

export type ReportKind = 'quarterly' | 'annual'

export interface ReportPeriod {
  kind: ReportKind
  /** `2018-q4` or `2018`: the URL segment. */
  slug: string
  startYear: number
  quarter: number | null
  /** The last day of the period: the date the figures are "as at". */
  asAt: string
  start: string
  label: string
}

/** `2018-q4` (quarter 4 of 2018/19: January to March 2019) or `2018` (the financial year 2018/19); null if neither. */
export function parseReportPeriod(kind: ReportKind, slug: string): ReportPeriod | null {
  if (kind === 'annual') {
    if (!/^\d{4}$/.test(slug)) return null
    const startYear = Number(slug)
    if (startYear < 2000 || startYear > 2100) return null
    return {
      kind,
      slug,
      startYear,
      quarter: null,
      asAt: `${String(startYear + 1)}-03-31`,
      start: `${String(startYear)}-04-01`,
      label: financialYearLabel(startYear),
    }
  }
  const match = /^(\d{4})-q([1-4])$/.exec(slug)
  if (!match) return null
  const startYear = Number(match[1])
  if (startYear < 2000 || startYear > 2100) return null
  const quarter = Number(match[2])
  const firstMonth = ((3 + (quarter - 1) * 3) % 12) + 1
  const year = quarter === 4 ? startYear + 1 : startYear
  const start = `${String(year)}-${String(firstMonth).padStart(2, '0')}-01`
  const asAt = monthEnd(`${String(year)}-${String(firstMonth + 2).padStart(2, '0')}-01`)
  return {
    kind,
    slug,
    startYear,
    quarter,
    asAt,
    start,
    label: t('performanceReports.quarterLabel', {
      quarter,
      year: financialYearLabel(startYear),
      from: LONG_MONTHS[firstMonth - 1] ?? '',
      to: LONG_MONTHS[firstMonth + 1] ?? '',
      calendarYear: year,
    }),
  }
}

/** The quarter that contains `date`, as a slug. */
export function quarterSlugOf(date: string): string {
  const parsed = parseIsoDate(date)
  if (!parsed) throw new RangeError(date)
  const fy = financialYearOf(date)
  const quarter = Math.floor(((parsed.month + 8) % 12) / 3) + 1
  return `${String(fy)}-q${String(quarter)}`
}

export interface Cell {
  text: string
  numeric?: boolean
  header?: boolean
  href?: string
  hint?: string
  tag?: { text: string; classes: string }
  direction?: ReturnType<typeof presentDirectionOfTravel>
}

export interface ReportTable {
  id: string
  caption: string
  columns: { text: string; numeric?: boolean }[]
  groups: { heading?: string; rows: Cell[][] }[]
  csvHref: string
  small?: boolean
  csv: { header: string[]; rows: CsvCell[][] }
}

export type ReportChart =
  | { kind: 'change'; chart: BarChart; table: ReportTable }
  | { kind: 'line'; chart: LineChart; table: ReportTable }
  | { kind: 'pair'; chart: PairBarChart; table: ReportTable }

export interface ReportSection {
  id: string
  number: number
  heading: string
  paragraphs: string[]
  keyFigures: { value: string; label: string }[]
  charts: ReportChart[]
  tables: ReportTable[]
}

export interface ReportModel {
  period: ReportPeriod
  title: string
  subtitle: string
  boroughName: string
  asAtText: string
  generatedText: string
  htmlHref: string
  pdfHref: string
  sections: ReportSection[]
}

function num(value: number): string {
  return value.toLocaleString('en-GB')
}

function kpiTable(pack: KpiPack, id: string, csvHref: string, detailHref: (id: string) => string): ReportTable {
  return {
    id,
    caption: t('performanceReports.kpiCaption', { area: pack.area.name, date: formatDate(pack.asAt) }),
    columns: [
      { text: t('performance.table.indicator') },
      { text: t('performance.table.ytd'), numeric: true },
      { text: t('performance.table.previousYtd'), numeric: true },
      { text: t('performance.table.changePct'), numeric: true },
      { text: t('performance.table.direction') },
      { text: t('performance.table.target') },
      { text: t('performance.table.rag') },
    ],
    groups: pack.priorities.map(group => ({
      heading: group.priority.name,
      rows: group.rows.map(({ indicator, result }) => [
        { text: indicator.name, header: true, href: detailHref(indicator.id) },
        { text: formatValue(indicator.unit, result.ytd), numeric: true },
        {
          text: result.previousYtd === null ? 'n/a' : formatValue(indicator.unit, result.previousYtd),
          numeric: true,
        },
        { text: formatChangePct(result.changePct), numeric: true },
        { text: '', direction: presentDirectionOfTravel(result, indicator.polarity) },
        { text: targetText(indicator) },
        { text: '', tag: ragTag(result, indicator) },
      ]),
    })),
    csvHref,
    csv: {
      header: [
        'CSP priority',
        'Indicator id',
        'Performance indicator',
        'YTD from',
        'YTD to',
        'YTD',
        'Previous YTD',
        '% change',
        'Direction of travel',
        'Target',
        'RAG',
      ],
      rows: pack.rows.map(({ indicator, priority, result }) => [
        priority.name,
        indicator.id,
        indicator.name,
        result.window.start,
        result.window.end,
        result.ytd,
        result.previousYtd,
        result.changePct ?? 'n/a',
        presentDirectionOfTravel(result, indicator.polarity).text,
        targetText(indicator),
        ragTag(result, indicator).csv,
      ]),
    },
  }
}

function summarySection(number: number, pack: KpiPack): ReportSection {
  const count = (predicate: (row: KpiPack['rows'][number]) => boolean) => pack.rows.filter(predicate).length
  const compared = count(row => row.result.assessment !== 'not-available')
  const improving = count(row => row.result.assessment === 'improving')
  const worsening = count(row => row.result.assessment === 'worsening')
  const stable = count(row => row.result.assessment === 'no-significant-change')
  const withTarget = count(row => row.result.rag !== 'grey')
  const green = count(row => row.result.rag === 'green')
  const amber = count(row => row.result.rag === 'amber')
  const red = count(row => row.result.rag === 'red')
  const worst = pack.rows
    .filter(row => row.result.assessment === 'worsening' && row.result.changePct !== null)
    .sort((a, b) => Math.abs(b.result.changePct ?? 0) - Math.abs(a.result.changePct ?? 0))
    .slice(0, 3)
  return {
    id: 'summary',
    number,
    heading: t('performanceReports.summary.heading'),
    paragraphs: [
      t('performanceReports.summary.direction', {
        total: pack.rows.length,
        compared,
        improving,
        worsening,
        stable,
      }),
      withTarget === 0
        ? t('performanceReports.summary.noTargets')
        : t('performanceReports.summary.targets', { withTarget, green, amber, red }),
      ...(worst.length > 0
        ? [
            t('performanceReports.summary.attention', {
              list: worst.map(row => `${row.indicator.name} (${formatChangePct(row.result.changePct)}%)`).join('; '),
            }),
          ]
        : []),
    ],
    keyFigures: [
      { value: String(improving), label: t('performanceReports.summary.improving') },
      { value: String(worsening), label: t('performanceReports.summary.worsening') },
      { value: String(stable), label: t('performanceReports.summary.stable') },
      { value: `${String(green)} / ${String(amber)} / ${String(red)}`, label: t('performanceReports.summary.rag') },
    ],
    charts: [],
    tables: [],
  }
}

function changeSection(number: number, pack: KpiPack, csvHref: string): ReportSection {
  const chart = presentChangeChart(pack)
  const rows = pack.rows.filter(row => row.result.changePct !== null)
  return {
    id: 'change',
    number,
    heading: t('performanceReports.change.heading'),
    paragraphs: [t('performance.dashboard.chartNote')],
    keyFigures: [],
    charts:
      rows.length === 0
        ? []
        : [
            {
              kind: 'change',
              chart,
              table: {
                id: 'change',
                caption: t('performance.dashboard.chartData'),
                columns: [
                  { text: t('performance.table.indicator') },
                  { text: t('performance.table.changePct'), numeric: true },
                ],
                groups: [
                  {
                    rows: rows.map(({ indicator, result }) => [
                      { text: indicator.name, header: true },
                      { text: formatChangePct(result.changePct), numeric: true },
                    ]),
                  },
                ],
                csvHref,
                small: true,
                csv: {
                  header: ['Indicator id', 'Performance indicator', '% change'],
                  rows: rows.map(({ indicator, result }) => [indicator.id, indicator.name, result.changePct]),
                },
              },
            },
          ],
    tables: [],
  }
}

const FY_MONTHS = ['Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb', 'Mar']

function trendTable(id: string, name: string, years: TrendYear[], csvHref: string, format: (v: number) => string) {
  return {
    id,
    caption: t('performanceReports.trends.tableCaption', { name }),
    columns: [
      { text: t('performanceReports.trends.month') },
      ...years.map(year => ({ text: financialYearLabel(year.startYear), numeric: true })),
    ],
    groups: [
      {
        rows: FY_MONTHS.map((month, index) => [
          { text: month, header: true },
          ...years.map(year => {
            const value = year.months[index] ?? null
            return { text: value === null ? '–' : format(value), numeric: true }
          }),
        ]),
      },
    ],
    csvHref,
    small: true,
    csv: {
      header: ['Month', 'Financial year', name],
      rows: years.flatMap(year =>
        year.months.map((value, index) => {
          const monthNumber = ((3 + index) % 12) + 1
          const calendarYear = monthNumber >= 4 ? year.startYear : year.startYear + 1
          return [
            `${String(calendarYear)}-${String(monthNumber).padStart(2, '0')}`,
            financialYearLabel(year.startYear),
            value,
          ]
        }),
      ),
    },
  } satisfies ReportTable
}

function indicatorTrendsSection(
  number: number,
  figures: ReportFigures,
  csv: (id: string) => string,
): ReportSection | null {
  if (figures.trends.length === 0) return null
  return {
    id: 'trends',
    number,
    heading: t('performanceReports.trends.heading'),
    paragraphs: [t('performanceReports.trends.intro')],
    keyFigures: [],
    charts: figures.trends.map(({ row, years }) => {
      const format = (value: number) => formatValue(row.indicator.unit, value)
      const id = `trend-${row.indicator.id}`
      return {
        kind: 'line' as const,
        chart: trendChart(id, row.indicator.name, years, format),
        table: trendTable(id, row.indicator.name, years, csv(id), format),
      }
    }),
    tables: [],
  }
}

function indicatorWardsSection(number: number, figures: ReportFigures, csvHref: string): ReportSection | null {
  if (figures.wards.length === 0) return null
  const wards = figures.wards[0]?.wards.map(w => w.ward) ?? []
  const indicators = figures.wards.map(entry => entry.row.indicator)
  return {
    id: 'wards',
    number,
    heading: t('performanceReports.wards.heading'),
    paragraphs: [t('performanceReports.wards.intro')],
    keyFigures: [],
    charts: [],
    tables: [
      {
        id: 'wards',
        caption: t('performanceReports.wards.caption', { date: formatDate(figures.asAt) }),
        columns: [
          { text: t('performance.indicator.ward') },
          ...indicators.map(indicator => ({ text: indicator.name, numeric: true })),
        ],
        groups: [
          {
            rows: wards.map((ward, wardIndex) => [
              { text: ward.name, header: true },
              ...figures.wards.map(entry => {
                const result = entry.wards[wardIndex]?.result
                const value = formatValue(entry.row.indicator.unit, result?.ytd ?? null)
                return { text: value, numeric: true }
              }),
            ]),
          },
        ],
        csvHref,
        small: true,
        csv: {
          header: ['Ward code', 'Ward', 'Indicator id', 'Performance indicator', 'YTD', 'Previous YTD', '% change'],
          rows: figures.wards.flatMap(entry =>
            entry.wards.map(({ ward, result }) => [
              ward.code,
              ward.name,
              entry.row.indicator.id,
              entry.row.indicator.name,
              result.ytd,
              result.previousYtd,
              result.changePct ?? 'n/a',
            ]),
          ),
        },
      },
    ],
  }
}

function planSection(number: number, plan: PlanView, csvHref: string): ReportSection {
  const actions = plan.priorities.flatMap(group =>
    group.outcomes.flatMap(({ outcome, actions: list }) =>
      list.map(action => ({ priority: group.priority.name, outcome: outcome.text, action })),
    ),
  )
  return {
    id: 'plan',
    number,
    heading: t('performanceReports.plan.heading'),
    paragraphs: [
      actions.length === 0
        ? t('performanceReports.plan.none')
        : t('performanceReports.plan.intro', {
            total: actions.length,
            summary: ACTION_STATUSES.map(
              status => `${status.text.toLowerCase()}: ${String(plan.statusCounts[status.value] ?? 0)}`,
            ).join(', '),
          }),
    ],
    keyFigures: ACTION_STATUSES.map(status => ({
      value: String(plan.statusCounts[status.value] ?? 0),
      label: status.text,
    })),
    charts: [],
    tables:
      actions.length === 0
        ? []
        : [
            {
              id: 'plan-actions',
              caption: t('performanceReports.plan.caption'),
              columns: [
                { text: t('performance.plan.action') },
                { text: t('performance.plan.owner') },
                { text: t('performance.plan.due') },
                { text: t('performance.plan.status') },
                { text: t('performance.plan.narrative') },
              ],
              groups: plan.priorities.map(group => ({
                heading: group.priority.name,
                rows: group.outcomes.flatMap(({ actions: list }) =>
                  list.map(action => [
                    { text: action.title, header: true },
                    { text: action.partner ? `${action.owner} (${action.partner})` : action.owner },
                    { text: action.dueDate ? formatDate(action.dueDate) : 'No date' },
                    { text: '', tag: statusTag(action.status) },
                    { text: action.narrative },
                  ]),
                ),
              })),
              csvHref,
              small: true,
              csv: {
                header: ['CSP priority', 'Outcome', 'Action', 'Owner', 'Partner', 'Due', 'Status', 'Progress update'],
                rows: actions.map(({ priority, outcome, action }) => [
                  priority,
                  outcome,
                  action.title,
                  action.owner,
                  action.partner,
                  action.dueDate,
                  statusTag(action.status).text,
                  action.narrative,
                ]),
              },
            },
          ],
  }
}

function aboutSection(number: number): ReportSection {
  return {
    id: 'about',
    number,
    heading: t('performanceReports.about.heading'),
    paragraphs: [
      t('performanceReports.about.ytd'),
      t('performanceReports.about.direction'),
      t('performanceReports.about.rag'),
      t('performanceReports.about.sources'),
    ],
    keyFigures: [],
    charts: [],
    tables: [],
  }
}

function numberSections(sections: (Omit<ReportSection, 'number'> | null)[]): ReportSection[] {
  return sections
    .filter((section): section is Omit<ReportSection, 'number'> => section !== null)
    .map((section, index) => ({ ...section, number: index + 1 }))
}

function header(period: ReportPeriod, boroughName: string, generatedAt: Date) {
  const paths = reportPaths(period)
  return {
    period,
    boroughName,
    asAtText: formatDate(period.asAt),
    generatedText: formatDate(generatedAt.toISOString().slice(0, 10)),
    htmlHref: paths.html,
    pdfHref: paths.pdf,
  }
}

export function presentQuarterlyReport(input: {
  period: ReportPeriod
  boroughName: string
  figures: ReportFigures
  plan: PlanView
  generatedAt: Date
  /** Case Reviews, panels, powers and police data from the modules' records; the sections are left out without. */
  records?: ReportRecordFigures
}): ReportModel {
  const { period, figures } = input
  const paths = reportPaths(period)
  const detailHref = (id: string) => performancePaths.indicatorAt(id, period.asAt)
  return {
    ...header(period, input.boroughName, input.generatedAt),
    title: t('performanceReports.quarterly.title'),
    subtitle: period.label,
    sections: numberSections([
      summarySection(0, figures.pack),
      {
        id: 'kpis',
        heading: t('performanceReports.kpis.heading'),
        paragraphs: [
          t('performanceReports.kpis.intro', {
            ytd: `${formatDate(figures.pack.rows[0]?.result.window.start ?? period.start)} to ${formatDate(period.asAt)}`,
          }),
        ],
        keyFigures: [],
        charts: [],
        tables: [kpiTable(figures.pack, 'kpis', paths.csv('kpis'), detailHref)],
      },
      changeSection(0, figures.pack, paths.csv('change')),
      indicatorTrendsSection(0, figures, paths.csv),
      indicatorWardsSection(0, figures, paths.csv('wards')),
      ...(input.records ? recordSections(input.records, period, paths.csv) : []),
      planSection(0, input.plan, paths.csv('plan-actions')),
      aboutSection(0),
    ]),
  }
}

export function presentAnnualReport(input: {
  period: ReportPeriod
  boroughName: string
  figures: ReportFigures
  outputs: OutputsFigures
  plan: PlanView
  generatedAt: Date
  records?: ReportRecordFigures
}): ReportModel {
  const { period, figures, outputs } = input
  const paths = reportPaths(period)
  const detailHref = (id: string) => performancePaths.indicatorAt(id, period.asAt)
  const year = financialYearLabel(period.startYear)
  const previousYear = financialYearLabel(period.startYear - 1)
  const types = outputs.types
  const outputsTable: ReportTable = {
    id: 'outputs',
    caption: t('performanceReports.outputs.caption', { year, previousYear }),
    columns: [
      { text: t('performanceReports.outputs.output') },
      { text: year, numeric: true },
      { text: previousYear, numeric: true },
      { text: t('performance.table.changePct'), numeric: true },
    ],
    groups: [
      {
        rows: types.map(type => [
          { text: type.name, header: true },
          { text: num(type.ytd), numeric: true },
          { text: num(type.previousYtd), numeric: true },
          { text: formatChangePct(type.changePct), numeric: true },
        ]),
      },
    ],
    csvHref: paths.csv('outputs'),
    small: true,
    csv: {
      header: ['Activity type', 'Output', 'Unit', year, previousYear, '% change'],
      rows: types.map(type => [
        type.code,
        type.name,
        type.quantityLabel,
        type.ytd,
        type.previousYtd,
        type.changePct ?? 'n/a',
      ]),
    },
  }
  const wards = types[0]?.wards.map(w => w.ward) ?? []
  const outputsSection: Omit<ReportSection, 'number'> = {
    id: 'outputs',
    heading: t('performanceReports.outputs.heading', { year }),
    paragraphs: [
      types.length === 0 ? t('performanceReports.outputs.none') : t('performanceReports.outputs.intro', { year }),
    ],
    keyFigures: types.filter(type => type.ytd > 0).map(type => ({ value: num(type.ytd), label: type.name })),
    charts:
      types.length === 0
        ? []
        : [
            {
              kind: 'pair',
              chart: pairBarChart(
                'outputs-chart',
                t('performanceReports.outputs.chartTitle', { year, previousYear }),
                types.map(type => ({ label: type.name, current: type.ytd, previous: type.previousYtd })),
                { current: year, previous: previousYear },
              ),
              table: outputsTable,
            },
          ],
    tables: [],
  }
  const outputWardsSection: Omit<ReportSection, 'number'> | null =
    types.length === 0
      ? null
      : {
          id: 'outputs-wards',
          heading: t('performanceReports.outputWards.heading'),
          paragraphs: [t('performanceReports.outputWards.intro')],
          keyFigures: [],
          charts: [],
          tables: [
            {
              id: 'outputs-wards',
              caption: t('performanceReports.outputWards.caption', { year }),
              columns: [
                { text: t('performance.indicator.ward') },
                ...types.map(type => ({ text: type.name, numeric: true })),
              ],
              groups: [
                {
                  rows: wards.map((ward, index) => [
                    { text: ward.name, header: true },
                    ...types.map(type => ({ text: num(type.wards[index]?.total ?? 0), numeric: true })),
                  ]),
                },
              ],
              csvHref: paths.csv('outputs-wards'),
              small: true,
              csv: {
                header: ['Ward code', 'Ward', 'Activity type', 'Output', year],
                rows: types.flatMap(type =>
                  type.wards.map(({ ward, total }) => [ward.code, ward.name, type.code, type.name, total]),
                ),
              },
            },
          ],
        }
  const outputTrends: Omit<ReportSection, 'number'> | null =
    types.length === 0
      ? null
      : {
          id: 'outputs-trends',
          heading: t('performanceReports.outputTrends.heading'),
          paragraphs: [t('performanceReports.trends.intro')],
          keyFigures: [],
          charts: types.map(type => {
            const id = `output-trend-${type.code}`
            return {
              kind: 'line' as const,
              chart: trendChart(id, type.name, type.years, num),
              table: trendTable(id, type.name, type.years, paths.csv(id), num),
            }
          }),
          tables: [],
        }
  return {
    ...header(period, input.boroughName, input.generatedAt),
    title: t('performanceReports.annual.title'),
    subtitle: t('performanceReports.annual.subtitle', { year }),
    sections: numberSections([
      outputsSection,
      outputWardsSection,
      outputTrends,
      {
        id: 'kpis',
        heading: t('performanceReports.kpis.yearHeading', { year }),
        paragraphs: [summarySection(0, figures.pack).paragraphs[0] ?? ''],
        keyFigures: [],
        charts: [],
        tables: [kpiTable(figures.pack, 'kpis', paths.csv('kpis'), detailHref)],
      },
      indicatorWardsSection(0, figures, paths.csv('wards')),
      ...(input.records ? recordSections(input.records, period, paths.csv) : []),
      planSection(0, input.plan, paths.csv('plan-actions')),
      aboutSection(0),
    ]),
  }
}

/** Every table of a report, charts' data tables included, by id. */
export function reportTables(model: ReportModel): Map<string, ReportTable> {
  const tables = new Map<string, ReportTable>()
  for (const section of model.sections) {
    for (const chart of section.charts) tables.set(chart.table.id, chart.table)
    for (const table of section.tables) tables.set(table.id, table)
  }
  return tables
}

export function reportTableCsv(table: ReportTable): string {
  return writeCsv(table.csv.header, table.csv.rows)
}
