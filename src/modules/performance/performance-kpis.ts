/**
 * The KPI packs: the KPI engine run over every indicator's figures for the borough, each ward and each month, and the
 * views built on them (the dashboard, an indicator's detail, the generated reports, the plan tracker). Reads only.
 */
import type { Clock } from '../../platform/clock.js'
import {
  aggregate,
  computeKpi,
  financialYearMonths,
  financialYearOf,
  financialYearWindow,
  monthEnd,
  monthlySeries,
  parseIsoDate,
  percentChange,
  ytdWindows,
  type KpiResult,
  type MonthPoint,
  type Window,
} from './kpi-engine.js'
import {
  boroughAreaOf,
  createObservationReader,
  definitionFor,
  type AreaInfo,
  type ObservationDependencies,
  type ObservationReader,
} from './performance-observations.js'
import { PerformanceInputError } from './performance-errors.js'
import type { Indicator, Priority } from './performance-repository.js'
import type { Outcome, PlanAction } from './plan-repository.js'

export interface KpiRow {
  indicator: Indicator
  priority: Priority
  result: KpiResult
}

export interface KpiPack {
  asAt: string
  area: AreaInfo
  priorities: { priority: Priority; rows: KpiRow[] }[]
  rows: KpiRow[]
}

/** Where an indicator's figures come from: its kind, its key, and the registered count source when it has one. */
export interface SourceInfo {
  kind: Indicator['source']['kind']
  /** The count source's key, the activity type or the survey measure; null for manual values. */
  key: string | null
  /** The registered count source (its name and what a figure means), for kind `count`; null when not registered. */
  registered: { name: string; module: string; description: string | null } | null
}

/** One month's figure for one area; null is "no data" (never 0). */
export interface SeriesPoint {
  month: string
  start: string
  end: string
  value: number | null
}

export interface IndicatorSeries {
  indicator: Indicator
  source: SourceInfo
  area: AreaInfo
  from: string
  to: string
  asAt: string
  months: SeriesPoint[]
}

/** A financial year the dashboard offers, and the date its figures are shown at (today for the current one). */
export interface FinancialYearOption {
  startYear: number
  asAt: string
  current: boolean
}

/** The most months one series request may span (ten years). */
export const SERIES_MAX_MONTHS = 120

export interface IndicatorDetail {
  indicator: Indicator
  priority: Priority
  source: SourceInfo
  asAt: string
  borough: KpiResult
  wards: { ward: AreaInfo; result: KpiResult }[]
  months: MonthPoint[]
  evidence: string[]
}

export interface PlanView {
  asAt: string
  priorities: {
    priority: Priority
    outcomes: { outcome: Outcome; indicators: KpiRow[]; actions: PlanAction[] }[]
  }[]
  statusCounts: Record<string, number>
}

export interface TrendYear {
  startYear: number
  /** April to March; null for months after the report's date or without figures. */
  months: (number | null)[]
}

export interface ReportFigures {
  asAt: string
  pack: KpiPack
  wards: { row: KpiRow; wards: { ward: AreaInfo; result: KpiResult }[] }[]
  trends: { row: KpiRow; years: TrendYear[] }[]
}

export interface OutputsFigures {
  asAt: string
  types: {
    code: string
    name: string
    quantityLabel: string
    ytd: number
    previousYtd: number
    changePct: number | null
    wards: { ward: AreaInfo; total: number }[]
    years: TrendYear[]
  }[]
}

