/** Builds the reporting module's services from the composition root's shared pieces. */
import type { Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { GeographyService } from '../geography/index.js'
import type { AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { createDraftService } from './draft-service.js'
import { createEvidenceService } from './evidence-service.js'
import { createIntakeService, DEFAULT_INTAKE_POLICY, type IntakePolicy } from './intake-service.js'
import { createLogNotifyClient, createNotificationDispatcher, type Logger, type NotifyClient } from './notifications.js'
import { createReportService } from './report-service.js'
import { createReportingRepository } from './reporting-repository.js'

export function createReporting(deps: {
  db: Kysely<Database>
  geography: GeographyService
  audit: AuditService
  clock: Clock
  secret: string
  policy?: IntakePolicy
  notifyClient?: NotifyClient
  logger?: Logger
}) {
  const repository = createReportingRepository(deps.db)
  const policy = deps.policy ?? DEFAULT_INTAKE_POLICY
  const intake = createIntakeService({
    repository,
    geography: deps.geography,
    audit: deps.audit,
    clock: deps.clock,
    pepper: deps.secret,
    policy,
  })
  return {
    intake,
    reports: createReportService({ repository, audit: deps.audit, clock: deps.clock, policy }),
    drafts: createDraftService({ repository, clock: deps.clock }),
    evidence: createEvidenceService({ repository, clock: deps.clock }),
    notifications: createNotificationDispatcher({
      repository,
      client: deps.notifyClient ?? createLogNotifyClient(deps.logger),
      clock: deps.clock,
      logger: deps.logger,
    }),
    repository,
    secret: deps.secret,
    clockNow: () => deps.clock.now(),
  }
}

export type Reporting = ReturnType<typeof createReporting>
