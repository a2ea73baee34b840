/** Tracking a report (/track): by reference and tracking code, and "report it again" from the tracking page. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import type { GeographyService } from '../geography/index.js'
import { t } from '../../platform/i18n.js'
import { errorSummary, text, type Answers, type Errors } from './journey.js'
import { FormBody, view, type DraftSession } from './journey-session.js'
import { normaliseTrackingCode } from './reference.js'
import type { Reporting } from './reporting.js'
import type { ReportRow } from './reporting-repository.js'
import { reportingPaths } from './reporting-paths.js'
import { presentTrackedReport, presentTracking } from './reporting-presenters.js'

export interface TrackingRoutesOptions {
  reporting: Reporting
  geography: GeographyService
  session: DraftSession
  /** Where the Case Review notice on the tracking page links to: the application from this report. */
  caseReviewHref?: (reference: string, code: string) => string
  /** The Case Review application already made from this report, if any (then the page no longer invites one). */
  caseReviewApplied?: (reportId: number) => Promise<{ reference: string } | undefined>
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
      const applied = (await options.caseReviewApplied?.(found.report.id)) ?? null
      return reply.view(view('track'), {
        tracking: presentTracking(found.report, found.updates),
        // What they reported, in their own words: the tracking code proves it is theirs (the read is audited above).
        reported: presentTrackedReport(found.report, wardCode => geography.ward(wardCode)?.name ?? wardCode),
        caseReview: found.caseReview,
        caseReviewApplied: applied,
        caseReviewUrl: options.caseReviewHref?.(found.report.reference, code) ?? null,
        againUrl: reportingPaths.trackAgain(found.report.reference, code),
        borough: geography.borough(),
      })
    },
  )

  // "Report it again": a new draft prefilled from the earlier report, linked to it. What is still true (what, where,
  // how it affects them, who they are) is kept; the journey asks only what may have changed: when, and what happened.
  app.post(
    reportingPaths.routes.trackAgain,
    {
      config: { access: 'public', audit: { action: 'REPORT_DRAFT_UPDATED', subjectType: 'report_draft' } },
      schema: { params: TrackParams },
    },
    async (request, reply) => {
      const found = await reports.findForTracking(request.params.reference, request.params.code)
      if (!found) return reply.callNotFound()
      session.forget(request, reply)
      await session.save(request, reply, againAnswers(found.report))
      return reply.redirect(reportingPaths.step('when'), 303)
    },
  )
}

/** A new draft's answers from the resident's earlier report ("report it again"): all but when and what happened. */
export function againAnswers(report: ReportRow): Answers {
  const impact = report.impact
  const answer = (key: string) => (typeof impact[key] === 'string' ? impact[key] : '')
  const anonymous = report.reporter_mode === 'anonymous'
  return {
    triage: 'asb',
    category: report.category,
    locationMode:
      report.latitude !== null && report.postcode === null ? 'point' : report.postcode ? 'postcode' : 'ward',
    postcode: report.postcode ?? '',
    latitude: report.postcode === null ? report.latitude : null,
    longitude: report.postcode === null ? report.longitude : null,
    wardCode: report.ward_code,
    locationDescription: report.location_description ?? '',
    pattern: report.pattern,
    frequency: report.frequency ?? '',
    reporterRole: answer('reporterRole'),
    howOften: answer('howOften'),
    unsafeAtHome: answer('unsafeAtHome'),
    healthAffected: answer('healthAffected'),
    targeted: answer('targeted'),
    characteristics: Array.isArray(impact.characteristics) ? impact.characteristics : [],
    mode: report.reporter_mode,
    name: anonymous ? '' : (report.reporter_name ?? ''),
    contactPreference: anonymous ? 'none' : report.contact_preference,
    email: report.contact_preference === 'email' ? (report.reporter_email ?? '') : '',
    phone: report.contact_preference === 'phone' ? (report.reporter_phone ?? '') : '',
    consent: report.consent_to_share ? 'yes' : 'no',
    linkedReference: report.reference,
    // The earlier report is the resident's own: never offered back to them as someone else's similar report.
    againOf: report.reference,
  }
}
