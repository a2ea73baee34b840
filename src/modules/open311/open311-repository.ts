/**
 * The only code in the Open311 module that touches the database: API keys (hashes only), the reports each key's
 * partner sent, tokens of queued requests, and the updates partners posted in. It also reads the borough's postcode
 * centroids (public reference data) to build the snapping index for generalised locations.
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely'

import type { AuditEventTable, Database } from '../../db/schema.js'

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
     * Everything a keyed POST adds to its report, in the report's transaction and one statement: the report as this
     * key's partner's, its token resolved, and (when given) the request's audit event. Each row is written only while
     * the key is still active and its partner too (a key revoked since it was read writes nothing): false then.
     */
    async recordPosted(
      row: { reportId: number; apiKeyId: string; token: string; at: Date; audit: Insertable<AuditEventTable> | null },
      trx: Executor,
    ): Promise<boolean> {
      const { audit } = row
      const result = await sql<{ active: boolean }>`
        with k as (
          select k.id, k.partner_id from open311_api_key k join partner p on p.id = k.partner_id
          where k.id = ${row.apiKeyId}::uuid and k.revoked_at is null and p.active
        ), r as (
          insert into open311_request (report_id, api_key_id, partner_id, created_at)
          select ${row.reportId}::int8, k.id, k.partner_id, ${row.at}::timestamptz from k
          on conflict (report_id) do nothing
        ), t as (
          insert into open311_token (token, api_key_id, report_id, failure, created_at)
          select ${row.token}::text, k.id, ${row.reportId}::int8, null, ${row.at}::timestamptz from k
          on conflict (token) do update set report_id = excluded.report_id
        )${
          audit
            ? sql`, a as (
          insert into audit_event (occurred_at, actor_type, actor_id, action, subject_type, subject_id, correlation_id,
            details, ip, session_id)
          select ${audit.occurred_at}::timestamptz, ${audit.actor_type}::text, ${audit.actor_id ?? null}::text,
            ${audit.action}::text, ${audit.subject_type ?? null}::text, ${audit.subject_id ?? null}::text,
            ${audit.correlation_id ?? null}::text, ${audit.details}::jsonb, ${audit.ip ?? null}::text,
            ${audit.session_id ?? null}::text
          from k
        )`
            : sql``
        }
        select exists (select 1 from k) as active`.execute(trx)
      return result.rows[0]?.active === true
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
