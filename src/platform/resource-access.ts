/**
 * Record-level access, declared on the route (ADR 0019). A staff route that touches one record names it:
 * `config: { resource: { type: 'report', param: 'reference', action: 'view' } }`, or, for a route whose parameter
 * names no personal record, says why: `resource: { none: 'panel configuration: no personal records' }`. Before the
 * handler runs, the guard registered for that type loads the record's facts, asks the access policy and audits the
 * decision; an invisible record answers exactly as a missing one (the same 404 error, thrown from the same place for
 * both), a visible one the user may not change answers 403. The route-declaration test fails for any staff route
 * with a parameter that declares neither.
 */
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

export interface RouteResource {
  /** The kind of record, for example 'report'; a guard must be registered for it. */
  type: string
  /** The route parameter that identifies the record. */
  param: string
  action: 'view' | 'change'
  /**
   * The part of the record the policy is asked about, when the type has parts (casework: 'case', 'person',
   * 'chronology', 'task', 'export'; the type itself when absent). The authorisation matrix asks the policy for it.
   */
  part?: string
  /**
   * 'guard' (the default): the guard registered for `type` decides before the handler. 'handler': the handler asks
   * the policy itself through its module's service (casework's `caseFor`, `findForUser`, `partyForUser`), which
   * audits and answers 404/403 the same way; named here so every record-level route is accounted for.
   */
  check?: 'guard' | 'handler'
}

/** A route whose parameter names no personal record, and why (kept in ADR 0019's inventory). */
export interface NoRecord {
  none: string
}

/** Parts of a record a guard can tell the handler to withhold. */
export const RESTRICTIONS = {
  /** A confidential reporter's name, email and phone (they asked not to share them). */
  reporterContact: 'reporter-contact',
} as const

/** What a guard decided; `restrictions` names parts of the record the handler must withhold. */
export interface ResourceDecision {
  visible: boolean
  permitted: boolean
  restrictions: readonly string[]
}

export type ResourceGuard = (request: FastifyRequest, resource: RouteResource, id: string) => Promise<ResourceDecision>

/** A route as registered, with its declarations (for the authorisation-matrix test and documentation). */
export interface RouteInventoryEntry {
  method: string
  url: string
  access: unknown
  resource: RouteResource | NoRecord | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the application with its access and resource declarations (see `buildApp`). */
    routeInventory(): readonly RouteInventoryEntry[]
  }
  interface FastifyContextConfig {
    /** The record a staff route reads or changes, checked against the access policy before the handler. */
    resource?: RouteResource | NoRecord
  }
  interface FastifyRequest {
    /** The guard's decision for the route's declared record (visible and permitted when the handler runs). */
    resourceDecision: ResourceDecision | null
  }
}

/** The 404 every missing or invisible record answers, word for word what the not-found handler says. */
export function notFoundError(app: FastifyInstance, request: FastifyRequest): Error {
  return app.httpErrors.notFound(`No page or resource at ${request.method} ${request.url.split('?')[0] ?? ''}`)
}

export const resourceAccessPlugin = fp(
  async (app: FastifyInstance, { guards }: { guards: Record<string, ResourceGuard> }) => {
    app.decorateRequest('resourceDecision', null)

    app.addHook('onRoute', route => {
      const resource = route.config?.resource
      if (!resource || 'none' in resource || resource.check === 'handler') return
      if (!(resource.type in guards))
        throw new Error(
          `Route ${String(route.method)} ${route.url} declares resource '${resource.type}' with no guard.`,
        )
      if (!route.url.includes(`:${resource.param}`))
        throw new Error(`Route ${String(route.method)} ${route.url} has no parameter :${resource.param}.`)
    })

    app.addHook('preHandler', async request => {
      request.resourceDecision = null
      const resource = request.routeOptions.config.resource
      // Signed-out and wrong-role requests were refused before this (auth plugin).
      if (!resource || 'none' in resource || resource.check === 'handler' || !request.user) return
      const params = request.params as Record<string, unknown> | undefined
      const value = params?.[resource.param]
      const guard = guards[resource.type]
      const decision = guard
        ? await guard(request, resource, typeof value === 'string' ? value : '')
        : { visible: false, permitted: false, restrictions: [] }
      if (!decision.visible) {
        request.auditContext.skip = true
        throw notFoundError(app, request)
      }
      if (!decision.permitted) {
        request.auditContext.skip = true
        throw app.httpErrors.forbidden('You do not have permission to change this record.')
      }
      request.resourceDecision = decision
    })
  },
  { name: 'resource-access', dependencies: ['auth', 'audit'] },
)

/** Collects every route registered on `app` and below it (call before registering them). */
export function collectRouteInventory(app: FastifyInstance): void {
  const routes: { method: string; url: string; config: FastifyContextConfig }[] = []
  // Read when asked: a module's `declareRecords` hook fills in its routes' declarations after this hook has run.
  app.decorate('routeInventory', () =>
    routes.map(({ method, url, config }) => ({
      method,
      url,
      access: config.access ?? 'public',
      resource: config.resource,
    })),
  )
  app.addHook('onRoute', route => {
    route.config ??= {}
    const config = route.config
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, config })
  })
}

/**
 * A plugin none of whose parameters names a personal record (performance indicators, staff accounts, allocation
 * rules) says so once, with the reason, for its parameterised routes that declare nothing themselves. Call at the top
 * of the plugin, before its routes. A route that touches a record declares it itself (`config.resource`): there is no
 * plugin-wide record declaration, so a new route cannot inherit one.
 */
export function declareRecords(app: FastifyInstance, declaration: NoRecord): void {
  if (!declaration.none.trim()) throw new Error('declareRecords needs a reason.')
  app.addHook('onRoute', route => {
    route.config ??= {}
    if (!/:[A-Za-z]/.test(route.url) || route.config.resource !== undefined) return
    route.config.resource = { none: declaration.none }
  })
}
