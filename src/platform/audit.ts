/**
 * The audit trail: an append-only, hash-chained table of who did what to which record (docs/audit.md), and the
 * Fastify hooks that write a row for every route that declares `config: { audit: ... }`. Services call
 * `audit.record` (or insert `audit.row(...)` in a statement of their own) for changes made outside HTTP.
 * Details must never hold personal data beyond identifiers: they are for reconstructing who saw and changed what.
 *
 * Every row written while a request is being handled, by the hook or by a service, carries the request's origin
 * (client IP address, staff session identifier, request id as correlation id): the hooks keep it in an
 * AsyncLocalStorage for the whole request. The database computes the hash chain (migration 0700-audit-chain).
 */
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks'
import { isIP } from 'node:net'

import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely'

import type { AuditEventTable, Database } from '../db/schema.js'
import type { Clock } from './clock.js'

export type ActorType = 'anonymous' | 'user' | 'api-key' | 'system'

export interface Actor {
  type: ActorType
  id: string | null
}

export const systemActor: Actor = { type: 'system', id: null }

export interface AuditEventInput {
  actor: Actor
  action: string
  subjectType?: string | null
  subjectId?: string | null
  correlationId?: string | null
  details?: Record<string, unknown>
  /** Where the event came from; by default the origin of the request being handled, if any. */
  origin?: AuditOrigin
}

/** Where a request came from, written on every audit row made while handling it. */
export interface AuditOrigin {
  ip: string | null
  /** A non-secret identifier of the signed-in staff session (set by the accounts module), never the cookie. */
  sessionId: string | null
  correlationId: string | null
}

const origins = new AsyncLocalStorage<AuditOrigin>()
const originScope = Symbol('auditOriginScope')

/** A client address worth recording: a syntactically valid IPv4 or IPv6 address, or nothing. */
function clientIp(ip: string | undefined): string | null {
  return ip && isIP(ip) !== 0 ? ip : null
}

/** How a route declares its audit event. `false` marks a route that reads or changes no personal data. */
export type RouteAudit =
  | false
  | string
  | {
      action: string
      subjectType?: string
      /** Name of the route parameter that identifies the subject. */
      subjectParam?: string
      /** Write the event only when the response status is below 400 (default true). */
      onlyOnSuccess?: boolean
    }

declare module 'fastify' {
  interface FastifyContextConfig {
    audit?: RouteAudit
  }
  interface FastifyRequest {
    actor: Actor
    /** Extra details or a subject a handler sets for the route's audit event. */
    auditContext: { subjectType?: string; subjectId?: string; details?: Record<string, unknown>; skip?: boolean }
    /** The request's origin, written on every audit row made while handling it. */
    auditOrigin: AuditOrigin
    [originScope]?: AsyncResource
  }
}

/** What `verify` found: either every row chained, or the first broken link. */
export type ChainVerification =
  | {
      ok: true
      rows: number
      /** Where the chain starts: the genesis, or the anchor left by the last purge (trusted, not verifiable). */
      anchor: { seq: number; hash: string; purgedAt: Date | null; purged: number }
      head: { seq: number; hash: string }
    }
  | {
      ok: false
      rows: number
      problem: 'altered' | 'relinked' | 'missing' | 'head'
      /** The first row that does not verify (undefined when rows are missing at the end of the chain). */
      row?: { id: number; seq: number; occurredAt: Date }
      message: string
    }

export class AuditChainBrokenError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AuditChainBrokenError'
  }
}

/** The lines `safer audit verify` prints. */
export function describeVerification(result: ChainVerification): string[] {
  if (!result.ok) {
    const where = result.row
      ? `row id ${String(result.row.id)} (chain position ${String(result.row.seq)}, occurred at ${result.row.occurredAt.toISOString()})`
      : 'the end of the chain'
    return [
      `The audit trail is broken at ${where}: ${result.message}.`,
      `${String(result.rows)} rows before it verified.`,
    ]
  }
  const start =
    result.anchor.seq === 0
      ? 'from the first row ever written'
      : `from the anchor left by the last purge (${String(result.anchor.purged)} rows purged in all, last at ${result.anchor.purgedAt?.toISOString() ?? 'unknown'}): position ${String(result.anchor.seq)} with hash ${result.anchor.hash}, trusted as the start`
  return [
    `Verified ${String(result.rows)} audit events, ${start}.`,
    `Head: position ${String(result.head.seq)}, hash ${result.head.hash} (keep it somewhere else to detect a rewritten chain later).`,
  ]
}

