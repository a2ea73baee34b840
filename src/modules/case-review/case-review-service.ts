/**
 * The ASB Case Review: applications from the public, the eligibility assessment (versioned policy, stamped on every
 * decision), the threshold decision (never an automatic refusal: below the threshold a person decides on
 * persistence, harm and the adequacy of the response), the review (independent chair with a conflict check,
 * applicant invited, agencies' information, restricted minutes, recommendations that become owned tasks on the
 * case), the outcome letter and the appeal. Every change is an audit event in the change's transaction, and a
 * chronology entry on the linked case.
 *
 * Who may do what (case-review-access-policy.ts, ADR 0025; the routes' guards decide first and the service checks
 * again):
 * - work and decide (acknowledge, link reports or a case, threshold, chair, ask agencies, invite the applicant,
 *   outcome, appeal, close): the Case Review coordinators, panel coordinators of a relevant body (council, police,
 *   health, housing: s104 and Schedule 4 para 5);
 * - minutes and recommendations: the chair and the coordinators; every read of the minutes is audited, so is every
 *   refusal;
 * - an agency answers its own information request.
 */
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { addWorkingDays, daysBetween, isIsoDate, londonDate } from '../../platform/working-days.js'
import type { Role, StaffUser } from '../accounts/index.js'
import type { Casework, CaseRow } from '../casework/index.js'
import type { CaseReviewEvidence } from '../reporting/index.js'
import type { CaseReviewAccess } from './case-review-access.js'
import { isCoordinator } from './case-review-access-policy.js'
import type { CaseReviewPolicy } from './case-review-policy.js'
import {
  ReviewVersionConflictError,
  type CaseReviewRepository,
  type Executor,
  type InformationRow,
  type RecommendationRow,
  type ReviewRow,
} from './case-review-repository.js'
import { clocksFor, type Clock as ReviewClock } from './clocks.js'
import { assessEligibility, complaintFact, periodBefore, type Eligibility } from './eligibility.js'
import { annualFigures } from './publication.js'

export type ReviewUser = Pick<StaffUser, 'id' | 'partnerId' | 'teamId' | 'roles' | 'partnerKind'>

export { RELEVANT_BODY_KINDS } from './case-review-access-policy.js'

/** Who may chair a review (subject to the conflict check). */
export const DECIDER_ROLES: readonly Role[] = ['supervisor', 'panel-coordinator']

export const OTHER_AGENCIES = ['council', 'police', 'housing', 'health', 'other'] as const

export interface ApplicationInput {
  submissionId: string
  applicantType: 'victim' | 'representative'
  name: string
  email: string | null
  phone: string | null
  address: string | null
  victimName: string | null
  relationship: string | null
  consent: boolean
  reportReference: string | null
  trackingCode: string | null
  description: string
  dissatisfaction: string
  hate: boolean
  otherAgencies: string[]
}

export interface ReportLookup {
  findForTracking(reference: string, code: string): Promise<{ report: { id: number; reference: string } } | undefined>
  findByReference(reference: string): Promise<{ id: number; reference: string } | undefined>
}

export interface AccountsLookup {
  listUsers(): Promise<(StaffUser & { disabledAt: Date | null; teamName: string | null })[]>
  listPartners(): Promise<{ id: string; code: string; name: string; kind: string; active: boolean }[]>
}

export type Result<T = object> = ({ ok: true } & T) | { ok: false; errors: FieldErrors }

/** What the panels module is told when a review is to take place (inside the decision's transaction). */
export interface ReviewStarted {
  reviewId: string
  reference: string
  caseId: string | null
  applicantName: string
  route: string
}
export type ReviewStartedListener = (review: ReviewStarted, actor: Actor, trx: Executor) => Promise<void>

export type ChairConflict = 'owning-team' | 'involved-partner' | 'lead-officer' | 'decided-threshold'

/** Why something cannot be done now (not a form mistake): the route answers 403 or 409 with this message. */
export class CaseReviewError extends Error {
  constructor(readonly code: 'forbidden' | 'state' | 'conflict' | 'not-found') {
    super(code)
    this.name = 'CaseReviewError'
  }
}

function fail(errors: FieldErrors): { ok: false; errors: FieldErrors } {
  return { ok: false, errors }
}

function actorUser(actor: Actor): string | null {
  return actor.type === 'user' ? actor.id : null
}

function has(user: Pick<StaffUser, 'roles'>, roles: readonly Role[]): boolean {
  return user.roles.some(role => roles.includes(role))
}

