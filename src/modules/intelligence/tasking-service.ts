/**
 * The weekly tasking pack: police.uk hotspots now against the period before, emerging hotspots (docs/hotspots.md),
 * Safer's own reports this week against the weeks before, recent outputs from the activity register, and sections
 * other modules supply through a `TaskingSectionProvider` (casework: repeat victims and locations, high-risk cases,
 * overdue actions). Decisions taken at the meeting are recorded back against the week, audited, optionally with an
 * output in the activity register. Also the "when" view of Safer's reports (hour of week and month).
 */
import { randomUUID } from 'node:crypto'

import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { GeographyService } from '../geography/index.js'
import { testRise } from './emerging.js'
import type { IntelligenceRepository } from './intelligence-repository.js'
import type { IntelligenceService } from './intelligence-service.js'

/** One section of the pack supplied by another module: a titled table, already shaped for display. */
export interface TaskingSection {
  title: string
  description?: string
  head: string[]
  rows: string[][]
  /** Shown instead of the table when there are no rows. */
  empty: string
}

export interface TaskingContext {
  weekStart: string
  weekEnd: string
  /** Who is reading the pack: providers show only what this user may see. */
  user: { id: string; partnerId: string; roles: readonly string[] }
}

/** What a module registers to add sections to the pack (casework: repeat victims, high-risk cases, overdue actions). */
export interface TaskingSectionProvider {
  id: string
  sections(context: TaskingContext): Promise<TaskingSection[]>
}

/** What the pack needs from the reporting module (its `createReportAnalytics`). */
export interface ReportAggregates {
  hourOfWeek(filter: {
    from: string
    to: string
    category?: string
  }): Promise<{ isoDay: number; hour: number | null; reports: number }[]>
  monthly(filter: { from: string; to: string; category?: string }): Promise<{ month: string; reports: number }[]>
  byWard(filter: { from: string; to: string }): Promise<{ wardCode: string; reports: number }[]>
  categories(): Promise<string[]>
}

/** What the pack needs from the activity module. */
export interface ActivityOutputs {
  listTypes(): Promise<{ code: string; name: string; quantityLabel: string }[]>
  recent(limit: number): Promise<
    {
      id: number
      typeCode: string
      occurredOn: string
      wardCode: string | null
      quantity: number
      operation: string | null
    }[]
  >
  record(
    input: {
      type: string
      date: string
      ward: string
      priority: string
      quantity: string
      operation: string
      partner: string
      evidence: string
    },
    submissionId: string,
    actor: Actor,
  ): Promise<
    | { ok: true; id: number | null }
    | { ok: false; errors: { field: string; code: string; params?: Record<string, string | number> }[] }
  >
}

export interface DecisionInput {
  id: string
  decision: string
  owner: string
  dueOn: string
  outputType?: string
  outputQuantity?: string
  outputWard?: string
}

export type DecisionResult = { ok: true } | { ok: false; errors: Record<string, string> }

const DAY = 24 * 60 * 60 * 1000
const isoDate = (date: Date) => date.toISOString().slice(0, 10)

/** YYYY-MM-DD naming a day that exists (not 2026-02-30). */
export function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const time = Date.parse(`${value}T00:00:00Z`)
  return !Number.isNaN(time) && isoDate(new Date(time)) === value
}

/** Monday of the week holding `date` (UTC dates). */
export function weekStartOf(date: Date): string {
  const day = (date.getUTCDay() + 6) % 7
  return isoDate(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) - day * DAY))
}

function addDays(date: string, days: number): string {
  return isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY))
}

function addMonths(month: string, months: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number]
  const date = new Date(Date.UTC(year, m - 1 + months, 1))
  return date.toISOString().slice(0, 7)
}

/** Earlier periods each part of the pack compares against. */
export const COMPARISON_PERIODS = { policeMonths: 3, reportWeeks: 4 } as const

