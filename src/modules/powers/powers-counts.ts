/**
 * ASB powers as indicator sources (docs/performance-sources.md): each power used, and breaches recorded, by the case's
 * ward and the month of the action (or of the breach). Aggregates only.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import { t } from '../../platform/i18n.js'
import type { IndicatorSource } from '../../platform/module-contract.js'
import { monthOf, toMonthlyCounts } from '../../platform/monthly-counts.js'
import { POWER_CODES, type PowerCode } from './powers-policy.js'

export function createPowersCounts(db: Kysely<Database>) {
  return {
    /** Actions taken in the period; with a power, only that power. */
    async actions(from: string, to: string, power?: PowerCode) {
      const month = monthOf(sql.ref('a.action_date'))
      let query = db
        .selectFrom('power_action as a')
        .innerJoin('asb_case as c', 'c.id', 'a.case_id')
        .select(['c.ward_code', month.as('month'), sql<number>`count(*)::integer`.as('total')])
        .where('a.action_date', '>=', from)
        .where('a.action_date', '<=', to)
        // A late record counts once a supervisor has approved it; a refused one never does.
        .where('a.approval_status', 'in', ['not-needed', 'approved'])
      if (power) query = query.where('a.power', '=', power)
      return toMonthlyCounts(await query.groupBy(['c.ward_code', month]).execute())
    },
    async breaches(from: string, to: string) {
      const month = monthOf(sql.ref('b.occurred_on'))
      const rows = await db
        .selectFrom('power_breach as b')
        .innerJoin('asb_case as c', 'c.id', 'b.case_id')
        .select(['c.ward_code', month.as('month'), sql<number>`count(*)::integer`.as('total')])
        .where('b.occurred_on', '>=', from)
        .where('b.occurred_on', '<=', to)
        .groupBy(['c.ward_code', month])
        .execute()
      return toMonthlyCounts(rows)
    },
  }
}

export type PowersCounts = ReturnType<typeof createPowersCounts>

export function powersIndicatorSources(counts: PowersCounts): IndicatorSource[] {
  return [
    {
      key: 'powers:all',
      name: 'ASB powers used (every warning, contract, notice, order and injunction)',
      module: 'powers',
      description:
        "Counted from Safer's powers register: every ASB power used (warnings, contracts, notices, orders and injunctions), by the date of the action and the ward of the case.",
      recordedInSafer: true,
      monthlyCounts: (from, to) => counts.actions(from, to),
    },
    ...POWER_CODES.map(power => ({
      key: `powers:${power}`,
      name: `${t(`powers.power.${power}.name`)}s issued`,
      module: 'powers',
      description: `Counted from Safer's powers register: ${t(`powers.power.${power}.name`)}s issued, by the date of the action and the ward of the case.`,
      recordedInSafer: true,
      monthlyCounts: (from: string, to: string) => counts.actions(from, to, power),
    })),
    {
      key: 'powers:breaches',
      name: 'Breaches of ASB powers recorded',
      module: 'powers',
      description:
        "Counted from Safer's powers register: breaches of ASB powers recorded, by the date of the breach and the ward of the case.",
      recordedInSafer: true,
      monthlyCounts: (from, to) => counts.breaches(from, to),
    },
  ]
}
