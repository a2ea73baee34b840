/** Builds the retention module from the composition root's shared pieces. */
import type { Kysely } from 'kysely'

import type { Config } from '../../config.js'
import type { Database } from '../../db/schema.js'
import type { AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { createRetentionRepository } from './retention-repository.js'
import { createRetentionService, type Logger } from './retention-service.js'

export function createRetention(deps: {
  db: Kysely<Database>
  audit: AuditService
  clock: Clock
  retention: Config['retention']
  batchSize?: number
  logger?: Logger
}) {
  return createRetentionService({
    repository: createRetentionRepository(deps.db),
    audit: deps.audit,
    clock: deps.clock,
    periods: deps.retention.periods,
    batchSize: deps.batchSize,
    logger: deps.logger,
  })
}
