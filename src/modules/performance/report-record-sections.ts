/**
 * The report sections computed from other modules' records (report-records.ts): ASB Case Reviews, panels, powers and
 * police data. Each has a heading, a short table, the source named, and says "No data" when nothing is held, never 0.
 * Pure: no I/O.
 */
import { t } from '../../platform/i18n.js'
import { LONG_MONTHS } from '../../platform/dates.js'
import { financialYearLabel, percentChange } from './kpi-engine.js'
import { formatChangePct } from './performance-presenters.js'
import type { CountLine, ReportRecordFigures, StopSearchFigures } from './report-records.js'
import type { Cell, ReportPeriod, ReportSection, ReportTable } from './report-presenters.js'

type Section = Omit<ReportSection, 'number'>

function num(value: number): string {
  return value.toLocaleString('en-GB')
}

/** "Q4 2018/19" or "2018/19", and the same for the year before. */
export function periodColumns(period: ReportPeriod): { current: string; previous: string } {
  const year = (startYear: number) =>
    period.quarter === null
      ? financialYearLabel(startYear)
      : `Q${String(period.quarter)} ${financialYearLabel(startYear)}`
  return { current: year(period.startYear), previous: year(period.startYear - 1) }
}

/** "2019-10" → "October 2019". */
function monthText(month: string): string {
  return `${LONG_MONTHS[Number(month.slice(5, 7)) - 1] ?? month} ${month.slice(0, 4)}`
}

function section(id: string, paragraphs: string[], tables: ReportTable[]): Section {
  return {
    id,
    heading: t(`performanceReports.records.${id}.heading`),
    paragraphs,
    keyFigures: [],
    charts: [],
    tables,
  }
}

function countTable(
  id: string,
  caption: string,
  first: string,
  lines: CountLine[],
  period: ReportPeriod,
  csvHref: string,
): ReportTable {
  const columns = periodColumns(period)
  return {
    id,
    caption,
    columns: [
      { text: first },
      { text: columns.current, numeric: true },
      { text: columns.previous, numeric: true },
      { text: t('performance.table.changePct'), numeric: true },
    ],
    groups: [
      {
        rows: lines.map(line => [
          { text: line.name, header: true },
          { text: num(line.current), numeric: true },
          { text: num(line.previous), numeric: true },
          { text: formatChangePct(percentChange(line.current, line.previous)), numeric: true },
        ]),
      },
    ],
    csvHref,
    small: true,
    csv: {
      header: ['Source', first, columns.current, columns.previous, '% change'],
      rows: lines.map(line => [
        line.key,
        line.name,
        line.current,
        line.previous,
        percentChange(line.current, line.previous) ?? 'n/a',
      ]),
    },
  }
}

function caseReviewSection(records: ReportRecordFigures, period: ReportPeriod, csv: (id: string) => string): Section {
  if (records.caseReview.length === 0) return section('case-review', [t('performanceReports.records.noData')], [])
  return section(
    'case-review',
    [t('performanceReports.records.case-review.intro'), t('performanceReports.records.case-review.source')],
    [
      countTable(
        'case-review',
        t('performanceReports.records.case-review.caption'),
        t('performanceReports.records.figure'),
        records.caseReview,
        period,
        csv('case-review'),
      ),
    ],
  )
}

function powersSection(records: ReportRecordFigures, period: ReportPeriod, csv: (id: string) => string): Section {
  const lines = [...records.powers, ...(records.breaches ? [records.breaches] : [])]
  if (lines.length === 0) return section('powers', [t('performanceReports.records.noData')], [])
  return section(
    'powers',
    [t('performanceReports.records.powers.intro'), t('performanceReports.records.powers.source')],
    [
      countTable(
        'powers',
        t('performanceReports.records.powers.caption'),
        t('performanceReports.records.powers.power'),
        lines,
        period,
        csv('powers'),
      ),
    ],
  )
}

function onTimeText(due: number, onTime: number): string {
  if (due === 0) return 'n/a'
  return `${num(onTime)} (${String(Math.round((onTime / due) * 100))}%)`
}

function panelsSection(records: ReportRecordFigures, csv: (id: string) => string): Section {
  const panels = records.panels
  if (panels === null || panels.length === 0) return section('panels', [t('performanceReports.records.noData')], [])
  const total = panels.reduce(
    (sum, line) => ({
      panel: t('performanceReports.records.total'),
      meetings: sum.meetings + line.meetings,
      referrals: sum.referrals + line.referrals,
      actionsAgreed: sum.actionsAgreed + line.actionsAgreed,
      actionsDue: sum.actionsDue + line.actionsDue,
      actionsDueCompletedOnTime: sum.actionsDueCompletedOnTime + line.actionsDueCompletedOnTime,
    }),
    {
      panel: '',
      meetings: 0,
      referrals: 0,
      actionsAgreed: 0,
      actionsDue: 0,
      actionsDueCompletedOnTime: 0,
    },
  )
  const row = (line: typeof total): Cell[] => [
    { text: line.panel, header: true },
    { text: num(line.meetings), numeric: true },
    { text: num(line.referrals), numeric: true },
    { text: num(line.actionsAgreed), numeric: true },
    { text: num(line.actionsDue), numeric: true },
    { text: onTimeText(line.actionsDue, line.actionsDueCompletedOnTime), numeric: true },
  ]
  const words = (key: string) => t(`performanceReports.records.panels.${key}`)
  return section(
    'panels',
    [words('intro'), words('source')],
    [
      {
        id: 'panels',
        caption: words('caption'),
        columns: [
          { text: words('panel') },
          { text: words('meetings'), numeric: true },
          { text: words('referrals'), numeric: true },
          { text: words('actionsAgreed'), numeric: true },
          { text: words('actionsDue'), numeric: true },
          { text: words('onTime'), numeric: true },
        ],
        groups: [{ rows: panels.map(line => row({ ...line })) }, { rows: [row(total)] }],
        csvHref: csv('panels'),
        small: true,
        csv: {
          header: [
            'Panel',
            'Meetings held',
            'Referrals',
            'Actions agreed',
            'Actions due',
            'Actions due completed on time',
          ],
          rows: [...panels, total].map(line => [
            line.panel,
            line.meetings,
            line.referrals,
            line.actionsAgreed,
            line.actionsDue,
            line.actionsDueCompletedOnTime,
          ]),
        },
      },
    ],
  )
}

