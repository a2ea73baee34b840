export { createCasework, type Casework } from './casework.js'
export {
  CaseVersionConflictError,
  CaseworkError,
  isCaseworkError,
  type CaseworkErrorCode,
  type CaseDetails,
  type CaseLink,
  type CaseUser,
  type ChronologyEntry,
  type Closure,
  type ClosureFacts,
  type ClosureFactSource,
  type NewParty,
  type NewShare,
  type NewTask,
  type AssigneeAccess,
  type PartyAddedFollowUp,
} from './casework-service.js'
export { isTaskOverdue, taskToday } from './overdue.js'
export { type CaseRow, type PartyRow, type ChronologyRow, type TaskRow } from './casework-repository.js'
export { caseVisibleSql } from './casework-repository.js'
export {
  ACTIONS,
  RESOURCES,
  SENSITIVE_CASE_ROLES,
  allowed,
  grantOf,
  relationOf,
  reportAllowed,
  visibilityFor,
  type ReportAccessFacts,
  type CaseAction,
  type CaseResource,
  type Grant,
  type Relation,
} from './policy.js'
export { caseworkPages, type CaseworkPagesOptions } from './casework-plugin.js'
export { caseworkPaths } from './casework-paths.js'
export { CONSENT_STATUSES, LAWFUL_BASES } from './casework-forms.js'
export { partyFor, partyLabel, partyNameFor } from './casework-presenters.js'
export { caseResource, declaredCaseResource } from './case-resource.js'
export { createTriageService, type TriageService } from './triage-service.js'
export { createReportAccess, poolPartnerKinds, type ReportAccess } from './report-access.js'
export { CHECKIN_TEMPLATE } from './casework-routes.js'
export { caseworkDemoSeeder } from './casework-demo.js'
export { createCaseworkTaskingProvider } from './tasking-provider.js'
export { caseworkModule } from './casework-module.js'
export { createCaseCounts, caseworkIndicatorSources, type CaseCounts } from './case-counts.js'
export { createCaseworkAlertSource } from './alert-source.js'
