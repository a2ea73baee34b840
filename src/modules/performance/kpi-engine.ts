/**
 * The KPI engine: pure functions, no I/O. It turns an indicator's definition and its observations (periodic values
 * for one area) into the figures a Community Safety Partnership reports: year to date, the same period of the
 * previous year, % change to 2 decimals, direction of travel (aware of the indicator's polarity) and RAG against
 * its target. Conventions: docs/domain-rules.md §7. The financial year starts on 1 April.
 */

export type Unit = 'count' | 'percent' | 'rate-per-1000'
/** lower-better: crime and ASB volumes; higher-better: sanctions, satisfaction; awareness: reporting, a rise is good. */
export type Polarity = 'lower-better' | 'higher-better' | 'awareness'
export type TargetKind = 'value' | 'change-pct'
export type Rag = 'green' | 'amber' | 'red' | 'grey'
export type Movement = 'up' | 'down' | 'stable' | 'not-available'
export type Assessment = 'improving' | 'worsening' | 'no-significant-change' | 'not-available'

export const UNITS: readonly Unit[] = ['count', 'percent', 'rate-per-1000']
export const POLARITIES: readonly Polarity[] = ['lower-better', 'higher-better', 'awareness']
export const TARGET_KINDS: readonly TargetKind[] = ['value', 'change-pct']

export interface IndicatorDefinition {
  unit: Unit
  polarity: Polarity
  /** 'value': the YTD figure to reach (15 for a 15% sanction detection rate). 'change-pct': the % change on the
   * previous YTD to achieve (+5 for "increase by at least 5 per cent", -10 for "reduce by 10 per cent"). */
  target: { kind: TargetKind; value: number } | null
  /** How far off target, in % of the target, is still amber. Default 5. */
  tolerancePct: number
  /** A change within ± this % is "no significant change" for direction of travel. */
  stableBandPct: number
}

/** A value for one area over one period (a month, a quarter, a year to date). Dates are ISO `YYYY-MM-DD`. */
export interface Observation {
  periodStart: string
  periodEnd: string
  value: number
  /** For percent: the base (value is the numerator). For rate-per-1000: the population. Null when `value` is
   * already the percentage or rate (a manual figure), which can then only answer for exactly its own period. */
  denominator: number | null
}

export interface Window {
  start: string
  end: string
}

export interface KpiResult {
  window: Window
  previousWindow: Window
  ytd: number | null
  previousYtd: number | null
  change: number | null
  changePct: number | null
  movement: Movement
  assessment: Assessment
  rag: Rag
  /** The figure the YTD was compared with for RAG (the target, or the previous YTD moved by a change target). */
  ragThreshold: number | null
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

export function parseIsoDate(value: string): { year: number; month: number; day: number } | null {
  const match = ISO_DATE.exec(value)
  if (!match) return null
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null
  return { year, month, day }
}

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function mustParse(value: string) {
  const parsed = parseIsoDate(value)
  if (!parsed) throw new RangeError(`Not a date: ${value}`)
  return parsed
}

/** The year the financial year containing `date` starts in: 2018 for any date from 1 April 2018 to 31 March 2019. */
export function financialYearOf(date: string): number {
  const { year, month } = mustParse(date)
  return month >= 4 ? year : year - 1
}

/** "2018/19" */
export function financialYearLabel(startYear: number): string {
  return `${String(startYear)}/${String((startYear + 1) % 100).padStart(2, '0')}`
}

export function financialYearWindow(startYear: number): Window {
  return { start: iso(startYear, 4, 1), end: iso(startYear + 1, 3, 31) }
}

/** The same date a year earlier; 29 February becomes 28 February. */
export function yearEarlier(date: string): string {
  const { year, month, day } = mustParse(date)
  return iso(year - 1, month, Math.min(day, daysInMonth(year - 1, month)))
}

let lastWindows: { asAt: string; windows: { current: Window; previous: Window } } | undefined

/**
 * Year to date at `asAt` (inclusive), and the same period of the previous financial year. A KPI pack asks for the same
 * date once per indicator and area: the last answer is kept (frozen, as it is shared).
 */
export function ytdWindows(asAt: string): { current: Window; previous: Window } {
  if (lastWindows?.asAt !== asAt) {
    const { current, previous } = computeYtdWindows(asAt)
    lastWindows = {
      asAt,
      windows: Object.freeze({ current: Object.freeze(current), previous: Object.freeze(previous) }),
    }
  }
  return lastWindows.windows
}

function computeYtdWindows(asAt: string): { current: Window; previous: Window } {
  const fy = financialYearOf(asAt)
  return {
    current: { start: iso(fy, 4, 1), end: asAt },
    previous: {
      start: iso(fy - 1, 4, 1),
      end: asAt === monthEnd(asAt) ? monthEnd(yearEarlier(asAt)) : yearEarlier(asAt),
    },
  }
}

/** The last day of the month of `date`. */
export function monthEnd(date: string): string {
  const { year, month } = mustParse(date)
  return iso(year, month, daysInMonth(year, month))
}

/** Month windows from the start of the financial year of `asAt` to the month of `asAt`. */
export function financialYearMonths(startYear: number): Window[] {
  const months: Window[] = []
  for (let i = 0; i < 12; i += 1) {
    const month = ((3 + i) % 12) + 1
    const year = month >= 4 ? startYear : startYear + 1
    months.push({ start: iso(year, month, 1), end: iso(year, month, daysInMonth(year, month)) })
  }
  return months
}

/** Rounds half away from zero to 2 decimals, without binary surprises (1.005 → 1.01). */
export function round2(value: number): number {
  const sign = value < 0 ? -1 : 1
  return (sign * Math.round(Number(`${String(Math.abs(value))}e2`))) / 100
}

/** % change to 2 decimals; null when either figure is missing or the base is 0 (never Infinity or NaN). */
export function percentChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null
  if (!Number.isFinite(current) || !Number.isFinite(previous)) return null
  return round2(((current - previous) / previous) * 100)
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null
}

