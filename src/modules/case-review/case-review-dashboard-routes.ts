/** The staff list: the applications the user may see (the access policy as SQL), each with its clocks. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { t } from '../../platform/i18n.js'
import { caseReviewPaths as paths } from './case-review-paths.js'
import { presentDashboard } from './case-review-presenters.js'
import { STAFF, view, type CaseReviewRouteOptions } from './case-review-route-support.js'

export const caseReviewDashboardRoutes: FastifyPluginAsyncTypebox<CaseReviewRouteOptions> = async (
  app,
  { caseReview },
) => {
  const { policy } = caseReview

  app.get(
    paths.dashboard,
    { config: { access: STAFF, audit: { action: 'CASE_REVIEWS_LISTED', subjectType: 'case_review' } } },
    async (request, reply) => {
      const user = request.user
      if (!user) throw app.httpErrors.forbidden(t('caseReview.staff.forbidden'))
      const entries = await caseReview.list(user)
      return reply.view(view('dashboard'), { ...presentDashboard(entries, policy), paths })
    },
  )
}
