/** Builds the PSPO register's repository and service over a database (the composition root and the demo use it). */
import type { Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { createPspoRepository } from './pspo-repository.js'
import { createPspoService, type PspoGeography } from './pspo-service.js'

export function createPspos(deps: {
  db: Kysely<Database>
  geography: PspoGeography
  audit: AuditService
  clock: Clock
}) {
  return createPspoService({ repository: createPspoRepository(deps.db), ...deps })
}
