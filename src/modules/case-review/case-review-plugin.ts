/**
 * Every Case Review page, registered together, one plugin per resource: the application (public), the annual
 * figures (public), the staff list, one application and its steps, the minutes and recommendations, the agencies'
 * answers, and the letters. Options: `CaseReviewRouteOptions` (the service, the PDF renderer, the borough's name for
 * the letters, and the case page's address when casework is registered).
 */
import type { FastifyPluginAsync } from 'fastify'

import { caseReviewApplicationRoutes } from './case-review-application-routes.js'
import { caseReviewDashboardRoutes } from './case-review-dashboard-routes.js'
import { caseReviewFiguresRoutes } from './case-review-figures-routes.js'
import { caseReviewInformationRoutes } from './case-review-information-routes.js'
import { caseReviewLetterRoutes } from './case-review-letter-routes.js'
import { caseReviewMinutesRoutes } from './case-review-minutes-routes.js'
import { caseReviewReviewRoutes } from './case-review-review-routes.js'
import type { CaseReviewRouteOptions } from './case-review-route-support.js'

export type { CaseReviewRouteOptions } from './case-review-route-support.js'

export const caseReviewPlugin: FastifyPluginAsync<CaseReviewRouteOptions> = async (app, options) => {
  // A permitted read of an application linked to a case is written in the case's access log too (every plugin
  // below is registered inside this one, so the hook sees their responses), before the response leaves, as every
  // audit event is: the log never trails what the reader has already seen.
  app.addHook('onSend', async (request, reply, payload) => {
    await options.caseReview.access.recordCaseRead(request, reply)
    return payload
  })
  await app.register(caseReviewApplicationRoutes, options)
  await app.register(caseReviewFiguresRoutes, options)
  await app.register(caseReviewDashboardRoutes, options)
  await app.register(caseReviewReviewRoutes, options)
  await app.register(caseReviewMinutesRoutes, options)
  await app.register(caseReviewInformationRoutes, options)
  await app.register(caseReviewLetterRoutes, options)
}

/** The name `app.ts` registers. */
export const caseReviewRoutes = caseReviewPlugin
