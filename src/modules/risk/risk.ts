/** Builds the risk module's service from the composition root's shared pieces. */
import type { Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { Casework } from '../casework/index.js'
import { DEFAULT_RISK_POLICY, type RiskPolicy } from './risk-policy.js'
import { createRiskRepository } from './risk-repository.js'
import { createRiskService } from './risk-service.js'

export function createRisk(deps: {
  db: Kysely<Database>
  casework: Casework
  audit: AuditService
  clock: Clock
  policy?: RiskPolicy
}) {
  return createRiskService({
    repository: createRiskRepository(deps.db),
    casework: deps.casework,
    audit: deps.audit,
    clock: deps.clock,
    policy: deps.policy ?? DEFAULT_RISK_POLICY,
  })
}
