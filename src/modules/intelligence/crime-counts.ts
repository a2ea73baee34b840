/**
 * Aggregate counts of imported police.uk street crime for other modules (the performance module's indicator
 * sources): records of one crime type by ward and month. Counts only.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'

export function createCrimeCounts(db: Kysely<Database>) {
  return {
    /** Street records of `crimeType` (normalised code, e.g. `anti-social-behaviour`) in months from `from` to `to`. */
    async monthlyStreet(
      crimeType: string,
      from: string,
      to: string,
    ): Promise<{ wardCode: string | null; month: string; total: number }[]> {
      // From `intelligence_street_monthly`, which triggers keep in step with the records (migration 0410, ADR 0047).
      const rows = await db
        .selectFrom('intelligence_street_monthly')
        .select([
          sql<string | null>`nullif(ward_code, '')`.as('ward_code'),
          'month',
          sql<number>`sum(records)::integer`.as('total'),
        ])
        .where('crime_type', '=', crimeType)
        .where('outside_area', '=', false)
        .where('month', '>=', from.slice(0, 7))
        .where('month', '<=', to.slice(0, 7))
        .groupBy(['ward_code', 'month'])
        .execute()
      return rows.map(row => ({ wardCode: row.ward_code, month: `${row.month}-01`, total: row.total }))
    },

    /** The last day of the latest imported month, or null (from the aggregate: the records have only a BRIN index). */
    async latestStreetMonthEnd(): Promise<string | null> {
      const row = await db
        .selectFrom('intelligence_street_monthly')
        .select(sql<string | null>`max(month)`.as('latest'))
        .executeTakeFirst()
      if (!row?.latest) return null
      const [year, month] = row.latest.split('-').map(Number) as [number, number]
      return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10)
    },
  }
}

export type CrimeCounts = ReturnType<typeof createCrimeCounts>
