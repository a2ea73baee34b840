/**
 * What the panels module tells casework before a case closes (the closure checklist): the parties of the case
 * referred to a Community MARAC (a referral not withdrawn), however the referral was made.
 */
import type { Kysely, Transaction } from 'kysely'

import type { Database } from '../../db/schema.js'

type Executor = Kysely<Database> | Transaction<Database>

export function panelsClosureFacts() {
  return async (caseId: string, _today: string, executor: Executor) => {
    const rows = await executor
      .selectFrom('panel_referral as r')
      .innerJoin('panel_type as p', 'p.id', 'r.panel_id')
      .select('r.party_id')
      .where('r.case_id', '=', caseId)
      .where('p.kind', '=', 'community-marac')
      .where('r.status', '<>', 'withdrawn')
      .where('r.party_id', 'is not', null)
      .execute()
    return { maracReferredPartyIds: rows.flatMap(row => (row.party_id ? [row.party_id] : [])) }
  }
}
