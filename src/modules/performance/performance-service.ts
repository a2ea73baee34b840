/**
 * Partnership performance: reads indicator definitions and their figures (manual periodic values, and sums over
 * other modules' records through `sources`), and runs the KPI engine over them for the borough, each ward and each
 * month. Aggregate figures only: no personal data passes through here.
 */
import type { AuditService, Actor } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import {
  aggregate,
  computeKpi,
  financialYearMonths,
  financialYearOf,
  financialYearWindow,
  monthEnd,
  percentChange,
  monthlySeries,
  parseIsoDate,
  ytdWindows,
  type IndicatorDefinition,
  type KpiResult,
  type MonthPoint,
  type Observation,
} from './kpi-engine.js'
import type { Indicator, PerformanceRepository, Priority, StoredValue } from './performance-repository.js'
import { EMPTY_PLAN, type PerformancePlan } from './performance-plan.js'
import type { Outcome, PlanAction } from './plan-repository.js'
import { isActionStatus } from './plan-status.js'
import type { MonthlyCount, SourceRegistry } from './source-registry.js'
import { runCsvImport } from '../../platform/csv-import.js'
import { surveyCsvFormat, type SurveyProblem, type SurveyRow } from './survey-import.js'
import { indicatorIdFrom, validateIndicator, type FieldError, type IndicatorForm } from './indicator-validation.js'

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

export interface IndicatorDetail {
  indicator: Indicator
  priority: Priority
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

export class PerformanceInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message)
    this.name = 'PerformanceInputError'
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

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

