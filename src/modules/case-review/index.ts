/**
 * The ASB Case Review (Community Trigger). Other modules use it through this file only:
 * - the panels module builds a Case Review panel's agenda from `awaitingMeeting()` (review id, reference, case,
 *   applicant's name, meeting date) and `agendaItem(reviewId)`;
 * - the reporting module's tracking page links to `caseReviewPaths.applyFromReport(reference, code)`.
 */
export { createCaseReview, type CaseReview } from './case-review.js'
export {
  CaseReviewError,
  createCaseReviewService,
  RELEVANT_BODY_KINDS,
  type CaseReviewService,
  type ReviewRow,
  type ReviewStarted,
  type ReviewStartedListener,
} from './case-review-service.js'
export {
  CaseReviewPolicySchema,
  DEFAULT_CASE_REVIEW_POLICY,
  loadCaseReviewPolicy,
  withLocalChanges,
  type CaseReviewPolicy,
} from './case-review-policy.js'
export { assessEligibility, ROUTES, type Eligibility, type Route } from './eligibility.js'
export { clocksFor, type Clock as ReviewClock, type ClockName } from './clocks.js'
export { annualFigures, type YearFigures } from './publication.js'
export { caseReviewPaths } from './case-review-paths.js'
export { caseReviewPlugin, caseReviewRoutes, type CaseReviewRouteOptions } from './case-review-plugin.js'
export { caseReviewDemoSeeder } from './case-review-demo.js'
export { caseReviewModule } from './case-review-module.js'
export { createCaseReviewCounts, caseReviewIndicatorSources, type CaseReviewCounts } from './case-review-counts.js'
export { caseReviewClosureFacts } from './case-review-closure.js'
export { createCaseReviewAlertSource } from './case-review-alert-source.js'
