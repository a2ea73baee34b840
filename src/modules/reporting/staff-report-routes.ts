/**
 * Staff report pages (officers and supervisors, see the accounts module's access control): the list, one report,
 * its evidence files and the status form. Single-report routes declare `config.resource` and are checked before their
 * handler (the casework access policy, ADR 0019).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RawBuilder } from 'kysely'
import Type from 'typebox'

import type { GeographyService } from '../geography/index.js'
import { t } from '../../platform/i18n.js'
import { notFoundError, RESTRICTIONS } from '../../platform/resource-access.js'
import type { StaffUser } from '../accounts/index.js'
import { errorSummary, text } from './journey.js'
import { FormBody, view } from './journey-session.js'
import type { Reporting } from './reporting.js'
import { reportingPaths } from './reporting-paths.js'
import {
  categoryLabel,
  presentStaffEvidence,
  presentStaffReportDetails,
  presentStaffReportRow,
  presentTracking,
  qualifierText,
} from './reporting-presenters.js'
import { CLOSURE_REASONS, STATUSES, StatusChangeError, type StatusChange } from './report-service.js'

export interface StaffReportRoutesOptions {
  reporting: Reporting
  geography: GeographyService
  /** The reports a member of staff may see, as an SQL condition on alias `r` (ADR 0019). */
  visibleReports: (user: StaffUser) => RawBuilder<boolean>
}

const staffAccess = { roles: ['officer', 'supervisor'] } as const

const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  ward: Type.Optional(Type.String({ maxLength: 20 })),
  status: Type.Optional(Type.String({ maxLength: 20 })),
})

const RefParams = Type.Object({ reference: Type.String({ maxLength: 20 }) })

