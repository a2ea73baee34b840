/** View data for the performance pages and their CSV files. Pure functions: no I/O. */
import {
  financialYearLabel,
  financialYearOf,
  type KpiResult,
  type MonthPoint,
  type Polarity,
  type Unit,
} from './kpi-engine.js'
import type { Indicator } from './performance-repository.js'
import type { IndicatorDetail, KpiPack, SourceInfo } from './performance-service.js'
import type { SurveyProblem } from './survey-import.js'
import type { PerformanceErrorCode } from './performance-errors.js'
import type { IndicatorErrorCode } from './indicator-validation.js'
import { formatLongDate } from '../../platform/dates.js'
import { writeCsv, type CsvCell } from '../../platform/csv.js'
import { t } from '../../platform/i18n.js'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

export function formatDate(iso: string): string {
  return formatLongDate(iso)
}

export function monthLabel(iso: string): string {
  const [year, month] = iso.split('-').map(Number) as [number, number]
  return `${MONTHS[month - 1] ?? ''} ${String(year)}`
}

export function formatValue(unit: Unit, value: number | null): string {
  if (value === null) return 'No data'
  const digits = Number.isInteger(value) ? 0 : unit === 'count' ? 0 : 2
  const text = value.toLocaleString('en-GB', { minimumFractionDigits: 0, maximumFractionDigits: digits })
  if (unit === 'percent') return `${text}%`
  if (unit === 'rate-per-1000') return `${text} per 1,000`
  return text
}

/** "+12.61", "-9.06" or "n/a", as the deck prints them. */
export function formatChangePct(changePct: number | null): string {
  if (changePct === null) return 'n/a'
  return `${changePct > 0 ? '+' : ''}${changePct.toFixed(2)}`
}

const POLARITY_TEXT: Record<Polarity, string> = {
  'lower-better': 'Lower is better',
  'higher-better': 'Higher is better',
  awareness: 'Awareness: a rise is good (more reporting)',
}

export function polarityText(polarity: Polarity): string {
  return POLARITY_TEXT[polarity]
}

const UNIT_TEXT: Record<Unit, string> = {
  count: 'Count',
  percent: 'Percentage',
  'rate-per-1000': 'Rate per 1,000 residents',
}

export function unitText(unit: Unit): string {
  return UNIT_TEXT[unit]
}

/** Direction of travel in words (never colour or an arrow alone), with an arrow for sighted readers. */
export function presentDirectionOfTravel(result: KpiResult, polarity: Polarity) {
  const verdict = { improving: 'better', worsening: 'worse' } as const
  switch (result.assessment) {
    case 'not-available':
      return {
        arrow: '',
        text: result.previousYtd === null ? 'Not available: no previous year' : 'Not available: no figure this year',
        key: 'not-available',
        classes: 'safer-dot safer-dot--none',
      }
    case 'no-significant-change':
      return { arrow: '►', text: 'No significant change', key: 'stable', classes: 'safer-dot safer-dot--stable' }
    default: {
      const word = result.movement === 'up' ? 'Up' : 'Down'
      const suffix = polarity === 'awareness' && result.movement === 'up' ? ' (more reporting)' : ''
      return {
        arrow: result.movement === 'up' ? '▲' : '▼',
        text: `${word}: ${verdict[result.assessment]}${suffix}`,
        key: result.assessment,
        classes: `safer-dot safer-dot--${result.assessment}`,
      }
    }
  }
}

/** RAG as a GOV.UK tag whose words carry the meaning. */
export function ragTag(result: KpiResult, indicator: Pick<Indicator, 'target' | 'tolerancePct'>) {
  switch (result.rag) {
    case 'green':
      return { text: 'Green: on target', classes: 'govuk-tag--green', csv: 'Green' }
    case 'amber':
      return {
        text: `Amber: within ${String(indicator.tolerancePct)}% of target`,
        classes: 'govuk-tag--orange',
        csv: 'Amber',
      }
    case 'red':
      return { text: 'Red: off target', classes: 'govuk-tag--red', csv: 'Red' }
    default:
      return {
        text: indicator.target === null ? 'No target' : 'No figure to judge',
        classes: 'govuk-tag--grey',
        csv: indicator.target === null ? 'No target' : 'Not available',
      }
  }
}

