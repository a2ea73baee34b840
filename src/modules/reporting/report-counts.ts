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
  }
}

export type ReportCounts = ReturnType<typeof createReportCounts>
