/**
 * What every part of the Case Review service shares (case-review-service.ts composes the parts): the service's
 * dependencies, the domain error, who may work, decide and hold the minutes, the audit and chronology of a change,
 * the transaction that remembers the policy a change was made under, the eligibility assessment and the clocks.
 */
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { DomainError } from '../../platform/errors.js'
import type { FieldErrors } from '../../platform/forms.js'
import { londonDate } from '../../platform/working-days.js'
import type { Role, StaffUser } from '../accounts/index.js'
import type { Casework } from '../casework/index.js'
import type { CaseReviewEvidence } from '../reporting/index.js'
import type { CaseReviewAccess } from './case-review-access.js'
import { isCoordinator } from './case-review-access-policy.js'
import type { CaseReviewPolicy } from './case-review-policy.js'
import type { CaseReviewRepository, Executor, ReviewRow } from './case-review-repository.js'
import { clocksFor, type Clock as ReviewClock } from './clocks.js'
import { assessEligibility, complaintFact, periodBefore } from './eligibility.js'

export type ReviewUser = Pick<StaffUser, 'id' | 'partnerId' | 'teamId' | 'roles' | 'partnerKind'>

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
  findForTracking(
    reference: string,
    code: string,
  ): Promise<
    | {
        report: {
          id: number
          reference: string
          reporter_name: string | null
          reporter_email: string | null
          reporter_phone: string | null
        }
      }
    | undefined
  >
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

export type CaseReviewErrorCode = 'forbidden' | 'state' | 'conflict' | 'not-found'

const ERROR_STATUS = { forbidden: 403, state: 409, conflict: 409, 'not-found': 404 } as const
const ERROR_MESSAGE = {
  forbidden: 'caseReview.staff.forbidden',
  state: 'caseReview.staff.stateChanged',
  conflict: 'caseReview.staff.stateChanged',
  'not-found': 'errors.notFound.title',
} as const

/**
 * Why something cannot be done now (not a form mistake), as a domain error (ADR 0026): the routes answer 403, 404 or
 * 409 with the locale message for the code.
 */
export class CaseReviewError extends DomainError<CaseReviewErrorCode> {
  constructor(code: CaseReviewErrorCode) {
    super(code, { status: ERROR_STATUS[code], messageKey: ERROR_MESSAGE[code] })
    this.name = 'CaseReviewError'
  }
}

export function fail(errors: FieldErrors): { ok: false; errors: FieldErrors } {
  return { ok: false, errors }
}

export function actorUser(actor: Actor): string | null {
  return actor.type === 'user' ? actor.id : null
}

export function has(user: Pick<StaffUser, 'roles'>, roles: readonly Role[]): boolean {
  return user.roles.some(role => roles.includes(role))
}

export function dateOf(value: Date | string | null): string | null {
  return value === null ? null : londonDate(new Date(value))
}

export interface CaseReviewDeps {
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
}

export function createReviewContext(deps: CaseReviewDeps) {
  const { repository, evidence, casework, audit, clock, policy } = deps
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

  /** A coordinator: works the application (acknowledge, link, ask agencies, invite, record an appeal, close). */
  function canWork(user: ReviewUser): boolean {
    return isCoordinator(user)
  }

  /** A coordinator: decides (threshold, chair, outcome, appeal). */
  function canDecide(user: ReviewUser): boolean {
    return isCoordinator(user)
  }

  /** The chair and the coordinators: the members who hold the minutes. */
  function canReadMinutes(user: ReviewUser, review: ReviewRow): boolean {
    return review.chair_user_id === user.id || isCoordinator(user)
  }

  function requireWorker(user: ReviewUser) {
    if (!canWork(user)) throw new CaseReviewError('forbidden')
  }

  function requireDecider(user: ReviewUser) {
    if (!canDecide(user)) throw new CaseReviewError('forbidden')
  }

  return {
    deps,
    today,
    clocks,
    assess,
    record,
    chronology,
    change,
    reviewStarted,
    canWork,
    canDecide,
    canReadMinutes,
    requireWorker,
    requireDecider,
    /** Registers the panels module's listener: a review to take place goes onto the Case Review panel's agenda. */
    onReviewStarted(listener: ReviewStartedListener): void {
      listeners.push(listener)
    },
  }
}

export type ReviewContext = ReturnType<typeof createReviewContext>
