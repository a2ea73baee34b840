/**
 * Cases as indicator sources (docs/performance-sources.md): opened, and closed by outcome, by the case's ward and the
 * London month it happened in. Aggregates only: a count never carries a case or a person.
 */
import { sql, type Kysely } from 'kysely'

import type { CaseOutcome, Database } from '../../db/schema.js'
import type { IndicatorSource } from '../../platform/module-contract.js'
import { londonDate, monthOf, toMonthlyCounts } from '../../platform/monthly-counts.js'

const OUTCOMES: readonly [CaseOutcome, string][] = [
  ['resolved', 'ASB cases closed as resolved'],
  ['no_further_action', 'ASB cases closed with no further action'],
  ['not_asb', 'Cases closed as not anti-social behaviour'],
  ['referred', 'ASB cases closed by referral to another agency'],
]

export function createCaseCounts(db: Kysely<Database>) {
  const opened = londonDate(sql.ref('opened_at'))
  const closed = londonDate(sql.ref('closed_at'))
  return {
    async opened(from: string, to: string) {
      const rows = await db
        .selectFrom('asb_case')
        .select(['ward_code', monthOf(opened).as('month'), sql<number>`count(*)::integer`.as('total')])
        .where(opened, '>=', from)
        .where(opened, '<=', to)
        .groupBy(['ward_code', monthOf(opened)])
        .execute()
      return toMonthlyCounts(rows)
    },
    /** Cases closed in the period; with an outcome, only those closed with it. */
    async closed(from: string, to: string, outcome?: CaseOutcome) {
      let query = db
        .selectFrom('asb_case')
        .select(['ward_code', monthOf(closed).as('month'), sql<number>`count(*)::integer`.as('total')])
        .where('status', '=', 'closed')
        .where(closed, '>=', from)
        .where(closed, '<=', to)
      if (outcome) query = query.where('outcome', '=', outcome)
      return toMonthlyCounts(await query.groupBy(['ward_code', monthOf(closed)]).execute())
    },
  }
}

export type CaseCounts = ReturnType<typeof createCaseCounts>

export function caseworkIndicatorSources(counts: CaseCounts): IndicatorSource[] {
  return [
    {
      key: 'cases:opened',
      name: 'ASB cases opened',
      module: 'casework',
      description: "Counted from Safer's casework: ASB cases opened in the month, by the ward of the case.",
      recordedInSafer: true,
      monthlyCounts: (from, to) => counts.opened(from, to),
    },
    {
      key: 'cases:closed',
      name: 'ASB cases closed',
      module: 'casework',
      description:
        "Counted from Safer's casework: ASB cases closed in the month, whatever the outcome, by the ward of the case.",
      recordedInSafer: true,
      monthlyCounts: (from, to) => counts.closed(from, to),
    },
    ...OUTCOMES.map(([outcome, name]) => ({
      key: `cases:closed-${outcome.replaceAll('_', '-')}`,
      name,
      module: 'casework',
      description: `Counted from Safer's casework: cases closed in the month with the outcome "${outcome.replaceAll('_', ' ')}", by the ward of the case.`,
      recordedInSafer: true,
      monthlyCounts: (from: string, to: string) => counts.closed(from, to, outcome),
    })),
  ]
}
