/**
 * Risk assessments as indicator sources (docs/performance-sources.md): victims assessed at each level, and high-risk
 * victims referred to the Community MARAC, by the case's ward and the London month. Aggregates only.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { IndicatorSource, MonthlyCount } from '../../platform/module-contract.js'
import { batchedByPeriod, londonDate, monthOf, rowsAsJson } from '../../platform/monthly-counts.js'
import { RISK_LEVELS, type RiskLevel } from './risk-policy.js'

export function createRiskCounts(db: Kysely<Database>) {
  const referred = londonDate(sql.ref('r.referred_at'))
  /**
   * Victims assessed at each level (a column each: `count(distinct …) filter (where …)`) and MARAC referrals of the
   * months in one read, by the case's ward and the month: the KPI pack asks for them together, and one read is far
   * cheaper in PGlite than one per source (ADR 0062).
   */
  const monthly = batchedByPeriod(async (from: string, to: string) => {
    const assessedMonth = monthOf(sql.ref('a.assessed_on'))
    // Read as one JSON value of one array per column (`rowsAsJson`, ADR 0062).
    const rows = await rowsAsJson(
      db,
      db
        .selectFrom('risk_assessment as a')
        .innerJoin('asb_case as c', 'c.id', 'a.case_id')
        .select([
          sql<string>`'assessed'`.as('event'),
          'c.ward_code',
          assessedMonth.as('month'),
          ...RISK_LEVELS.map(level =>
            sql<number>`(count(distinct a.party_id) filter (where a.level = ${level}))::integer`.as(level),
          ),
          sql<number>`0`.as('referrals'),
        ])
        .where('a.assessed_on', '>=', from)
        .where('a.assessed_on', '<=', to)
        .groupBy(['c.ward_code', assessedMonth])
        .unionAll(
          db
            .selectFrom('risk_marac_referral as r')
            .innerJoin('asb_case as c', 'c.id', 'r.case_id')
            .select([
              sql<string>`'referred'`.as('event'),
              'c.ward_code',
              monthOf(referred).as('month'),
              ...RISK_LEVELS.map(level => sql<number>`0`.as(level)),
              sql<number>`count(*)::integer`.as('referrals'),
            ])
            .where(referred, '>=', from)
            .where(referred, '<=', to)
            .where('r.status', '!=', 'withdrawn')
            .groupBy(['c.ward_code', monthOf(referred)]),
        ),
    )
    return rows as unknown as ({ event: string; ward_code: string | null; month: string } & Record<string, number>)[]
  })
  /** One column of the shared read as counts; a ward and month where it is 0 has no row, as a filter would. */
  const column = async (event: 'assessed' | 'referred', name: string, from: string, to: string) =>
    (await monthly(from, to)).flatMap(row =>
      row.event === event && Number(row[name]) > 0
        ? [{ wardCode: row.ward_code, month: row.month, total: Number(row[name]) }]
        : [],
    )
  return {
    /** Victims assessed in the month at this level (a victim assessed twice in a month counts once). */
    assessed: (level: RiskLevel, from: string, to: string): Promise<MonthlyCount[]> =>
      column('assessed', level, from, to),
    maracReferrals: (from: string, to: string): Promise<MonthlyCount[]> => column('referred', 'referrals', from, to),
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
