/**
 * Case Review pages. Public: the procedure, the application (from the tracking page or on its own) and the annual
 * figures (HTML and CSV, counts only). Staff (officers, supervisors, panel coordinators): the list of the applications
 * they may see with their clocks, and one page per application with the step its state allows. Every staff route
 * with an application in its URL declares it (`config.resource`): the guard asks the access policy (ADR 0025) before
 * the handler, so an application the user may not see answers exactly as a missing one (404), and a change they may
 * not make answers 403; the service checks each step again.
 */
import { randomUUID } from 'node:crypto'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'

import { errorSummary, field, fields, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { PdfUnavailableError, type PdfRenderer } from '../../platform/pdf.js'
import { addWorkingDays, londonDate } from '../../platform/working-days.js'
import type { StaffUser } from '../accounts/index.js'
import { caseReviewPaths as paths } from './case-review-paths.js'
import {
  csvHeaders,
  formatDate,
  isoFromParts,
  presentClocks,
  presentConfirmation,
  presentDashboard,
  presentEligibility,
  presentFigures,
  presentInformation,
  presentProcedure,
  presentRecommendations,
  statusTag,
} from './case-review-presenters.js'
import {
  CaseReviewError,
  ReviewVersionConflictError,
  type CaseReviewService,
  type Result,
  type ReviewRow,
} from './case-review-service.js'
import { applicationValues, validateApplication, type ApplicationValues } from './case-review-validation.js'
import { figuresCsv } from './publication.js'
import type { RouteResource } from '../../platform/resource-access.js'

const view = (name: string) => `case-review/views/${name}.njk`
const STAFF = { roles: ['officer', 'supervisor', 'panel-coordinator'] } as const
/** The record a route touches: the application, its minutes (and recommendations), or an agency's answer. */
const viewing = (type: 'case-review' | 'case-review-minutes' = 'case-review'): RouteResource => ({
  type,
  param: 'id',
  action: 'view',
})
const changing = (
  type: 'case-review' | 'case-review-minutes' | 'case-review-response' = 'case-review',
): RouteResource => ({ type, param: 'id', action: 'change' })
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const ActionParams = Type.Object({ id: Type.String({ maxLength: 64 }), action: Type.String({ maxLength: 40 }) })
const InfoParams = Type.Object({ id: Type.String({ maxLength: 64 }), requestId: Type.String({ maxLength: 64 }) })
const FromReportParams = Type.Object({
  reference: Type.String({ maxLength: 20 }),
  code: Type.String({ maxLength: 20 }),
})

type Body = Record<string, unknown>

export const caseReviewRoutes: FastifyPluginAsyncTypebox<{
  caseReview: CaseReviewService
  pdf: PdfRenderer
  boroughName: () => string
  caseHref?: (reference: string) => string
}> = async (app, { caseReview, pdf, boroughName, caseHref }) => {
  const { policy } = caseReview
  // A permitted read of an application linked to a case is written in the case's access log too.
  app.addHook('onResponse', async (request, reply) => caseReview.access.recordCaseRead(request, reply))

  // ---- Public ----

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
        { applicantType: 'victim', reportReference: report.reference, trackingCode: request.params.code },
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
        }),
      },
    },
    async (request, reply) =>
      reply.view(view('confirmation'), {
        reference: request.query.reference,
        linked: request.query.linked,
        ...presentConfirmation(policy, caseReview.today()),
      }),
  )

  app.get(paths.figures, { config: { access: 'public', audit: false } }, async (_request, reply) => {
    const years = await caseReview.figures()
    return reply.view(view('figures'), { ...presentFigures(years, policy.yearStartMonth), paths })
  })

  app.get(paths.figuresCsv, { config: { access: 'public', audit: false } }, async (_request, reply) => {
    const years = await caseReview.figures()
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="asb-case-review-figures.csv"')
      .send(figuresCsv(years, csvHeaders()))
  })

  // ---- Staff ----

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

  /** The application, once the route's guard has found it visible (and the change permitted). */
  async function load(request: FastifyRequest, id: string) {
    const user = request.user
    if (!user || !request.resourceDecision) throw app.httpErrors.forbidden(t('caseReview.staff.forbidden'))
    const found = await caseReview.get(id)
    if (!found) throw app.httpErrors.notFound()
    return { user, found }
  }

  async function renderReview(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    status = 200,
    errors: FieldErrors = {},
    values: Body = {},
  ) {
    const { user, found } = await load(request, id)
    const { row } = found
    const eligibility = row.threshold_decision
      ? (JSON.parse(JSON.stringify(row.eligibility)) as Parameters<typeof presentEligibility>[0])
      : await caseReview.currentEligibility(row)
    const canDecide = caseReview.canDecide(user)
    const isMember = caseReview.canReadMinutes(user, row)
    const [candidates, partners, owners] = await Promise.all([
      row.status === 'review' && canDecide ? caseReview.chairCandidates(row) : Promise.resolve([]),
      row.status === 'review' ? caseReview.partners() : Promise.resolve([]),
      row.status === 'review' && (isMember || canDecide) ? caseReview.owners() : Promise.resolve([]),
    ])
    const requested = new Set(found.information.map(request => request.partner_id))
    return reply.code(status).view(view('review'), {
      row,
      paths,
      version: row.version,
      status: statusTag(row.status),
      received: formatDate(row.received_on),
      acknowledged: row.acknowledged_at ? formatDate(row.acknowledged_at) : '',
      caseHref: row.case_reference && caseHref ? caseHref(row.case_reference) : null,
      otherAgencies: row.other_agencies.map(code => t(`caseReview.apply.agency.${code}`)).join(', '),
      linked: found.linked.map(entry => ({ reference: entry.reference, href: paths.review(entry.id) })),
      clocks: presentClocks(found.clocks),
      eligibility: presentEligibility(eligibility),
      threshold: row.threshold_decision
        ? t('caseReview.staff.thresholdDecided', {
            decision: t(
              row.threshold_decision === 'met'
                ? 'caseReview.staff.thresholdMetWord'
                : 'caseReview.staff.thresholdNotMetWord',
            ),
            date: formatDate(row.threshold_decided_at),
            route: t(`caseReview.routes.${row.threshold_route ?? 'discretionary'}`),
            version: row.threshold_policy_version ?? '',
          })
        : '',
      discretionary: row.discretionary,
      chair: row.chair_name
        ? t('caseReview.staff.chairAppointed', { name: row.chair_name, date: formatDate(row.chair_appointed_at) })
        : '',
      chairItems: candidates.map(({ user: candidate, conflicts }) => ({
        value: candidate.id,
        text: conflicts.length
          ? t('caseReview.staff.chairConflicted', {
              name: candidate.displayName,
              partner: candidate.partnerName,
              reasons: conflicts.map(reason => t(`caseReview.conflicts.${reason}`)).join('; '),
            })
          : `${candidate.displayName} (${candidate.partnerName})`,
        checked: field(values, 'chair') === candidate.id,
      })),
      partnerItems: partners
        .filter(partner => !requested.has(partner.id))
        .map(partner => ({
          value: partner.id,
          text: partner.name,
          checked: fields(values, 'partners').includes(partner.id),
        })),
      information: presentInformation(found.information).map(entry => ({
        ...entry,
        canRespond: !entry.response && caseReview.canRespond(user, { partner_id: entry.partnerId }),
      })),
      ownerItems: [
        { value: '', text: '' },
        ...owners.map(owner => ({
          value: owner.id,
          text: `${owner.displayName} (${owner.partnerName})`,
          selected: field(values, 'owner') === owner.id,
        })),
      ],
      recommendations: presentRecommendations(found.recommendations),
      invited: row.applicant_invited_at
        ? t('caseReview.staff.invited', {
            date: formatDate(row.applicant_invited_at),
            meeting: formatDate(row.meeting_on),
            note: row.invitation_note ?? '',
          })
        : '',
      minutesRecorded: row.minutes_recorded_at
        ? t('caseReview.staff.minutesRecorded', { date: formatDate(row.minutes_recorded_at) })
        : '',
      outcomeSent: row.outcome_at ? t('caseReview.staff.outcomeSent', { date: formatDate(row.outcome_at) }) : '',
      appeal: row.appeal_received_at
        ? t('caseReview.staff.appealReceived', {
            against: t(
              row.appeal_against === 'threshold'
                ? 'caseReview.staff.appealAgainstThreshold'
                : 'caseReview.staff.appealAgainstOutcome',
            ),
            date: formatDate(row.appeal_received_at),
            grounds: row.appeal_grounds ?? '',
          })
        : '',
      appealDecided: row.appeal_decided_at
        ? t('caseReview.staff.appealDecided', {
            decision: t(
              row.appeal_decision === 'upheld' ? 'caseReview.staff.upheldWord' : 'caseReview.staff.notUpheldWord',
            ),
            date: formatDate(row.appeal_decided_at),
            reason: row.appeal_reason ?? '',
          })
        : '',
      appealWindowOpen: found.clocks.some(clock => clock.name === 'appealWindow' && clock.state === 'open'),
      appealWindowClosed: found.clocks.some(clock => clock.name === 'appealWindow' && clock.state === 'closed'),
      can: {
        work: caseReview.canWork(user),
        decide: canDecide,
        minutes: isMember,
        recommend: isMember || canDecide,
      },
      values,
      errors,
      errorSummary: errorSummary(errors),
    })
  }

  app.get(
    '/staff/case-reviews/:id',
    {
      config: {
        access: STAFF,
        audit: { action: 'CASE_REVIEW_VIEWED', subjectType: 'case_review', subjectParam: 'id' },
        resource: viewing(),
      },
      schema: { params: IdParams },
    },
    async (request, reply) => renderReview(request, reply, request.params.id),
  )

  function letterHtml(
    row: ReviewRow,
    kind: 'outcome' | 'not-met' | 'appeal',
    extra: { date: Date; summary?: string; recommendations?: ReturnType<typeof presentRecommendations> },
  ) {
    const sentOn = londonDate(extra.date)
    return app.nunjucks.render(view('letter'), {
      kind,
      row,
      date: formatDate(sentOn),
      borough: boroughName(),
      summary: extra.summary ?? row.outcome_summary,
      recommendations: extra.recommendations ?? [],
      meeting: formatDate(row.meeting_on),
      appealBy: formatDate(addWorkingDays(sentOn, policy.timescales.appealWindow)),
      appealDays: policy.timescales.appealWindow,
      appealDecisionDays: policy.timescales.appealDecision,
      canAppeal: kind !== 'appeal' && !row.appeal_received_at,
    })
  }

  /** Runs a step; a refused or stale step answers 403/409 pages, a form mistake re-renders with 400. */
  async function step(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    work: (user: StaffUser, row: ReviewRow, version: number) => Promise<Result | undefined>,
  ) {
    const { user, found } = await load(request, id)
    const body = (request.body ?? {}) as Body
    // The version the form was drawn from (a stale form is refused with 409); absent, the current one.
    const raw = field(body, 'version')
    const version = /^[0-9]{1,9}$/.test(raw) ? Number(raw) : found.row.version
    try {
      const result = await work(user, found.row, version)
      if (result && !result.ok) return await renderReview(request, reply, id, 400, result.errors, body)
    } catch (error) {
      if (error instanceof CaseReviewError && error.code === 'forbidden')
        throw app.httpErrors.forbidden(t('caseReview.staff.forbidden'))
      if (error instanceof CaseReviewError && error.code === 'not-found') throw app.httpErrors.notFound()
      if (error instanceof CaseReviewError || error instanceof ReviewVersionConflictError)
        throw app.httpErrors.conflict(t('caseReview.staff.stateChanged'))
      throw error
    }
    return reply.redirect(paths.review(id), 303)
  }

  app.post(
    '/staff/case-reviews/:id/:action',
    {
      config: { access: STAFF, audit: false, resource: changing() },
      schema: { params: ActionParams },
    },
    async (request, reply) => {
      const { id, action } = request.params
      const body = (request.body ?? {}) as Body
      const actor = request.actor
      return step(request, reply, id, async (user, row, version) => {
        switch (action) {
          case 'acknowledge':
            await caseReview.acknowledge(user, actor, row, version)
            return undefined
          case 'link-case':
            return caseReview.linkCase(user, actor, row, version, field(body, 'caseReference'))
          case 'link-report':
            return caseReview.linkReport(user, actor, row, version, field(body, 'reportReference'))
          case 'threshold': {
            const result = await caseReview.decideThreshold(user, actor, row, version, {
              decision: field(body, 'decision'),
              persistence: field(body, 'persistence'),
              harm: field(body, 'harm'),
              adequacy: field(body, 'adequacy'),
              reason: field(body, 'reason'),
            })
            if (result.ok && field(body, 'decision') === 'not-met') {
              const decided = await caseReview.get(id)
              if (decided) {
                await caseReview.storeLetter(
                  actor,
                  decided.row,
                  'not-met',
                  letterHtml(decided.row, 'not-met', {
                    date: new Date(decided.row.threshold_decided_at ?? Date.now()),
                  }),
                )
              }
            }
            return result
          }
          case 'chair':
            return caseReview.appointChair(user, actor, row, version, field(body, 'chair'))
          case 'information':
            return caseReview.requestInformation(user, actor, row, fields(body, 'partners'))
          case 'invite':
            return caseReview.inviteApplicant(user, actor, row, version, {
              meetingOn: isoFromParts(
                field(body, 'meetingOn-day'),
                field(body, 'meetingOn-month'),
                field(body, 'meetingOn-year'),
              ),
              note: field(body, 'note'),
            })
          case 'outcome': {
            const recommendations = presentRecommendations((await caseReview.get(id))?.recommendations ?? [])
            const summary = field(body, 'summary')
            return caseReview.sendOutcome(user, actor, row, version, summary, date =>
              letterHtml(row, 'outcome', { date, summary, recommendations }),
            )
          }
          case 'appeal':
            return caseReview.receiveAppeal(user, actor, row, version, { grounds: field(body, 'grounds') })
          case 'appeal-decision': {
            const result = await caseReview.decideAppeal(user, actor, row, version, {
              decision: field(body, 'appealDecision'),
              reason: field(body, 'appealReason'),
            })
            if (result.ok) {
              const decided = await caseReview.get(id)
              if (decided)
                await caseReview.storeLetter(
                  actor,
                  decided.row,
                  'appeal',
                  letterHtml(decided.row, 'appeal', { date: new Date() }),
                )
            }
            return result
          }
          case 'close':
            await caseReview.close(user, actor, row, version)
            return undefined
          default:
            throw new CaseReviewError('not-found')
        }
      })
    },
  )

  // Recommendations: the chair and the coordinators (as the minutes), so a route of its own.
  app.post(
    '/staff/case-reviews/:id/recommendations',
    {
      config: { access: STAFF, audit: false, resource: changing('case-review-minutes') },
      schema: { params: IdParams },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body
      return step(request, reply, request.params.id, (user, row) =>
        caseReview.addRecommendation(user, request.actor, row, {
          text: field(body, 'text'),
          ownerUserId: field(body, 'owner'),
          dueOn: isoFromParts(field(body, 'dueOn-day'), field(body, 'dueOn-month'), field(body, 'dueOn-year')),
          updateFrequency: field(body, 'updateFrequency'),
        }),
      )
    },
  )

  // An agency answers its own information request (the coordinators may record it for them).
  app.post(
    '/staff/case-reviews/:id/information/:requestId',
    {
      config: { access: STAFF, audit: false, resource: changing('case-review-response') },
      schema: { params: InfoParams },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body
      const { requestId } = request.params
      return step(request, reply, request.params.id, (user, row) =>
        caseReview.respondInformation(user, request.actor, row, requestId, field(body, `response-${requestId}`)),
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
    values: Body = {},
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
      schema: { params: IdParams },
    },
    async (request, reply) => {
      const { user, found } = await load(request, request.params.id)
      const body = (request.body ?? {}) as Body
      const values = { attendees: field(body, 'attendees'), minutes: field(body, 'minutes') }
      try {
        const result = await caseReview.recordMinutes(
          user,
          request.actor,
          found.row,
          /^[0-9]{1,9}$/.test(field(body, 'version')) ? Number(field(body, 'version')) : found.row.version,
          values,
        )
        if (!result.ok) return await renderMinutes(request, reply, request.params.id, 400, result.errors, values)
      } catch (error) {
        if (error instanceof CaseReviewError && error.code === 'forbidden')
          throw app.httpErrors.forbidden(t('caseReview.staff.forbidden'))
        if (error instanceof CaseReviewError || error instanceof ReviewVersionConflictError)
          throw app.httpErrors.conflict(t('caseReview.staff.stateChanged'))
        throw error
      }
      return reply.redirect(paths.review(request.params.id), 303)
    },
  )

  app.get(
    '/staff/case-reviews/:id/letter',
    {
      config: {
        access: STAFF,
        audit: { action: 'CASE_REVIEW_LETTER_VIEWED', subjectType: 'case_review', subjectParam: 'id' },
        resource: viewing(),
      },
      schema: { params: IdParams },
    },
    async (request, reply) => {
      const { found } = await load(request, request.params.id)
      if (!found.row.letter_html) throw app.httpErrors.notFound()
      return reply.type('text/html; charset=utf-8').send(found.row.letter_html)
    },
  )

  app.get(
    '/staff/case-reviews/:id/letter.pdf',
    {
      config: {
        access: STAFF,
        audit: { action: 'CASE_REVIEW_LETTER_VIEWED', subjectType: 'case_review', subjectParam: 'id' },
        resource: viewing(),
      },
      schema: { params: IdParams },
    },
    async (request, reply) => {
      const { found } = await load(request, request.params.id)
      if (!found.row.letter_html) throw app.httpErrors.notFound()
      try {
        const document = await pdf.render(found.row.letter_html)
        return await reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${found.row.reference}-letter.pdf"`)
          .send(document)
      } catch (error) {
        if (!(error instanceof PdfUnavailableError)) throw error
        request.log.warn({ err: error }, 'PDF renderer unavailable')
        throw app.httpErrors.serviceUnavailable()
      }
    },
  )
}
