/**
 * The ASB Case Review's statutory figures (ASBCPA 2014 s104(10)) as monthly indicator sources, counted exactly as
 * `publication.ts` counts them for the annual publication: applications received (a duplicate counted once, with the
 * application it duplicates), threshold decisions not met, reviews carried out (outcome sent), and reviews that made
 * recommendations. By the linked case's ward when there is one; otherwise unplaced. Aggregates only.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { IndicatorSource, MonthlyCount } from '../../platform/module-contract.js'
import { batchedByPeriod, londonDate, monthOf, rowsAsJson } from '../../platform/monthly-counts.js'

type Figure = 'applications' | 'threshold-met' | 'threshold-not-met' | 'reviews' | 'reviews-with-recommendations'

/** Where each figure is in the shared read: the date it goes by (its `event`) and its column. */
const COLUMN_OF: Record<Figure, { event: 'received' | 'decided' | 'outcome'; column: string }> = {
  applications: { event: 'received', column: 'total' },
  'threshold-met': { event: 'decided', column: 'met' },
  'threshold-not-met': { event: 'decided', column: 'not_met' },
  reviews: { event: 'outcome', column: 'total' },
  'reviews-with-recommendations': { event: 'outcome', column: 'with_recommendations' },
}

export function createCaseReviewCounts(db: Kysely<Database>) {
  /**
   * The five figures of the months in one read, by the linked case's ward and month: applications by the date
   * received, threshold decisions by the London date decided, reviews by the London date the outcome was sent, each
   * figure a column (`count(*) filter (where …)`). The KPI pack and the reports ask for them together, and one read is
   * far cheaper in PGlite than one per figure (ADR 0062).
   */
  const monthly = batchedByPeriod(async (from: string, to: string) => {
    const branch = (event: 'received' | 'decided' | 'outcome', date: RawBuilder<string>) =>
      db
        .selectFrom('case_review as r')
        .leftJoin('asb_case as c', 'c.id', 'r.case_id')
        .select([
          sql<string>`${sql.lit(event)}`.as('event'),
          'c.ward_code',
          monthOf(date).as('month'),
          sql<number>`count(*)::integer`.as('total'),
          sql<number>`(count(*) filter (where r.threshold_decision = 'met'))::integer`.as('met'),
          sql<number>`(count(*) filter (where r.threshold_decision = 'not-met'))::integer`.as('not_met'),
          sql<number>`(count(*) filter (where exists (
            select 1 from case_review_recommendation as m where m.review_id = r.id
          )))::integer`.as('with_recommendations'),
        ])
        .where('r.linked_review_id', 'is', null)
        .where(date, '>=', from)
        .where(date, '<=', to)
        .groupBy(['c.ward_code', monthOf(date)])
    // Read as one JSON value of one array per column (`rowsAsJson`, ADR 0062).
    const rows = await rowsAsJson(
      db,
      branch('received', sql<string>`r.received_on`)
        .unionAll(branch('decided', londonDate(sql.ref('r.threshold_decided_at'))))
        .unionAll(branch('outcome', londonDate(sql.ref('r.outcome_at')))),
    )
    return rows as unknown as ({ event: string; ward_code: string | null; month: string } & Record<string, number>)[]
  })
  return {
    /** One figure's counts; a ward and month where it is 0 has no row, as a filtered query would return none. */
    async figure(figure: Figure, from: string, to: string): Promise<MonthlyCount[]> {
      const { event, column } = COLUMN_OF[figure]
      return (await monthly(from, to)).flatMap(row =>
        row.event === event && Number(row[column]) > 0
          ? [{ wardCode: row.ward_code, month: row.month, total: Number(row[column]) }]
          : [],
      )
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
