/** Builds the casework module's service from the composition root's shared pieces. */
import type { Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { createCaseworkRepository } from './casework-repository.js'
import { createCaseworkService } from './casework-service.js'

export function createCasework(deps: { db: Kysely<Database>; audit: AuditService; clock: Clock }) {
  return createCaseworkService({ repository: createCaseworkRepository(deps.db), audit: deps.audit, clock: deps.clock })
}

export type Casework = ReturnType<typeof createCasework>
