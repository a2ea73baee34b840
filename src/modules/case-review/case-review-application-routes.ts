/**
 * The Case Review's public pages: the procedure, the application (from the tracking page, where the reference and
 * tracking code prove the report is the resident's, or on its own) and its confirmation.
 */
import { randomUUID } from 'node:crypto'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import Type from 'typebox'

import { errorSummary, type FieldErrors } from '../../platform/forms.js'
import { caseReviewPaths as paths } from './case-review-paths.js'
import { presentConfirmation, presentProcedure } from './case-review-presenters.js'
import { formBody, view, type CaseReviewRouteOptions } from './case-review-route-support.js'
import {
  applicationValues,
  APPLICATION_FIELDS,
  validateApplication,
  type ApplicationValues,
} from './case-review-validation.js'

const FromReportParams = Type.Object({
  reference: Type.String({ maxLength: 20 }),
  code: Type.String({ maxLength: 20 }),
})
const ApplicationBody = formBody(...APPLICATION_FIELDS)

export const caseReviewApplicationRoutes: FastifyPluginAsyncTypebox<CaseReviewRouteOptions> = async (
  app,
  { caseReview },
) => {
  const { policy } = caseReview

  app.get(paths.start, { config: { access: 'public', audit: false } }, async (_request, reply) =>
    reply.view(view('start'), { procedure: presentProcedure(policy), paths }),
  )

  async function renderApplication(
    reply: FastifyReply,
    values: ApplicationValues,
    status: number,
    errors: FieldErrors = {},
    fromReport?: { reference: string; eligibilityMet: boolean },
  ) {
    return reply.code(status).view(view('apply'), {
      values: { submissionId: randomUUID(), ...values },
      errors,
      errorSummary: errorSummary(errors),
      fromReport,
      action: paths.apply,
    })
  }

  app.get(paths.apply, { config: { access: 'public', audit: false } }, async (_request, reply) =>
    renderApplication(reply, {}, 200),
  )

  // From the tracking page: the reference and tracking code prove the report is the resident's.
  app.get(
    '/asb-case-review/apply/:reference/:code',
    {
      config: { access: 'public', audit: { action: 'CASE_REVIEW_ELIGIBILITY_VIEWED', subjectType: 'report' } },
      schema: { params: FromReportParams },
    },
    async (request, reply) => {
      const report = await caseReview.applicantReport(request.params.reference, request.params.code)
      if (!report) {
        request.auditContext.skip = true
        return reply.callNotFound()
      }
      request.auditContext.subjectId = String(report.id)
      const eligibility = await caseReview.eligibilityForReport(report.id)
      return renderApplication(
        reply,
        {
          applicantType: 'victim',
          // The name and contact details they gave on the report (the tracking code proves it is theirs).
          name: report.name,
          email: report.email,
          phone: report.phone,
          reportReference: report.reference,
          trackingCode: request.params.code,
        },
        200,
        {},
        { reference: report.reference, eligibilityMet: eligibility.met },
      )
    },
  )

  app.post(
    paths.apply,
    {
      config: { access: 'public', audit: { action: 'CASE_REVIEW_APPLICATION_SUBMITTED', subjectType: 'case_review' } },
      schema: { body: ApplicationBody },
    },
    async (request, reply) => {
      const values = applicationValues(request.body)
      const checked = validateApplication(values)
      if (!checked.ok) {
        request.auditContext.skip = true
        return renderApplication(reply, values, 400, checked.errors)
      }
      const result = await caseReview.apply(checked.input, request.actor)
      if (!result.ok) {
        request.auditContext.skip = true
        return renderApplication(reply, values, 400, result.errors)
      }
      request.auditContext.subjectId = result.id
      const query = new URLSearchParams({ reference: result.reference })
      if (result.linkedTo) query.set('linked', result.linkedTo)
      if (result.linkedTo && result.linkedMine) query.set('mine', 'yes')
      return reply.redirect(`${paths.confirmation}?${query.toString()}`, 303)
    },
  )

  app.get(
    paths.confirmation,
    {
      config: { access: 'public', audit: false },
      schema: {
        querystring: Type.Object({
          reference: Type.String({ pattern: '^CR-[0-9]{2}-[0-9]{4,6}$' }),
          linked: Type.Optional(Type.String({ pattern: '^CR-[0-9]{2}-[0-9]{4,6}$' })),
          mine: Type.Optional(Type.Literal('yes')),
        }),
      },
    },
    async (request, reply) =>
      reply.view(view('confirmation'), {
        reference: request.query.reference,
        linked: request.query.linked,
        linkedMine: request.query.mine === 'yes',
        ...presentConfirmation(policy, caseReview.today()),
      }),
  )
}