export function targetText(indicator: Pick<Indicator, 'target' | 'unit'>): string {
  const { target } = indicator
  if (target === null) return 'No target'
  if (target.kind === 'value') return formatValue(indicator.unit, target.value)
  return `${target.value > 0 ? '+' : ''}${String(target.value)}% on previous year`
}

export function periodText(result: KpiResult): { ytd: string; previous: string } {
  return {
    ytd: `${formatDate(result.window.start)} to ${formatDate(result.window.end)}`,
    previous: `${formatDate(result.previousWindow.start)} to ${formatDate(result.previousWindow.end)}`,
  }
}

export function presentKpiPack(pack: KpiPack, detailHref: (id: string) => string) {
  const first = pack.rows[0]?.result
  return {
    asAt: pack.asAt,
    asAtText: formatDate(pack.asAt),
    financialYear: financialYearLabel(financialYearOf(pack.asAt)),
    period: first ? periodText(first) : null,
    groups: pack.priorities.map(group => ({
      id: group.priority.id,
      name: group.priority.name,
      plan: group.priority.plan,
      rows: group.rows.map(({ indicator, result }) => ({
        id: indicator.id,
        name: indicator.name,
        href: detailHref(indicator.id),
        unit: unitText(indicator.unit),
        polarity: polarityText(indicator.polarity),
        ytd: formatValue(indicator.unit, result.ytd),
        previousYtd: result.previousYtd === null ? 'n/a' : formatValue(indicator.unit, result.previousYtd),
        changePct: formatChangePct(result.changePct),
        direction: presentDirectionOfTravel(result, indicator.polarity),
        rag: ragTag(result, indicator),
        target: targetText(indicator),
        manual: indicator.source.kind === 'manual',
      })),
    })),
  }
}

export function kpiPackCsv(pack: KpiPack): string {
  const rows: CsvCell[][] = pack.rows.map(({ indicator, priority, result }) => [
    priority.plan,
    priority.name,
    indicator.id,
    indicator.name,
    unitText(indicator.unit),
    polarityText(indicator.polarity),
    pack.area.name,
    result.window.start,
    result.window.end,
    result.ytd,
    result.previousWindow.start,
    result.previousWindow.end,
    result.previousYtd,
    result.change,
    result.changePct ?? 'n/a',
    presentDirectionOfTravel(result, indicator.polarity).text,
    targetText(indicator),
    ragTag(result, indicator).csv,
  ])
  return writeCsv(
    [
      'Plan',
      'CSP priority',
      'Indicator id',
      'Performance indicator',
      'Unit',
      'Polarity',
      'Area',
      'YTD from',
      'YTD to',
      'YTD',
      'Previous YTD from',
      'Previous YTD to',
      'Previous YTD',
      'Change',
      '% change',
      'Direction of travel',
      'Target',
      'RAG',
    ],
    rows,
  )
}

export interface BarChart {
  width: number
  height: number
  title: string
  description: string
  zeroX: number
  bars: {
    label: string
    y: number
    x: number
    width: number
    valueText: string
    textX: number
    anchor: string
    classes: string
    clipped: boolean
  }[]
  ticks: { x: number; label: string }[]
  labelWidth: number
}

