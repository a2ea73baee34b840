/**
 * The figures the generated reports take from other modules' records, for the report's period: the ASB Case Review's
 * statutory figures and the powers used (from the registered count sources, ADR 0027), and what the panels did and the
 * police data imported (from functions the composition root passes in, so performance never imports those modules).
 * Each figure is for the period and for the same period a year before. Counts only.
 */
import { monthEnd, yearEarlier } from './kpi-engine.js'
import type { SourceRegistry } from './source-registry.js'

/** One panel's period (panels' `createPanelReportFigures`). */
export interface PanelPeriodLine {
  panel: string
  meetings: number
  referrals: number
  actionsAgreed: number
  actionsDue: number
  actionsDueCompletedOnTime: number
}

/** MPS recorded crime by major category (intelligence's `createPoliceReportFigures`); null when none is held. */
export interface RecordedCrimeFigures {
  table: 'borough' | 'ward'
  months: string[]
  previousHeld: boolean
  latestMonth: string
  lines: { category: string; current: number; previous: number }[]
}

/** Stop and search in the period; null when none is imported for it. */
export interface StopSearchFigures {
  searches: number
  withOutcome: number
  actioned: number
  files: string[]
  latestMonth: string
}

/** What the composition root gives the reports. Each part is optional: a report without it says "no data". */
export interface ReportRecordSources {
  sources?: SourceRegistry
  panels?: (from: string, to: string) => Promise<PanelPeriodLine[]>
  recordedCrime?: (from: string, to: string) => Promise<RecordedCrimeFigures | null>
  stopSearch?: (from: string, to: string) => Promise<StopSearchFigures | null>
}

/** A registered source's count for the period and for the same period a year before. */
export interface CountLine {
  key: string
  name: string
  current: number
  previous: number
}

export interface ReportRecordFigures {
  caseReview: CountLine[]
  powers: CountLine[]
  breaches: CountLine | null
  panels: PanelPeriodLine[] | null
  recordedCrime: RecordedCrimeFigures | null
  stopSearch: StopSearchFigures | null
  /** The same figures a year before, for stop and search (null when none held then). */
  stopSearchPrevious: StopSearchFigures | null
}

export const CASE_REVIEW_FIGURES = [
  'case-review:applications',
  'case-review:threshold-met',
  'case-review:threshold-not-met',
  'case-review:reviews',
  'case-review:reviews-with-recommendations',
] as const

async function countLine(
  sources: SourceRegistry | undefined,
  key: string,
  from: string,
  to: string,
): Promise<CountLine | null> {
  const source = sources?.get(key)
  if (!source) return null
  const sum = async (start: string, end: string) =>
    (await source.monthlyCounts(start, end)).reduce((total, count) => total + count.total, 0)
  const [current, previous] = await Promise.all([sum(from, to), sum(yearEarlier(from), monthEnd(yearEarlier(to)))])
  return { key, name: source.name, current, previous }
}

/** The record figures for a period `from`..`to` (ISO dates, whole months). */
export async function reportRecordFigures(
  records: ReportRecordSources,
  from: string,
  to: string,
): Promise<ReportRecordFigures> {
  const { sources } = records
  // In the powers module's own order (the ladder: warnings first, orders and injunctions last).
  const powerKeys = (sources?.inDeclaredOrder() ?? [])
    .map(source => source.key)
    .filter(key => key.startsWith('powers:') && key !== 'powers:all' && key !== 'powers:breaches')
  const [caseReview, powers, breaches, panels, recordedCrime, stopSearch, stopSearchPrevious] = await Promise.all([
    Promise.all(CASE_REVIEW_FIGURES.map(key => countLine(sources, key, from, to))),
    Promise.all(powerKeys.map(key => countLine(sources, key, from, to))),
    countLine(sources, 'powers:breaches', from, to),
    records.panels ? records.panels(from, to) : Promise.resolve(null),
    records.recordedCrime ? records.recordedCrime(from, to) : Promise.resolve(null),
    records.stopSearch ? records.stopSearch(from, to) : Promise.resolve(null),
    records.stopSearch ? records.stopSearch(yearEarlier(from), monthEnd(yearEarlier(to))) : Promise.resolve(null),
  ])
  const present = (line: CountLine | null): line is CountLine => line !== null
  return {
    caseReview: caseReview.filter(present),
    powers: powers.filter(present),
    breaches,
    panels,
    recordedCrime,
    stopSearch,
    stopSearchPrevious,
  }
}
