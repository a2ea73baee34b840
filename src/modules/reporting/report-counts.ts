/**
 * Aggregate counts of reports for other modules (the performance module's indicator sources): how many reports were
 * received each month in each ward. Counts only; no report, reporter or description leaves this function.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'

export interface ReportMonthlyCount {
  wardCode: string | null
  month: string
  total: number
}

/** Which reports to count: hate-motivated or not, by the channel they came in on, by the NSIR qualifier. */
export interface ReportFilter {
  hate?: boolean
  channel?: 'web' | 'open311' | 'phone' | 'partner'
  qualifier?: 'personal' | 'nuisance' | 'environmental'
}

export function createReportCounts(db: Kysely<Database>) {
  return {
    /**
     * Reports received (London time) in the months from `from` to `to` inclusive, by ward and month; `hate` only hate
     * reports. Read from `report_monthly`, which triggers keep in step with `report` (migration 0410, ADR 0047).
     */
    async monthly(from: string, to: string, filter: ReportFilter = {}): Promise<ReportMonthlyCount[]> {
      let query = db
        .selectFrom('report_monthly')
        .select([
          'ward_code',
          sql<string>`to_char(month, 'YYYY-MM-DD')`.as('month'),
          sql<number>`sum(records)::integer`.as('total'),
        ])
        .where('month', '>=', sql<string>`date_trunc('month', ${from}::date)::date`)
        .where('month', '<=', to)
      if (filter.hate !== undefined) query = query.where('hate', '=', filter.hate)
      if (filter.channel) query = query.where('channel', '=', filter.channel)
      if (filter.qualifier) query = query.where('nsir_qualifier', '=', filter.qualifier)
      const rows = await query.groupBy(['ward_code', 'month']).execute()
      return rows.map(row => ({ wardCode: row.ward_code, month: row.month, total: row.total }))
    },

    /**
     * Repeat callers (people) or repeat locations (places) each month: the reporters, or the ~100 m squares, with at
     * least one report in the month that intake flagged as a repeat (the reporter's, or the place's, second report
     * within 14 days or third within 91, `DEFAULT_INTAKE_POLICY`). Each counted once a month, in the ward of its
     * latest flagged report that month. Anonymous reports have no reporter and reports without a point no place: they
     * never count. Only the number leaves this function; the reporter key and the square stay in the query.
     */
    async repeats(kind: 'callers' | 'locations', from: string, to: string): Promise<ReportMonthlyCount[]> {
      const local = sql<string>`(received_at at time zone 'Europe/London')::date`
      const month = sql<string>`to_char(date_trunc('month', received_at at time zone 'Europe/London'), 'YYYY-MM-DD')`
      const flag = kind === 'callers' ? 'repeatCaller' : 'repeatLocation'
      const who =
        kind === 'callers'
          ? sql<string>`reporter_key`
          : sql<string>`floor(latitude / ${sql.lit(REPEAT_SQUARE_LAT)})::text || ':' || floor(longitude / ${sql.lit(REPEAT_SQUARE_LON)})::text`
      const flagged = db
        .selectFrom('report')
        .select([
          who.as('who'),
          month.as('month'),
          sql<string>`(array_agg(ward_code order by received_at desc, id desc))[1]`.as('ward_code'),
        ])
        .where(local, '>=', from)
        .where(local, '<=', to)
        .where(sql<boolean>`jsonb_array_length(coalesce(flags -> ${flag}, '[]'::jsonb)) > 0`)
        .where(kind === 'callers' ? sql<boolean>`reporter_key is not null` : sql<boolean>`latitude is not null`)
        .groupBy([who, month])
      const rows = await db
        .selectFrom(flagged.as('f'))
        .select(['f.ward_code', 'f.month', sql<number>`count(*)::integer`.as('total')])
        .groupBy(['f.ward_code', 'f.month'])
        .execute()
      return rows.map(row => ({ wardCode: row.ward_code, month: row.month, total: row.total }))
    },
  }
}

/** A repeat location's square: 0.0009 degrees of latitude and 0.00144 of longitude are about 100 m in London. */
const REPEAT_SQUARE_LAT = 0.0009
const REPEAT_SQUARE_LON = 0.00144

export type ReportCounts = ReturnType<typeof createReportCounts>