/** A diverging bar chart of % change on the previous year, one bar per indicator; bars beyond ±limit are cut. */
export function presentChangeChart(pack: KpiPack, limit = 50): BarChart {
  const rows = pack.rows.filter(row => row.result.changePct !== null)
  const labelWidth = 330
  const plotWidth = 340
  const rowHeight = 30
  const zeroX = labelWidth + plotWidth / 2
  const scale = plotWidth / 2 / limit
  const bars = rows.map(({ indicator, result }, index) => {
    const pct = result.changePct ?? 0
    const clipped = Math.abs(pct) > limit
    const shown = Math.max(-limit, Math.min(limit, pct))
    const length = Math.abs(shown) * scale
    const x = shown >= 0 ? zeroX : zeroX - length
    const direction = presentDirectionOfTravel(result, indicator.polarity)
    const name = indicator.name.length > 40 ? `${indicator.name.slice(0, 38)}…` : indicator.name
    return {
      label: name,
      y: 24 + index * rowHeight,
      x,
      width: Math.max(length, 1),
      valueText: `${formatChangePct(pct)}%${clipped ? ' (bar cut)' : ''}`,
      textX: shown >= 0 ? x + length + 4 : x - 4,
      anchor: shown >= 0 ? 'start' : 'end',
      classes: `safer-bar safer-bar--${direction.key}`,
      clipped,
    }
  })
  const ticks = [-limit, -limit / 2, 0, limit / 2, limit].map(value => ({
    x: zeroX + value * scale,
    label: `${value > 0 ? '+' : ''}${String(value)}%`,
  }))
  return {
    width: labelWidth + plotWidth + 150,
    height: 24 + rows.length * rowHeight + 36,
    title: `% change on the previous year to date, ${pack.area.name}, as at ${formatDate(pack.asAt)}`,
    description: `Bar chart of the percentage change for ${String(rows.length)} indicators. The same figures are in the table beside the chart.`,
    zeroX,
    bars,
    ticks,
    labelWidth,
  }
}

export interface MonthChart {
  width: number
  height: number
  title: string
  plotTop: number
  plotBottom: number
  groups: {
    label: string
    x: number
    current: { y: number; height: number } | null
    previous: { y: number; height: number } | null
  }[]
  gridlines: { y: number; label: string }[]
  barWidth: number
}

/** Monthly bars: this financial year beside the same month of the previous one. */
export function presentMonthChart(detail: IndicatorDetail): MonthChart {
  const values = detail.months.flatMap(point => [point.value ?? 0, point.previousValue ?? 0])
  const max = Math.max(1, ...values)
  const magnitude = 10 ** Math.floor(Math.log10(max))
  const top = Math.ceil(max / magnitude) * magnitude
  const plotTop = 20
  const plotBottom = 220
  const groupWidth = 52
  const barWidth = 20
  const left = 60
  const y = (value: number) => plotBottom - (value / top) * (plotBottom - plotTop)
  const bar = (value: number | null) => (value === null ? null : { y: y(value), height: plotBottom - y(value) })
  return {
    width: left + 12 * groupWidth + 10,
    height: plotBottom + 40,
    title: `${detail.indicator.name}: each month of ${financialYearLabel(financialYearOf(detail.asAt))} beside the same month a year earlier`,
    plotTop,
    plotBottom,
    barWidth,
    groups: detail.months.map((point: MonthPoint, index) => ({
      label: MONTHS[Number(point.month.start.slice(5, 7)) - 1] ?? '',
      x: left + index * groupWidth,
      previous: bar(point.previousValue),
      current: bar(point.value),
    })),
    gridlines: [0, 0.25, 0.5, 0.75, 1].map(share => ({
      y: y(top * share),
      label: formatValue(detail.indicator.unit, top * share),
    })),
  }
}

export function sourceText(source: Indicator['source']): string {
  switch (source.kind) {
    case 'manual':
      return 'Manual periodic figures with evidence'
    case 'activity':
      return `Sum over the outputs register (${source.activityType})`
    case 'count':
      return `Count of Safer's records (${source.key})`
    case 'survey':
      return `Resident survey measure (${source.measure})`
  }
}

/**
 * What an indicator's figures mean and where they come from, in a sentence: the registered count source's own
 * declaration (its `description`), or the kind's words for manual values, the outputs register and surveys.
 */
export function sourceDescription(source: SourceInfo): string {
  switch (source.kind) {
    case 'count':
      if (!source.registered) return t('performance.source.countMissing', { key: source.key ?? '' })
      return source.registered.description ?? t('performance.source.count', { name: source.registered.name })
    case 'manual':
      return t('performance.source.manual')
    case 'activity':
    case 'survey':
      return t(`performance.source.${source.kind}`, { key: source.key ?? '' })
  }
}

