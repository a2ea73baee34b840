/**
 * The figures behind every indicator: manual periodic values, monthly sums over other modules' records (the outputs
 * register and the registered count sources) and resident survey results, as KPI engine observations per indicator
 * and area. Aggregate figures only: no personal data passes through here.
 */
import type { Clock } from '../../platform/clock.js'
import type { IndicatorDefinition, Observation } from './kpi-engine.js'
import { monthEnd, ytdWindows } from './kpi-engine.js'
import type { Indicator, PerformanceRepository } from './performance-repository.js'
import type { MonthlyCount, SourceRegistry } from './source-registry.js'

export interface AreaInfo {
  code: string
  name: string
  population: number | null
}

export interface PerformanceGeography {
  borough(): { code: string; name: string; shortName: string }
  wards(): AreaInfo[]
}

/** Monthly totals of another module's records (the outputs register), borough-wide and by ward. */
export interface ActivitySource {
  monthlyTotals(
    activityTypes: string[],
    from: string,
    to: string,
  ): Promise<{ activityType: string; wardCode: string | null; month: string; total: number }[]>
  /** The last day of the latest month with records, or null. */
  latestMonthEnd(): Promise<string | null>
  /** The activity types, in the register's order. */
  types(): Promise<{ code: string; name: string; quantityLabel: string }[]>
}

export interface ObservationDependencies {
  repository: PerformanceRepository
  geography: PerformanceGeography
  activity?: ActivitySource | undefined
  /** Count sources other modules registered (reports, police data, and later cases, powers, panels). */
  sources?: SourceRegistry | undefined
  /** Today, for where a source's real zeros stop (a month not yet begun has no figure). */
  clock?: Clock | undefined
}

/** The first day of each month from `first` to `last` (both `YYYY-MM-01`), in order. */
function monthsBetween(first: string, last: string): string[] {
  const months: string[] = []
  let year = Number(first.slice(0, 4))
  let month = Number(first.slice(5, 7))
  for (;;) {
    const start = `${String(year)}-${String(month).padStart(2, '0')}-01`
    if (start > last) return months
    months.push(start)
    month += 1
    if (month > 12) {
      month = 1
      year += 1
    }
  }
}

export function definitionFor(indicator: Indicator): IndicatorDefinition {
  return {
    unit: indicator.unit,
    polarity: indicator.polarity,
    target: indicator.target,
    tolerancePct: indicator.tolerancePct,
    stableBandPct: indicator.stableBandPct,
  }
}

/** The borough as an area, its population the sum of its wards' (null when none is known). */
export function boroughAreaOf(geography: PerformanceGeography): AreaInfo {
  const borough = geography.borough()
  const population = geography.wards().reduce((sum, ward) => sum + (ward.population ?? 0), 0)
  return { code: borough.code, name: borough.shortName, population: population > 0 ? population : null }
}

