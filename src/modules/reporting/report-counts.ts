/**
 * Aggregate counts of reports for other modules (the performance module's indicator sources): how many reports were
 * received each month in each ward. Counts only; no report, reporter or description leaves this function.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import { batchedByPeriod, rowsAsJson } from '../../platform/monthly-counts.js'

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

const CHANNELS = ['web', 'open311', 'phone', 'partner'] as const
const QUALIFIERS = ['personal', 'nuisance', 'environmental'] as const

/** One ward's month: every report, and the reports of each single filter the sources use (hate, channel, qualifier). */
interface ReportMonthlyColumns {
  wardCode: string | null
  month: string
  /** 0: no report of the month matched the column's condition (a filtered query would return no row). */
  columns: Record<string, number>
}

/** The column of a filter with at most one condition (`all` for none); null for a filter of several conditions. */
function columnOf(filter: ReportFilter): string | null {
  const conditions = [
    ...(filter.hate !== undefined ? [filter.hate ? 'hate' : 'not_hate'] : []),
    ...(filter.channel ? [`channel_${filter.channel}`] : []),
    ...(filter.qualifier ? [`qualifier_${filter.qualifier}`] : []),
  ]
  if (conditions.length > 1) return null
  return conditions[0] ?? 'all'
}

export function createReportCounts(db: Kysely<Database>) {
  const month = sql<string>`to_char(month, 'YYYY-MM-DD')`
  const bounded = (from: string, to: string) =>
    db
      .selectFrom('report_monthly')
      .where('month', '>=', sql<string>`date_trunc('month', ${from}::date)::date`)
      .where('month', '<=', to)

  /**
   * Every single-condition filter's counts of the months in one read of `report_ward_monthly` (migration 0412, ADR
   * 0062), which holds them as columns by ward and month: the KPI pack asks for all of them at once. Read as one JSON
   * value (`rowsAsJson`).
   */
  const columns = batchedByPeriod(async (from: string, to: string): Promise<ReportMonthlyColumns[]> => {
    const rows = await rowsAsJson(
      db,
      db
        .selectFrom('report_ward_monthly')
        .select([
          'ward_code',
          month.as('month'),
          'reports',
          'hate',
          'not_hate',
          ...CHANNELS.map(channel => `channel_${channel}` as const),
          ...QUALIFIERS.map(qualifier => `qualifier_${qualifier}` as const),
        ])
        .where('month', '>=', sql<string>`date_trunc('month', ${from}::date)::date`)
        .where('month', '<=', to),
    )
    // Each source takes its column from these rows as they are (ADR 0062, 2026-12-08).
    return rows.map(({ ward_code, month: m, reports, ...figures }) => ({
      wardCode: ward_code,
      month: m,
      columns: { all: reports, ...figures },
    }))
  })

  return {
    /**
     * Reports received (London time) in the months from `from` to `to` inclusive, by ward and month; `hate` only hate
     * reports. Read from `report_monthly`, which triggers keep in step with `report` (migration 0410, ADR 0047); the
     * sources asked for the same months together share one read (`batchedByPeriod`).
     */
    async monthly(from: string, to: string, filter: ReportFilter = {}): Promise<ReportMonthlyCount[]> {
      const column = columnOf(filter)
      if (column === null) {
        let query = bounded(from, to).select([
          'ward_code',
          month.as('month'),
          sql<number>`sum(records)::integer`.as('total'),
        ])
        if (filter.hate !== undefined) query = query.where('hate', '=', filter.hate)
        if (filter.channel) query = query.where('channel', '=', filter.channel)
        if (filter.qualifier) query = query.where('nsir_qualifier', '=', filter.qualifier)
        const rows = await query.groupBy(['ward_code', 'month']).execute()
        return rows.map(row => ({ wardCode: row.ward_code, month: row.month, total: row.total }))
      }
      // A figure of 0 is a filter no report matched: no row, as a filtered query returns none (ADR 41's "no data").
      const counts: ReportMonthlyCount[] = []
      for (const row of await columns(from, to)) {
        const total = row.columns[column]
        if (total !== undefined && total > 0) counts.push({ wardCode: row.wardCode, month: row.month, total })
      }
      return counts
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
        // The same instants as the London dates, so the partial index of flagged reports (migration 0411) answers.
        .where('received_at', '>=', sql<Date>`(${from}::date)::timestamp at time zone 'Europe/London'`)
        .where('received_at', '<', sql<Date>`(${to}::date + 1)::timestamp at time zone 'Europe/London'`)
        .where(local, '>=', from)
        .where(local, '<=', to)
        // Literals, not parameters: the partial indexes' conditions (migration 0411) must match them as written.
        .where(sql<boolean>`jsonb_array_length(coalesce(flags -> ${sql.lit(flag)}, '[]'::jsonb)) > 0`)
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
