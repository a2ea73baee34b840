/**
 * The only code in the Open311 module that touches the database: API keys (hashes only), the reports each key's
 * partner sent, tokens of queued requests, and the updates partners posted in. It also reads the borough's postcode
 * centroids (public reference data) to build the snapping index for generalised locations.
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely'

import type { AuditEventTable, Database } from '../../db/schema.js'
import type { ReportStatementPart } from '../reporting/index.js'

/** The refusal of a POST whose key was revoked (or its partner made inactive) since this server read it. */
export const OPEN311_KEY_REFUSED = 'open311_key_refused'

export type Executor = Kysely<Database> | Transaction<Database>

export interface KeyRecord {
  id: string
  partnerId: string
  partnerCode: string
  partnerName: string
  label: string
  keyPrefix: string
  createdAt: Date
  revokedAt: Date | null
  lastUsedAt: Date | null
}

export function createOpen311Repository(db: Kysely<Database>) {
  const keyColumns = [
    'k.id',
    'k.partner_id',
    'p.code as partner_code',
    'p.name as partner_name',
    'k.label',
    'k.key_prefix',
    'k.created_at',
    'k.revoked_at',
    'k.last_used_at',
  ] as const
  const toKey = (row: {
    id: string
    partner_id: string
    partner_code: string
    partner_name: string
    label: string
    key_prefix: string
    created_at: Date
    revoked_at: Date | null
    last_used_at: Date | null
  }): KeyRecord => ({
    id: row.id,
    partnerId: row.partner_id,
    partnerCode: row.partner_code,
    partnerName: row.partner_name,
    label: row.label,
    keyPrefix: row.key_prefix,
    createdAt: new Date(row.created_at),
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
  })

  return {
    async findPartner(code: string) {
      return db
        .selectFrom('partner')
        .select(['id', 'code', 'name', 'active'])
        .where('code', '=', code)
        .executeTakeFirst()
    },

    async insertKey(row: { partnerId: string; label: string; keyPrefix: string; keyHash: string; at: Date }) {
      const inserted = await db
        .insertInto('open311_api_key')
        .values({
          partner_id: row.partnerId,
          label: row.label,
          key_prefix: row.keyPrefix,
          key_hash: row.keyHash,
          created_at: row.at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return inserted.id
    },

    /** The active key with this hash whose partner is active. */
    async findActiveKeyByHash(hash: string): Promise<KeyRecord | undefined> {
      const row = await db
        .selectFrom('open311_api_key as k')
        .innerJoin('partner as p', 'p.id', 'k.partner_id')
        .select(keyColumns)
        .where('k.key_hash', '=', hash)
        .where('k.revoked_at', 'is', null)
        .where('p.active', '=', true)
        .executeTakeFirst()
      return row ? toKey(row) : undefined
    },

    async findKey(id: string): Promise<KeyRecord | undefined> {
      const row = await db
        .selectFrom('open311_api_key as k')
        .innerJoin('partner as p', 'p.id', 'k.partner_id')
        .select(keyColumns)
        .where('k.id', '=', id)
        .executeTakeFirst()
      return row ? toKey(row) : undefined
    },

    async listKeys(): Promise<KeyRecord[]> {
      const rows = await db
        .selectFrom('open311_api_key as k')
        .innerJoin('partner as p', 'p.id', 'k.partner_id')
        .select(keyColumns)
        .orderBy('k.created_at')
        .orderBy('k.id')
        .execute()
      return rows.map(toKey)
    },

    async revokeKey(id: string, at: Date): Promise<boolean> {
      const result = await db
        .updateTable('open311_api_key')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) > 0
    },

    async touchKey(id: string, at: Date): Promise<void> {
      await db.updateTable('open311_api_key').set({ last_used_at: at }).where('id', '=', id).execute()
    },

    async recordRequest(row: { reportId: number; apiKeyId: string; partnerId: string; at: Date }, trx: Executor) {
      await trx
        .insertInto('open311_request')
        .values({ report_id: row.reportId, api_key_id: row.apiKeyId, partner_id: row.partnerId, created_at: row.at })
        .onConflict(oc => oc.column('report_id').doNothing())
        .execute()
    },

    /**
     * A POST's rows, written in the new report's own statement (ADR 0060): the request's link to its key and partner,
     * its token and (given `audit`) the request's audit event about the report. The guard refuses the whole statement
     * (SQLSTATE SR001, message `open311_key_refused`) when the key has been revoked or its partner made inactive since
     * this server last read it, so a remembered key needs no read of its own.
     */
    postedWithReport(row: {
      apiKeyId: string
      token: string
      at: Date
      audit: Insertable<AuditEventTable> | null
    }): ReportStatementPart {
      const { audit } = row
      return {
        ctes: sql`open311_key as (
            select k.id, k.partner_id from open311_api_key k join partner p on p.id = k.partner_id
            where k.id = ${row.apiKeyId}::uuid and k.revoked_at is null and p.active
          ), open311_req as (
            insert into open311_request (report_id, api_key_id, partner_id, created_at)
            select ins.id, k.id, k.partner_id, ${row.at}::timestamptz from ins, open311_key k
            on conflict (report_id) do nothing
          ), open311_tok as (
            insert into open311_token (token, api_key_id, report_id, failure, created_at)
            select ${row.token}::text, k.id, ins.id, null, ${row.at}::timestamptz from ins, open311_key k
            on conflict (token) do update set report_id = excluded.report_id
          )${
            audit
              ? sql`, open311_aud as (
            insert into audit_event (occurred_at, actor_type, actor_id, action, subject_type, subject_id, correlation_id,
              details, ip, session_id)
            select ${audit.occurred_at}::timestamptz, ${audit.actor_type}::text, ${audit.actor_id ?? null}::text,
              ${audit.action}::text, ${audit.subject_type ?? null}::text, ins.id::text,
              ${audit.correlation_id ?? null}::text,
              ${audit.details}::jsonb || jsonb_build_object('reference', ins.reference), ${audit.ip ?? null}::text,
              ${audit.session_id ?? null}::text
            from ins
          )`
              : sql``
          }`,
        guard: { holds: sql<boolean>`exists (select 1 from open311_key)`, refusal: OPEN311_KEY_REFUSED },
      }
    },

    /** A token row; with a report id it resolves the token, without one it marks it pending. */
    async saveToken(
      row: { token: string; apiKeyId: string; reportId: number | null; at: Date },
      trx: Executor = db,
    ): Promise<void> {
      await trx
        .insertInto('open311_token')
        .values({
          token: row.token,
          api_key_id: row.apiKeyId,
          report_id: row.reportId,
          failure: null,
          created_at: row.at,
        })
        .onConflict(oc =>
          row.reportId === null
            ? oc.column('token').doNothing()
            : oc.column('token').doUpdateSet({ report_id: row.reportId }),
        )
        .execute()
    },

    async failToken(token: string, failure: string): Promise<void> {
      await db
        .updateTable('open311_token')
        .set({ failure })
        .where('token', '=', token)
        .where('report_id', 'is', null)
        .execute()
    },

    async findToken(token: string) {
      return db
        .selectFrom('open311_token as t')
        .leftJoin('report as r', 'r.id', 't.report_id')
        .select(['t.token', 't.failure', 'r.reference'])
        .where('t.token', '=', token)
        .executeTakeFirst()
    },

    /** Which of these reports this partner sent. */
    async partnerReportIds(partnerId: string, reportIds: number[]): Promise<Set<number>> {
      const found = new Set<number>()
      for (let start = 0; start < reportIds.length; start += 1000) {
        const chunk = reportIds.slice(start, start + 1000)
        const rows = await db
          .selectFrom('open311_request')
          .select('report_id')
          .where('partner_id', '=', partnerId)
          .where('report_id', 'in', chunk)
          .execute()
        for (const row of rows) found.add(row.report_id)
      }
      return found
    },

    /** Every report this partner sent since a moment (ids only; updates are then read in the window). */
    async partnerReportIdsSince(partnerId: string, since: Date): Promise<number[]> {
      const rows = await db
        .selectFrom('open311_request')
        .select('report_id')
        .where('partner_id', '=', partnerId)
        .where('created_at', '>=', since)
        .execute()
      return rows.map(row => row.report_id)
    },

    async findUpdateIn(partnerId: string, clientUpdateId: string) {
      return db
        .selectFrom('open311_update_in')
        .select(['report_update_id', 'report_id'])
        .where('partner_id', '=', partnerId)
        .where('client_update_id', '=', clientUpdateId)
        .executeTakeFirst()
    },

    async recordUpdateIn(
      row: { partnerId: string; clientUpdateId: string; reportId: number; reportUpdateId: number; at: Date },
      trx: Executor,
    ) {
      await trx
        .insertInto('open311_update_in')
        .values({
          partner_id: row.partnerId,
          client_update_id: row.clientUpdateId,
          report_id: row.reportId,
          report_update_id: row.reportUpdateId,
          created_at: row.at,
        })
        .execute()
    },

    async postcodePoints() {
      const rows = await db
        .selectFrom('postcode')
        .select(['display', 'latitude', 'longitude', 'ward_code', 'lsoa2021_code'])
        .where('ward_code', 'is not', null)
        .execute()
      return rows.map(row => ({
        display: row.display,
        latitude: row.latitude,
        longitude: row.longitude,
        wardCode: row.ward_code ?? '',
        lsoaCode: row.lsoa2021_code,
      }))
    },
  }
}

export type Open311Repository = ReturnType<typeof createOpen311Repository>
