/**
 * The review's minutes and recommendations: the chair and the panel coordinators only; the service audits every read
 * of the minutes and every refusal. A recommendation is owned and due, and becomes a task on the case.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'

import { errorSummary, field, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { caseReviewPaths as paths } from './case-review-paths.js'
import { isoFromParts } from './case-review-presenters.js'
import {
  changing,
  formBody,
  IdParams,
  STAFF,
  staffPages,
  view,
  viewing,
  type CaseReviewRouteOptions,
  type FormValues,
} from './case-review-route-support.js'

const RecommendationBody = formBody('text', 'owner', 'dueOn-day', 'dueOn-month', 'dueOn-year', 'updateFrequency')
const MinutesBody = formBody('version', 'attendees', 'minutes')

export const caseReviewMinutesRoutes: FastifyPluginAsyncTypebox<CaseReviewRouteOptions> = async (app, options) => {
  const { caseReview } = options
  const { load, step, refused, formVersion } = staffPages(app, options)

  // Recommendations: the chair and the coordinators (as the minutes), so a route of its own.
  app.post(
    '/staff/case-reviews/:id/recommendations',
    {
      config: { access: STAFF, audit: false, resource: changing('case-review-minutes') },
      schema: { params: IdParams, body: RecommendationBody },
    },
    async (request, reply) => {
      const body = request.body
      return step(request, reply, request.params.id, body, (user, row) =>
        caseReview.addRecommendation(user, request.actor, row, {
          text: field(body, 'text'),
          ownerUserId: field(body, 'owner'),
          dueOn: isoFromParts(field(body, 'dueOn-day'), field(body, 'dueOn-month'), field(body, 'dueOn-year')),
          updateFrequency: field(body, 'updateFrequency'),
        }),
      )
    },
  )

  // Minutes: members only (the chair and panel coordinators); the service audits every read and every refusal.
  async function renderMinutes(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    status = 200,
    errors: FieldErrors = {},
    values: FormValues = {},
  ) {
    const { user, found } = await load(request, id)
    const minutes = await caseReview.readMinutes(user, request.actor, found.row)
    if (!minutes) throw app.httpErrors.forbidden(t('caseReview.staff.forbidden'))
    return reply.code(status).view(view('minutes'), {
      row: found.row,
      paths,
      minutes,
      canRecord: found.row.status === 'review' && Boolean(found.row.chair_user_id),
      values: { attendees: minutes.attendees ?? '', minutes: minutes.minutes ?? '', ...values },
      errors,
      errorSummary: errorSummary(errors),
    })
  }

  app.get(
    '/staff/case-reviews/:id/minutes',
    { config: { access: STAFF, audit: false, resource: viewing('case-review-minutes') }, schema: { params: IdParams } },
    async (request, reply) => renderMinutes(request, reply, request.params.id),
  )

  app.post(
    '/staff/case-reviews/:id/minutes',
    {
      config: { access: STAFF, audit: false, resource: changing('case-review-minutes') },
      schema: { params: IdParams, body: MinutesBody },
    },
    async (request, reply) => {
      const { user, found } = await load(request, request.params.id)
      const body = request.body
      const values = { attendees: field(body, 'attendees'), minutes: field(body, 'minutes') }
      try {
        const result = await caseReview.recordMinutes(
          user,
          request.actor,
          found.row,
          formVersion(body, found.row),
          values,
        )
        if (!result.ok) return await renderMinutes(request, reply, request.params.id, 400, result.errors, values)
      } catch (error) {
        refused(error)
      }
      return reply.redirect(paths.review(request.params.id), 303)
    },
  )
}
