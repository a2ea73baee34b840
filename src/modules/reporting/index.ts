export { createReporting, type Reporting } from './reporting.js'
export {
  createIntakeService,
  DEFAULT_INTAKE_POLICY,
  IntakeError,
  type DuplicateCandidate,
  type IntakePolicy,
  type IntakeResult,
  type IntakeService,
  type SubmittedReport,
} from './intake-service.js'
export { IntakeInputSchema, type IntakeInput } from './intake-schema.js'
export * as intakeChoices from './intake-schema.js'
export { createReportService, StatusChangeError, type ReportService, type StatusChange } from './report-service.js'
export type { ReportRow, ReportStatementPart } from './reporting-repository.js'
export { DOOR_GUARD_REFUSED } from './reporting-repository.js'
export { createReportFeed, type FeedReport, type FeedUpdate, type ReportFeed } from './report-feed.js'
export {
  NOTIFICATION_TEMPLATES,
  startNotificationSchedule,
  type NotificationDispatcher,
  type NotifyClient,
} from './notifications.js'
export { registerReportingCommands } from './reporting-cli.js'
export { createEvidenceService, type EvidenceService, type EvidenceSummary } from './evidence-service.js'
export { CATEGORIES, categorise, findCategory, PROTECTED_CHARACTERISTICS, type NsirQualifier } from './taxonomy.js'
export { reportingPlugin, reportingRoutes, type ReportingRoutesOptions } from './reporting-plugin.js'
export { reportingPaths } from './reporting-paths.js'
export { normaliseReference as normaliseReportReference } from './reference.js'
export { reportingDemoSeeder } from './reporting-demo.js'
export { createReportCounts, type ReportCounts, type ReportMonthlyCount } from './report-counts.js'
export { createReportAnalytics, type ReportAnalytics } from './report-analytics.js'
export { createCaseReviewEvidence, type CaseReviewComplaint, type CaseReviewEvidence } from './case-review-evidence.js'
export { reportingModule, reportingIndicatorSources } from './reporting-module.js'
export { priorityReasonText } from './reporting-presenters.js'
