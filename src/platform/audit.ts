/**
 * The audit trail: an append-only table of who did what to which record, and the Fastify hook that writes a row for
 * every route that declares `config: { audit: ... }`. Services call `audit.record` for changes made outside HTTP.
 * Details must never hold personal data beyond identifiers: they are for reconstructing who saw and changed what.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Insertable, Kysely, Transaction } from 'kysely'

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
  }
}

export function createAuditService({ db, clock }: { db: Kysely<Database>; clock: Clock }) {
  return {
    /** The row `record` writes, for a service that writes its audit event inside a statement of its own. */
    row(event: AuditEventInput): Insertable<AuditEventTable> {
      return {
        occurred_at: clock.now(),
        actor_type: event.actor.type,
        actor_id: event.actor.id,
        action: event.action,
        subject_type: event.subjectType ?? null,
        subject_id: event.subjectId ?? null,
        correlation_id: event.correlationId ?? null,
        details: JSON.stringify(event.details ?? {}),
      }
    },

    async record(event: AuditEventInput, trx: Kysely<Database> | Transaction<Database> = db): Promise<void> {
      await trx
        .insertInto('audit_event')
        .values({
          occurred_at: clock.now(),
          actor_type: event.actor.type,
          actor_id: event.actor.id,
          action: event.action,
          subject_type: event.subjectType ?? null,
          subject_id: event.subjectId ?? null,
          correlation_id: event.correlationId ?? null,
          details: JSON.stringify(event.details ?? {}),
        })
        .execute()
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
    app.addHook('onRequest', async request => {
      request.actor = { type: 'anonymous', id: null }
      request.auditContext = {}
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
          correlationId: request.id,
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
