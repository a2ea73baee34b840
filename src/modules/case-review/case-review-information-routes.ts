/** An agency answers its own information request (the coordinators may record an answer for it). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import { field } from '../../platform/forms.js'
import { changing, STAFF, staffPages, type CaseReviewRouteOptions } from './case-review-route-support.js'

const InfoParams = Type.Object({ id: Type.String({ maxLength: 64 }), requestId: Type.String({ maxLength: 64 }) })
/** The answer's field is named after the request (`response-<requestId>`), so the body is any form fields. */
const ResponseBody = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]))

export const caseReviewInformationRoutes: FastifyPluginAsyncTypebox<CaseReviewRouteOptions> = async (app, options) => {
  const { caseReview } = options
  const { step } = staffPages(app, options)

  // An agency answers its own information request (the coordinators may record it for them).
  app.post(
    '/staff/case-reviews/:id/information/:requestId',
    {
      config: { access: STAFF, audit: false, resource: changing('case-review-response') },
      schema: { params: InfoParams, body: ResponseBody },
    },
    async (request, reply) => {
      const body = request.body
      const { requestId } = request.params
      return step(request, reply, request.params.id, body, (user, row) =>
        caseReview.respondInformation(user, request.actor, row, requestId, field(body, `response-${requestId}`)),
      )
    },
  )
}
