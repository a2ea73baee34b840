import { sql, type Kysely, type Transaction } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { IndicatorSeed, IndicatorSource, PrioritySeed } from './performance-plan.js'
import type { Polarity, TargetKind, Unit } from './kpi-engine.js'
import { createPlanRepository } from './plan-repository.js'
import { createSurveyRepository } from './survey-repository.js'

export interface Priority {
  id: string
  name: string
  plan: string
  sortOrder: number
}

/** A stored indicator has exactly the shape of the seed that defines one. */
export type Indicator = IndicatorSeed

export interface StoredValue {
  indicatorId: string
  areaCode: string
  periodStart: string
  periodEnd: string
  value: number
  denominator: number | null
  evidence: string
}

type Db = Kysely<Database> | Transaction<Database>

function sourceOf(row: {
  source_kind: string
  source_activity_type: string | null
  source_key: string | null
}): IndicatorSource {
  if (row.source_kind === 'activity' && row.source_activity_type !== null)
    return { kind: 'activity', activityType: row.source_activity_type }
  if (row.source_kind === 'count' && row.source_key !== null) return { kind: 'count', key: row.source_key }
  if (row.source_kind === 'survey' && row.source_key !== null) return { kind: 'survey', measure: row.source_key }
  return { kind: 'manual' }
}

/** The columns that store an indicator's source. */
export function sourceColumns(source: IndicatorSource) {
  return {
    source_kind: source.kind,
    source_activity_type: source.kind === 'activity' ? source.activityType : null,
    source_key: source.kind === 'count' ? source.key : source.kind === 'survey' ? source.measure : null,
  }
}

function toIndicator(row: {
  id: string
  name: string
  priority_id: string
  unit: Unit
  polarity: Polarity
  target_kind: TargetKind | null
  target_value: number | null
  tolerance_pct: number
  stable_band_pct: number
  source_kind: 'manual' | 'activity' | 'count' | 'survey'
  source_activity_type: string | null
  source_key: string | null
  description: string
  sort_order: number
}): Indicator {
  return {
    id: row.id,
    name: row.name,
    priorityId: row.priority_id,
    unit: row.unit,
    polarity: row.polarity,
    target:
      row.target_kind === null || row.target_value === null ? null : { kind: row.target_kind, value: row.target_value },
    tolerancePct: row.tolerance_pct,
    stableBandPct: row.stable_band_pct,
    source: sourceOf(row),
    description: row.description,
    sortOrder: row.sort_order,
  }
}

