/**
 * What the Case Review's staff route plugins share: who may call them, the record each touches (ADR 0025), the form
 * schemas, and the staff pages' building blocks (the application loaded once its guard has allowed it, the
 * application page, a step that re-renders a form mistake with 400 and answers a refusal 403/404/409, the letters).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import Type, { type TSchema } from 'typebox'

import { VersionConflictError } from '../../platform/errors.js'
import { errorSummary, field, fields, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import type { PdfRenderer } from '../../platform/pdf.js'
import type { RouteResource } from '../../platform/resource-access.js'
import { addWorkingDays, londonDate } from '../../platform/working-days.js'
import type { StaffUser } from '../accounts/index.js'
import type { PackLetterhead } from '../pack/index.js'
import { caseReviewPaths as paths } from './case-review-paths.js'
import {
  formatDate,
  presentClocks,
  presentEligibility,
  presentInformation,
  presentRecommendations,
  statusTag,
} from './case-review-presenters.js'
import { CaseReviewError, type CaseReviewService, type Result, type ReviewRow } from './case-review-service.js'

/** What the Case Review's pages need (`caseReviewPlugin`'s options). */
export interface CaseReviewRouteOptions {
  caseReview: CaseReviewService
  pdf: PdfRenderer
  /** The borough's name, for the letters' sign-off. */
  boroughName: () => string
  /** Who the letters come from (the CSP pack's letterhead); none: the borough's Community Safety Partnership. */
  letterhead?: PackLetterhead | null
  /** The case page for a case reference, when the casework pages are registered. */
  caseHref?: (reference: string) => string
}

export const view = (name: string) => `case-review/views/${name}.njk`
export const STAFF = { roles: ['officer', 'supervisor', 'panel-coordinator'] } as const
/** The record a route touches: the application, its minutes (and recommendations), or an agency's answer. */
export const viewing = (type: 'case-review' | 'case-review-minutes' = 'case-review'): RouteResource => ({
  type,
  param: 'id',
  action: 'view',
})
export const changing = (
  type: 'case-review' | 'case-review-minutes' | 'case-review-response' = 'case-review',
): RouteResource => ({ type, param: 'id', action: 'change' })
export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })

/**
 * A form post's fields, each accepted as any string (or repeated strings): what is wrong with a value is the service's
 * to say, on the form with a GOV.UK error summary and 400, never Fastify's bare 400. Other fields (the CSRF token)
 * pass through.
 */
export function formBody<const Name extends string>(...names: Name[]) {
  const loose = Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())]))
  return Type.Object(Object.fromEntries(names.map(name => [name, loose])) as Record<Name, typeof loose>)
}
export type FormValues = Record<string, unknown>
export type { TSchema }

/** The staff pages' building blocks, bound to the plugin instance that uses them. */
export function staffPages(
  app: FastifyInstance,
  { caseReview, boroughName, caseHref, letterhead }: CaseReviewRouteOptions,
) {
  const { policy } = caseReview

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
    values: FormValues = {},
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
      letterhead: letterhead ?? null,
      summary: extra.summary ?? row.outcome_summary,
      recommendations: extra.recommendations ?? [],
      meeting: formatDate(row.meeting_on),
      appealBy: formatDate(addWorkingDays(sentOn, policy.timescales.appealWindow)),
      appealDays: policy.timescales.appealWindow,
      appealDecisionDays: policy.timescales.appealDecision,
      canAppeal: kind !== 'appeal' && !row.appeal_received_at,
    })
  }

  /** A refusal the service made on purpose, as the page it means; anything else is not ours to translate. */
  function refused(error: unknown): never {
    if (error instanceof CaseReviewError && error.code === 'forbidden')
      throw app.httpErrors.forbidden(t('caseReview.staff.forbidden'))
    if (error instanceof CaseReviewError && error.code === 'not-found') throw app.httpErrors.notFound()
    if (error instanceof CaseReviewError || error instanceof VersionConflictError)
      throw app.httpErrors.conflict(t('caseReview.staff.stateChanged'))
    throw error
  }

  /** The version the form was drawn from (a stale form is refused with 409); absent, the current one. */
  function formVersion(body: FormValues, row: ReviewRow): number {
    const raw = field(body, 'version')
    return /^[0-9]{1,9}$/.test(raw) ? Number(raw) : row.version
  }

  /** Runs a step; a refused or stale step answers 403/409 pages, a form mistake re-renders with 400. */
  async function step(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    body: FormValues,
    work: (user: StaffUser, row: ReviewRow, version: number) => Promise<Result | undefined>,
  ) {
    const { user, found } = await load(request, id)
    try {
      const result = await work(user, found.row, formVersion(body, found.row))
      if (result && !result.ok) return await renderReview(request, reply, id, 400, result.errors, body)
    } catch (error) {
      refused(error)
    }
    return reply.redirect(paths.review(id), 303)
  }

  return { load, renderReview, letterHtml, refused, formVersion, step }
}
