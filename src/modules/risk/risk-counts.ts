/**
 * Risk assessments as indicator sources (docs/performance-sources.md): victims assessed at each level, and high-risk
 * victims referred to the Community MARAC, by the case's ward and the London month. Aggregates only.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { IndicatorSource } from '../../platform/module-contract.js'
import { londonDate, monthOf, toMonthlyCounts } from '../../platform/monthly-counts.js'
import { RISK_LEVELS, type RiskLevel } from './risk-policy.js'

export function createRiskCounts(db: Kysely<Database>) {
  const referred = londonDate(sql.ref('r.referred_at'))
  return {
    /** Victims assessed in the month at this level (a victim assessed twice in a month counts once). */
    async assessed(level: RiskLevel, from: string, to: string) {
      const assessedMonth = monthOf(sql.ref('a.assessed_on'))
      const rows = await db
        .selectFrom('risk_assessment as a')
        .innerJoin('asb_case as c', 'c.id', 'a.case_id')
        .select([
          'c.ward_code',
          assessedMonth.as('month'),
          sql<number>`count(distinct a.party_id)::integer`.as('total'),
        ])
        .where('a.level', '=', level)
        .where('a.assessed_on', '>=', from)
        .where('a.assessed_on', '<=', to)
        .groupBy(['c.ward_code', assessedMonth])
        .execute()
      return toMonthlyCounts(rows)
    },
    async maracReferrals(from: string, to: string) {
      const rows = await db
        .selectFrom('risk_marac_referral as r')
        .innerJoin('asb_case as c', 'c.id', 'r.case_id')
        .select(['c.ward_code', monthOf(referred).as('month'), sql<number>`count(*)::integer`.as('total')])
        .where(referred, '>=', from)
        .where(referred, '<=', to)
        .where('r.status', '!=', 'withdrawn')
        .groupBy(['c.ward_code', monthOf(referred)])
        .execute()
      return toMonthlyCounts(rows)
    },
  }
}

export type RiskCounts = ReturnType<typeof createRiskCounts>

const LEVEL_NAMES: Record<RiskLevel, string> = {
  high: 'Victims assessed as high risk',
  medium: 'Victims assessed as medium risk',
  standard: 'Victims assessed as standard risk',
}

export function riskIndicatorSources(counts: RiskCounts): IndicatorSource[] {
  return [
    ...RISK_LEVELS.map(level => ({
      key: `risk:assessed-${level}`,
      name: LEVEL_NAMES[level],
      module: 'risk',
      description: `Counted from Safer's risk assessments: victims assessed as ${level} risk in the month (a victim assessed twice in a month counts once), by the ward of their case.`,
      recordedInSafer: true,
      monthlyCounts: (from: string, to: string) => counts.assessed(level, from, to),
    })),
    {
      key: 'risk:marac-referrals',
      name: 'High-risk victims referred to the Community MARAC',
      module: 'risk',
      description:
        "Counted from Safer's risk assessments: referrals of high-risk victims to the Community MARAC made in the month and not withdrawn, by the ward of their case.",
      recordedInSafer: true,
      monthlyCounts: (from, to) => counts.maracReferrals(from, to),
    },
  ]
}