function policeSection(records: ReportRecordFigures, period: ReportPeriod, csv: (id: string) => string): Section {
  const columns = periodColumns(period)
  const words = (key: string, params: Record<string, string | number> = {}) =>
    t(`performanceReports.records.police.${key}`, params)
  const paragraphs: string[] = []
  const tables: ReportTable[] = []
  const crime = records.recordedCrime
  if (crime === null) paragraphs.push(words('crimeNoData'))
  else {
    const previousText = (value: number) => (crime.previousHeld ? num(value) : 'No data')
    const totalCurrent = crime.lines.reduce((sum, line) => sum + line.current, 0)
    const totalPrevious = crime.lines.reduce((sum, line) => sum + line.previous, 0)
    const change = (current: number, previous: number) =>
      crime.previousHeld ? formatChangePct(percentChange(current, previous)) : 'n/a'
    paragraphs.push(
      words(crime.table === 'borough' ? 'crimeSourceBorough' : 'crimeSourceWard', {
        latest: monthText(crime.latestMonth),
        held: String(crime.months.length),
      }),
    )
    tables.push({
      id: 'recorded-crime',
      caption: words('crimeCaption'),
      columns: [
        { text: words('category') },
        { text: columns.current, numeric: true },
        { text: columns.previous, numeric: true },
        { text: t('performance.table.changePct'), numeric: true },
      ],
      groups: [
        {
          rows: crime.lines.map(line => [
            { text: line.category, header: true },
            { text: num(line.current), numeric: true },
            { text: previousText(line.previous), numeric: true },
            { text: change(line.current, line.previous), numeric: true },
          ]),
        },
        {
          rows: [
            [
              { text: t('performanceReports.records.total'), header: true },
              { text: num(totalCurrent), numeric: true },
              { text: previousText(totalPrevious), numeric: true },
              { text: change(totalCurrent, totalPrevious), numeric: true },
            ],
          ],
        },
      ],
      csvHref: csv('recorded-crime'),
      small: true,
      csv: {
        header: ['MPS major category', columns.current, columns.previous, '% change', 'Table', 'Latest month held'],
        rows: crime.lines.map(line => [
          line.category,
          line.current,
          crime.previousHeld ? line.previous : null,
          crime.previousHeld ? (percentChange(line.current, line.previous) ?? 'n/a') : 'n/a',
          crime.table,
          crime.latestMonth,
        ]),
      },
    })
  }
  const searches = records.stopSearch
  if (searches === null) paragraphs.push(words('searchNoData'))
  else {
    const before = records.stopSearchPrevious
    const rate = (figures: StopSearchFigures | null) =>
      figures === null || figures.withOutcome === 0
        ? 'n/a'
        : `${((figures.actioned / figures.withOutcome) * 100).toFixed(1)}%`
    const count = (figures: StopSearchFigures | null, value: (f: StopSearchFigures) => number) =>
      figures === null ? 'No data' : num(value(figures))
    paragraphs.push(
      words('searchSource', {
        files: searches.files.length === 0 ? words('noFiles') : searches.files.join(', '),
        latest: monthText(searches.latestMonth),
      }),
    )
    const lines: [string, (f: StopSearchFigures) => number][] = [
      [words('searches'), f => f.searches],
      [words('actioned'), f => f.actioned],
    ]
    tables.push({
      id: 'stop-search',
      caption: words('searchCaption'),
      columns: [
        { text: words('measure') },
        { text: columns.current, numeric: true },
        { text: columns.previous, numeric: true },
      ],
      groups: [
        {
          rows: [
            ...lines.map(([label, value]) => [
              { text: label, header: true },
              { text: count(searches, value), numeric: true },
              { text: count(before, value), numeric: true },
            ]),
            [
              { text: words('outcomeRate'), header: true },
              { text: rate(searches), numeric: true },
              { text: rate(before), numeric: true },
            ],
          ],
        },
      ],
      csvHref: csv('stop-search'),
      small: true,
      csv: {
        header: ['Measure', columns.current, columns.previous],
        rows: [
          ['Searches', searches.searches, before?.searches ?? null],
          ['Searches with a recorded outcome', searches.withOutcome, before?.withOutcome ?? null],
          ['Arrest or other outcome than no further action', searches.actioned, before?.actioned ?? null],
        ],
      },
    })
  }
  return section('police', paragraphs, tables)
}

/** The four sections, in the order the reports show them. */
export function recordSections(records: ReportRecordFigures, period: ReportPeriod, csv: (id: string) => string) {
  return [
    caseReviewSection(records, period, csv),
    panelsSection(records, csv),
    powersSection(records, period, csv),
    policeSection(records, period, csv),
  ]
}