export function createPerformanceService(deps: {
  repository: PerformanceRepository
  geography: PerformanceGeography
  audit: AuditService
  clock: Clock
  activity?: ActivitySource
  /** Count sources other modules registered (reports, police data, and later cases, powers, panels). */
  sources?: SourceRegistry
  /** The partnership's plan and indicator definitions, from the CSP pack; seeded by `seedDefaults`. */
  plan?: PerformancePlan
}) {
  const { repository, geography, audit, clock } = deps
  const plan = deps.plan ?? EMPTY_PLAN

  function boroughArea(): AreaInfo {
    const borough = geography.borough()
    const population = geography.wards().reduce((sum, ward) => sum + (ward.population ?? 0), 0)
    return { code: borough.code, name: borough.shortName, population: population > 0 ? population : null }
  }

  function validAsAt(asAt: string): string {
    if (!parseIsoDate(asAt)) throw new PerformanceInputError('Enter a real date, like 2019-03-31', 'asAt')
    return asAt
  }

  /** Every indicator's observations per area code, over the two financial years the windows of `asAt` span. */
  async function observationsFor(indicators: Indicator[], asAt: string, areaCode?: string, since?: string) {
    const windows = ytdWindows(asAt)
    const from = since ?? windows.previous.start
    const to = monthEnd(asAt)
    const byIndicator = new Map<string, Map<string, Observation[]>>()
    const add = (indicatorId: string, area: string, observation: Observation) => {
      let areas = byIndicator.get(indicatorId)
      if (!areas) byIndicator.set(indicatorId, (areas = new Map<string, Observation[]>()))
      const list = areas.get(area)
      if (list) list.push(observation)
      else areas.set(area, [observation])
    }
    const manual = await repository.listValues({
      indicatorIds: indicators.map(indicator => indicator.id),
      ...(areaCode === undefined ? {} : { areaCode }),
      from,
      to,
    })
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
    /** Monthly counts by ward become observations for each ward and the borough. A ward with no records in a month
     * the source has records for counted none (the register and the modules count what happened). */
    const addMonthlyCounts = (indicator: Indicator, counts: MonthlyCount[]) => {
      const boroughMonths = new Map<string, number>()
      const denominator = (population: number | null) => (indicator.unit === 'rate-per-1000' ? population : null)
      const byWard = new Map<string, Map<string, number>>()
      for (const count of counts) {
        boroughMonths.set(count.month, (boroughMonths.get(count.month) ?? 0) + count.total)
        if (count.wardCode === null) continue
        let months = byWard.get(count.wardCode)
        if (!months) byWard.set(count.wardCode, (months = new Map<string, number>()))
        months.set(count.month, (months.get(count.month) ?? 0) + count.total)
      }
      for (const ward of wards) {
        if (areaCode !== undefined && areaCode !== ward.code) continue
        const byMonth = byWard.get(ward.code)
        for (const month of boroughMonths.keys()) {
          add(indicator.id, ward.code, {
            periodStart: month,
            periodEnd: endOf(month),
            value: byMonth?.get(month) ?? 0,
            denominator: denominator(ward.population),
          })
        }
      }
      if (areaCode === undefined || areaCode === borough.code) {
        for (const [month, total] of boroughMonths) {
          add(indicator.id, borough.code, {
            periodStart: month,
            periodEnd: endOf(month),
            value: total,
            denominator: denominator(borough.population),
          })
        }
      }
    }
    const fromActivity = indicators.filter(indicator => indicator.source.kind === 'activity')
    if (fromActivity.length > 0 && deps.activity) {
      const types = [...new Set(fromActivity.map(i => (i.source.kind === 'activity' ? i.source.activityType : '')))]
      const byType = new Map<string, MonthlyCount[]>()
      for (const total of await deps.activity.monthlyTotals(types, from, to)) {
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
    for (const indicator of indicators) {
      if (indicator.source.kind !== 'count') continue
      const source = deps.sources?.get(indicator.source.key)
      if (source) addMonthlyCounts(indicator, await source.monthlyCounts(from, to))
    }
    const measures = indicators.flatMap(i => (i.source.kind === 'survey' ? [i.source.measure] : []))
    if (measures.length > 0) {
      const results = await repository.survey.results({
        measures,
        ...(areaCode === undefined ? {} : { areaCode }),
        from,
        to,
      })
      for (const indicator of indicators) {
        if (indicator.source.kind !== 'survey') continue
        const measure = indicator.source.measure
        for (const result of results.filter(r => r.measure === measure)) {
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

  const service = {
    /**
     * Saves an indicator from the staff form: `id` undefined creates one (its id made from the name). An indicator
     * without polarity cannot be saved. Audited.
     */
    async saveIndicator(
      id: string | undefined,
      form: IndicatorForm,
      actor: Actor,
    ): Promise<{ ok: true; id: string } | { ok: false; errors: FieldError[] }> {
      const priorities = await repository.listPriorities()
      const result = validateIndicator(form, {
        priorities: new Set(priorities.map(p => p.id)),
        activityTypes: new Set((await service.activityTypes()).map(type => type.code)),
        countSources: new Set((deps.sources?.list() ?? []).map(source => source.key)),
      })
      if (!result.ok) return result
      const existing = id === undefined ? undefined : await repository.findIndicator(id)
      if (id !== undefined && !existing) throw new PerformanceInputError('No such indicator', 'id')
      let savedId = id
      if (savedId === undefined) {
        const base = indicatorIdFrom(result.value.name)
        const taken = new Set((await repository.listIndicators()).map(indicator => indicator.id))
        savedId = base
        for (let n = 2; taken.has(savedId); n += 1) savedId = `${base}-${String(n)}`
      }
      const finalId = savedId
      await repository.transaction(async trx => {
        await repository.saveIndicator(finalId, result.value, trx)
        await audit.record(
          {
            actor,
            action: existing ? 'PERFORMANCE_INDICATOR_UPDATED' : 'PERFORMANCE_INDICATOR_CREATED',
            subjectType: 'performance_indicator',
            subjectId: finalId,
            details: { polarity: result.value.polarity, source: result.value.source.kind },
          },
          trx,
        )
      })
      return { ok: true, id: finalId }
    },

    /** The outputs register's activity types (an indicator can sum one). */
    activityTypes: async () => (deps.activity ? deps.activity.types() : []),

    /** The service clock's now (the date a report is generated). */
    now: (): Date => clock.now(),

    /** The latest month end with figures, not after today; the end of last month when there are none. */
    async defaultAsAt(): Promise<string> {
      const today = isoDate(clock.now())
      const candidates = [
        ...(await repository.periodEnds()).filter(end => end <= today),
        ...(deps.activity ? [await deps.activity.latestMonthEnd()] : []),
      ].filter((end): end is string => end !== null && end <= today)
      const latest = candidates.sort().reverse()[0]
      if (latest !== undefined) return latest
      const lastMonth = new Date(Date.UTC(clock.now().getUTCFullYear(), clock.now().getUTCMonth(), 0))
      return isoDate(lastMonth)
    },

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
      if (!area) throw new PerformanceInputError('Choose a ward of the borough', 'ward')
      const [priorities, indicators] = await Promise.all([repository.listPriorities(), repository.listIndicators()])
      const observations = await observationsFor(indicators, asAt, area.code)
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
    },

    /** The KPI table for the borough and for every ward at `asAt`, from one read of the figures. */
    async kpiPacks(asAtInput: string): Promise<KpiPack[]> {
      const asAt = validAsAt(asAtInput)
      const [priorities, indicators] = await Promise.all([repository.listPriorities(), repository.listIndicators()])
      const observations = await observationsFor(indicators, asAt)
      return [boroughArea(), ...geography.wards()].map(area => {
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
      })
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

    /** Records a manual periodic figure with its evidence (idempotent: the same period again replaces it). */
    async recordValue(input: StoredValue, actor: Actor): Promise<void> {
      const indicator = await repository.findIndicator(input.indicatorId)
      if (!indicator) throw new PerformanceInputError('Choose an indicator', 'indicatorId')
      if (!parseIsoDate(input.periodStart)) throw new PerformanceInputError('Enter a real start date', 'periodStart')
      if (!parseIsoDate(input.periodEnd)) throw new PerformanceInputError('Enter a real end date', 'periodEnd')
      if (input.periodEnd < input.periodStart) {
        throw new PerformanceInputError('The end date must be on or after the start date', 'periodEnd')
      }
      if (!Number.isFinite(input.value)) throw new PerformanceInputError('Enter the figure as a number', 'value')
      if (input.evidence.trim() === '') throw new PerformanceInputError('Say where the figure comes from', 'evidence')
      const areas = [boroughArea().code, ...geography.wards().map(ward => ward.code)]
      if (!areas.includes(input.areaCode)) throw new PerformanceInputError('Choose the borough or a ward', 'areaCode')
      await repository.transaction(async trx => {
        await repository.upsertValue(input, trx)
        await audit.record(
          {
            actor,
            action: 'PERFORMANCE_VALUE_RECORDED',
            subjectType: 'performance_indicator',
            subjectId: input.indicatorId,
            details: { areaCode: input.areaCode, periodStart: input.periodStart, periodEnd: input.periodEnd },
          },
          trx,
        )
      })
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

    /**
     * Imports resident survey results all-or-nothing: the header must be exact, every line is checked, and any
     * problem saves nothing and returns the line-by-line report. A result for a measure, area and period already
     * held is replaced (importing the same file twice changes nothing).
     */
    async importSurvey(
      text: string,
      fileName: string,
      actor: Actor,
    ): Promise<{ ok: true; imported: number } | { ok: false; problems: SurveyProblem[] }> {
      const measures = new Set((await service.surveyMeasures()).map(item => item.measure))
      const areaCodes = new Set([boroughArea().code, ...geography.wards().map(ward => ward.code)])
      const result = await runCsvImport(text, surveyCsvFormat({ areaCodes, measures }), rows => {
        const surveys = [...new Set(rows.map(row => row.survey))]
        return repository.transaction(async trx => {
          const importId = await repository.survey.saveImport(surveys.join('; '), fileName, rows, trx)
          await audit.record(
            {
              actor,
              action: 'PERFORMANCE_SURVEY_IMPORTED',
              subjectType: 'performance_survey_import',
              subjectId: String(importId),
              details: { rows: rows.length, surveys },
            },
            trx,
          )
        })
      })
      return result.ok ? { ok: true, imported: result.rows } : result
    },

    /** Updates an action's status and narrative. Amber and red need a narrative: the board will ask why. */
    async updateAction(
      id: number,
      input: { status: string; narrative: string },
      actor: Actor,
    ): Promise<{ ok: true } | { ok: false; errors: { field: 'status' | 'narrative'; message: string }[] }> {
      const errors: { field: 'status' | 'narrative'; message: string }[] = []
      const narrative = input.narrative.trim()
      if (!isActionStatus(input.status)) errors.push({ field: 'status', message: 'Select the status of the action' })
      if ((input.status === 'at-risk' || input.status === 'off-track') && narrative === '') {
        errors.push({
          field: 'narrative',
          message: 'Say why the action is at risk or off track, and what is being done',
        })
      }
      if (narrative.length > 2000)
        errors.push({ field: 'narrative', message: 'The update must be 2,000 characters or fewer' })
      if (errors.length > 0 || !isActionStatus(input.status)) return { ok: false, errors }
      const status = input.status
      const updated = await repository.transaction(async trx => {
        const changed = await repository.plan.updateStatus(id, status, narrative, trx)
        if (changed) {
          await audit.record(
            {
              actor,
              action: 'PLAN_ACTION_UPDATED',
              subjectType: 'performance_action',
              subjectId: String(id),
              details: { status },
            },
            trx,
          )
        }
        return changed
      })
      if (!updated) throw new PerformanceInputError('No such action', 'id')
      return { ok: true }
    },

    /** Loads the pack's priorities, indicators and outcomes (never overwriting a partnership's own edits). */
    async seedDefaults(): Promise<{ priorities: number; indicators: number; outcomes: number }> {
      return repository.transaction(async trx => {
        await repository.upsertPriorities(plan.priorities, trx)
        const indicators = await repository.insertIndicatorsIfMissing(plan.indicators, trx)
        await repository.plan.insertOutcomes(plan.outcomes, trx)
        return { priorities: plan.priorities.length, indicators, outcomes: plan.outcomes.length }
      })
    },

    /** Demo plan actions (from the plan's commitments; owners, dates and statuses invented). */
    async seedDemoActions(): Promise<number> {
      if (plan.demoActions.length === 0) return 0
      await repository.plan.insertActions(plan.demoActions)
      return plan.demoActions.length
    },

    /**
     * Demo resident survey: "feel safe after dark" each quarter of 2016/17 to 2018/19, for each ward (about 60
     * respondents) and the borough (their sum). Invented, deterministic figures, marked as demo data.
     */
    async seedDemoSurvey(): Promise<number> {
      const survey = 'Demo resident survey (invented figures)'
      const rows: SurveyRow[] = []
      const wards = geography.wards()
      for (let quarter = 0; quarter < 12; quarter += 1) {
        const startYear = 2016 + Math.floor(quarter / 4)
        const q = quarter % 4
        const startMonth = 4 + q * 3
        const year = startMonth > 12 ? startYear + 1 : startYear
        const month = ((startMonth - 1) % 12) + 1
        const periodStart = `${String(year)}-${String(month).padStart(2, '0')}-01`
        const periodEnd = monthEnd(`${String(year)}-${String(month + 2).padStart(2, '0')}-01`)
        let boroughRespondents = 0
        let boroughAgreeing = 0
        wards.forEach((ward, index) => {
          const respondents = 50 + ((index * 7 + quarter * 3) % 21)
          const share = 0.5 + ((index * 13) % 20) / 100 + quarter * 0.004 + (((index + quarter) % 5) - 2) / 100
          const agreeing = Math.min(respondents, Math.round(respondents * share))
          boroughRespondents += respondents
          boroughAgreeing += agreeing
          rows.push({
            survey,
            measure: 'safe-after-dark',
            areaCode: ward.code,
            periodStart,
            periodEnd,
            respondents,
            agreeing,
          })
        })
        rows.push({
          survey,
          measure: 'safe-after-dark',
          areaCode: boroughArea().code,
          periodStart,
          periodEnd,
          respondents: boroughRespondents,
          agreeing: boroughAgreeing,
        })
      }
      await repository.transaction(trx => repository.survey.saveImport(survey, 'demo', rows, trx))
      return rows.length
    },

    /** The pack's historic figures (YTD and previous YTD) as manual borough values, for the demo. */
    async seedHistoricValues(): Promise<number> {
      const borough = boroughArea().code
      let count = 0
      await repository.transaction(async trx => {
        for (const set of plan.historicValues) {
          const windows = ytdWindows(set.asAt)
          for (const { indicatorId, ytd, previousYtd } of set.figures) {
            const periods: [typeof windows.current, number | null][] = [
              [windows.current, ytd],
              [windows.previous, previousYtd],
            ]
            for (const [window, value] of periods) {
              if (value === null) continue
              await repository.upsertValue(
                {
                  indicatorId,
                  areaCode: borough,
                  periodStart: window.start,
                  periodEnd: window.end,
                  value,
                  denominator: null,
                  evidence: set.evidence,
                },
                trx,
              )
              count += 1
            }
          }
        }
      })
      return count
    },
  }
  return service
}

export type PerformanceService = ReturnType<typeof createPerformanceService>
