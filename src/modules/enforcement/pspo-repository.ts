/** The PSPO register's tables (ADR 0065): orders, their lifecycle events and review reminders. */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'

import type { Database, GeoJsonGeometry, PspoOrderTable } from '../../db/schema.js'
import type { ReviewThreshold, ValidOrder } from './pspo-rules.js'

type Db = Kysely<Database> | Transaction<Database>

/** An order as the register holds it: its validated terms, its area and where it stands. */
export interface PspoOrder extends ValidOrder {
  id: string
  reference: string
  area: GeoJsonGeometry
  dischargedOn: string | null
  ownerUserId: string | null
  ownerName: string | null
}

export interface PspoEvent {
  id: string
  kind: 'made' | 'varied' | 'extended' | 'discharged'
  occurredOn: string
  reason: string
  details: Record<string, unknown>
  recordedBy: string | null
  recordedAt: Date
}

export interface ReviewReminder {
  orderId: string
  reference: string
  title: string
  threshold: ReviewThreshold
  expiresOn: string
  createdAt: Date
}

export interface NewOrder extends ValidOrder {
  reference: string
  area: GeoJsonGeometry
  ownerUserId: string | null
  submissionId: string | null
  at: Date
}

function toOrder(row: Selectable<PspoOrderTable> & { owner_name: string | null }): PspoOrder {
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    prohibitions: row.prohibitions,
    requirements: row.requirements,
    wardCodes: row.ward_codes,
    area: row.area,
    signage: row.signage,
    consultationStart: row.consultation_start,
    consultationEnd: row.consultation_end,
    consultees: row.consultees,
    consultationSummary: row.consultation_summary,
    madeOn: row.made_on,
    inForceFrom: row.in_force_from,
    expiresOn: row.expires_on,
    dischargedOn: row.discharged_on,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
  }
}

