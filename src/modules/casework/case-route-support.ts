/**
 * What every case page's routes need, in one place: the case behind the route's reference checked against the route's
 * declared resource, the signed-in user, and the page for an edit that lost a race (casework-routes, closure-routes).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import { t } from '../../platform/i18n.js'
import type { StaffUser } from '../accounts/index.js'
import { caseworkPaths } from './casework-paths.js'
import type { CaseRow } from './casework-repository.js'
import type { CaseworkService } from './casework-service.js'
import { declaredCaseResource } from './case-resource.js'

export function caseRouteSupport(app: FastifyInstance, casework: CaseworkService) {
  function notFound(request: FastifyRequest): never {
    throw app.httpErrors.notFound(`No page or resource at ${request.method} ${request.url.split('?')[0] ?? ''}`)
  }

  return {
    notFound,

    /**
     * The case behind the route's reference, checked against the policy for the part and action the route declares
     * (`config.resource`, ADR 0019), so the declaration and the check cannot disagree. Sets the audit subject so the
     * route's audit event names the case. A case the user may not see answers exactly as a missing one; a part of a
     * case they may see but not use is refused (403), and the refusal is in the case's access log.
     */
    async caseFor(request: FastifyRequest): Promise<CaseRow> {
      const { resource, action, value: reference } = declaredCaseResource(request)
      const user = request.user
      const row = user ? await casework.findByReferenceForUser(user, reference) : undefined
      if (!user || !row) notFound(request)
      request.auditContext.subjectType = 'case'
      request.auditContext.subjectId = row.id
      request.auditContext.details = { resource, action, reference: row.reference }
      if (!casework.can(user, row, resource, action)) {
        request.auditContext.details = { ...request.auditContext.details, refused: true }
        await casework.recordRefusal(user, row, { resource, action })
        throw app.httpErrors.forbidden(t('casework.errors.forbidden'))
      }
      return row
    },

    userOf(request: FastifyRequest): StaffUser {
      if (!request.user) throw app.httpErrors.unauthorized()
      return request.user
    },

    /** Someone else changed the case first: say so, with a link back to it. */
    conflict(reply: FastifyReply, row: CaseRow) {
      return reply
        .code(409)
        .view('casework/views/conflict.njk', { href: caseworkPaths.case(row.reference), reference: row.reference })
    },
  }
}
