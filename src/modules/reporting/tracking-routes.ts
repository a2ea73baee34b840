/** Tracking a report (/track): by reference and tracking code, and "report it again" from the tracking page. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import type { GeographyService } from '../geography/index.js'
import { t } from '../../platform/i18n.js'
import { errorSummary, text, type Errors } from './journey.js'
import { FormBody, view, type DraftSession } from './journey-session.js'
import { normaliseTrackingCode } from './reference.js'
import type { Reporting } from './reporting.js'
import { reportingPaths } from './reporting-paths.js'
import { presentTracking } from './reporting-presenters.js'

export interface TrackingRoutesOptions {
  reporting: Reporting
  geography: GeographyService
  session: DraftSession
  /** Where the Case Review notice on the tracking page links to: the application from this report. */
  caseReviewHref?: (reference: string, code: string) => string
}

const TrackParams = Type.Object({ reference: Type.String({ maxLength: 20 }), code: Type.String({ maxLength: 20 }) })

export const trackingRoutes: FastifyPluginAsyncTypebox<TrackingRoutesOptions> = async (app, options) => {
  const { geography, session } = options
  const { reports } = options.reporting

  app.get(reportingPaths.track, { config: { access: 'public', audit: false } }, async (_request, reply) =>
    reply.view(view('track-start'), { values: {} }),
  )

  app.post(
    reportingPaths.track,
    { config: { access: 'public', audit: false }, schema: { body: FormBody } },
    async (request, reply) => {
      const body = request.body
      const values = { reference: text(body, 'reference'), code: text(body, 'code') }
      const errors: Errors = {}
      if (values.reference === '') errors.reference = t('report.track.errors.referenceRequired')
      if (values.code === '') errors.code = t('report.track.errors.codeRequired')
      if (Object.keys(errors).length === 0) {
        const found = await reports.findForTracking(values.reference, values.code)
        if (found)
          return reply.redirect(
            reportingPaths.tracking(found.report.reference, normaliseTrackingCode(values.code)),
            303,
          )
        errors.reference = t('report.track.errors.notFound')
      }
      return reply.code(400).view(view('track-start'), { values, errors, errorSummary: errorSummary(errors) })
    },
  )

  app.get(
    reportingPaths.routes.tracking,
    {
      config: { access: 'public', audit: { action: 'REPORT_TRACKED', subjectType: 'report' } },
      schema: { params: TrackParams },
    },
    async (request, reply) => {
      const found = await reports.findForTracking(request.params.reference, request.params.code)
      if (!found) {
        request.auditContext.skip = true
        return reply.callNotFound()
      }
      request.auditContext.subjectId = String(found.report.id)
      const code = normaliseTrackingCode(request.params.code)
      return reply.view(view('track'), {
        tracking: presentTracking(found.report, found.updates),
        caseReview: found.caseReview,
        caseReviewUrl: options.caseReviewHref?.(found.report.reference, code) ?? null,
        againUrl: reportingPaths.trackAgain(found.report.reference, code),
        borough: geography.borough(),
      })
    },
  )

  // "Report it again": a new draft with what is still true (what and where), linked to the earlier report.
  app.post(
    reportingPaths.routes.trackAgain,
    {
      config: { access: 'public', audit: { action: 'REPORT_DRAFT_UPDATED', subjectType: 'report_draft' } },
      schema: { params: TrackParams },
    },
    async (request, reply) => {
      const found = await reports.findForTracking(request.params.reference, request.params.code)
      if (!found) return reply.callNotFound()
      const { report } = found
      session.forget(request, reply)
      await session.save(request, reply, {
        triage: 'asb',
        category: report.category,
        locationMode:
          report.latitude !== null && report.postcode === null ? 'point' : report.postcode ? 'postcode' : 'ward',
        postcode: report.postcode ?? '',
        latitude: report.postcode === null ? report.latitude : null,
        longitude: report.postcode === null ? report.longitude : null,
        wardCode: report.ward_code,
        locationDescription: report.location_description ?? '',
        linkedReference: report.reference,
      })
      return reply.redirect(reportingPaths.step('when'), 303)
    },
  )
}