export interface KpiDependencies extends ObservationDependencies {
  clock: Clock
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** An `asAt` that is a real date, or a refusal on the `asAt` field. */
export function validAsAt(asAt: string): string {
  if (!parseIsoDate(asAt)) throw new PerformanceInputError('asat-invalid', 'asAt')
  return asAt
}

/** One area's KPI table: every indicator with a priority, computed at `asAt`, grouped by priority. */
function packFor(
  area: AreaInfo,
  priorities: readonly Priority[],
  indicators: readonly Indicator[],
  observations: Awaited<ReturnType<ObservationReader>>,
  asAt: string,
): KpiPack {
  const rows: KpiRow[] = []
  for (const indicator of indicators) {
    const priority = priorities.find(p => p.id === indicator.priorityId)
    if (!priority) continue
    rows.push({
      indicator,
      priority,
      result: computeKpi(definitionFor(indicator), observations(indicator.id, area.code), asAt),
    })
  }
  return {
    asAt,
    area,
    rows,
    priorities: priorities
      .map(priority => ({ priority, rows: rows.filter(row => row.priority.id === priority.id) }))
      .filter(group => group.rows.length > 0),
  }
}

export function createKpiService(deps: KpiDependencies) {
  const { repository, geography, clock } = deps
  const boroughArea = () => boroughAreaOf(geography)
  const observationsFor = createObservationReader(deps)

  const sourceOf = (indicator: Indicator): SourceInfo => {
    const source = indicator.source
    switch (source.kind) {
      case 'manual':
        return { kind: 'manual', key: null, registered: null }
      case 'activity':
        return { kind: 'activity', key: source.activityType, registered: null }
      case 'survey':
        return { kind: 'survey', key: source.measure, registered: null }
      case 'count': {
        const registered = deps.sources?.get(source.key)
        return {
          kind: 'count',
          key: source.key,
          registered: registered
            ? { name: registered.name, module: registered.module, description: registered.description ?? null }
            : null,
        }
      }
    }
  }

  const service = {
    /** Where the indicator's figures come from. */
    sourceOf,

    /** The borough's GSS code. */
    boroughCode: (): string => boroughArea().code,

    /** Today's date (London time is not needed: the financial year turns at midnight on 1 April either way). */
    today: (): string => isoDate(clock.now()),

    /**
     * The financial years the dashboard offers: the current one (at today) and each earlier one back to the first
     * with recorded figures (at its 31 March), newest first.
     */
    async financialYears(): Promise<FinancialYearOption[]> {
      const today = isoDate(clock.now())
      const current = financialYearOf(today)
      const ends = (await repository.periodEnds()).filter(end => end <= today)
      const earliest = Math.min(current - 1, ...ends.map(end => financialYearOf(end)))
      const years: FinancialYearOption[] = []
      for (let year = current; year >= Math.max(earliest, current - 10); year -= 1)
        years.push({
          startYear: year,
          asAt: year === current ? today : financialYearWindow(year).end,
          current: year === current,
        })
      return years
    },

    /**
     * One indicator's monthly figures for one area (the borough unless a ward is named), for every month from the
     * month of `from` to the month of `to`. A month without figures is null ("no data"), never 0.
     */
    async series(
      id: string,
      options: { from: string; to: string; areaCode?: string },
    ): Promise<IndicatorSeries | undefined> {
      if (!parseIsoDate(options.from)) throw new PerformanceInputError('start-invalid', 'from')
      if (!parseIsoDate(options.to)) throw new PerformanceInputError('end-invalid', 'to')
      if (options.to < options.from) throw new PerformanceInputError('end-before-start', 'to')
      const borough = boroughArea()
      const area =
        options.areaCode === undefined || options.areaCode === borough.code
          ? borough
          : geography.wards().find(ward => ward.code === options.areaCode)
      if (!area) throw new PerformanceInputError('area-unknown', 'area')
      const indicator = await repository.findIndicator(id)
      if (!indicator) return undefined
      const first = `${options.from.slice(0, 7)}-01`
      const months: Window[] = []
      for (let start = first; start <= options.to;) {
        const end = monthEnd(start)
        months.push({ start, end })
        if (months.length > SERIES_MAX_MONTHS) throw new PerformanceInputError('range-too-long', 'to')
        const next = new Date(`${end}T00:00:00Z`)
        next.setUTCDate(next.getUTCDate() + 1)
        start = isoDate(next)
      }
      const to = monthEnd(options.to)
      const observations = await observationsFor([indicator], to, area.code, first)
      const mine = observations(indicator.id, area.code)
      return {
        indicator,
        source: sourceOf(indicator),
        area,
        from: first,
        to,
        asAt: isoDate(clock.now()),
        months: months.map(month => ({
          month: month.start.slice(0, 7),
          start: month.start,
          end: month.end,
          value: aggregate(indicator.unit, mine, month),
        })),
      }
    },

    /** The outputs register's activity types (an indicator can sum one). */
    activityTypes: async () => (deps.activity ? deps.activity.types() : []),

    /** The service clock's now (the date a report is generated). */
    now: (): Date => clock.now(),

    async asAtOptions(): Promise<string[]> {
      return repository.periodEnds()
    },

    listPriorities: () => repository.listPriorities(),
    listIndicators: () => repository.listIndicators(),

    /** The KPI table for the borough or one ward at `asAt`, grouped by CSP priority. */
    async kpiPack(options: { asAt: string; areaCode?: string }): Promise<KpiPack> {
      const asAt = validAsAt(options.asAt)
      const borough = boroughArea()
      const area =
        options.areaCode === undefined || options.areaCode === borough.code
          ? borough
          : geography.wards().find(ward => ward.code === options.areaCode)
      if (!area) throw new PerformanceInputError('ward-unknown', 'ward')
      const [priorities, indicators] = await Promise.all([repository.listPriorities(), repository.listIndicators()])
      const observations = await observationsFor(indicators, asAt, area.code)
      return packFor(area, priorities, indicators, observations, asAt)
    },

    /** The KPI table for the borough and for every ward at `asAt`, from one read of the figures. */
    async kpiPacks(asAtInput: string): Promise<KpiPack[]> {
      const asAt = validAsAt(asAtInput)
      const [priorities, indicators] = await Promise.all([repository.listPriorities(), repository.listIndicators()])
      const observations = await observationsFor(indicators, asAt)
      return [boroughArea(), ...geography.wards()].map(area =>
        packFor(area, priorities, indicators, observations, asAt),
      )
    },

    /** One indicator: borough, each ward, and each month of the financial year against the previous year. */
    async indicatorDetail(id: string, asAtInput: string): Promise<IndicatorDetail | undefined> {
      const asAt = validAsAt(asAtInput)
      const indicator = await repository.findIndicator(id)
      if (!indicator) return undefined
      const priority = (await repository.listPriorities()).find(p => p.id === indicator.priorityId)
      if (!priority) return undefined
      const observations = await observationsFor([indicator], asAt)
      const borough = boroughArea()
      const definition = definitionFor(indicator)
      const boroughObservations = observations(indicator.id, borough.code)
      const windows = ytdWindows(asAt)
      const manual = await repository.listValues({
        indicatorIds: [indicator.id],
        from: windows.previous.start,
        to: monthEnd(asAt),
      })
      return {
        indicator,
        priority,
        source: sourceOf(indicator),
        asAt,
        borough: computeKpi(definition, boroughObservations, asAt),
        wards: geography
          .wards()
          .map(ward => ({ ward, result: computeKpi(definition, observations(indicator.id, ward.code), asAt) })),
        months: monthlySeries(indicator.unit, boroughObservations, asAt),
        evidence: [...new Set(manual.map(value => value.evidence))],
      }
    },

    /**
     * The figures behind the generated reports, at `asAt`: the borough KPI pack; each indicator with ward figures,
     * ward by ward; and each indicator with monthly figures, month by month over the three financial years up to
     * `asAt` (months after `asAt` are null).
     */
    async reportFigures(asAtInput: string): Promise<ReportFigures> {
      const asAt = validAsAt(asAtInput)
      const pack = await service.kpiPack({ asAt })
      const indicators = pack.rows.map(row => row.indicator)
      const fy = financialYearOf(asAt)
      const years = [fy - 2, fy - 1, fy]
      const observations = await observationsFor(indicators, asAt, undefined, financialYearWindow(fy - 2).start)
      const borough = boroughArea()
      const wards: ReportFigures['wards'] = []
      const trends: ReportFigures['trends'] = []
      for (const row of pack.rows) {
        const definition = definitionFor(row.indicator)
        const wardResults = geography
          .wards()
          .map(ward => ({ ward, result: computeKpi(definition, observations(row.indicator.id, ward.code), asAt) }))
        if (wardResults.some(w => w.result.ytd !== null)) wards.push({ row, wards: wardResults })
        const boroughObservations = observations(row.indicator.id, borough.code)
        const series = years.map(startYear => ({
          startYear,
          months: financialYearMonths(startYear).map(month =>
            month.end > monthEnd(asAt) ? null : aggregate(row.indicator.unit, boroughObservations, month),
          ),
        }))
        if (series.some(year => year.months.filter(value => value !== null).length >= 2)) {
          trends.push({ row, years: series })
        }
      }
      return { asAt, pack, wards, trends }
    },

    /** What the partnership did (the outputs register) in the financial year of `asAt` and the two before it. */
    async outputsFigures(asAtInput: string): Promise<OutputsFigures> {
      const asAt = validAsAt(asAtInput)
      if (!deps.activity) return { asAt, types: [] }
      const fy = financialYearOf(asAt)
      const windows = ytdWindows(asAt)
      const types = await deps.activity.types()
      const totals = await deps.activity.monthlyTotals(
        types.map(type => type.code),
        financialYearWindow(fy - 2).start,
        monthEnd(asAt),
      )
      const inWindow = (month: string, window: { start: string; end: string }) =>
        month >= window.start && monthEnd(month) <= monthEnd(window.end)
      return {
        asAt,
        types: types
          .map(type => {
            const mine = totals.filter(t => t.activityType === type.code)
            const sum = (window: { start: string; end: string }) =>
              mine.filter(t => inWindow(t.month, window)).reduce((total, t) => total + t.total, 0)
            const byWard = new Map<string, number>()
            for (const t of mine) {
              if (t.wardCode !== null && inWindow(t.month, windows.current))
                byWard.set(t.wardCode, (byWard.get(t.wardCode) ?? 0) + t.total)
            }
            return {
              ...type,
              ytd: sum(windows.current),
              previousYtd: sum(windows.previous),
              changePct: percentChange(sum(windows.current), sum(windows.previous)),
              wards: geography.wards().map(ward => ({ ward, total: byWard.get(ward.code) ?? 0 })),
              years: [fy - 2, fy - 1, fy].map(startYear => ({
                startYear,
                months: financialYearMonths(startYear).map(month =>
                  month.end > monthEnd(asAt)
                    ? null
                    : mine.filter(t => t.month === month.start).reduce((total, t) => total + t.total, 0),
                ),
              })),
            }
          })
          .filter(type => type.ytd > 0 || type.previousYtd > 0),
      }
    },

    /** The plan tracker: each priority's outcomes, the indicators that measure them (at `asAt`) and the actions. */
    async planView(asAt: string): Promise<PlanView> {
      const [outcomes, actions, pack] = await Promise.all([
        repository.plan.listOutcomes(),
        repository.plan.listActions(),
        service.kpiPack({ asAt }),
      ])
      const statusCounts: Record<string, number> = {}
      for (const action of actions) statusCounts[action.status] = (statusCounts[action.status] ?? 0) + 1
      const priorities = (await repository.listPriorities())
        .map(priority => ({
          priority,
          outcomes: outcomes
            .filter(outcome => outcome.priorityId === priority.id)
            .map(outcome => ({
              outcome,
              indicators: outcome.indicatorIds
                .map(id => pack.rows.find(row => row.indicator.id === id))
                .filter((row): row is KpiRow => row !== undefined),
              actions: actions.filter(action => action.outcomeId === outcome.id),
            })),
        }))
        .filter(group => group.outcomes.length > 0)
      return { asAt: pack.asAt, priorities, statusCounts }
    },

    findAction: (id: number) => repository.plan.findAction(id),

    /** Where indicators can take their figures from: the registered count sources, for the indicator form. */
    countSources: () => deps.sources?.list() ?? [],

    /** The survey measures indicators take figures from (the codes a survey CSV may use). */
    async surveyMeasures(): Promise<{ measure: string; indicator: Indicator }[]> {
      return (await repository.listIndicators()).flatMap(indicator =>
        indicator.source.kind === 'survey' ? [{ measure: indicator.source.measure, indicator }] : [],
      )
    },

    recentSurveyImports: () => repository.survey.recentImports(10),
  }
  return service
}

export type KpiService = ReturnType<typeof createKpiService>
