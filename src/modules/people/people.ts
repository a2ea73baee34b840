/** Builds the people module's service from the composition root's shared pieces, and hooks it into casework. */
import type { Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { Casework, ReportAccess } from '../casework/index.js'
import { peoplePaths } from './people-paths.js'
import { createPeopleRepository } from './people-repository.js'
import { createPeopleService } from './people-service.js'

export function createPeople(deps: {
  db: Kysely<Database>
  casework: Casework
  reportAccess: ReportAccess
  audit: AuditService
  clock: Clock
}) {
  const people = createPeopleService({
    repository: createPeopleRepository(deps.db),
    casework: deps.casework,
    reportAccess: deps.reportAccess,
    audit: deps.audit,
    clock: deps.clock,
  })
  // "Known to" warnings: after a person is added to a case, the officer sees what they may know of them elsewhere.
  deps.casework.registerPartyAddedFollowUp(async (user, caseRow, partyId) => {
    const known = await people.knownTo(user, caseRow, partyId, undefined, false)
    return known && (known.entries.length > 0 || known.hidden.length > 0)
      ? peoplePaths.knownTo(caseRow.reference, partyId)
      : undefined
  })
  return people
}