export function createAuditService({ db, clock }: { db: Kysely<Database>; clock: Clock }) {
  /** The row `record` writes, for a service that writes its audit event inside a statement of its own. */
  function row(event: AuditEventInput): Insertable<AuditEventTable> {
    const origin = event.origin ?? origins.getStore()
    return {
      occurred_at: clock.now(),
      actor_type: event.actor.type,
      actor_id: event.actor.id,
      action: event.action,
      subject_type: event.subjectType ?? null,
      subject_id: event.subjectId ?? null,
      correlation_id: event.correlationId ?? origin?.correlationId ?? null,
      details: JSON.stringify(event.details ?? {}),
      ip: origin?.ip ?? null,
      session_id: origin?.sessionId ?? null,
    }
  }

  return {
    row,

    async record(event: AuditEventInput, trx: Kysely<Database> | Transaction<Database> = db): Promise<void> {
      await trx.insertInto('audit_event').values(row(event)).execute()
    },

    /**
     * Walks the hash chain from its anchor in `batchSize` rows at a time, recomputing each row's hash in the
     * database, and stops at the first broken link. Rows added while it runs (after the head it read first) are
     * left for the next run.
     */
    async verify(options: { batchSize?: number } = {}): Promise<ChainVerification> {
      const batchSize = options.batchSize ?? 5000
      const chain = await db.selectFrom('audit_chain').selectAll().executeTakeFirst()
      if (!chain) return { ok: false, rows: 0, problem: 'head', message: 'The audit_chain row is missing.' }
      let expectedSeq = chain.anchor_seq + 1
      let expectedPrev = chain.anchor_hash
      let rows = 0
      for (;;) {
        const batch = await db
          .selectFrom('audit_event as a')
          .select([
            'a.id',
            'a.seq',
            'a.occurred_at',
            'a.prev_hash',
            'a.hash',
            sql<string>`audit_event_hash(a)`.as('computed'),
          ])
          .where('a.seq', '>=', expectedSeq)
          .where('a.seq', '<=', chain.head_seq)
          .orderBy('a.seq')
          .limit(batchSize)
          .execute()
        for (const row of batch) {
          const at = { id: row.id, seq: row.seq, occurredAt: row.occurred_at }
          if (row.seq !== expectedSeq) {
            return {
              ok: false,
              rows,
              problem: 'missing',
              row: at,
              message: `rows ${String(expectedSeq)} to ${String(row.seq - 1)} of the chain are missing before this row`,
            }
          }
          if (row.prev_hash !== expectedPrev) {
            return {
              ok: false,
              rows,
              problem: 'relinked',
              row: at,
              message: 'its prev_hash is not the previous row’s hash',
            }
          }
          if (row.computed !== row.hash) {
            return { ok: false, rows, problem: 'altered', row: at, message: 'its content does not match its hash' }
          }
          expectedSeq = row.seq + 1
          expectedPrev = row.hash
          rows += 1
        }
        if (batch.length < batchSize) break
      }
      if (expectedSeq - 1 !== chain.head_seq || expectedPrev !== chain.head_hash) {
        return {
          ok: false,
          rows,
          problem: 'head',
          message: `the chain ends at row ${String(expectedSeq - 1)} but its head says ${String(chain.head_seq)}: rows are missing at the end, or the head was changed`,
        }
      }
      return {
        ok: true,
        rows,
        anchor: {
          seq: chain.anchor_seq,
          hash: chain.anchor_hash,
          purgedAt: chain.anchored_at,
          purged: chain.purged,
        },
        head: { seq: chain.head_seq, hash: chain.head_hash },
      }
    },

    /**
     * Deletes the audit rows older than `cutoff`, oldest first in chain order, through the database function
     * `audit_event_purge` (the only way audit rows may be deleted). Returns how many were deleted.
     */
    async purge(cutoff: Date, trx: Kysely<Database> | Transaction<Database> = db): Promise<number> {
      const { rows } = await sql<{ deleted: number }>`select audit_event_purge(${cutoff}) as deleted`.execute(trx)
      return rows[0]?.deleted ?? 0
    },

    async forSubject(subjectType: string, subjectId: string, limit = 200) {
      return db
        .selectFrom('audit_event')
        .selectAll()
        .where('subject_type', '=', subjectType)
        .where('subject_id', '=', subjectId)
        .orderBy('occurred_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
    },

    async recent(limit = 100) {
      return db.selectFrom('audit_event').selectAll().orderBy('id', 'desc').limit(limit).execute()
    },
  }
}

export type AuditService = ReturnType<typeof createAuditService>

function routeParam(request: FastifyRequest, name: string): string | undefined {
  const params = request.params as Record<string, unknown> | undefined
  const value = params?.[name]
  return typeof value === 'string' ? value : undefined
}

export const auditPlugin = fp(
  async (app: FastifyInstance, { audit }: { audit: AuditService }) => {
    app.decorateRequest('actor', null as unknown as Actor)
    app.decorateRequest('auditContext', null as unknown as FastifyRequest['auditContext'])
    app.decorateRequest('auditOrigin', null as unknown as AuditOrigin)
    app.addHook('onRequest', (request, _reply, done) => {
      request.actor = { type: 'anonymous', id: null }
      request.auditContext = {}
      request.auditOrigin = { ip: clientIp(request.ip), sessionId: null, correlationId: request.id }
      origins.run(request.auditOrigin, () => {
        request[originScope] = new AsyncResource('safer-audit-origin')
        done()
      })
    })
    // Reading a request body leaves the async context of the request: enter it again before the handler runs.
    app.addHook('preValidation', (request, _reply, done) => {
      const scope = request[originScope]
      if (scope) scope.runInAsyncScope(done, request.raw)
      else done()
    })
    // onSend, not onResponse: the event is written before the client has the page, so whoever reads the audit log
    // next (an auditor, a test) sees every request that has been answered.
    app.addHook('onSend', async (request, reply, payload) => {
      const declared = request.routeOptions.config.audit
      if (!declared || request.auditContext.skip) return payload
      const spec = typeof declared === 'string' ? { action: declared } : declared
      if ((spec.onlyOnSuccess ?? true) && reply.statusCode >= 400) return payload
      const subjectId =
        request.auditContext.subjectId ?? (spec.subjectParam ? routeParam(request, spec.subjectParam) : undefined)
      try {
        await audit.record({
          actor: request.actor,
          action: spec.action,
          subjectType: request.auditContext.subjectType ?? spec.subjectType ?? null,
          subjectId: subjectId ?? null,
          origin: request.auditOrigin,
          details: {
            method: request.method,
            route: request.routeOptions.url,
            status: reply.statusCode,
            ...request.auditContext.details,
          },
        })
      } catch (error) {
        request.log.error({ err: error, action: spec.action }, 'could not write audit event')
      }
      return payload
    })
  },
  { name: 'audit' },
)
