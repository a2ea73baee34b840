/**
 * Partnership performance: reads indicator definitions and their figures (manual periodic values, and sums over
 * other modules' records through `sources`), and runs the KPI engine over them for the borough, each ward and each
 * month. Aggregate figures only: no personal data passes through here.
 */
import type { AuditService, Actor } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import {
  DECK_AS_AT,
  DECK_EVIDENCE,
  DECK_FIGURES,
  DEFAULT_INDICATORS,
  DEFAULT_PRIORITIES,
} from './default-indicators.js'
import {
  computeKpi,
  monthEnd,
  monthlySeries,
  parseIsoDate,
  ytdWindows,
  type IndicatorDefinition,
  type KpiResult,
  type MonthPoint,
  type Observation,
} from './kpi-engine.js'
import type { Indicator, PerformanceRepository, Priority, StoredValue } from './performance-repository.js'
import { DEMO_ACTIONS, PLAN_OUTCOMES } from './plan-data.js'
import type { Outcome, PlanAction } from './plan-repository.js'
import { isActionStatus } from './plan-status.js'

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
}) {
  const { repository, geography, audit, clock } = deps

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
  async function observationsFor(indicators: Indicator[], asAt: string, areaCode?: string) {
    const windows = ytdWindows(asAt)
    const from = windows.previous.start
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
    const fromActivity = indicators.filter(indicator => indicator.source.kind === 'activity')
    if (fromActivity.length > 0 && deps.activity) {
      const types = [...new Set(fromActivity.map(i => (i.source.kind === 'activity' ? i.source.activityType : '')))]
      const totals = await deps.activity.monthlyTotals(types, from, to)
      const borough = boroughArea()
      const population = new Map(geography.wards().map(ward => [ward.code, ward.population]))
      for (const indicator of fromActivity) {
        if (indicator.source.kind !== 'activity') continue
        const type = indicator.source.activityType
        const boroughMonths = new Map<string, number>()
        for (const total of totals.filter(t => t.activityType === type)) {
          boroughMonths.set(total.month, (boroughMonths.get(total.month) ?? 0) + total.total)
          if (total.wardCode !== null && (areaCode === undefined || areaCode === total.wardCode)) {
            add(indicator.id, total.wardCode, {
              periodStart: total.month,
              periodEnd: monthEnd(total.month),
              value: total.total,
              denominator: indicator.unit === 'rate-per-1000' ? (population.get(total.wardCode) ?? null) : null,
            })
          }
        }
        // The register counts what happened: a ward with no records in a month the register was in use did none.
        for (const ward of geography.wards()) {
          if (areaCode !== undefined && areaCode !== ward.code) continue
          const recorded = new Set(
            totals.filter(t => t.activityType === type && t.wardCode === ward.code).map(t => t.month),
          )
          for (const month of boroughMonths.keys()) {
            if (recorded.has(month)) continue
            add(indicator.id, ward.code, {
              periodStart: month,
              periodEnd: monthEnd(month),
              value: 0,
              denominator: indicator.unit === 'rate-per-1000' ? ward.population : null,
            })
          }
        }
        if (areaCode === undefined || areaCode === borough.code) {
          for (const [month, total] of boroughMonths) {
            add(indicator.id, borough.code, {
              periodStart: month,
              periodEnd: monthEnd(month),
              value: total,
              denominator: indicator.unit === 'rate-per-1000' ? borough.population : null,
            })
          }
        }
      }
    }
    return (indicatorId: string, area: string) => byIndicator.get(indicatorId)?.get(area) ?? []
  }

  const service = {
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

    /** Loads the default priorities and indicators (never overwriting a partnership's own edits). */
    async seedDefaults(): Promise<{ priorities: number; indicators: number; outcomes: number }> {
      return repository.transaction(async trx => {
        await repository.upsertPriorities(DEFAULT_PRIORITIES, trx)
        const indicators = await repository.insertIndicatorsIfMissing(DEFAULT_INDICATORS, trx)
        await repository.plan.insertOutcomes(PLAN_OUTCOMES, trx)
        return { priorities: DEFAULT_PRIORITIES.length, indicators, outcomes: PLAN_OUTCOMES.length }
      })
    },

    /** Demo plan actions (from the plan's commitments; owners, dates and statuses invented). */
    async seedDemoActions(): Promise<number> {
      await repository.plan.insertActions(DEMO_ACTIONS)
      return DEMO_ACTIONS.length
    },

    /** The deck's YTD and previous YTD figures as manual borough values, for the demo. */
    async seedDeckFigures(): Promise<number> {
      const borough = boroughArea().code
      const windows = ytdWindows(DECK_AS_AT)
      let count = 0
      await repository.transaction(async trx => {
        for (const [indicatorId, ytd, previous] of DECK_FIGURES) {
          const periods: [typeof windows.current, number | null][] = [
            [windows.current, ytd],
            [windows.previous, previous],
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
                evidence: DECK_EVIDENCE,
              },
              trx,
            )
            count += 1
          }
        }
      })
      return count
    },
  }
  return service
}

export type PerformanceService = ReturnType<typeof createPerformanceService>
