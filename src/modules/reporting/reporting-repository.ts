/**
 * The only code in the reporting module that touches the database. Every write takes an executor so that services
 * can group a report, its first update, its audit event and its notifications in one transaction.
 */
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely'

import type { Database, ReportTable } from '../../db/schema.js'

export type Executor = Kysely<Database> | Transaction<Database>
export type ReportRow = Selectable<ReportTable>
export type NewReportRow = Insertable<ReportTable>

export interface Box {
  minLat: number
  maxLat: number
  minLng: number
  maxLng: number
}

export interface NearbyRow {
  id: number
  reference: string
  category: string
  status: string
  received_at: Date
  latitude: number | null
  longitude: number | null
  ward_code: string
}

/** Metres between a row's point and a given point (equirectangular: exact enough at the few hundred metres we ask). */
function distanceSql(point: { latitude: number; longitude: number }) {
  return sql<number>`6371008.8 * sqrt(power(radians(latitude - ${point.latitude}), 2) + power(cos(radians(${point.latitude})) * radians(longitude - ${point.longitude}), 2))`
}

export function createReportingRepository(db: Kysely<Database>) {
  const nearbyColumns = [
    'id',
    'reference',
    'category',
    'status',
    'received_at',
    'latitude',
    'longitude',
    'ward_code',
  ] as const

  return {
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work)
    },

    async findByIdempotencyKey(key: string, trx: Executor = db): Promise<ReportRow | undefined> {
      return trx.selectFrom('report').selectAll().where('idempotency_key', '=', key).executeTakeFirst()
    },

    async findByReference(reference: string, trx: Executor = db): Promise<ReportRow | undefined> {
      return trx.selectFrom('report').selectAll().where('reference', '=', reference).executeTakeFirst()
    },

    async findById(id: number, trx: Executor = db): Promise<ReportRow | undefined> {
      return trx.selectFrom('report').selectAll().where('id', '=', id).executeTakeFirst()
    },

    /** Inserts unless the idempotency key was used already; returns undefined in that case. */
    async insertReport(row: NewReportRow, trx: Executor): Promise<ReportRow | undefined> {
      return trx
        .insertInto('report')
        .values(row)
        .onConflict(oc => oc.column('idempotency_key').doNothing())
        .returningAll()
        .executeTakeFirst()
    },

    async insertUpdate(
      update: {
        reportId: number
        occurredAt: Date
        status: string
        closureReason?: string | null
        referredAgency?: string | null
        publicNote?: string | null
        actorType: string
        actorId?: string | null
      },
      trx: Executor,
    ): Promise<void> {
      await trx
        .insertInto('report_update')
        .values({
          report_id: update.reportId,
          occurred_at: update.occurredAt,
          status: update.status,
          closure_reason: update.closureReason ?? null,
          referred_agency: update.referredAgency ?? null,
          public_note: update.publicNote ?? null,
          actor_type: update.actorType,
          actor_id: update.actorId ?? null,
        })
        .execute()
    },

    async updateStatus(
      id: number,
      change: {
        status: ReportRow['status']
        closureReason: ReportRow['closure_reason']
        closureNote: string | null
        referredAgency: string | null
        at: Date
      },
      trx: Executor,
    ): Promise<void> {
      await trx
        .updateTable('report')
        .set({
          status: change.status,
          closure_reason: change.closureReason,
          closure_note: change.closureNote,
          referred_agency: change.referredAgency,
          updated_at: change.at,
        })
        .where('id', '=', id)
        .execute()
    },

    async updatesFor(reportId: number) {
      return db
        .selectFrom('report_update')
        .selectAll()
        .where('report_id', '=', reportId)
        .orderBy('occurred_at', 'asc')
        .orderBy('id', 'asc')
        .execute()
    },

    /** Received times of the reports a reporter made since a moment (newest first). */
    async reportsByReporterSince(reporterKey: string, since: Date, trx: Executor = db) {
      return trx
        .selectFrom('report')
        .select(['id', 'reference', 'category', 'received_at', 'latitude', 'longitude', 'ward_code'])
        .where('reporter_key', '=', reporterKey)
        .where('received_at', '>=', since)
        .orderBy('received_at', 'desc')
        .execute()
    },

    /** How many reports lie within `metres` of a point in each window [since, until]: one aggregate, no rows. */
    async countNearby(
      point: { latitude: number; longitude: number },
      metres: number,
      box: Box,
      sinces: Date[],
      until: Date,
    ) {
      if (sinces.length === 0) return []
      const earliest = new Date(Math.min(...sinces.map(since => since.getTime())))
      const row = await db
        .selectFrom('report')
        .select(eb =>
          sinces.map((since, index) =>
            eb.fn
              .count<number>('id')
              .filterWhere('received_at', '>=', since)
              .as(`w${String(index)}`),
          ),
        )
        .where('latitude', '>=', box.minLat)
        .where('latitude', '<=', box.maxLat)
        .where('longitude', '>=', box.minLng)
        .where('longitude', '<=', box.maxLng)
        .where('received_at', '>=', earliest)
        .where('received_at', '<=', until)
        .where(distanceSql(point), '<=', metres)
        .executeTakeFirstOrThrow()
      return sinces.map((_, index) => Number((row as Record<string, unknown>)[`w${String(index)}`] ?? 0))
    },

    /** Reports of one category within `metres` of a point received in [since, until], nearest then newest first. */
    async nearestOfCategory(
      point: { latitude: number; longitude: number },
      metres: number,
      box: Box,
      category: string,
      since: Date,
      until: Date,
      limit: number,
    ) {
      const distance = distanceSql(point)
      return db
        .selectFrom('report')
        .select([...nearbyColumns, distance.as('distance')])
        .where('category', '=', category)
        .where('latitude', '>=', box.minLat)
        .where('latitude', '<=', box.maxLat)
        .where('longitude', '>=', box.minLng)
        .where('longitude', '<=', box.maxLng)
        .where('received_at', '>=', since)
        .where('received_at', '<=', until)
        .where(distance, '<=', metres)
        .orderBy('distance')
        .orderBy('received_at', 'desc')
        .limit(limit)
        .execute()
    },

    /** How many reports one reporter made in each window [since, until]. */
    async countByReporter(reporterKey: string, sinces: Date[], until: Date) {
      if (sinces.length === 0) return []
      const earliest = new Date(Math.min(...sinces.map(since => since.getTime())))
      const row = await db
        .selectFrom('report')
        .select(eb =>
          sinces.map((since, index) =>
            eb.fn
              .count<number>('id')
              .filterWhere('received_at', '>=', since)
              .as(`w${String(index)}`),
          ),
        )
        .where('reporter_key', '=', reporterKey)
        .where('received_at', '>=', earliest)
        .where('received_at', '<=', until)
        .executeTakeFirstOrThrow()
      return sinces.map((_, index) => Number((row as Record<string, unknown>)[`w${String(index)}`] ?? 0))
    },

    /** Reports without a point in a ward (the "I can't use a map" route), same category, since a moment. */
    async pointlessReportsInWardSince(wardCode: string, category: string, since: Date, trx: Executor = db) {
      return trx
        .selectFrom('report')
        .select(nearbyColumns)
        .where('ward_code', '=', wardCode)
        .where('category', '=', category)
        .where('received_at', '>=', since)
        .orderBy('received_at', 'desc')
        .limit(20)
        .execute()
    },

    async list(options: { limit: number; offset: number; wardCode?: string; status?: string }) {
      let query = db.selectFrom('report').selectAll()
      if (options.wardCode) query = query.where('ward_code', '=', options.wardCode)
      if (options.status) query = query.where('status', '=', options.status as ReportRow['status'])
      const rows = await query
        .orderBy('received_at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit)
        .offset(options.offset)
        .execute()
      let countQuery = db.selectFrom('report').select(eb => eb.fn.countAll<number>().as('n'))
      if (options.wardCode) countQuery = countQuery.where('ward_code', '=', options.wardCode)
      if (options.status) countQuery = countQuery.where('status', '=', options.status as ReportRow['status'])
      const { n } = await countQuery.executeTakeFirstOrThrow()
      return { rows, total: n }
    },

    async countsByCategory(wardCode: string, since: Date) {
      const rows = await db
        .selectFrom('report')
        .select(['category', eb => eb.fn.countAll<number>().as('n')])
        .where('ward_code', '=', wardCode)
        .where('received_at', '>=', since)
        .groupBy('category')
        .execute()
      return rows.map(row => ({ category: row.category, count: row.n }))
    },

    // drafts
    async findDraft(id: string, now: Date) {
      return db
        .selectFrom('report_draft')
        .selectAll()
        .where('id', '=', id)
        .where('expires_at', '>', now)
        .executeTakeFirst()
    },

    async saveDraft(draft: { id: string; answers: Record<string, unknown>; now: Date; expiresAt: Date }) {
      const answers = JSON.stringify(draft.answers)
      await db
        .insertInto('report_draft')
        .values({ id: draft.id, answers, created_at: draft.now, expires_at: draft.expiresAt })
        .onConflict(oc => oc.column('id').doUpdateSet({ answers, expires_at: draft.expiresAt }))
        .execute()
    },

    async markDraftSubmitted(id: string, reportId: number, trx: Executor) {
      await trx.updateTable('report_draft').set({ report_id: reportId }).where('id', '=', id).execute()
    },

    async deleteExpiredDrafts(now: Date): Promise<number> {
      const result = await db.deleteFrom('report_draft').where('expires_at', '<=', now).executeTakeFirst()
      return Number(result.numDeletedRows)
    },

    // outbox
    async enqueueNotification(
      message: {
        reportId: number
        template: string
        channel: 'email' | 'sms'
        recipient: string
        personalisation: Record<string, string>
        at: Date
      },
      trx: Executor,
    ) {
      await trx
        .insertInto('notification_outbox')
        .values({
          created_at: message.at,
          report_id: message.reportId,
          template: message.template,
          channel: message.channel,
          recipient: message.recipient,
          personalisation: JSON.stringify(message.personalisation),
          status: 'pending',
          provider_id: null,
          sent_at: null,
        })
        .execute()
    },

    /** Claims a batch of pending messages; SKIP LOCKED lets several dispatchers run at once. */
    async claimPending(limit: number, trx: Executor) {
      return trx
        .selectFrom('notification_outbox')
        .selectAll()
        .where('status', '=', 'pending')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute()
    },

    async markNotification(
      id: number,
      result: { status: 'sent' | 'failed' | 'pending'; providerId?: string | null; at: Date },
      trx: Executor,
    ) {
      await trx
        .updateTable('notification_outbox')
        .set(eb => ({
          status: result.status,
          provider_id: result.providerId ?? null,
          sent_at: result.status === 'sent' ? result.at : null,
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', '=', id)
        .execute()
    },

    async outboxFor(reportId: number) {
      return db.selectFrom('notification_outbox').selectAll().where('report_id', '=', reportId).orderBy('id').execute()
    },
  }
}

export type ReportingRepository = ReturnType<typeof createReportingRepository>
