/**
 * The only code in the reporting module that touches the database. Every write takes an executor so that services
 * can group a report, its first update, its audit event and its notifications in one transaction.
 */
import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely'

import type {
  AuditEventTable,
  Database,
  NotificationOutboxTable,
  ReportEvidenceTable,
  ReportTable,
} from '../../db/schema.js'
import type { PersonalisationSealer } from '../../platform/sealing.js'

export type Executor = Kysely<Database> | Transaction<Database>

/**
 * What a door (Open311, say) writes with a new report in the report's own statement, so the report and the door's
 * rows commit together without a transaction's extra round trips and without holding the audit chain's lock across
 * them (ADR 0060). `ctes`: one or more further `name as (...)` common table expressions, comma-separated, which may
 * read `ins` (the report row being inserted; empty when the idempotency key was used already, so they write nothing
 * then). `guard`: a boolean SQL expression evaluated as the statement returns the new report; when it is false the
 * whole statement fails with SQLSTATE `SR001` and the message `refusal`, and nothing is written.
 */
export interface ReportStatementPart {
  ctes: RawBuilder<unknown>
  guard?: { holds: RawBuilder<boolean>; refusal: string }
}

/** The SQLSTATE of a ReportStatementPart guard's refusal. */
export const DOOR_GUARD_REFUSED = 'SR001'
export type ReportRow = Selectable<ReportTable>
export type NewReportRow = Insertable<ReportTable>

export interface Box {
  minLat: number
  maxLat: number
  minLng: number
  maxLng: number
}

/** What intake needs to know before it writes, answered by one statement (see `intakeChecks`). */
export interface IntakeChecksQuery {
  idempotencyKey: string | null
  linkedReference: string | null
  reporterKey: string | null
  reporterSinces: Date[]
  point: { latitude: number; longitude: number } | null
  locationMetres: number
  locationBox: Box | null
  locationSinces: Date[]
  category: string
  wardCode: string
  duplicateMetres: number
  duplicateBox: Box | null
  duplicateSince: Date
  until: Date
  duplicateLimit: number
  /** References to try, in order: the first one not yet used is returned. */
  referenceCandidates: string[]
}

export interface IntakeChecks {
  existingId: number | null
  linkedId: number | null
  reporterCounts: number[]
  locationCounts: number[]
  duplicates: {
    reference: string
    category: string
    status: string
    received_at: string
    ward_code: string
    postcode: string | null
    distance: number | null
  }[]
  reference: string | null
}

/** The acknowledgement written with a new report; its personalisation gets the report's reference. */
export interface AcknowledgementOutbox {
  template: string
  channel: 'email' | 'sms'
  recipient: string
  trackingCode: string
}

/** Metres between a row's point and a given point (equirectangular: exact enough at the few hundred metres we ask). */
function distanceSql(point: { latitude: number; longitude: number }) {
  return sql<number>`6371008.8 * sqrt(power(radians(latitude - ${point.latitude}), 2) + power(cos(radians(${point.latitude})) * radians(longitude - ${point.longitude}), 2))`
}

/** Every field name of a message's personalisation, each value replaced by '[redacted]' (see `redactPersonalisation`). */
const REDACTED_PERSONALISATION = sql<string>`(select coalesce(jsonb_object_agg(key, '[redacted]'), '{}'::jsonb)
  from jsonb_object_keys(notification_outbox.personalisation) as key)`

/**
 * `personalisation` seals what the outbox stores (see src/platform/sealing.ts); a repository without it can read but
 * not write notifications.
 */