export function createObservationReader(deps: ObservationDependencies) {
  const { repository, geography } = deps
  const boroughArea = () => boroughAreaOf(geography)

  /** Every indicator's observations per area code, over the two financial years the windows of `asAt` span. */
  async function observationsFor(indicators: Indicator[], asAt: string, areaCode?: string, since?: string) {
    const windows = ytdWindows(asAt)
    const from = since ?? windows.previous.start
    const to = monthEnd(asAt)
    const byIndicator = new Map<string, Map<string, Observation[]>>()
    /** The observations of one indicator by area code, made on first use. */
    const areasOf = (indicatorId: string) => {
      let areas = byIndicator.get(indicatorId)
      if (!areas) byIndicator.set(indicatorId, (areas = new Map<string, Observation[]>()))
      return areas
    }
    /** One area's list of one indicator's observations, made on first use (the order of adding is kept). */
    const listOf = (areas: Map<string, Observation[]>, area: string) => {
      let list = areas.get(area)
      if (!list) areas.set(area, (list = []))
      return list
    }
    const add = (indicatorId: string, area: string, observation: Observation) => {
      listOf(areasOf(indicatorId), area).push(observation)
    }
    // Every read starts at once (on PostgreSQL they run side by side on the pool; on PGlite, one after another without
    // waiting for the application in between), and the results are taken in the same order as before (ADR 0062).
    const fromActivity = indicators.filter(indicator => indicator.source.kind === 'activity')
    const activityTypes = [
      ...new Set(fromActivity.map(i => (i.source.kind === 'activity' ? i.source.activityType : ''))),
    ]
    const measures = indicators.flatMap(i => (i.source.kind === 'survey' ? [i.source.measure] : []))
    // A module's sources for the same months share one read (`batchedByPeriod`): they are all asked in this turn.
    const counted = indicators.flatMap(indicator => {
      const source = indicator.source.kind === 'count' ? deps.sources?.get(indicator.source.key) : undefined
      return source ? [{ indicator, source, counts: source.monthlyCounts(from, to) }] : []
    })
    const [manual, activityTotals, countResults, surveyResults] = await Promise.all([
      repository.listValues({
        indicatorIds: indicators.map(indicator => indicator.id),
        ...(areaCode === undefined ? {} : { areaCode }),
        from,
        to,
      }),
      fromActivity.length > 0 && deps.activity ? deps.activity.monthlyTotals(activityTypes, from, to) : [],
      Promise.all(counted.map(({ counts }) => counts)),
      measures.length > 0
        ? repository.survey.results({ measures, ...(areaCode === undefined ? {} : { areaCode }), from, to })
        : [],
    ])
    for (const value of manual) {
      add(value.indicatorId, value.areaCode, {
        periodStart: value.periodStart,
        periodEnd: value.periodEnd,
        value: value.value,
        denominator: value.denominator,
      })
    }
    const borough = boroughArea()
    const wards = geography.wards()
    const monthEnds = new Map<string, string>()
    const endOf = (month: string) => {
      let end = monthEnds.get(month)
      if (end === undefined) monthEnds.set(month, (end = monthEnd(month)))
      return end
    }
    /**
     * Monthly counts by ward become observations for each ward and the borough. A ward with no records in a month
     * the source has records for counted none (the register and the modules count what happened). A month the source
     * has no records for at all has no figure ("no data"), unless the source is one Safer records as the work happens
     * (`recordedInSafer`): then every month from its first month with records to the month of `asAt` (never one not
     * yet begun) is covered, and a month without records is a real 0. docs/performance-sources.md, "No data or 0".
     */
    const addMonthlyCounts = (indicator: Indicator, counts: MonthlyCount[], recordedInSafer = false) => {
      // A percentage source's counts carry their own base (cases due a first contact); a percentage indicator on a
      // source without one has none, as before. A ward with no records in a month adds 0 of 0.
      const ownBase = indicator.unit === 'percent' && counts.some(count => count.denominator !== undefined)
      const boroughMonths = new Map<string, number>()
      const boroughBases = new Map<string, number>()
      const denominator = (population: number | null) => (indicator.unit === 'rate-per-1000' ? population : null)
      const byWard = new Map<string, Map<string, number>>()
      const basesByWard = new Map<string, Map<string, number>>()
      const addTo = (map: Map<string, number>, month: string, value: number) =>
        map.set(month, (map.get(month) ?? 0) + value)
      for (const count of counts) {
        addTo(boroughMonths, count.month, count.total)
        addTo(boroughBases, count.month, count.denominator ?? 0)
        if (count.wardCode === null) continue
        let months = byWard.get(count.wardCode)
        if (!months) byWard.set(count.wardCode, (months = new Map<string, number>()))
        addTo(months, count.month, count.total)
        let bases = basesByWard.get(count.wardCode)
        if (!bases) basesByWard.set(count.wardCode, (bases = new Map<string, number>()))
        addTo(bases, count.month, count.denominator ?? 0)
      }
      if (recordedInSafer && boroughMonths.size > 0) {
        const first = [...boroughMonths.keys()].sort()[0] ?? to
        const today = deps.clock ? deps.clock.now().toISOString().slice(0, 10) : to
        const last = `${(to < today ? to : today).slice(0, 7)}-01`
        for (const month of monthsBetween(first, last)) if (!boroughMonths.has(month)) boroughMonths.set(month, 0)
      }
      // Every ward has an observation for each of the borough's months: tens of thousands for a pack, so the lists and
      // month ends are looked up once per ward and indicator, not once per observation (ADR 0062, 2026-12-08).
      if (boroughMonths.size === 0) return
      const areas = areasOf(indicator.id)
      const months = [...boroughMonths.keys()].map(month => ({ month, end: endOf(month) }))
      for (const ward of wards) {
        if (areaCode !== undefined && areaCode !== ward.code) continue
        const byMonth = byWard.get(ward.code)
        const bases = basesByWard.get(ward.code)
        const list = listOf(areas, ward.code)
        const population = denominator(ward.population)
        for (const { month, end } of months) {
          list.push({
            periodStart: month,
            periodEnd: end,
            value: byMonth?.get(month) ?? 0,
            denominator: ownBase ? (bases?.get(month) ?? 0) : population,
          })
        }
      }
      if (areaCode === undefined || areaCode === borough.code) {
        const list = listOf(areas, borough.code)
        const population = denominator(borough.population)
        for (const [month, total] of boroughMonths) {
          list.push({
            periodStart: month,
            periodEnd: endOf(month),
            value: total,
            denominator: ownBase ? (boroughBases.get(month) ?? 0) : population,
          })
        }
      }
    }
    if (fromActivity.length > 0 && deps.activity) {
      const byType = new Map<string, MonthlyCount[]>()
      for (const total of activityTotals) {
        const list = byType.get(total.activityType)
        const count = { wardCode: total.wardCode, month: total.month, total: total.total }
        if (list) list.push(count)
        else byType.set(total.activityType, [count])
      }
      for (const indicator of fromActivity) {
        if (indicator.source.kind !== 'activity') continue
        addMonthlyCounts(indicator, byType.get(indicator.source.activityType) ?? [])
      }
    }
    counted.forEach(({ indicator, source }, i) => {
      addMonthlyCounts(indicator, countResults[i] ?? [], source.recordedInSafer === true)
    })
    if (measures.length > 0) {
      for (const indicator of indicators) {
        if (indicator.source.kind !== 'survey') continue
        const measure = indicator.source.measure
        for (const result of surveyResults.filter(r => r.measure === measure)) {
          add(indicator.id, result.area_code, {
            periodStart: result.period_start,
            periodEnd: result.period_end,
            value: result.agreeing,
            denominator: result.respondents,
          })
        }
      }
    }
    return (indicatorId: string, area: string) => byIndicator.get(indicatorId)?.get(area) ?? []
  }
  return observationsFor
}

export type ObservationReader = ReturnType<typeof createObservationReader>