function dateOf(value: Date | string | null): string | null {
  return value === null ? null : londonDate(new Date(value))
}

export function createCaseReviewService(deps: {
  repository: CaseReviewRepository
  evidence: CaseReviewEvidence
  reports: ReportLookup
  casework: Casework
  /** The victim's risk assessments on a case (from the risk module). */
  riskAssessments: (caseId: string) => Promise<readonly { level: string; assessed_on: string }[]>
  accounts: AccountsLookup
  audit: AuditService
  clock: Clock
  policy: CaseReviewPolicy
  /** Who may see which application: the guards for the routes, and the condition that limits the staff list. */
  access: CaseReviewAccess
}) {
  const { repository, evidence, reports, casework, audit, clock, policy, access } = deps
  const today = () => londonDate(clock.now())
  const listeners: ReviewStartedListener[] = []

  async function reviewStarted(review: ReviewRow, route: string, actor: Actor, trx: Executor) {
    for (const listener of listeners) {
      await listener(
        {
          reviewId: review.id,
          reference: review.reference,
          caseId: review.case_id,
          applicantName: review.applicant_name,
          route,
        },
        actor,
        trx,
      )
    }
  }

  async function record(actor: Actor, action: string, review: { id: string }, details: object, trx: Executor) {
    await audit.record(
      { actor, action, subjectType: 'case_review', subjectId: review.id, details: { ...details } },
      trx,
    )
  }

  async function chronology(
    review: ReviewRow | { case_id: string | null; id: string },
    summary: string,
    actor: Actor,
    trx: Executor,
  ) {
    if (!review.case_id) return
    await casework.addChronology(
      review.case_id,
      { kind: 'case-review', summary, sourceModule: 'case-review', sourceId: review.id },
      actor,
      trx,
    )
  }

  /** The eligibility of an application received on `applicationOn`, from the reports and the case behind it. */
  async function assess(input: { reportId: number | null; caseId: string | null; applicationOn: string }) {
    const windowStart = periodBefore(input.applicationOn, policy.lookBack)
    // A day early in UTC: the engine compares London dates exactly.
    const since = new Date(Date.parse(`${windowStart}T00:00:00Z`) - 2 * 86_400_000)
    const alsoReportIds = input.caseId
      ? (await casework.repository.linkedReports(input.caseId)).map(report => report.id)
      : []
    const anchor = input.reportId ?? alsoReportIds[0] ?? null
    const complaints = anchor === null ? [] : await evidence.complaintsAbout({ reportId: anchor, since, alsoReportIds })
    const caseReports = new Set(alsoReportIds)
    const assessments = input.caseId ? await deps.riskAssessments(input.caseId) : []
    const highRiskAssessedOn =
      assessments
        .filter(assessment => assessment.level === 'high')
        .map(assessment => assessment.assessed_on)
        .sort()
        .at(-1) ?? null
    const eligibility = assessEligibility(policy, {
      applicationOn: input.applicationOn,
      highRiskAssessedOn,
      // The applicant's reports: the one they applied from, the same reporter's, and those on the victim's case.
      complaints: complaints.map(complaint =>
        complaintFact(complaint, complaint.id === anchor || complaint.sameReporter || caseReports.has(complaint.id)),
      ),
    })
    return { eligibility, reportIds: complaints.map(complaint => complaint.id) }
  }

  function clocks(review: ReviewRow): ReviewClock[] {
    const appealUpheldAgainstThreshold = review.appeal_against === 'threshold' && review.appeal_decision === 'upheld'
    return clocksFor(policy, {
      today: today(),
      receivedOn: review.received_on,
      acknowledgedOn: dateOf(review.acknowledged_at),
      thresholdDecision: review.threshold_decision,
      thresholdDecidedOn: dateOf(review.threshold_decided_at),
      reviewStartedOn:
        review.threshold_decision === 'met'
          ? dateOf(review.threshold_decided_at)
          : appealUpheldAgainstThreshold
            ? dateOf(review.appeal_decided_at)
            : null,
      outcomeOn: dateOf(review.outcome_at),
      appealReceivedOn: dateOf(review.appeal_received_at),
      appealDecidedOn: dateOf(review.appeal_decided_at),
    })
  }

  /** A change in one transaction, with the policy it was made under remembered. */
  async function change(_review: ReviewRow, _actor: Actor, work: (trx: Executor) => Promise<void>): Promise<void> {
    await repository.transaction(async trx => {
      await repository.rememberPolicy(policy.version, policy, clock.now(), trx)
      await work(trx)
    })
  }

  const service = {
    policy,
    access,
    today,
    clocks,

    /** Registers the panels module's listener: a review to take place goes onto the Case Review panel's agenda. */
    onReviewStarted(listener: ReviewStartedListener): void {
      listeners.push(listener)
    },

    /** A coordinator: works the application (acknowledge, link, ask agencies, invite, record an appeal, close). */
    canWork(user: ReviewUser): boolean {
      return isCoordinator(user)
    },

    /** A coordinator: decides (threshold, chair, outcome, appeal). */
    canDecide(user: ReviewUser): boolean {
      return isCoordinator(user)
    },

    /** The chair and the coordinators: the members who hold the minutes. */
    canReadMinutes(user: ReviewUser, review: ReviewRow): boolean {
      return review.chair_user_id === user.id || isCoordinator(user)
    },

    /** The report a resident applies from, if the reference and tracking code match (as on the tracking page). */
    async applicantReport(reference: string, code: string) {
      const found = await reports.findForTracking(reference, code)
      return found ? { id: found.report.id, reference: found.report.reference } : undefined
    },

    /** Eligibility now, for a report a resident tracks (what the application page tells them before they apply). */
    async eligibilityForReport(reportId: number): Promise<Eligibility> {
      const caseId = (await casework.repository.caseForReport(reportId)) ?? null
      return (await assess({ reportId, caseId, applicationOn: today() })).eligibility
    },

    /** Records an application once per submission; a repeat submission returns the first. */
    async apply(
      input: ApplicationInput,
      actor: Actor,
    ): Promise<Result<{ id: string; reference: string; linkedTo: string | null }>> {
      const existing = await repository.bySubmission(input.submissionId)
      if (existing) return { ok: true, id: existing.id, reference: existing.reference, linkedTo: null }
      let reportId: number | null = null
      if (input.reportReference || input.trackingCode) {
        const report = await service.applicantReport(input.reportReference ?? '', input.trackingCode ?? '')
        if (!report) return fail({ reportReference: t('caseReview.apply.errors.reportNotFound') })
        reportId = report.id
      }
      const now = clock.now()
      const receivedOn = londonDate(now)
      const caseId = reportId === null ? null : ((await casework.repository.caseForReport(reportId)) ?? null)
      const { eligibility, reportIds } = await assess({ reportId, caseId, applicationOn: receivedOn })
      const created = await repository.transaction(async trx => {
        await repository.rememberPolicy(policy.version, policy, now, trx)
        const earlier = await repository.earlierAbout(
          { reportIds, caseId, since: new Date(Date.parse(`${periodBefore(receivedOn, policy.lookBack)}T00:00:00Z`)) },
          trx,
        )
        const reference = await repository.nextReference(Number(receivedOn.slice(0, 4)), trx)
        const id = await repository.insert(
          {
            reference,
            submission_id: input.submissionId,
            received_at: now,
            received_on: receivedOn,
            channel: 'web',
            applicant_type: input.applicantType,
            applicant_name: input.name,
            applicant_email: input.email,
            applicant_phone: input.phone,
            applicant_address: input.address,
            victim_name: input.applicantType === 'representative' ? input.victimName : null,
            relationship: input.applicantType === 'representative' ? input.relationship : null,
            consent_confirmed: input.applicantType === 'representative' ? input.consent : false,
            report_id: reportId,
            case_id: caseId,
            description: input.description,
            dissatisfaction: input.dissatisfaction,
            hate_reported: input.hate,
            other_agencies: JSON.stringify(input.otherAgencies),
            linked_review_id: earlier?.id ?? null,
            status: 'received',
            eligibility: JSON.stringify(eligibility),
            eligibility_policy_version: policy.version,
            updated_at: now,
          },
          trx,
        )
        await record(
          actor,
          'CASE_REVIEW_APPLIED',
          { id },
          { linkedTo: earlier?.id ?? null, route: eligibility.route },
          trx,
        )
        await chronology({ id, case_id: caseId }, `ASB Case Review application ${reference} received`, actor, trx)
        return { id, reference, linkedTo: earlier?.reference ?? null }
      })
      return { ok: true, ...created }
    },

    /** The applications this user may see (the access policy as SQL), newest first. */
    async list(user: ReviewUser) {
      const rows = await repository.list({ visible: access.visibleSql(user) })
      return rows.map(row => ({ row, clocks: clocks(row) }))
    },

    async get(id: string) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
      const row = await repository.byId(id)
      if (!row) return undefined
      const [information, recommendations, linked] = await Promise.all([
        repository.information(id),
        repository.recommendations(id),
        repository.linkedTo(id),
      ])
      return { row, information, recommendations, linked, clocks: clocks(row) }
    },

    async acknowledge(user: ReviewUser, actor: Actor, review: ReviewRow, version: number) {
      requireWorker(user)
      if (review.acknowledged_at) throw new CaseReviewError('state')
      await change(review, actor, async trx => {
        await repository.update(review.id, version, { acknowledged_at: clock.now(), updated_at: clock.now() }, trx)
        await record(actor, 'CASE_REVIEW_ACKNOWLEDGED', review, {}, trx)
      })
    },

    /** Links the case the review is about (by its reference), if the user may see it. */
    async linkCase(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      caseReference: string,
    ): Promise<Result> {
      requireWorker(user)
      const caseRow = caseReference ? await casework.findByReferenceForUser(user, caseReference) : undefined
      if (!caseRow) return fail({ caseReference: t('caseReview.staff.errors.caseNotFound') })
      await change(review, actor, async trx => {
        await repository.update(review.id, version, { case_id: caseRow.id, updated_at: clock.now() }, trx)
        await record(actor, 'CASE_REVIEW_CASE_LINKED', review, { caseId: caseRow.id }, trx)
        await chronology(
          { id: review.id, case_id: caseRow.id },
          `ASB Case Review ${review.reference} linked`,
          actor,
          trx,
        )
      })
      return { ok: true }
    },

    /** Links the report an application is about, when the applicant did not give it (phone, letter, partner). */
    async linkReport(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      reference: string,
    ): Promise<Result> {
      requireWorker(user)
      const report = reference ? await reports.findByReference(reference) : undefined
      if (!report) return fail({ reportReference: t('caseReview.staff.errors.reportNotFound') })
      const caseId = review.case_id ?? (await casework.repository.caseForReport(report.id)) ?? null
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          { report_id: report.id, case_id: caseId, updated_at: clock.now() },
          trx,
        )
        await record(actor, 'CASE_REVIEW_REPORT_LINKED', review, { reportId: report.id }, trx)
      })
      return { ok: true }
    },

    /** Eligibility as it stands today for an application (reports may have been linked since it arrived). */
    async currentEligibility(review: ReviewRow): Promise<Eligibility> {
      return (await assess({ reportId: review.report_id, caseId: review.case_id, applicationOn: review.received_on }))
        .eligibility
    },

    /**
     * The threshold decision. When the policy's threshold is met it must be treated as met (s104(4)); otherwise the
     * decision is a person's, on persistence, harm and the adequacy of the response (s104(5)), each recorded.
     */
    async decideThreshold(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      input: { decision: string; persistence: string; harm: string; adequacy: string; reason: string },
    ): Promise<Result> {
      requireDecider(user)
      if (review.status !== 'received' || review.threshold_decision) throw new CaseReviewError('state')
      if (review.linked_review_id) throw new CaseReviewError('state')
      const eligibility = await service.currentEligibility(review)
      const errors: FieldErrors = {}
      if (input.decision !== 'met' && input.decision !== 'not-met')
        errors.decision = t('caseReview.staff.errors.decisionRequired')
      if (eligibility.met && input.decision === 'not-met') errors.decision = t('caseReview.staff.errors.mustBeMet')
      if (!eligibility.met) {
        for (const name of ['persistence', 'harm', 'adequacy'] as const) {
          if (!input[name]) errors[name] = t(`caseReview.staff.errors.${name}Required`)
        }
      }
      if (!input.reason) errors.reason = t('caseReview.staff.errors.reasonRequired')
      if (Object.keys(errors).length > 0) return fail(errors)
      const met = input.decision === 'met'
      const now = clock.now()
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          {
            threshold_decision: met ? 'met' : 'not-met',
            threshold_route: eligibility.met ? eligibility.route : 'discretionary',
            threshold_reason: input.reason,
            discretionary: eligibility.met
              ? null
              : JSON.stringify({ persistence: input.persistence, harm: input.harm, adequacy: input.adequacy }),
            threshold_policy_version: policy.version,
            threshold_decided_at: now,
            threshold_decided_by: actorUser(actor),
            eligibility: JSON.stringify(eligibility),
            status: met ? 'review' : 'not-met',
            acknowledged_at: review.acknowledged_at ?? now,
            updated_at: now,
          },
          trx,
        )
        await record(
          actor,
          'CASE_REVIEW_THRESHOLD_DECIDED',
          review,
          { decision: met ? 'met' : 'not-met', route: eligibility.route, policyVersion: policy.version },
          trx,
        )
        await chronology(
          review,
          `ASB Case Review ${review.reference}: threshold ${met ? 'met' : 'not met'}`,
          actor,
          trx,
        )
        if (met) await reviewStarted(review, eligibility.met ? eligibility.route : 'discretionary', actor, trx)
      })
      return { ok: true }
    },

    /** Users who could chair, each with the reasons they may not (the conflict check). */
    async chairCandidates(review: ReviewRow) {
      const [users, caseRow, information] = await Promise.all([
        deps.accounts.listUsers(),
        review.case_id ? casework.repository.caseById(review.case_id) : Promise.resolve(undefined),
        repository.information(review.id),
      ])
      return users
        .filter(user => !user.disabledAt && has(user, DECIDER_ROLES))
        .map(user => ({ user, conflicts: conflictsOf(user, review, caseRow, information) }))
    },

    async appointChair(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      chairId: string,
    ): Promise<Result> {
      requireDecider(user)
      if (review.status !== 'review') throw new CaseReviewError('state')
      const candidate = (await service.chairCandidates(review)).find(entry => entry.user.id === chairId)
      if (!candidate) return fail({ chair: t('caseReview.staff.errors.chairRequired') })
      if (candidate.conflicts.length > 0) {
        return fail({
          chair: t('caseReview.staff.errors.chairConflict', {
            reasons: candidate.conflicts.map(reason => t(`caseReview.conflicts.${reason}`)).join('; '),
          }),
        })
      }
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          { chair_user_id: chairId, chair_appointed_at: clock.now(), updated_at: clock.now() },
          trx,
        )
        await record(actor, 'CASE_REVIEW_CHAIR_APPOINTED', review, { chairId }, trx)
        await chronology(review, `ASB Case Review ${review.reference}: independent chair appointed`, actor, trx)
      })
      return { ok: true }
    },

    async partners() {
      return (await deps.accounts.listPartners()).filter(partner => partner.active)
    },

    async requestInformation(user: ReviewUser, actor: Actor, review: ReviewRow, partnerIds: string[]): Promise<Result> {
      requireWorker(user)
      if (review.status !== 'review') throw new CaseReviewError('state')
      const partners = await service.partners()
      const chosen = partners.filter(partner => partnerIds.includes(partner.id))
      if (chosen.length === 0) return fail({ partners: t('caseReview.staff.errors.partnersRequired') })
      const dueOn = addWorkingDays(today(), policy.timescales.informationRequest)
      await change(review, actor, async trx => {
        for (const partner of chosen) {
          await repository.insertInformation(
            {
              review_id: review.id,
              partner_id: partner.id,
              requested_at: clock.now(),
              requested_by: actorUser(actor),
              due_on: dueOn,
            },
            trx,
          )
        }
        await record(actor, 'CASE_REVIEW_INFORMATION_REQUESTED', review, { partners: chosen.map(p => p.id) }, trx)
      })
      return { ok: true }
    },

    /** The agency asked answers its own request; a coordinator may record an answer for it. */
    canRespond(user: ReviewUser, request: Pick<InformationRow, 'partner_id'>): boolean {
      return request.partner_id === user.partnerId || service.canWork(user)
    },

    async respondInformation(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      requestId: string,
      response: string,
    ): Promise<Result> {
      const request = (await repository.information(review.id)).find(row => row.id === requestId)
      if (!request) throw new CaseReviewError('not-found')
      if (!service.canRespond(user, request)) throw new CaseReviewError('forbidden')
      if (!response) return fail({ [`response-${requestId}`]: t('caseReview.staff.errors.responseRequired') })
      await repository.transaction(async trx => {
        if (!(await repository.respond(requestId, review.id, { response, at: clock.now(), by: actorUser(actor) }, trx)))
          throw new CaseReviewError('state')
        await record(actor, 'CASE_REVIEW_INFORMATION_GIVEN', review, { requestId, partnerId: request.partner_id }, trx)
      })
      return { ok: true }
    },

    async inviteApplicant(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      input: { meetingOn: string; note: string },
    ): Promise<Result> {
      requireWorker(user)
      if (review.status !== 'review') throw new CaseReviewError('state')
      const errors: FieldErrors = {}
      if (!isIsoDate(input.meetingOn)) errors['meetingOn-day'] = t('caseReview.staff.errors.meetingDate')
      else if (daysBetween(today(), input.meetingOn) < 0)
        errors['meetingOn-day'] = t('caseReview.staff.errors.meetingPast')
      if (!input.note) errors.note = t('caseReview.staff.errors.invitationNote')
      if (Object.keys(errors).length > 0) return fail(errors)
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          {
            meeting_on: input.meetingOn,
            applicant_invited_at: clock.now(),
            invitation_note: input.note,
            updated_at: clock.now(),
          },
          trx,
        )
        await record(actor, 'CASE_REVIEW_APPLICANT_INVITED', review, { meetingOn: input.meetingOn }, trx)
        await chronology(review, `ASB Case Review ${review.reference}: applicant invited to the meeting`, actor, trx)
      })
      return { ok: true }
    },

    async recordMinutes(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      input: { attendees: string; minutes: string },
    ): Promise<Result> {
      if (!service.canReadMinutes(user, review)) throw new CaseReviewError('forbidden')
      if (review.status !== 'review' || !review.chair_user_id) throw new CaseReviewError('state')
      const errors: FieldErrors = {}
      if (!input.attendees) errors.attendees = t('caseReview.staff.errors.attendeesRequired')
      if (!input.minutes) errors.minutes = t('caseReview.staff.errors.minutesRequired')
      if (Object.keys(errors).length > 0) return fail(errors)
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          {
            attendees: input.attendees,
            minutes: input.minutes,
            minutes_recorded_at: clock.now(),
            minutes_recorded_by: actorUser(actor),
            updated_at: clock.now(),
          },
          trx,
        )
        await record(actor, 'CASE_REVIEW_MINUTES_RECORDED', review, {}, trx)
      })
      return { ok: true }
    },

    /** The minutes for a member, the read audited; a refused read is audited too and answers undefined. */
    async readMinutes(user: ReviewUser, actor: Actor, review: ReviewRow) {
      if (!service.canReadMinutes(user, review)) {
        await audit.record({
          actor,
          action: 'CASE_REVIEW_MINUTES_REFUSED',
          subjectType: 'case_review',
          subjectId: review.id,
        })
        return undefined
      }
      await audit.record({
        actor,
        action: 'CASE_REVIEW_MINUTES_VIEWED',
        subjectType: 'case_review',
        subjectId: review.id,
      })
      return { attendees: review.attendees, minutes: review.minutes, recordedAt: review.minutes_recorded_at }
    },

    /** Staff who can own a recommendation (active users of any partner). */
    async owners() {
      return (await deps.accounts.listUsers()).filter(user => !user.disabledAt)
    },

    /** A recommendation with its owner and due date, and its task on the case, in one transaction. */
    async addRecommendation(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      input: { text: string; ownerUserId: string; dueOn: string; updateFrequency: string },
    ): Promise<Result> {
      if (!service.canReadMinutes(user, review) && !service.canDecide(user)) throw new CaseReviewError('forbidden')
      if (review.status !== 'review') throw new CaseReviewError('state')
      const errors: FieldErrors = {}
      if (!review.case_id) errors.text = t('caseReview.staff.errors.caseRequired')
      if (!input.text) errors.text = t('caseReview.staff.errors.recommendationRequired')
      const owner = (await service.owners()).find(candidate => candidate.id === input.ownerUserId)
      if (!owner) errors.owner = t('caseReview.staff.errors.ownerRequired')
      if (!isIsoDate(input.dueOn)) errors['dueOn-day'] = t('caseReview.staff.errors.dueDate')
      else if (daysBetween(today(), input.dueOn) < 0) errors['dueOn-day'] = t('caseReview.staff.errors.duePast')
      if (!input.updateFrequency) errors.updateFrequency = t('caseReview.staff.errors.updateFrequency')
      if (Object.keys(errors).length > 0 || !owner || !review.case_id) return fail(errors)
      const caseId = review.case_id
      await repository.transaction(async trx => {
        const id = await repository.insertRecommendation(
          {
            review_id: review.id,
            text: input.text,
            lead_partner_id: owner.partnerId,
            owner_user_id: owner.id,
            due_on: input.dueOn,
            update_frequency: input.updateFrequency,
            created_by: actorUser(actor),
            created_at: clock.now(),
          },
          trx,
        )
        const task = await casework.createTask(
          {
            caseId,
            title: `ASB Case Review ${review.reference} recommendation: ${input.text}`,
            ownerUserId: owner.id,
            dueDate: input.dueOn,
            sourceModule: 'case-review',
            sourceId: id,
          },
          actor,
          trx,
        )
        await repository.setRecommendationTask(id, task.id, trx)
        await record(actor, 'CASE_REVIEW_RECOMMENDATION_ADDED', review, { recommendationId: id, taskId: task.id }, trx)
      })
      return { ok: true }
    },

    /** Sends the outcome: stores the letter exactly as sent; the appeal window opens. */
    async sendOutcome(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      summary: string,
      letter: (at: Date) => Promise<string> | string,
    ): Promise<Result> {
      requireDecider(user)
      if (review.status !== 'review') throw new CaseReviewError('state')
      const errors: FieldErrors = {}
      if (!summary) errors.summary = t('caseReview.staff.errors.summaryRequired')
      if (!review.minutes) errors.summary = t('caseReview.staff.errors.minutesFirst')
      if (Object.keys(errors).length > 0) return fail(errors)
      const now = clock.now()
      const html = await letter(now)
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          {
            outcome_summary: summary,
            outcome_at: now,
            outcome_by: actorUser(actor),
            letter_html: html,
            letter_kind: 'outcome',
            letter_sent_at: now,
            status: 'outcome',
            updated_at: now,
          },
          trx,
        )
        await record(actor, 'CASE_REVIEW_OUTCOME_SENT', review, {}, trx)
        await chronology(review, `ASB Case Review ${review.reference}: outcome sent to the applicant`, actor, trx)
      })
      return { ok: true }
    },

    /** Stores the "threshold not met" letter (with the appeal route) once the decision is made. */
    async storeLetter(actor: Actor, review: ReviewRow, kind: 'not-met' | 'appeal', html: string): Promise<void> {
      await repository.transaction(async trx => {
        await repository.update(
          review.id,
          review.version,
          { letter_html: html, letter_kind: kind, letter_sent_at: clock.now(), updated_at: clock.now() },
          trx,
        )
        await record(actor, 'CASE_REVIEW_LETTER_SENT', review, { kind }, trx)
      })
    },

    /** Records an appeal the applicant made (by letter, email, phone or online) within the window. */
    async receiveAppeal(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      input: { grounds: string },
    ): Promise<Result> {
      requireWorker(user)
      if ((review.status !== 'not-met' && review.status !== 'outcome') || review.appeal_received_at)
        throw new CaseReviewError('state')
      const window = clocks(review).find(entry => entry.name === 'appealWindow')
      if (window?.state !== 'open') return fail({ grounds: t('caseReview.staff.errors.windowClosed') })
      if (!input.grounds) return fail({ grounds: t('caseReview.staff.errors.groundsRequired') })
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          {
            appeal_against: review.status === 'not-met' ? 'threshold' : 'outcome',
            appeal_grounds: input.grounds,
            appeal_received_at: clock.now(),
            status: 'appealed',
            updated_at: clock.now(),
          },
          trx,
        )
        await record(actor, 'CASE_REVIEW_APPEAL_RECEIVED', review, {}, trx)
        await chronology(review, `ASB Case Review ${review.reference}: appeal received`, actor, trx)
      })
      return { ok: true }
    },

    /**
     * The appeal decision, by someone who neither made the threshold decision nor chaired the review. Upheld: the
     * review is carried out (again). Not upheld: the application is closed.
     */
    async decideAppeal(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      input: { decision: string; reason: string },
    ): Promise<Result> {
      requireDecider(user)
      if (review.status !== 'appealed') throw new CaseReviewError('state')
      const errors: FieldErrors = {}
      if (user.id === review.threshold_decided_by || user.id === review.chair_user_id || user.id === review.outcome_by)
        errors.decision = t('caseReview.staff.errors.appealIndependence')
      else if (input.decision !== 'upheld' && input.decision !== 'not-upheld')
        errors.decision = t('caseReview.staff.errors.appealDecisionRequired')
      if (!input.reason) errors.reason = t('caseReview.staff.errors.reasonRequired')
      if (Object.keys(errors).length > 0) return fail(errors)
      const upheld = input.decision === 'upheld'
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          {
            appeal_decision: upheld ? 'upheld' : 'not-upheld',
            appeal_reason: input.reason,
            appeal_decided_at: clock.now(),
            appeal_decided_by: actorUser(actor),
            status: upheld ? 'review' : 'closed',
            // An upheld appeal against the outcome reopens the review; its outcome is sent again.
            ...(upheld && review.appeal_against === 'outcome' ? { outcome_at: null, outcome_summary: null } : {}),
            updated_at: clock.now(),
          },
          trx,
        )
        await record(actor, 'CASE_REVIEW_APPEAL_DECIDED', review, { decision: upheld ? 'upheld' : 'not-upheld' }, trx)
        await chronology(
          review,
          `ASB Case Review ${review.reference}: appeal ${upheld ? 'upheld' : 'not upheld'}`,
          actor,
          trx,
        )
        if (upheld && review.appeal_against === 'threshold') await reviewStarted(review, 'appeal', actor, trx)
      })
      return { ok: true }
    },

    /** Closes a review whose outcome was sent and whose appeal window has closed unused. */
    async close(user: ReviewUser, actor: Actor, review: ReviewRow, version: number): Promise<void> {
      requireWorker(user)
      const window = clocks(review).find(entry => entry.name === 'appealWindow')
      if ((review.status !== 'outcome' && review.status !== 'not-met') || window?.state !== 'closed')
        throw new CaseReviewError('state')
      await change(review, actor, async trx => {
        await repository.update(review.id, version, { status: 'closed', updated_at: clock.now() }, trx)
        await record(actor, 'CASE_REVIEW_CLOSED', review, {}, trx)
      })
    },

    /** The statutory annual figures, newest year first. */
    async figures() {
      const facts = await repository.publicationFacts()
      return annualFigures(
        facts.map(fact => ({
          receivedOn: fact.received_on,
          duplicate: fact.linked_review_id !== null,
          thresholdDecision: fact.threshold_decision,
          thresholdDecidedOn: dateOf(fact.threshold_decided_at),
          outcomeOn: dateOf(fact.outcome_at),
          recommendations: fact.recommendations,
        })),
        policy.yearStartMonth,
        today(),
      )
    },

    /** For the panels module: what a Case Review agenda item needs. */
    async agendaItem(id: string) {
      const found = await service.get(id)
      if (!found) return undefined
      const { row } = found
      return {
        reviewId: row.id,
        reference: row.reference,
        caseId: row.case_id,
        caseReference: row.case_reference,
        applicantName: row.applicant_name,
        status: row.status,
        meetingOn: row.meeting_on,
        chairUserId: row.chair_user_id,
      }
    },

    /** Reviews awaiting their meeting (threshold met, no outcome yet), for the panels module's agenda. */
    async awaitingMeeting() {
      const rows = await repository.list({ open: true })
      return rows
        .filter(row => row.status === 'review')
        .map(row => ({
          reviewId: row.id,
          reference: row.reference,
          caseId: row.case_id,
          caseReference: row.case_reference,
          applicantName: row.applicant_name,
          meetingOn: row.meeting_on,
        }))
    },
  }

  function requireWorker(user: ReviewUser) {
    if (!service.canWork(user)) throw new CaseReviewError('forbidden')
  }

  function requireDecider(user: ReviewUser) {
    if (!service.canDecide(user)) throw new CaseReviewError('forbidden')
  }

  function conflictsOf(
    candidate: Pick<StaffUser, 'id' | 'partnerId' | 'teamId'>,
    review: ReviewRow,
    caseRow: CaseRow | undefined,
    information: readonly InformationRow[],
  ): ChairConflict[] {
    const conflicts: ChairConflict[] = []
    if (caseRow && candidate.teamId !== null && candidate.teamId === caseRow.owning_team_id)
      conflicts.push('owning-team')
    const involved = new Set([
      ...(caseRow ? [caseRow.owning_partner_id, ...caseRow.shared_partner_ids] : []),
      ...information.map(request => request.partner_id),
    ])
    if (involved.has(candidate.partnerId)) conflicts.push('involved-partner')
    if (caseRow?.lead_officer_id === candidate.id) conflicts.push('lead-officer')
    if (review.threshold_decided_by === candidate.id) conflicts.push('decided-threshold')
    return conflicts
  }

  return service
}

export { ReviewVersionConflictError }
export type CaseReviewService = ReturnType<typeof createCaseReviewService>
export type { RecommendationRow, ReviewRow, InformationRow }
