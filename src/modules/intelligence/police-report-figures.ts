/**
 * Police data for the partnership's generated reports: MPS recorded crime in the borough by major category for a
 * period and the same months a year before, and stop and search in the period (searches, and the share that led to an
 * arrest or another outcome rather than no further action, as the scrutiny page counts it). Each says what it was read
 * from and its latest month, and is null when nothing was imported, so a report says "no data" rather than 0.
 * Aggregates only. The performance module takes this through the composition root.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import { NO_FURTHER_ACTION } from './stop-search-scrutiny.js'

export interface RecordedCrimeLine {
  category: string
  current: number
  previous: number
}

export interface RecordedCrimePeriod {
  /** Which MPS table the borough figures were read from: the borough table where imported, else the ward table. */
  table: 'borough' | 'ward'
  /** Months of the period held (YYYY-MM); fewer than the period's when the import stops earlier. */
  months: string[]
  /** Whether the same months a year before are held too (else the change is not shown). */
  previousHeld: boolean
  /** The latest month imported (YYYY-MM), whatever the period. */
  latestMonth: string
  lines: RecordedCrimeLine[]
}

export interface StopSearchPeriod {
  searches: number
  withOutcome: number
  actioned: number
  /** The files the period's searches were imported from (file names only). */
  files: string[]
  latestMonth: string
}

function months(from: string, to: string): string[] {
  const list: string[] = []
  let [year, month] = from.slice(0, 7).split('-').map(Number) as [number, number]
  const last = to.slice(0, 7)
  for (;;) {
    const key = `${String(year)}-${String(month).padStart(2, '0')}`
    if (key > last) return list
    list.push(key)
    month += 1
    if (month === 13) {
      month = 1
      year += 1
    }
  }
}

function yearBefore(month: string): string {
  return `${String(Number(month.slice(0, 4)) - 1)}${month.slice(4)}`
}

export function createPoliceReportFigures(db: Kysely<Database>) {
  return {
    /** Recorded crime by major category, `from`..`to` (ISO dates; whole months), against a year before. */
    async recordedCrime(from: string, to: string): Promise<RecordedCrimePeriod | null> {
      const period = months(from, to)
      const before = period.map(yearBefore)
      const rows = await db
        .selectFrom('intelligence_recorded_crime')
        .select(['level', 'month', 'major_category', sql<number>`sum(count)::integer`.as('total')])
        .where('level', 'in', ['borough', 'ward'])
        .where('month', 'in', [...period, ...before])
        .groupBy(['level', 'month', 'major_category'])
        .execute()
      const latest = await db
        .selectFrom('intelligence_recorded_crime')
        .select(sql<string | null>`max(month)`.as('month'))
        .where('level', 'in', ['borough', 'ward'])
        .executeTakeFirst()
      if (!latest?.month) return null
      // A month is read from the borough table when it was imported for that month (the MPS's own total).
      const boroughMonths = new Set(rows.filter(row => row.level === 'borough').map(row => row.month))
      const used = rows.filter(row => (boroughMonths.has(row.month) ? row.level === 'borough' : row.level === 'ward'))
      const held = new Set(used.map(row => row.month))
      const current = period.filter(month => held.has(month))
      if (current.length === 0) return null
      const lines = new Map<string, RecordedCrimeLine>()
      for (const row of used) {
        const line = lines.get(row.major_category) ?? { category: row.major_category, current: 0, previous: 0 }
        if (period.includes(row.month)) line.current += row.total
        else line.previous += row.total
        lines.set(row.major_category, line)
      }
      return {
        table: current.every(month => boroughMonths.has(month)) ? 'borough' : 'ward',
        months: current,
        previousHeld: current.every(month => held.has(yearBefore(month))),
        latestMonth: latest.month,
        lines: [...lines.values()].sort((a, b) => a.category.localeCompare(b.category)),
      }
    },

    /** Stop and search in the borough, `from`..`to` (whole months). */
    async stopSearch(from: string, to: string): Promise<StopSearchPeriod | null> {
      const nfa = sql.join(NO_FURTHER_ACTION.map(outcome => sql.lit(outcome)))
      const [totals, files, latest] = await Promise.all([
        db
          .selectFrom('intelligence_stop_search')
          .select([
            sql<number>`count(*)::integer`.as('searches'),
            sql<number>`count(outcome)::integer`.as('with_outcome'),
            sql<number>`count(*) filter (where outcome is not null and outcome not in (${nfa}))::integer`.as(
              'actioned',
            ),
          ])
          .where('month', '>=', from.slice(0, 7))
          .where('month', '<=', to.slice(0, 7))
          .executeTakeFirst(),
        db
          .selectFrom('intelligence_stop_search')
          .select('source_file')
          .distinct()
          .where('month', '>=', from.slice(0, 7))
          .where('month', '<=', to.slice(0, 7))
          .orderBy('source_file')
          .execute(),
        db
          .selectFrom('intelligence_stop_search')
          .select(sql<string | null>`max(month)`.as('month'))
          .executeTakeFirst(),
      ])
      // Nothing imported, or nothing imported as late as the period: no data (a month held with no searches is 0).
      if (!latest?.month || latest.month < from.slice(0, 7)) return null
      return {
        searches: totals?.searches ?? 0,
        withOutcome: totals?.with_outcome ?? 0,
        actioned: totals?.actioned ?? 0,
        files: files.map(row => row.source_file),
        latestMonth: latest.month,
      }
    },
  }
}

export type PoliceReportFigures = ReturnType<typeof createPoliceReportFigures>
