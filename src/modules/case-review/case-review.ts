/** Builds the Case Review service from the composition root's shared pieces. */
import type { Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { AccountsService } from '../accounts/index.js'
import type { Casework, ReportAccess } from '../casework/index.js'
import { createCaseReviewEvidence, type Reporting } from '../reporting/index.js'
import { DEFAULT_CASE_REVIEW_POLICY, type CaseReviewPolicy } from './case-review-policy.js'
import { createCaseReviewAccess } from './case-review-access.js'
import { createCaseReviewRepository } from './case-review-repository.js'
import { createCaseReviewService } from './case-review-service.js'

export function createCaseReview(deps: {
  db: Kysely<Database>
  reporting: Reporting
  casework: Casework
  /** The report policy: staff who may see an application's report see the application (ADR 0025). */
  reportAccess: ReportAccess
  accounts: AccountsService
  audit: AuditService
  clock: Clock
  policy?: CaseReviewPolicy
  /** The victim's risk assessments on a case, from the risk module (the high-risk variant); none when absent. */
  riskAssessments?: (caseId: string) => Promise<readonly { level: string; assessed_on: string }[]>
}) {
  return createCaseReviewService({
    repository: createCaseReviewRepository(deps.db),
    evidence: createCaseReviewEvidence(deps.db),
    reports: deps.reporting.reports,
    casework: deps.casework,
    riskAssessments: deps.riskAssessments ?? (async () => []),
    accounts: deps.accounts.repository,
    audit: deps.audit,
    clock: deps.clock,
    policy: deps.policy ?? DEFAULT_CASE_REVIEW_POLICY,
    access: createCaseReviewAccess({ db: deps.db, audit: deps.audit, reportAccess: deps.reportAccess }),
  })
}

export type CaseReview = ReturnType<typeof createCaseReview>