/**
 * The indicator's figure for a window from observations for one area. An observation for exactly the window (a
 * manual year-to-date figure) answers first; otherwise observations lying wholly inside the window are combined:
 * counts add up, percentages are sum(numerators) / sum(denominators), rates per 1,000 are sum(counts) / the latest
 * population. Null when nothing answers.
 */
export function aggregate(unit: Unit, observations: readonly Observation[], window: Window): number | null {
  // One pass (a KPI pack asks this of tens of thousands of observations): the exact ones, and those wholly inside.
  const exact: Observation[] = []
  const inside: Observation[] = []
  for (const o of observations) {
    if (o.periodStart === window.start && o.periodEnd === window.end) exact.push(o)
    if (o.periodStart >= window.start && o.periodEnd <= window.end) inside.push(o)
  }
  const pick = exact.length > 0 ? exact : inside
  if (pick.length === 0) return null
  if (unit === 'count') return finiteOrNull(pick.reduce((sum, o) => sum + o.value, 0))
  if (pick.length === 1 && pick[0]?.denominator === null) return finiteOrNull(pick[0].value)
  if (pick.some(o => o.denominator === null)) return null
  const numerator = pick.reduce((sum, o) => sum + o.value, 0)
  // A percentage's base adds up over months; a rate's base is the population, which does not.
  const denominator =
    unit === 'percent'
      ? pick.reduce((sum, o) => sum + (o.denominator ?? 0), 0)
      : (pick.reduce((latest, o) => (o.periodEnd >= latest.periodEnd ? o : latest)).denominator ?? 0)
  if (denominator === 0) return null
  return finiteOrNull((numerator / denominator) * (unit === 'percent' ? 100 : 1000))
}

/** Whether the indicator wants the figure to rise. Awareness indicators (reporting) count a rise as good. */
export function risingIsGood(polarity: Polarity): boolean {
  return polarity !== 'lower-better'
}

export function directionOfTravel(
  definition: Pick<IndicatorDefinition, 'polarity' | 'stableBandPct'>,
  current: number | null,
  previous: number | null,
): { movement: Movement; assessment: Assessment } {
  if (current === null || previous === null) return { movement: 'not-available', assessment: 'not-available' }
  let movement: Movement
  if (previous === 0) {
    movement = current === 0 ? 'stable' : current > 0 ? 'up' : 'down'
  } else {
    const pct = ((current - previous) / Math.abs(previous)) * 100
    movement = Math.abs(pct) <= definition.stableBandPct ? 'stable' : pct > 0 ? 'up' : 'down'
  }
  if (movement === 'stable') return { movement, assessment: 'no-significant-change' }
  const good = (movement === 'up') === risingIsGood(definition.polarity)
  return { movement, assessment: good ? 'improving' : 'worsening' }
}

/**
 * RAG against target: green on or better than target, amber within `tolerancePct` % of it, red beyond; grey when
 * there is no target or no figure to judge. A change target is turned into a value: previous YTD × (1 + change).
 */
export function ragRating(
  definition: Pick<IndicatorDefinition, 'polarity' | 'target' | 'tolerancePct'>,
  current: number | null,
  previous: number | null,
): { rag: Rag; threshold: number | null } {
  const { target } = definition
  if (target === null || current === null) return { rag: 'grey', threshold: null }
  let threshold: number
  if (target.kind === 'value') {
    threshold = target.value
  } else {
    if (previous === null) return { rag: 'grey', threshold: null }
    threshold = previous * (1 + target.value / 100)
  }
  const rising = risingIsGood(definition.polarity)
  const shortfall = rising ? threshold - current : current - threshold
  if (shortfall <= 0) return { rag: 'green', threshold }
  const allowed = (Math.abs(threshold) * definition.tolerancePct) / 100
  return { rag: shortfall <= allowed ? 'amber' : 'red', threshold }
}

export function computeKpi(
  definition: IndicatorDefinition,
  observations: readonly Observation[],
  asAt: string,
): KpiResult {
  const windows = ytdWindows(asAt)
  const ytd = aggregate(definition.unit, observations, windows.current)
  const previousYtd = aggregate(definition.unit, observations, windows.previous)
  const { movement, assessment } = directionOfTravel(definition, ytd, previousYtd)
  const { rag, threshold } = ragRating(definition, ytd, previousYtd)
  return {
    window: windows.current,
    previousWindow: windows.previous,
    ytd,
    previousYtd,
    change: ytd === null || previousYtd === null ? null : round2(ytd - previousYtd),
    changePct: percentChange(ytd, previousYtd),
    movement,
    assessment,
    rag,
    ragThreshold: threshold,
  }
}

export interface MonthPoint {
  month: Window
  value: number | null
  previousValue: number | null
}

/** The financial year of `asAt`, month by month up to `asAt`, beside the same month a year earlier. */
export function monthlySeries(unit: Unit, observations: readonly Observation[], asAt: string): MonthPoint[] {
  return financialYearMonths(financialYearOf(asAt))
    .filter(month => month.end <= monthEnd(asAt))
    .map(month => ({
      month,
      value: aggregate(unit, observations, month),
      previousValue: aggregate(unit, observations, {
        start: yearEarlier(month.start),
        end: monthEnd(yearEarlier(month.start)),
      }),
    }))
}
