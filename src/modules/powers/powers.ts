/** Builds the powers module's service from the composition root's shared pieces. */
import type { Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { PdfRenderer } from '../../platform/pdf.js'
import type { Casework } from '../casework/index.js'
import type { PackLetterhead } from '../pack/index.js'
import { DEFAULT_POWERS_POLICY, type PowersPolicy } from './powers-policy.js'
import { createPowersRepository } from './powers-repository.js'
import { createPowersService } from './powers-service.js'

export function createPowers(deps: {
  db: Kysely<Database>
  casework: Casework
  audit: AuditService
  clock: Clock
  pdf: PdfRenderer
  policy?: PowersPolicy
  /** Who letters come from (the CSP pack's letterhead); none: "Community Safety Partnership". */
  letterhead?: PackLetterhead | null
}) {
  return createPowersService({
    repository: createPowersRepository(deps.db),
    casework: deps.casework,
    audit: deps.audit,
    clock: deps.clock,
    policy: deps.policy ?? DEFAULT_POWERS_POLICY,
    letterhead: deps.letterhead ?? null,
  })
}
