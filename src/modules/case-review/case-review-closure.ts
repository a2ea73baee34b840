/**
 * What the Case Review module tells casework before a case closes (the closure checklist): the ASB Case Reviews on
 * the case that have not finished (received, under review, or appealed).
 */
import type { Kysely, Transaction } from 'kysely'

import type { Database } from '../../db/schema.js'
import { caseReviewPaths } from './case-review-paths.js'

type Executor = Kysely<Database> | Transaction<Database>

export function caseReviewClosureFacts() {
  return async (caseId: string, _today: string, executor: Executor) => {
    const rows = await executor
      .selectFrom('case_review')
      .select(['id', 'reference'])
      .where('case_id', '=', caseId)
      .where('status', 'in', ['received', 'review', 'appealed'])
      .orderBy('reference')
      .execute()
    return { caseReviews: rows.map(row => ({ reference: row.reference, href: caseReviewPaths.review(row.id) })) }
  }
}