export const staffReportRoutes: FastifyPluginAsyncTypebox<StaffReportRoutesOptions> = async (app, options) => {
  const { reporting, geography, visibleReports } = options
  const { reports, evidence } = reporting
  const wardName = (code: string) => geography.ward(code)?.name ?? code

  app.get(
    reportingPaths.staffReports,
    { config: { access: staffAccess, audit: 'STAFF_REPORTS_LISTED' }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const user = request.user
      if (!user) return reply.callNotFound()
      const status = STATUSES.find(value => value === request.query.status)
      const ward = request.query.ward && geography.ward(request.query.ward) ? request.query.ward : undefined
      const page = request.query.page ?? 1
      const list = await reports.listForStaff({ page, wardCode: ward, status, visible: visibleReports(user) })
      return reply.view(view('staff-reports'), {
        rows: list.rows.map(row => presentStaffReportRow(row, wardName)),
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / list.pageSize)),
        filters: { ward: ward ?? '', status: status ?? '' },
        wardItems: [
          { value: '', text: t('report.staff.allWards') },
          ...geography.wards().map(w => ({ value: w.code, text: w.name, selected: w.code === ward })),
        ],
        statusItems: [
          { value: '', text: t('report.staff.allStatuses') },
          ...STATUSES.map(s => ({ value: s, text: t(`report.status.${s}.label`), selected: s === status })),
        ],
      })
    },
  )

  /** Only after the resource check (config.resource): it shows what the decision lets this user see. */
  async function staffReportPage(
    request: FastifyRequest,
    reply: FastifyReply,
    reference: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const found = await reports.findByReference(reference)
    if (!found) throw notFoundError(app, request)
    const withheld = request.resourceDecision?.restrictions.includes(RESTRICTIONS.reporterContact) ?? true
    const report = withheld ? { ...found, reporter_name: null, reporter_email: null, reporter_phone: null } : found
    const updates = await reporting.repository.updatesFor(report.id)
    const files = await evidence.forReport(report.id)
    const tracking = presentTracking(report, updates)
    const links = await reports.addedToLinks(report)
    return reply.code(status).view(view('staff-report'), {
      report,
      qualifierText: qualifierText(report.nsir_qualifier),
      detailRows: presentStaffReportDetails(report, {
        ward: wardName(report.ward_code),
        statusText: tracking.statusText,
        reporterWithheld: withheld,
      }),
      evidence: presentStaffEvidence(report.reference, files),
      categoryLabel: categoryLabel(report.category),
      ward: wardName(report.ward_code),
      tracking,
      flags: report.flags,
      impact: report.impact,
      statusItems: STATUSES.filter(s => s !== 'received').map(s => ({ value: s, text: t(`report.status.${s}.label`) })),
      closureItems: CLOSURE_REASONS.map(reason => ({ value: reason, text: t(`report.closureReasons.${reason}`) })),
      values: {},
      reporterWithheld: withheld,
      linksText: addedToWords(links),
      ...extra,
    })
  }

  app.get(
    reportingPaths.routes.staffReport,
    {
      config: {
        access: staffAccess,
        audit: { action: 'STAFF_REPORT_VIEWED', subjectType: 'report' },
        resource: { type: 'report', param: 'reference', action: 'view' },
      },
      schema: { params: RefParams },
    },
    async (request, reply) => staffReportPage(request, reply, request.params.reference),
  )

  // Evidence files: staff only, never public; every opening is an audit event naming the file.
  app.get(
    reportingPaths.routes.staffEvidence,
    {
      config: {
        access: staffAccess,
        audit: { action: 'REPORT_EVIDENCE_VIEWED', subjectType: 'report' },
        resource: { type: 'report', param: 'reference', action: 'view' },
      },
      schema: {
        params: Type.Object({ reference: Type.String({ maxLength: 20 }), id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      const report = await reports.findByReference(request.params.reference)
      const file = report ? await evidence.content(report.id, request.params.id) : undefined
      if (!report || !file) {
        request.auditContext.skip = true
        throw notFoundError(app, request)
      }
      // The subject (the report, or the case holding it) was set by the resource check.
      request.auditContext.details = { ...request.auditContext.details, evidenceId: file.id, kind: file.kind }
      return reply
        .header('content-type', file.content_type)
        .header('content-disposition', `inline; filename="${file.file_name.replace(/"/g, '')}"`)
        .header('content-security-policy', "default-src 'none'; img-src 'self'; media-src 'self'; sandbox")
        .header('cross-origin-resource-policy', 'same-origin')
        .send(file.content)
    },
  )

  app.post(
    reportingPaths.routes.staffReportStatus,
    {
      config: {
        access: staffAccess,
        audit: { action: 'STAFF_REPORT_STATUS_POSTED', subjectType: 'report' },
        resource: { type: 'report', param: 'reference', action: 'change' },
      },
      schema: { params: RefParams, body: FormBody },
    },
    async (request, reply) => {
      const body = request.body
      const values = {
        status: text(body, 'status'),
        closureReason: text(body, 'closureReason'),
        referredAgency: text(body, 'referredAgency'),
        publicNote: text(body, 'publicNote'),
      }
      const change = toStatusChange(values)
      let problem = change ? undefined : t('report.staff.errors.status')
      if (change) {
        try {
          await reports.changeStatus(request.params.reference, change, request.actor)
        } catch (error) {
          if (!(error instanceof StatusChangeError)) throw error
          problem = t(`report.staff.errors.${error.code}`)
        }
      }
      if (problem) {
        const errors = { status: problem }
        return staffReportPage(
          request,
          reply,
          request.params.reference,
          { values, errors, errorSummary: errorSummary(errors) },
          400,
        )
      }
      return reply.redirect(reportingPaths.staffReport(request.params.reference), 303)
    },
  )
}

function toStatusChange(values: {
  status: string
  closureReason: string
  referredAgency: string
  publicNote: string
}): StatusChange | undefined {
  const note = values.publicNote === '' ? undefined : values.publicNote
  switch (values.status) {
    case 'assessed':
    case 'in_progress':
    case 'action_taken':
      return { status: values.status, publicNote: note }
    case 'closed':
      if (values.closureReason === 'resolved') return { status: 'closed', closureReason: 'resolved', publicNote: note }
      if (values.closureReason === 'no_further_action' || values.closureReason === 'not_asb')
        return { status: 'closed', closureReason: values.closureReason, publicNote: values.publicNote }
      if (values.closureReason === 'referred')
        return { status: 'closed', closureReason: 'referred', referredAgency: values.referredAgency, publicNote: note }
      return undefined
    default:
      return undefined
  }
}

/** The reports joined to this one by "added to", in words ("None" only when there are none). */
export function addedToWords(links: { addedTo: string | null; added: string[] }): string {
  const parts = [
    links.addedTo ? t('report.staff.links.addedTo', { reference: links.addedTo }) : null,
    links.added.length > 0 ? t('report.staff.links.added', { references: links.added.join(', ') }) : null,
  ].filter((part): part is string => part !== null)
  return parts.length > 0 ? parts.join(' ') : t('report.staff.links.none')
}
