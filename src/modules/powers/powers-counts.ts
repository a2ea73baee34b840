/**
 * ASB powers as indicator sources (docs/performance-sources.md): each power used, and breaches recorded, by the case's
 * ward and the month of the action (or of the breach). Aggregates only.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import { t } from '../../platform/i18n.js'
import type { IndicatorSource, MonthlyCount } from '../../platform/module-contract.js'
import { batchedByPeriod, monthOf, rowsAsJson } from '../../platform/monthly-counts.js'
import { POWER_CODES, type PowerCode } from './powers-policy.js'

export function createPowersCounts(db: Kysely<Database>) {
  /** The column of each power (`p0`, `p1`, ...), and `total` for every power. */
  const columnOf = new Map(POWER_CODES.map((power, i) => [power, `p${String(i)}`]))
  /**
   * Actions (every power, and each power, a column each: `count(*) filter (where …)`) and breaches of the months in one
   * read, by the case's ward and the month: the KPI pack asks for them together, and one read is far cheaper in PGlite
   * than one per source (ADR 0062).
   */
  const monthly = batchedByPeriod(async (from: string, to: string) => {
    const actionMonth = monthOf(sql.ref('a.action_date'))
    const breachMonth = monthOf(sql.ref('b.occurred_on'))
    // Read as one JSON value of one array per column (`rowsAsJson`, ADR 0062).
    const rows = await rowsAsJson(
      db,
      db
        .selectFrom('power_action as a')
        .innerJoin('asb_case as c', 'c.id', 'a.case_id')
        .select([
          sql<string>`'action'`.as('event'),
          'c.ward_code',
          actionMonth.as('month'),
          sql<number>`count(*)::integer`.as('total'),
          ...[...columnOf].map(([power, column]) =>
            sql<number>`(count(*) filter (where a.power = ${power}))::integer`.as(column),
          ),
        ])
        .where('a.action_date', '>=', from)
        .where('a.action_date', '<=', to)
        // A late record counts once a supervisor has approved it; a refused one never does.
        .where('a.approval_status', 'in', ['not-needed', 'approved'])
        .groupBy(['c.ward_code', actionMonth])
        .unionAll(
          db
            .selectFrom('power_breach as b')
            .innerJoin('asb_case as c', 'c.id', 'b.case_id')
            .select([
              sql<string>`'breach'`.as('event'),
              'c.ward_code',
              breachMonth.as('month'),
              sql<number>`count(*)::integer`.as('total'),
              ...[...columnOf.values()].map(column => sql<number>`0`.as(column)),
            ])
            .where('b.occurred_on', '>=', from)
            .where('b.occurred_on', '<=', to)
            .groupBy(['c.ward_code', breachMonth]),
        ),
    )
    return rows as unknown as ({ event: 'action' | 'breach'; ward_code: string | null; month: string } & Record<
      string,
      number
    >)[]
  })
  /** One column of the shared read as counts; a ward and month where the column is 0 has no row, as a filter would. */
  const column = async (event: 'action' | 'breach', name: string, from: string, to: string) =>
    (await monthly(from, to)).flatMap(row =>
      row.event === event && Number(row[name]) > 0
        ? [{ wardCode: row.ward_code, month: row.month, total: Number(row[name]) }]
        : [],
    )
  return {
    /** Actions taken in the period; with a power, only that power. */
    async actions(from: string, to: string, power?: PowerCode): Promise<MonthlyCount[]> {
      const name = power === undefined ? 'total' : columnOf.get(power)
      if (name === undefined) throw new RangeError(`Not a power: ${String(power)}`)
      return column('action', name, from, to)
    },
    async breaches(from: string, to: string): Promise<MonthlyCount[]> {
      return column('breach', 'total', from, to)
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