export function presentDetail(detail: IndicatorDetail, wardHref: (code: string) => string) {
  const { indicator } = detail
  return {
    period: periodText(detail.borough),
    borough: {
      ytd: formatValue(indicator.unit, detail.borough.ytd),
      previousYtd:
        detail.borough.previousYtd === null ? 'n/a' : formatValue(indicator.unit, detail.borough.previousYtd),
      changePct: formatChangePct(detail.borough.changePct),
      direction: presentDirectionOfTravel(detail.borough, indicator.polarity),
      rag: ragTag(detail.borough, indicator),
    },
    target: targetText(indicator),
    unit: unitText(indicator.unit),
    polarity: polarityText(indicator.polarity),
    source: sourceText(indicator.source),
    sourceDescription: sourceDescription(detail.source),
    manual: detail.source.kind === 'manual',
    hasWardFigures: detail.wards.some(ward => ward.result.ytd !== null || ward.result.previousYtd !== null),
    wards: detail.wards.map(({ ward, result }) => ({
      name: ward.name,
      href: wardHref(ward.code),
      ytd: formatValue(indicator.unit, result.ytd),
      previousYtd: result.previousYtd === null ? 'n/a' : formatValue(indicator.unit, result.previousYtd),
      changePct: formatChangePct(result.changePct),
      direction: presentDirectionOfTravel(result, indicator.polarity),
    })),
    hasMonthlyFigures: detail.months.some(point => point.value !== null || point.previousValue !== null),
    months: detail.months.map(point => ({
      label: monthLabel(point.month.start),
      value: formatValue(indicator.unit, point.value),
      previousLabel: monthLabel(`${String(Number(point.month.start.slice(0, 4)) - 1)}${point.month.start.slice(4)}`),
      previousValue: formatValue(indicator.unit, point.previousValue),
    })),
  }
}

export function wardsCsv(detail: IndicatorDetail): string {
  return writeCsv(
    ['Indicator id', 'Ward code', 'Ward', 'YTD to', 'YTD', 'Previous YTD', '% change', 'Direction of travel'],
    detail.wards.map(({ ward, result }) => [
      detail.indicator.id,
      ward.code,
      ward.name,
      result.window.end,
      result.ytd,
      result.previousYtd,
      result.changePct ?? 'n/a',
      presentDirectionOfTravel(result, detail.indicator.polarity).text,
    ]),
  )
}

export function monthsCsv(detail: IndicatorDetail): string {
  return writeCsv(
    ['Indicator id', 'Month', 'Value', 'Same month previous year'],
    detail.months.map(point => [detail.indicator.id, point.month.start.slice(0, 7), point.value, point.previousValue]),
  )
}

/** The words for a survey import problem (`performanceEditing.surveyErrors.<code>`). */
export function surveyErrorText(problem: { code: string; params?: Record<string, string | number> }): string {
  return t(`performanceEditing.surveyErrors.${problem.code}`, problem.params ?? {})
}

/** The survey import page after a refused file: the problems by line, each in words, and the summary. */
export function surveyProblemsView(problems: SurveyProblem[]) {
  const message = t('performanceEditing.surveyErrors.import-refused', { count: problems.length })
  return {
    csvError: message,
    problems: problems.map(problem => ({ ...problem, message: surveyErrorText(problem) })),
    errorSummary: [{ text: message, href: '#problems' }],
  }
}

/** The survey import page when nothing was pasted. */
export function missingSurveyCsvView() {
  const message = surveyErrorText({ code: 'csv-missing' })
  return { csvError: message, errorSummary: [{ text: message, href: '#csv' }] }
}

/** The words for a refusal of the performance services (`performance.errors.<code>`). */
export function performanceErrorText(error: { code: PerformanceErrorCode }): string {
  return t(`performance.errors.${error.code}`)
}

/** The words for a refused field of the indicator form (`performanceEditing.indicatorErrors.<code>`). */
export function indicatorErrorText(error: { code: IndicatorErrorCode }): string {
  return t(`performanceEditing.indicatorErrors.${error.code}`)
}