export function createReportingRepository(
  db: Kysely<Database>,
  options: { personalisation?: PersonalisationSealer } = {},
) {
  const seal = (personalisation: Record<string, string>): string => {
    if (!options.personalisation) throw new Error('the reporting repository has no outbox sealer')
    return JSON.stringify(options.personalisation.seal(personalisation))
  }
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

    /** The report this one was added to, and the reports added to it, oldest first. */
    async addedToLinks(id: number, linkedId: number | null, trx: Executor = db) {
      const [parent, children] = await Promise.all([
        linkedId === null
          ? undefined
          : trx.selectFrom('report').select(['reference']).where('id', '=', linkedId).executeTakeFirst(),
        trx
          .selectFrom('report')
          .select(['reference'])
          .where('linked_report_id', '=', id)
          .orderBy('received_at')
          .orderBy('id')
          .execute(),
      ])
      return { parent, children }
    },

    async findById(id: number, trx: Executor = db): Promise<ReportRow | undefined> {
      return trx.selectFrom('report').selectAll().where('id', '=', id).executeTakeFirst()
    },

    /**
     * Everything intake checks before writing, in one round trip: whether the idempotency key was used, the linked
     * report, the reporter's and the place's counts in each window [since, until], duplicate candidates (same category
     * within a distance and time, closed ones included; without a point, point-less reports in the ward), and the
     * first unused reference among the candidates.
     */
    async intakeChecks(q: IntakeChecksQuery, trx: Executor = db): Promise<IntakeChecks> {
      const until = q.until
      const windowCounts = (sinces: Date[], where: RawBuilder<unknown>) => {
        if (sinces.length === 0) return sql`null`
        const earliest = new Date(Math.min(...sinces.map(since => since.getTime())))
        const counts = sinces.map(since => sql`count(*) filter (where received_at >= ${since})`)
        return sql`(select json_build_array(${sql.join(counts)}) from report where ${where} and received_at >= ${earliest} and received_at <= ${until})`
      }
      const inBox = (box: Box) =>
        sql`latitude >= ${box.minLat} and latitude <= ${box.maxLat} and longitude >= ${box.minLng} and longitude <= ${box.maxLng}`
      const reporterCounts =
        q.reporterKey === null ? sql`null` : windowCounts(q.reporterSinces, sql`reporter_key = ${q.reporterKey}`)
      const locationCounts =
        q.point === null || q.locationBox === null
          ? sql`null`
          : windowCounts(
              q.locationSinces,
              sql`${inBox(q.locationBox)} and ${distanceSql(q.point)} <= ${q.locationMetres}`,
            )
      const duplicateRows =
        q.point !== null && q.duplicateBox !== null
          ? sql`select reference, category, status, received_at, ward_code, postcode, ${distanceSql(q.point)} as distance
              from report
              where category = ${q.category} and ${inBox(q.duplicateBox)}
                and received_at >= ${q.duplicateSince} and received_at <= ${until}
                and ${distanceSql(q.point)} <= ${q.duplicateMetres}
              order by distance, received_at desc limit ${q.duplicateLimit}`
          : sql`select reference, category, status, received_at, ward_code, postcode, null::float8 as distance
              from report
              where ward_code = ${q.wardCode} and category = ${q.category} and latitude is null
                and received_at >= ${q.duplicateSince} and received_at <= ${until}
              order by received_at desc limit ${q.duplicateLimit}`
      const candidates = q.referenceCandidates.map((reference, index) => sql`(${index}, ${reference}::text)`)
      const reference =
        candidates.length === 0
          ? sql`null`
          : sql`(select c.reference from (values ${sql.join(candidates)}) as c(n, reference)
              where not exists (select 1 from report r where r.reference = c.reference) order by c.n limit 1)`
      const { rows } = await sql<{
        existing_id: number | null
        linked_id: number | null
        reporter_counts: number[] | null
        location_counts: number[] | null
        duplicates: IntakeChecks['duplicates']
        reference: string | null
      }>`select
          ${q.idempotencyKey === null ? sql`null::int8` : sql`(select id from report where idempotency_key = ${q.idempotencyKey})`} as existing_id,
          ${q.linkedReference === null ? sql`null::int8` : sql`(select id from report where reference = ${q.linkedReference})`} as linked_id,
          ${reporterCounts} as reporter_counts,
          ${locationCounts} as location_counts,
          (select coalesce(json_agg(d order by d.distance, d.received_at desc), '[]'::json) from (${duplicateRows}) d) as duplicates,
          ${reference} as reference`.execute(trx)
      const row = rows[0]
      if (!row) throw new Error('intake checks returned no row')
      const numbers = (values: number[] | null, length: number) =>
        Array.from({ length }, (_, index) => values?.[index] ?? 0)
      return {
        existingId: row.existing_id,
        linkedId: row.linked_id,
        reporterCounts: numbers(row.reporter_counts, q.reporterSinces.length),
        locationCounts: numbers(row.location_counts, q.locationSinces.length),
        duplicates: row.duplicates,
        reference: row.reference,
      }
    },

    /**
     * Writes a new report with its first timeline entry, its audit events (in the order given, each about the new
     * report), its acknowledgement and the evidence it takes over, in one statement (so one round trip, atomic
     * without an explicit transaction, and one wait for the audit chain's lock). Returns undefined when the
     * idempotency key was used already: then nothing is written.
     */
    async insertReceivedReport(
      report: NewReportRow,
      effects: {
        update: { occurredAt: Date; actorType: string; actorId: string | null }
        audit: Insertable<AuditEventTable>[]
        acknowledgement: AcknowledgementOutbox | null
        evidenceIds: string[]
        /** A door's own writes and guard in the same statement (see ReportStatementPart). */
        door?: ReportStatementPart
      },
      trx: Executor = db,
    ): Promise<ReportRow | undefined> {
      const insert = trx
        .insertInto('report')
        .values(report)
        .onConflict(oc => oc.column('idempotency_key').doNothing())
        .returningAll()
      const { update, audit, acknowledgement, evidenceIds, door } = effects
      const outbox = acknowledgement
        ? sql`, outbox as (
            insert into notification_outbox (created_at, report_id, template, channel, recipient, personalisation, status, next_attempt_at)
            select ${update.occurredAt}::timestamptz, id, ${acknowledgement.template}::text, ${acknowledgement.channel}::text,
              ${acknowledgement.recipient}::text,
              ${seal({ reference: report.reference, tracking_code: acknowledgement.trackingCode })}::jsonb,
              'pending', ${update.occurredAt}::timestamptz
            from ins returning id)`
        : sql``
      const evidence =
        evidenceIds.length > 0
          ? sql`, evidence as (
              update report_evidence set report_id = ins.id, draft_id = null from ins
              where report_evidence.id in (${sql.join(evidenceIds.map(id => sql`${id}::uuid`))})
                and report_evidence.report_id is null
              returning report_evidence.id)`
          : sql``
      // Each event is about the new report: its id, known only inside the statement, is the subject.
      const auditRows = audit.map(
        (event, n) => sql`select ${n}::int as n, ${event.occurred_at}::timestamptz as occurred_at,
            ${event.actor_type}::text as actor_type, ${event.actor_id ?? null}::text as actor_id,
            ${event.action}::text as action, ${event.subject_type ?? null}::text as subject_type,
            id::text as subject_id, ${event.correlation_id ?? null}::text as correlation_id,
            ${event.details}::jsonb as details, ${event.ip ?? null}::text as ip,
            ${event.session_id ?? null}::text as session_id
          from ins`,
      )
      const { rows } = await sql<ReportRow>`with ins as (${insert}),
          upd as (
            insert into report_update (report_id, occurred_at, status, actor_type, actor_id)
            select id, ${update.occurredAt}::timestamptz, 'received', ${update.actorType}::text, ${update.actorId}::text
            from ins returning id),
          aud as (
            insert into audit_event (occurred_at, actor_type, actor_id, action, subject_type, subject_id, correlation_id,
              details, ip, session_id)
            select occurred_at, actor_type, actor_id, action, subject_type, subject_id, correlation_id, details, ip,
              session_id
            from (${sql.join(auditRows, sql` union all `)}) as a order by a.n
            returning id)
          ${outbox}
          ${evidence}
          ${door ? sql`, ${door.ctes}` : sql``}
        select ins.*${
          door?.guard
            ? sql`, safer_refuse_unless(${door.guard.holds}, ${door.guard.refusal}::text) as door_guard`
            : sql``
        } from ins`.execute(trx)
      const inserted = rows[0]
      if (inserted && 'door_guard' in inserted) delete (inserted as { door_guard?: unknown }).door_guard
      return inserted
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

    async list(options: {
      limit: number
      offset: number
      wardCode?: string
      status?: string
      /** The reports a member of staff may see; absent only for system work (the demo seeders). */
      visible?: RawBuilder<boolean>
    }) {
      const visible = options.visible ?? sql<boolean>`true`
      let query = db.selectFrom('report as r').selectAll('r').where(visible)
      if (options.wardCode) query = query.where('r.ward_code', '=', options.wardCode)
      if (options.status) query = query.where('r.status', '=', options.status as ReportRow['status'])
      const rows = await query
        .orderBy('r.received_at', 'desc')
        .orderBy('r.id', 'desc')
        .limit(options.limit)
        .offset(options.offset)
        .execute()
      let countQuery = db
        .selectFrom('report as r')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where(visible)
      if (options.wardCode) countQuery = countQuery.where('r.ward_code', '=', options.wardCode)
      if (options.status) countQuery = countQuery.where('r.status', '=', options.status as ReportRow['status'])
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
    /**
     * A live draft, with the report it became: marked on the draft, or found by the idempotency key the draft's door
     * submits with (`${submittedKeyPrefix}${id}`), so submitting needs no extra write to the draft.
     */
    async findDraft(id: string, now: Date, submittedKeyPrefix = 'web:') {
      return db
        .selectFrom('report_draft as d')
        .leftJoin('report as r', join => join.on('r.idempotency_key', '=', sql<string>`${submittedKeyPrefix} || d.id`))
        .select(['d.id', 'd.answers', 'd.created_at', 'd.expires_at'])
        .select(eb => eb.fn.coalesce('d.report_id', 'r.id').as('report_id'))
        .where('d.id', '=', id)
        .where('d.expires_at', '>', now)
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

    async deleteExpiredDrafts(now: Date): Promise<number> {
      const result = await db.deleteFrom('report_draft').where('expires_at', '<=', now).executeTakeFirst()
      return Number(result.numDeletedRows)
    },

    // evidence
    async insertEvidence(row: Insertable<ReportEvidenceTable>): Promise<void> {
      await db.insertInto('report_evidence').values(row).execute()
    },

    /** Removes a file from a draft, never one a submitted report has taken. */
    async deleteDraftEvidence(id: string, draftId: string): Promise<boolean> {
      const result = await db
        .deleteFrom('report_evidence')
        .where('id', '=', id)
        .where('draft_id', '=', draftId)
        .where('report_id', 'is', null)
        .executeTakeFirst()
      return result.numDeletedRows > 0n
    },

    /** A report's files, without their content. */
    async evidenceForReport(reportId: number) {
      return db
        .selectFrom('report_evidence')
        .select(['id', 'kind', 'content_type', 'file_name', 'size_bytes', 'width', 'height', 'created_at'])
        .where('report_id', '=', reportId)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    },

    async evidenceContent(reportId: number, id: string) {
      return db
        .selectFrom('report_evidence')
        .select(['id', 'kind', 'content_type', 'file_name', 'size_bytes', 'content'])
        .where('report_id', '=', reportId)
        .where('id', '=', id)
        .executeTakeFirst()
    },

    // outbox
    async enqueueNotification(
      message: {
        reportId: number | null
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
          personalisation: seal(message.personalisation),
          status: 'pending',
          provider_id: null,
          sent_at: null,
          next_attempt_at: message.at,
        })
        .execute()
    },

    /**
     * Claims up to `limit` messages that are due, in one statement: SKIP LOCKED lets several dispatchers run at once,
     * and pushing `next_attempt_at` to `leaseUntil` keeps a claimed message from being sent twice.
     */
    async claimDueNotifications(limit: number, now: Date, leaseUntil: Date) {
      const { rows } = await sql<Selectable<NotificationOutboxTable>>`
        update notification_outbox set next_attempt_at = ${leaseUntil}
        where id in (
          select id from notification_outbox
          where status = 'pending' and (next_attempt_at is null or next_attempt_at <= ${now})
          order by id limit ${limit}
          for update skip locked)
        returning *`.execute(db)
      return rows.sort((a, b) => a.id - b.id)
    },

    /** Marks a message sent and redacts its personalisation: nothing of what was sent stays behind. */
    async markNotificationSent(id: number, providerId: string, at: Date) {
      await db
        .updateTable('notification_outbox')
        .set(eb => ({
          personalisation: REDACTED_PERSONALISATION,
          status: 'sent',
          provider_id: providerId,
          sent_at: at,
          next_attempt_at: null,
          last_error: null,
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', '=', id)
        .execute()
    },

    async markNotificationRetry(id: number, error: string, nextAttemptAt: Date) {
      await db
        .updateTable('notification_outbox')
        .set(eb => ({ next_attempt_at: nextAttemptAt, last_error: error, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .execute()
    },

    /** A message that will never be sent keeps its field names only, as a sent one does. */
    async markNotificationFailed(id: number, error: string, at: Date) {
      await db
        .updateTable('notification_outbox')
        .set(eb => ({
          personalisation: REDACTED_PERSONALISATION,
          status: 'failed',
          failed_at: at,
          next_attempt_at: null,
          last_error: error,
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