export function createPspoRepository(db: Kysely<Database>) {
  const orders = (trx: Db = db) =>
    trx
      .selectFrom('pspo_order as o')
      .leftJoin('staff_user as u', 'u.id', 'o.owner_user_id')
      .selectAll('o')
      .select('u.display_name as owner_name')

  return {
    transaction: <T>(work: (trx: Transaction<Database>) => Promise<T>) => db.transaction().execute(work),

    async list(): Promise<PspoOrder[]> {
      const rows = await orders().orderBy('o.expires_on').orderBy('o.reference').execute()
      return rows.map(toOrder)
    },

    /** Orders that have effect on `today`: in force, not expired, not discharged. */
    async inForce(today: string): Promise<PspoOrder[]> {
      const rows = await orders()
        .where('o.in_force_from', '<=', today)
        .where('o.expires_on', '>=', today)
        .where(eb => eb.or([eb('o.discharged_on', 'is', null), eb('o.discharged_on', '>', today)]))
        .orderBy('o.title')
        .execute()
      return rows.map(toOrder)
    },

    async byId(id: string, trx: Db = db): Promise<PspoOrder | null> {
      if (!/^[0-9a-f-]{36}$/.test(id)) return null
      const row = await orders(trx).where('o.id', '=', id).executeTakeFirst()
      return row ? toOrder(row) : null
    },

    async byReference(reference: string): Promise<PspoOrder | null> {
      const row = await orders().where('o.reference', '=', reference).executeTakeFirst()
      return row ? toOrder(row) : null
    },

    async idBySubmission(submissionId: string, trx: Db = db): Promise<string | null> {
      const row = await trx
        .selectFrom('pspo_order')
        .select('id')
        .where('submission_id', '=', submissionId)
        .executeTakeFirst()
      return row?.id ?? null
    },

    async eventBySubmission(submissionId: string, trx: Db = db): Promise<string | null> {
      const row = await trx
        .selectFrom('pspo_event')
        .select('order_id')
        .where('submission_id', '=', submissionId)
        .executeTakeFirst()
      return row?.order_id ?? null
    },

    /** Serialises writes to the register for a transaction: a double post waits, then finds the first's order. */
    async lock(trx: Transaction<Database>): Promise<void> {
      await sql`lock table pspo_order in share row exclusive mode`.execute(trx)
    },

    /** The next reference for orders made in `year`: PSPO-2026-001, -002... (under `lock`). */
    async nextReference(year: string, trx: Db): Promise<string> {
      const row = await trx
        .selectFrom('pspo_order')
        .select(eb => eb.fn.countAll<string>().as('n'))
        .where('reference', 'like', `PSPO-${year}-%`)
        .executeTakeFirstOrThrow()
      return `PSPO-${year}-${String(Number(row.n) + 1).padStart(3, '0')}`
    },

    async insert(order: NewOrder, trx: Db): Promise<string> {
      const row = await trx
        .insertInto('pspo_order')
        .values({
          reference: order.reference,
          title: order.title,
          prohibitions: JSON.stringify(order.prohibitions),
          requirements: JSON.stringify(order.requirements),
          ward_codes: JSON.stringify(order.wardCodes),
          area: JSON.stringify(order.area),
          signage: order.signage,
          consultation_start: order.consultationStart,
          consultation_end: order.consultationEnd,
          consultees: order.consultees,
          consultation_summary: order.consultationSummary,
          made_on: order.madeOn,
          in_force_from: order.inForceFrom,
          expires_on: order.expiresOn,
          owner_user_id: order.ownerUserId,
          submission_id: order.submissionId,
          created_at: order.at,
          updated_at: order.at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },

    async update(
      id: string,
      changes: {
        prohibitions?: string[]
        requirements?: string[]
        wardCodes?: string[]
        area?: GeoJsonGeometry
        signage?: string
        expiresOn?: string
        dischargedOn?: string
      },
      at: Date,
      trx: Db,
    ): Promise<void> {
      await trx
        .updateTable('pspo_order')
        .set({
          ...(changes.prohibitions ? { prohibitions: JSON.stringify(changes.prohibitions) } : {}),
          ...(changes.requirements ? { requirements: JSON.stringify(changes.requirements) } : {}),
          ...(changes.wardCodes ? { ward_codes: JSON.stringify(changes.wardCodes) } : {}),
          ...(changes.area ? { area: JSON.stringify(changes.area) } : {}),
          ...(changes.signage !== undefined ? { signage: changes.signage } : {}),
          ...(changes.expiresOn ? { expires_on: changes.expiresOn } : {}),
          ...(changes.dischargedOn ? { discharged_on: changes.dischargedOn } : {}),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute()
    },

    async insertEvent(
      event: {
        orderId: string
        kind: PspoEvent['kind']
        occurredOn: string
        reason: string
        details: Record<string, unknown>
        submissionId: string | null
        recordedBy: string | null
        at: Date
      },
      trx: Db,
    ): Promise<void> {
      await trx
        .insertInto('pspo_event')
        .values({
          order_id: event.orderId,
          kind: event.kind,
          occurred_on: event.occurredOn,
          reason: event.reason,
          details: JSON.stringify(event.details),
          submission_id: event.submissionId,
          recorded_by: event.recordedBy,
          recorded_at: event.at,
        })
        .execute()
    },

    async events(orderId: string): Promise<(PspoEvent & { recordedByName: string | null })[]> {
      const rows = await db
        .selectFrom('pspo_event as e')
        .leftJoin('staff_user as u', 'u.id', 'e.recorded_by')
        .selectAll('e')
        .select('u.display_name')
        .where('e.order_id', '=', orderId)
        .orderBy('e.recorded_at')
        .orderBy('e.occurred_on')
        .execute()
      return rows.map(row => ({
        id: row.id,
        kind: row.kind,
        occurredOn: row.occurred_on,
        reason: row.reason,
        details: row.details,
        recordedBy: row.recorded_by,
        recordedAt: row.recorded_at,
        recordedByName: row.display_name,
      }))
    },

    /** Raises a reminder unless this order, threshold and expiry already have one; true when it was new. */
    async raiseReminder(
      reminder: {
        orderId: string
        threshold: ReviewThreshold
        expiresOn: string
        ownerUserId: string | null
        at: Date
      },
      trx: Db = db,
    ): Promise<boolean> {
      const rows = await trx
        .insertInto('pspo_review_reminder')
        .values({
          order_id: reminder.orderId,
          threshold: reminder.threshold,
          expires_on: reminder.expiresOn,
          owner_user_id: reminder.ownerUserId,
          created_at: reminder.at,
        })
        .onConflict(oc => oc.columns(['order_id', 'threshold', 'expires_on']).doNothing())
        .returning('order_id')
        .execute()
      return rows.length > 0
    },

    /** Open reminders for an owner (all owners when null), on orders neither discharged nor extended since. */
    async openReminders(ownerUserId: string | null): Promise<ReviewReminder[]> {
      let query = db
        .selectFrom('pspo_review_reminder as r')
        .innerJoin('pspo_order as o', 'o.id', 'r.order_id')
        .select(['r.order_id', 'o.reference', 'o.title', 'r.threshold', 'r.expires_on', 'r.created_at'])
        .where('r.done_at', 'is', null)
        .where('o.discharged_on', 'is', null)
        .whereRef('o.expires_on', '=', 'r.expires_on')
      if (ownerUserId !== null) query = query.where('r.owner_user_id', '=', ownerUserId)
      const rows = await query.orderBy('r.expires_on').orderBy('r.threshold').execute()
      return rows.map(row => ({
        orderId: row.order_id,
        reference: row.reference,
        title: row.title,
        threshold: row.threshold,
        expiresOn: row.expires_on,
        createdAt: row.created_at,
      }))
    },

    /** Closes an order's open reminders (it was extended or discharged: the review was done). */
    async closeReminders(orderId: string, at: Date, trx: Db): Promise<void> {
      await trx
        .updateTable('pspo_review_reminder')
        .set({ done_at: at })
        .where('order_id', '=', orderId)
        .where('done_at', 'is', null)
        .execute()
    },
  }
}

export type PspoRepository = ReturnType<typeof createPspoRepository>
