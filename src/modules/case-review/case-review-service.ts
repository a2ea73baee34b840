/**
 * The ASB Case Review: applications from the public, the eligibility assessment (versioned policy, stamped on every
 * decision), the threshold decision (never an automatic refusal: below the threshold a person decides on
 * persistence, harm and the adequacy of the response), the review (independent chair with a conflict check,
 * applicant invited, agencies' information, restricted minutes, recommendations that become owned tasks on the
 * case), the outcome letter and the appeal. Every change is an audit event in the change's transaction, and a
 * chronology entry on the linked case.
 *
 * The service is composed of its parts, one file each: applications (case-review-applications.ts), the threshold
 * decision and appeals (case-review-decisions.ts), the review meeting (case-review-meeting.ts), the outcome
 * (case-review-outcome.ts) and the figures (case-review-figures.ts), over what they share (case-review-context.ts).
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
import { createReviewApplications } from './case-review-applications.js'
import { createReviewContext, type CaseReviewDeps } from './case-review-context.js'
import { createReviewDecisions } from './case-review-decisions.js'
import { createReviewFigures } from './case-review-figures.js'
import { createReviewMeeting } from './case-review-meeting.js'
import { createReviewOutcome } from './case-review-outcome.js'

export { RELEVANT_BODY_KINDS } from './case-review-access-policy.js'
export {
  CaseReviewError,
  OTHER_AGENCIES,
  type AccountsLookup,
  type ApplicationInput,
  type CaseReviewDeps,
  type CaseReviewErrorCode,
  type ChairConflict,
  type ReportLookup,
  type Result,
  type ReviewStarted,
  type ReviewStartedListener,
  type ReviewUser,
} from './case-review-context.js'
export { DECIDER_ROLES } from './case-review-meeting.js'
export type { InformationRow, RecommendationRow, ReviewRow } from './case-review-repository.js'

export function createCaseReviewService(deps: CaseReviewDeps) {
  const context = createReviewContext(deps)
  const applications = createReviewApplications(context)
  return {
    policy: deps.policy,
    access: deps.access,
    today: context.today,
    clocks: context.clocks,
    onReviewStarted: context.onReviewStarted,
    canWork: context.canWork,
    canDecide: context.canDecide,
    canReadMinutes: context.canReadMinutes,
    ...applications,
    ...createReviewDecisions(context, applications),
    ...createReviewMeeting(context),
    ...createReviewOutcome(context),
    ...createReviewFigures(context, applications),
  }
}

export type CaseReviewService = ReturnType<typeof createCaseReviewService>
