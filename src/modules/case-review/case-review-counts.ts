/**
 * The ASB Case Review's statutory figures (ASBCPA 2014 s104(10)) as monthly indicator sources, counted exactly as
 * `publication.ts` counts them for the annual publication: applications received (a duplicate counted once, with the
 * application it duplicates), threshold decisions not met, reviews carried out (outcome sent), and reviews that made
 * recommendations. By the linked case's ward when there is one; otherwise unplaced. Aggregates only.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { IndicatorSource } from '../../platform/module-contract.js'
import { londonDate, monthOf, toMonthlyCounts } from '../../platform/monthly-counts.js'

type Figure = 'applications' | 'threshold-met' | 'threshold-not-met' | 'reviews' | 'reviews-with-recommendations'

export function createCaseReviewCounts(db: Kysely<Database>) {
  const dateOf: Record<Figure, RawBuilder<string>> = {
    applications: sql<string>`r.received_on`,
    'threshold-met': londonDate(sql.ref('r.threshold_decided_at')),
    'threshold-not-met': londonDate(sql.ref('r.threshold_decided_at')),
    reviews: londonDate(sql.ref('r.outcome_at')),
    'reviews-with-recommendations': londonDate(sql.ref('r.outcome_at')),
  }
  return {
    async figure(figure: Figure, from: string, to: string) {
      const date = dateOf[figure]
      let query = db
        .selectFrom('case_review as r')
        .leftJoin('asb_case as c', 'c.id', 'r.case_id')
        .select(['c.ward_code', monthOf(date).as('month'), sql<number>`count(*)::integer`.as('total')])
        .where('r.linked_review_id', 'is', null)
        .where(date, '>=', from)
        .where(date, '<=', to)
      if (figure === 'threshold-met') query = query.where('r.threshold_decision', '=', 'met')
      if (figure === 'threshold-not-met') query = query.where('r.threshold_decision', '=', 'not-met')
      if (figure === 'reviews-with-recommendations') {
        query = query.where(eb =>
          eb.exists(
            eb
              .selectFrom('case_review_recommendation as m')
              .select(sql<number>`1`.as('one'))
              .whereRef('m.review_id', '=', 'r.id'),
          ),
        )
      }
      return toMonthlyCounts(await query.groupBy(['c.ward_code', monthOf(date)]).execute())
    },
  }
}

export type CaseReviewCounts = ReturnType<typeof createCaseReviewCounts>

const FIGURES: readonly [Figure, string, string][] = [
  [
    'applications',
    'ASB Case Review applications received',
    'applications received in the month (a duplicate counted once, with the one it joins)',
  ],
  [
    'threshold-met',
    'ASB Case Review applications that met the threshold',
    'applications decided in the month as meeting the threshold',
  ],
  [
    'threshold-not-met',
    'ASB Case Review applications that did not meet the threshold',
    'applications decided in the month as not meeting the threshold',
  ],
  ['reviews', 'ASB Case Reviews carried out', 'reviews whose outcome was sent in the month'],
  [
    'reviews-with-recommendations',
    'ASB Case Reviews that made recommendations',
    'reviews whose outcome, sent in the month, made recommendations',
  ],
]

export function caseReviewIndicatorSources(counts: CaseReviewCounts): IndicatorSource[] {
  return FIGURES.map(([figure, name, meaning]) => ({
    key: `case-review:${figure}`,
    name,
    module: 'case-review',
    description: `Counted from Safer's ASB Case Reviews: ${meaning}, by the ward of the case (the borough only when there is none).`,
    recordedInSafer: true,
    monthlyCounts: (from, to) => counts.figure(figure, from, to),
  }))
}
