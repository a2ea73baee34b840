/**
 * Aggregates of reports for the intelligence module's "when" view and staff map: counts by hour of the week and by
 * month of when the behaviour happened, and report map points (category and month only: no reference, reporter or
 * description leaves this file). Callers show the points to signed-in staff only.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'

export interface ReportAnalyticsFilter {
  /** First and last day of when it happened (YYYY-MM-DD), inclusive. */
  from: string
  to: string
  category?: string
}

export function createReportAnalytics(db: Kysely<Database>) {
  const filtered = (filter: ReportAnalyticsFilter) => {
    let query = db.selectFrom('report').where('occurred_on', '>=', filter.from).where('occurred_on', '<=', filter.to)
    if (filter.category) query = query.where('category', '=', filter.category)
    return query
  }

  return {
    /** Reports by ISO weekday (1 Monday … 7 Sunday) and hour (0-23; null when no time was given). */
    async hourOfWeek(
      filter: ReportAnalyticsFilter,
    ): Promise<{ isoDay: number; hour: number | null; reports: number }[]> {
      const day = sql<number>`extract(isodow from occurred_on)::integer`
      const hour = sql<number | null>`substr(occurred_time, 1, 2)::integer`
      const rows = await filtered(filter)
        .select([day.as('iso_day'), hour.as('hour'), sql<number>`count(*)::integer`.as('reports')])
        .groupBy([day, hour])
        .execute()
      return rows.map(row => ({ isoDay: row.iso_day, hour: row.hour, reports: row.reports }))
    },

    /** Reports by month of when it happened (YYYY-MM), oldest first. */
    async monthly(filter: ReportAnalyticsFilter): Promise<{ month: string; reports: number }[]> {
      const month = sql<string>`to_char(occurred_on, 'YYYY-MM')`
      const rows = await filtered(filter)
        .select([month.as('month'), sql<number>`count(*)::integer`.as('reports')])
        .groupBy(month)
        .orderBy(month)
        .execute()
      return rows.map(row => ({ month: row.month, reports: row.reports }))
    },

    /** Reports by ward. */
    async byWard(filter: ReportAnalyticsFilter): Promise<{ wardCode: string; reports: number }[]> {
      const rows = await filtered(filter)
        .select(['ward_code', sql<number>`count(*)::integer`.as('reports')])
        .groupBy('ward_code')
        .execute()
      return rows.map(row => ({ wardCode: row.ward_code, reports: row.reports }))
    },

    /** Reports with a map point: category, month and ward only. */
    async points(
      filter: ReportAnalyticsFilter,
    ): Promise<{ latitude: number; longitude: number; category: string; month: string; wardCode: string }[]> {
      const rows = await filtered(filter)
        .select([
          'latitude',
          'longitude',
          'category',
          'ward_code',
          sql<string>`to_char(occurred_on, 'YYYY-MM')`.as('month'),
        ])
        .where('latitude', 'is not', null)
        .where('longitude', 'is not', null)
        .orderBy('occurred_on')
        .execute()
      return rows.map(row => ({
        latitude: row.latitude ?? 0,
        longitude: row.longitude ?? 0,
        category: row.category,
        month: row.month,
        wardCode: row.ward_code,
      }))
    },

    /** The categories reports have used, for a filter list. */
    async categories(): Promise<string[]> {
      const rows = await db.selectFrom('report').select('category').distinct().orderBy('category').execute()
      return rows.map(row => row.category)
    },
  }
}

export type ReportAnalytics = ReturnType<typeof createReportAnalytics>
