/** Builds the reporting module's services from the composition root's shared pieces. */
import type { Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { GeographyService } from '../geography/index.js'
import type { AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { createDraftService } from './draft-service.js'
import { createEvidenceService } from './evidence-service.js'
import { createIntakeService, DEFAULT_INTAKE_POLICY, type IntakePolicy } from './intake-service.js'
import type { Config } from '../../config.js'
import {
  createGovukNotifyClient,
  createLogNotifyClient,
  createNotificationDispatcher,
  templateIdsFromConfig,
  type Logger,
  type NotifyClient,
} from './notifications.js'
import { createReportService } from './report-service.js'
import { createReportingRepository } from './reporting-repository.js'
import { createPersonalisationSealer } from '../../platform/sealing.js'

export function createReporting(deps: {
  db: Kysely<Database>
  geography: GeographyService
  audit: AuditService
  clock: Clock
  secret: string
  /** Seals the outbox's personalisation (config.outboxSecret); defaults to `secret`. */
  outboxSecret?: string
  policy?: IntakePolicy
  notifyClient?: NotifyClient
  /** GOV.UK Notify settings: with an API key, messages go to Notify; without, see `notifyClientFor`. */
  notify?: Config['notify']
  env?: Config['env']
  logger?: Logger
}) {
  const personalisation = createPersonalisationSealer(deps.outboxSecret ?? deps.secret)
  const repository = createReportingRepository(deps.db, { personalisation })
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
      client: deps.notifyClient ?? notifyClientFor(deps),
      clock: deps.clock,
      personalisation,
      logger: deps.logger,
    }),
    repository,
    /** Opens what the outbox holds (for the dispatcher and tests; never shown to anyone). */
    personalisation,
    secret: deps.secret,
    clockNow: () => deps.clock.now(),
  }
}

/**
 * GOV.UK Notify when an API key is configured; otherwise, outside production, the logging client (messages stay in
 * the outbox, marked sent, and the log shows no personal data); in production without a key, none: messages wait.
 */
function notifyClientFor(deps: { notify?: Config['notify']; env?: Config['env']; logger?: Logger }) {
  const notify = deps.notify
  if (notify?.apiKey)
    return createGovukNotifyClient({
      apiKey: notify.apiKey,
      baseUrl: notify.baseUrl,
      templateIds: templateIdsFromConfig(notify.templates),
    })
  return deps.env === 'production' ? undefined : createLogNotifyClient(deps.logger)
}

export type Reporting = ReturnType<typeof createReporting>