export function createPerformanceRepository(db: Kysely<Database>) {
  return {
    /** The plan tracker's outcomes and actions. */
    plan: createPlanRepository(db),
    /** Imported resident survey results. */
    survey: createSurveyRepository(db),

    async listPriorities(): Promise<Priority[]> {
      const rows = await db.selectFrom('performance_priority').selectAll().orderBy('sort_order').orderBy('id').execute()
      return rows.map(row => ({ id: row.id, name: row.name, plan: row.plan, sortOrder: row.sort_order }))
    },

    async listIndicators(): Promise<Indicator[]> {
      const rows = await db
        .selectFrom('performance_indicator')
        .selectAll()
        .orderBy('sort_order')
        .orderBy('id')
        .execute()
      return rows.map(toIndicator)
    },

    async findIndicator(id: string): Promise<Indicator | undefined> {
      const row = await db.selectFrom('performance_indicator').selectAll().where('id', '=', id).executeTakeFirst()
      return row ? toIndicator(row) : undefined
    },

    /** Manual values of some indicators for an area (or every area) that overlap [from, to]. */
    async listValues(filter: { indicatorIds?: string[]; areaCode?: string; from: string; to: string }) {
      let query = db
        .selectFrom('performance_value')
        .select([
          'indicator_id',
          'area_code',
          sql<string>`period_start::text`.as('period_start'),
          sql<string>`period_end::text`.as('period_end'),
          'value',
          'denominator',
          'evidence',
        ])
        .where('period_end', '>=', filter.from)
        .where('period_start', '<=', filter.to)
      if (filter.indicatorIds) {
        if (filter.indicatorIds.length === 0) return []
        query = query.where('indicator_id', 'in', filter.indicatorIds)
      }
      if (filter.areaCode !== undefined) query = query.where('area_code', '=', filter.areaCode)
      const rows = await query.orderBy('period_start').execute()
      return rows.map((row): StoredValue => ({
        indicatorId: row.indicator_id,
        areaCode: row.area_code,
        periodStart: row.period_start,
        periodEnd: row.period_end,
        value: row.value,
        denominator: row.denominator,
        evidence: row.evidence,
      }))
    },

    /** The period ends that have values, newest first: the "as at" dates a dashboard can offer. */
    async periodEnds(): Promise<string[]> {
      const rows = await db
        .selectFrom('performance_value')
        .select(sql<string>`period_end::text`.as('period_end'))
        .distinct()
        .orderBy('period_end', 'desc')
        .limit(60)
        .execute()
      return rows.map(row => row.period_end)
    },

    async upsertPriorities(priorities: PrioritySeed[], trx: Db = db): Promise<void> {
      for (const priority of priorities) {
        const values = { id: priority.id, name: priority.name, plan: priority.plan, sort_order: priority.sortOrder }
        await trx
          .insertInto('performance_priority')
          .values(values)
          .onConflict(oc => oc.column('id').doUpdateSet({ name: values.name, plan: values.plan }))
          .execute()
      }
    },

    async insertIndicatorsIfMissing(indicators: IndicatorSeed[], trx: Db = db): Promise<number> {
      let inserted = 0
      for (const seed of indicators) {
        const result = await trx
          .insertInto('performance_indicator')
          .values({
            id: seed.id,
            name: seed.name,
            priority_id: seed.priorityId,
            unit: seed.unit,
            polarity: seed.polarity,
            target_kind: seed.target?.kind ?? null,
            target_value: seed.target?.value ?? null,
            tolerance_pct: seed.tolerancePct,
            stable_band_pct: seed.stableBandPct,
            ...sourceColumns(seed.source),
            description: seed.description,
            sort_order: seed.sortOrder,
          })
          .onConflict(oc => oc.column('id').doNothing())
          .executeTakeFirst()
        inserted += Number(result.numInsertedOrUpdatedRows ?? 0)
      }
      return inserted
    },

    /** Saves an indicator's definition: updates `id` if it exists, otherwise inserts it at the end of its priority. */
    async saveIndicator(id: string, value: Omit<IndicatorSeed, 'id' | 'sortOrder'>, trx: Db = db): Promise<void> {
      const columns = {
        name: value.name,
        priority_id: value.priorityId,
        unit: value.unit,
        polarity: value.polarity,
        target_kind: value.target?.kind ?? null,
        target_value: value.target?.value ?? null,
        tolerance_pct: value.tolerancePct,
        stable_band_pct: value.stableBandPct,
        ...sourceColumns(value.source),
        description: value.description,
      }
      const updated = await trx
        .updateTable('performance_indicator')
        .set({ ...columns, updated_at: sql`now()` })
        .where('id', '=', id)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) > 0) return
      const last = await trx
        .selectFrom('performance_indicator')
        .select(sql<number>`coalesce(max(sort_order), 0)`.as('sort_order'))
        .where('priority_id', '=', value.priorityId)
        .executeTakeFirst()
      await trx
        .insertInto('performance_indicator')
        .values({ id, ...columns, sort_order: (last?.sort_order ?? 0) + 10 })
        .execute()
    },

    /** Records a figure; a second figure for the same indicator, area and period replaces the first. */
    async upsertValue(value: StoredValue, trx: Db = db): Promise<void> {
      const row = {
        indicator_id: value.indicatorId,
        area_code: value.areaCode,
        period_start: value.periodStart,
        period_end: value.periodEnd,
        value: value.value,
        denominator: value.denominator,
        evidence: value.evidence,
      }
      await trx
        .insertInto('performance_value')
        .values(row)
        .onConflict(oc =>
          oc.columns(['indicator_id', 'area_code', 'period_start', 'period_end']).doUpdateSet({
            value: row.value,
            denominator: row.denominator,
            evidence: row.evidence,
            recorded_at: sql`now()`,
          }),
        )
        .execute()
    },

    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work)
    },
  }
}

export type PerformanceRepository = ReturnType<typeof createPerformanceRepository>
