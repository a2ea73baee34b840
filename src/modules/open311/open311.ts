/** Builds the Open311 module's services from the composition root's shared pieces. */
import type { Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { GeographyService } from '../geography/index.js'
import { createReportFeed, type Reporting } from '../reporting/index.js'
import type { AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { createApiKeyService } from './api-keys.js'
import { createOpen311Repository } from './open311-repository.js'
import { createOpen311Service, type Open311Options } from './open311-service.js'

export function createOpen311(deps: {
  db: Kysely<Database>
  reporting: Pick<Reporting, 'intake' | 'reports'>
  geography: GeographyService
  audit: AuditService
  clock: Clock
  options: Open311Options
}) {
  const repository = createOpen311Repository(deps.db)
  const keys = createApiKeyService({ repository, audit: deps.audit, clock: deps.clock })
  const feed = createReportFeed({ db: deps.db, reports: deps.reporting.reports, audit: deps.audit, clock: deps.clock })
  const service = createOpen311Service({
    repository,
    keys,
    intake: deps.reporting.intake,
    feed,
    geography: deps.geography,
    audit: deps.audit,
    clock: deps.clock,
    options: deps.options,
  })
  return { service, keys }
}

export type Open311 = ReturnType<typeof createOpen311>