export function createTaskingService(deps: {
  repository: IntelligenceRepository
  intelligence: IntelligenceService
  geography: GeographyService
  reports: ReportAggregates
  activity: ActivityOutputs
  audit: AuditService
  clock: Clock
}) {
  const { repository, intelligence, geography, reports, activity, audit, clock } = deps
  const providers: TaskingSectionProvider[] = []

  /**
   * The latest police.uk month against the months before it. A month never imported is "no data", not zero: the
   * baseline is the mean of the earlier months that were imported, and with none there is no baseline (and nothing
   * is called emerging).
   */
  async function policeComparison() {
    // From the monthly aggregate: the records of ten years are millions (ADR 0061).
    const imported = await repository.streetMonthRecords()
    const months = [...new Set(imported.map(row => row.month))].sort()
    const latest = months.at(-1)
    if (!latest) return null
    const periods = COMPARISON_PERIODS.policeMonths
    const earlierFrom = addMonths(latest, -periods)
    const earlierTo = addMonths(latest, -1)
    const baselineMonths = Array.from({ length: periods }, (_, i) => addMonths(latest, i - periods)).map(month => {
      const rows = imported.filter(row => row.month === month)
      return {
        month,
        records: rows.length > 0 ? rows.reduce((sum, row) => sum + Number.parseInt(`${row.rows}`, 10), 0) : null,
      }
    })
    const importedPeriods = baselineMonths.filter(month => month.records !== null).length
    const compared = await intelligence.compareLatest(
      { from: latest, to: latest },
      { from: earlierFrom, to: earlierTo },
      Math.max(1, importedPeriods),
    )
    if (importedPeriods === 0) {
      const none = <T extends { emerging: boolean }>(rows: T[]) => rows.map(row => ({ ...row, emerging: false }))
      return {
        latest,
        earlierFrom,
        earlierTo,
        periods: 0,
        baselineMonths,
        ...compared,
        wards: none(compared.wards),
        places: none(compared.places),
        emergingCells: [],
      }
    }
    return { latest, earlierFrom, earlierTo, periods: importedPeriods, baselineMonths, ...compared }
  }

  async function reportComparison(weekStart: string) {
    const periods = COMPARISON_PERIODS.reportWeeks
    const weekEnd = addDays(weekStart, 6)
    const earlierFrom = addDays(weekStart, -7 * periods)
    const earlierTo = addDays(weekStart, -1)
    const [now, before] = await Promise.all([
      reports.byWard({ from: weekStart, to: weekEnd }),
      reports.byWard({ from: earlierFrom, to: earlierTo }),
    ])
    const nowBy = new Map(now.map(row => [row.wardCode, row.reports]))
    const beforeBy = new Map(before.map(row => [row.wardCode, row.reports]))
    const wards = geography
      .wards()
      .map(ward => ({
        code: ward.code,
        name: ward.name,
        ...testRise(nowBy.get(ward.code) ?? 0, beforeBy.get(ward.code) ?? 0, { periods }),
      }))
      .filter(ward => ward.now > 0 || ward.before > 0)
      .sort((a, b) => b.now - a.now || b.before - a.before || a.name.localeCompare(b.name))
    return { weekStart, weekEnd, earlierFrom, earlierTo, periods, wards }
  }

  return {
    /** Another module adds its sections to every pack from now on. */
    registerSectionProvider(provider: TaskingSectionProvider): void {
      if (providers.some(existing => existing.id === provider.id))
        throw new Error(`A tasking section provider "${provider.id}" is already registered`)
      providers.push(provider)
    },

    currentWeek(): { weekStart: string; weekEnd: string } {
      const weekStart = weekStartOf(clock.now())
      return { weekStart, weekEnd: addDays(weekStart, 6) }
    },

    async pack(user: TaskingContext['user']) {
      const { weekStart, weekEnd } = this.currentWeek()
      const outputsSince = addDays(weekStart, -28)
      const [police, reported, types, recent, decisions] = await Promise.all([
        policeComparison(),
        reportComparison(weekStart),
        activity.listTypes(),
        activity.recent(200),
        repository.decisions(weekStart),
      ])
      const sections = []
      for (const provider of providers) sections.push(...(await provider.sections({ weekStart, weekEnd, user })))
      return {
        weekStart,
        weekEnd,
        police,
        reported,
        outputs: {
          since: outputsSince,
          types,
          records: recent.filter(record => record.occurredOn >= outputsSince && record.occurredOn <= weekEnd),
        },
        providerCount: providers.length,
        sections,
        decisions,
        today: isoDate(clock.now()),
      }
    },

    async recordDecision(input: DecisionInput, actor: Actor & { id: string }): Promise<DecisionResult> {
      const errors: Record<string, string> = {}
      const decision = input.decision.trim()
      const owner = input.owner.trim()
      if (!decision) errors.decision = 'decision.missing'
      else if (decision.length > 2000) errors.decision = 'decision.tooLong'
      if (!owner) errors.owner = 'owner.missing'
      else if (owner.length > 200) errors.owner = 'owner.tooLong'
      const today = isoDate(clock.now())
      if (!isRealDate(input.dueOn)) errors.dueOn = 'dueOn.invalid'
      else if (input.dueOn < today) errors.dueOn = 'dueOn.past'
      const quantity = (input.outputQuantity ?? '').trim()
      if (input.outputType && !/^[1-9]\d{0,5}$/.test(quantity)) errors.outputQuantity = 'outputQuantity.invalid'
      if (!/^[0-9a-f-]{36}$/.test(input.id)) errors.decision ??= 'decision.missing'
      if (Object.keys(errors).length > 0) return { ok: false, errors }

      let activityRecordId: number | null = null
      if (input.outputType) {
        const recorded = await activity.record(
          {
            type: input.outputType,
            date: today,
            ward: input.outputWard ?? '',
            priority: '',
            quantity,
            operation: '',
            partner: '',
            evidence: `Tasking decision: ${decision}`.slice(0, 500),
          },
          input.id,
          actor,
        )
        if (!recorded.ok) {
          const fields: Record<string, string> = { type: 'outputType', quantity: 'outputQuantity', ward: 'outputWard' }
          for (const error of recorded.errors) errors[fields[error.field] ?? 'outputType'] = `activity:${error.code}`
          return { ok: false, errors }
        }
        activityRecordId = recorded.id
      }
      const { weekStart } = this.currentWeek()
      const inserted = await repository.insertDecision({
        id: input.id,
        week_start: weekStart,
        decision,
        owner,
        due_on: input.dueOn,
        activity_record_id: activityRecordId,
        created_by: actor.id,
      })
      if (inserted)
        await audit.record({
          actor,
          action: 'INTELLIGENCE_TASKING_DECISION_RECORDED',
          subjectType: 'intelligence_tasking_decision',
          subjectId: input.id,
          details: { weekStart, dueOn: input.dueOn, activityRecordId },
        })
      return { ok: true }
    },

    /**
     * Records that a decision was carried out, on `completedOn` (today when not given): not in the future and not
     * before the meeting week that took it. Done once: a second request for a done decision changes nothing.
     */
    async completeDecision(
      input: { id: string; completedOn?: string },
      actor: Actor & { id: string },
    ): Promise<
      | { ok: true; changed: boolean }
      | { ok: false; error: 'unknown' | 'date-invalid' | 'date-future' | 'date-before-meeting' }
    > {
      const found = /^[0-9a-f-]{36}$/.test(input.id) ? await repository.decision(input.id) : undefined
      if (!found) return { ok: false, error: 'unknown' }
      if (found.completed_on !== null) return { ok: true, changed: false }
      const today = isoDate(clock.now())
      const typed = input.completedOn?.trim() ?? ''
      const completedOn = typed === '' ? today : typed
      if (!isRealDate(completedOn)) return { ok: false, error: 'date-invalid' }
      if (completedOn > today) return { ok: false, error: 'date-future' }
      if (completedOn < found.week_start) return { ok: false, error: 'date-before-meeting' }
      const changed = await repository.completeDecision(input.id, completedOn, actor.id, clock.now())
      if (changed)
        await audit.record({
          actor,
          action: 'INTELLIGENCE_TASKING_DECISION_COMPLETED',
          subjectType: 'intelligence_tasking_decision',
          subjectId: input.id,
          details: { completedOn },
        })
      return { ok: true, changed }
    },

    newDecisionId: () => randomUUID(),

    /** Safer's own reports by hour of the week and by month, for the "when" page. */
    async when(filter: { from: string; to: string; category?: string }) {
      const [cells, monthly, categories] = await Promise.all([
        reports.hourOfWeek(filter),
        reports.monthly(filter),
        reports.categories(),
      ])
      const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0))
      const noTime = new Array<number>(7).fill(0)
      for (const cell of cells) {
        const day = cell.isoDay - 1
        if (cell.hour === null) noTime[day] = (noTime[day] ?? 0) + cell.reports
        else {
          const row = grid[day]
          if (row) row[cell.hour] = (row[cell.hour] ?? 0) + cell.reports
        }
      }
      const total = cells.reduce((sum, cell) => sum + cell.reports, 0)
      return { filter, grid, noTime, monthly, categories, total }
    },
  }
}

export type TaskingService = ReturnType<typeof createTaskingService>
export type TaskingPack = Awaited<ReturnType<TaskingService['pack']>>
export type WhenSummary = Awaited<ReturnType<TaskingService['when']>>
