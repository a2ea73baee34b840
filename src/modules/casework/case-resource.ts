/**
 * Case routes declare the part of the case they read or change (ADR 0019): `config.resource` names the type 'case',
 * the parameter holding the case, the policy's part ('case', 'person', 'chronology', 'task', 'export') and the action.
 * The check itself is in the handler (`check: 'handler'`): casework's, risk's, powers' and the panels' case pages load
 * the case through the casework service, which audits a refusal, and then ask the policy for exactly the declared
 * part and action, read back from the route with `declaredCaseResource`. The authorisation matrix asks `allowed` for
 * the same declaration, so a route whose handler checks something else fails there.
 */
import type { FastifyRequest } from 'fastify'

import type { RouteResource } from '../../platform/resource-access.js'
import { RESOURCES, type CaseAction, type CaseResource } from './policy.js'

export function caseResource(part: CaseResource, action: CaseAction, param = 'reference'): RouteResource {
  return { type: 'case', param, part, action, check: 'handler' }
}

/**
 * The route's declared case part and action, and the value of its declared parameter (the case's reference or id,
 * '' when the address has none); a route that declares none is a programming error, not a 404.
 */
export function declaredCaseResource(request: FastifyRequest): {
  resource: CaseResource
  action: CaseAction
  param: string
  value: string
} {
  const declared = request.routeOptions.config.resource
  const part = declared && 'type' in declared && declared.type === 'case' ? (declared.part ?? 'case') : undefined
  const resource = RESOURCES.find(candidate => candidate === part)
  if (!declared || !('type' in declared) || !resource)
    throw new Error(`Route ${request.method} ${request.routeOptions.url ?? ''} declares no case resource.`)
  const params: unknown = request.params
  const value: unknown = typeof params === 'object' && params !== null ? Reflect.get(params, declared.param) : undefined
  return { resource, action: declared.action, param: declared.param, value: typeof value === 'string' ? value : '' }
}
