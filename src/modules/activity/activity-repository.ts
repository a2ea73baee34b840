import { sql, type Kysely, type Transaction } from 'kysely'

import type { Database } from '../../db/schema.js'
import { rowsAsJson } from '../../platform/monthly-counts.js'
import type { ActivityTypeSeed } from './default-types.js'
import type { ValidActivity } from './activity-validation.js'

export interface ActivityType {
  code: string
  name: string
  quantityLabel: string
  description: string
}

export interface ActivityRecord extends ValidActivity {
  id: number
  source: 'form' | 'import' | 'demo'
}

type Db = Kysely<Database> | Transaction<Database>

export function createActivityRepository(db: Kysely<Database>) {
  return {
    async listTypes(): Promise<ActivityType[]> {
      const rows = await db.selectFrom('activity_type').selectAll().orderBy('sort_order').orderBy('name').execute()
      return rows.map(row => ({
        code: row.code,
        name: row.name,
        quantityLabel: row.quantity_label,
        description: row.description,
      }))
    },

    async upsertTypes(types: ActivityTypeSeed[], trx: Db = db): Promise<void> {
      let order = 0
      for (const type of types) {
        order += 10
        await trx
          .insertInto('activity_type')
          .values({
            code: type.code,
            name: type.name,
            quantity_label: type.quantityLabel,
            description: type.description,
            sort_order: order,
          })
          .onConflict(oc => oc.column('code').doNothing())
          .execute()
      }
    },

    /** Inserts records; a record whose submission id was already saved is skipped (a form posted twice). */
    async insertRecords(
      records: (ValidActivity & { source: 'form' | 'import' | 'demo'; submissionId?: string | null })[],
      trx: Db = db,
    ): Promise<number[]> {
      const ids: number[] = []
      for (let i = 0; i < records.length; i += 500) {
        const batch = records.slice(i, i + 500)
        const rows = await trx
          .insertInto('activity_record')
          .values(
            batch.map(record => ({
              type_code: record.typeCode,
              occurred_on: record.occurredOn,
              ward_code: record.wardCode,
              priority_id: record.priorityId,
              quantity: record.quantity,
              operation: record.operation,
              partner: record.partner,
              evidence: record.evidence,
              source: record.source,
              submission_id: record.submissionId ?? null,
            })),
          )
          .onConflict(oc => oc.column('submission_id').doNothing())
          .returning('id')
          .execute()
        ids.push(...rows.map(row => row.id))
      }
      return ids
    },

    async recent(limit: number, typeCode?: string): Promise<ActivityRecord[]> {
      let query = db
        .selectFrom('activity_record')
        .select([
          'id',
          'type_code',
          sql<string>`occurred_on::text`.as('occurred_on'),
          'ward_code',
          'priority_id',
          'quantity',
          'operation',
          'partner',
          'evidence',
          'source',
        ])
        .orderBy('occurred_on', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
      if (typeCode) query = query.where('type_code', '=', typeCode)
      const rows = await query.execute()
      return rows.map(row => ({
        id: row.id,
        typeCode: row.type_code,
        occurredOn: row.occurred_on,
        wardCode: row.ward_code,
        priorityId: row.priority_id,
        quantity: row.quantity,
        operation: row.operation,
        partner: row.partner,
        evidence: row.evidence,
        source: row.source,
      }))
    },

    async totalsByType(from: string, to: string): Promise<{ typeCode: string; total: number; records: number }[]> {
      const rows = await db
        .selectFrom('activity_record')
        .select([
          'type_code',
          sql<number>`sum(quantity)::integer`.as('total'),
          sql<number>`count(*)::integer`.as('records'),
        ])
        .where('occurred_on', '>=', from)
        .where('occurred_on', '<=', to)
        .groupBy('type_code')
        .execute()
      return rows.map(row => ({ typeCode: row.type_code, total: row.total, records: row.records }))
    },

    /** Monthly sums by type and ward, read from `activity_monthly` (kept up to date by triggers, migration 0403). */
    async monthlyTotals(types: string[], from: string, to: string) {
      if (types.length === 0) return []
      // Thousands of rows for the KPI pack: read as one JSON value (ADR 0062).
      const rows = await rowsAsJson(
        db,
        db
          .selectFrom('activity_monthly')
          .select([
            'type_code',
            'ward_code',
            sql<string>`month::text`.as('month'),
            sql<number>`total::float8`.as('total'),
          ])
          .where('type_code', 'in', types)
          .where('month', '>=', sql<string>`date_trunc('month', ${from}::date)::date`)
          .where('month', '<=', to),
      )
      return rows.map(row => ({
        activityType: row.type_code,
        wardCode: row.ward_code === '' ? null : row.ward_code,
        month: row.month,
        total: row.total,
      }))
    },

    async latestDate(): Promise<string | null> {
      const row = await db
        .selectFrom('activity_record')
        .select(sql<string | null>`max(occurred_on)::text`.as('latest'))
        .executeTakeFirst()
      return row?.latest ?? null
    },

    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work)
    },
  }
}

export type ActivityRepository = ReturnType<typeof createActivityRepository>
