/**
 * Stop and search for community scrutiny (the plan's "treat everyone fairly" priority; the Community Monitoring
 * Group): imported searches in the borough by ward (with a rate per 1,000 residents), by object of search, by
 * outcome and by the searched person's self-defined ethnicity, each with the share that led to an arrest or another
 * outcome rather than no further action. Aggregates only: no search, place or person is ever returned.
 *
 * The population is the pack's (LSOA estimates summed to wards). Open data gives no population by ethnicity here, so
 * ethnicity is shown as shares of searches, not as rates against the resident population: the page says so.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'

/** Outcomes that mean no further action: every other recorded outcome is "arrest or other outcome". */
export const NO_FURTHER_ACTION = [
  'A no further action disposal',
  'Nothing found - no further action',
  'Suspect released without further action',
  'Offender given drugs possession warning',
] as const

export interface ScrutinyFilter {
  force: string
  /** Months as YYYY-MM, inclusive. */
  from: string
  to: string
}

export interface ScrutinyLine {
  key: string | null
  searches: number
  /** Searches with a recorded outcome. */
  withOutcome: number
  /** Searches whose outcome was an arrest or another outcome than no further action. */
  actioned: number
}

export interface StopSearchScrutiny {
  months: string[]
  total: ScrutinyLine
  byWard: ScrutinyLine[]
  byObject: ScrutinyLine[]
  byOutcome: ScrutinyLine[]
  byEthnicity: ScrutinyLine[]
  /** Searches the import could not place in a ward (no location, or outside every ward). */
  unplaced: number
}

/** "Asian/Asian British - Bangladeshi" → "Asian/Asian British"; "Other ethnic group - Not stated" → null. */
export function ethnicGroup(selfDefined: string | null): string | null {
  if (!selfDefined?.trim()) return null
  if (/not stated/i.test(selfDefined)) return null
  return selfDefined.split(' - ')[0]?.trim() ?? null
}

export function createStopSearchScrutiny(db: Kysely<Database>) {
  const nfa = sql.join(NO_FURTHER_ACTION.map(outcome => sql.lit(outcome)))
  const measures = [
    sql<number>`count(*)::integer`.as('searches'),
    sql<number>`count(outcome)::integer`.as('with_outcome'),
    sql<number>`count(*) filter (where outcome is not null and outcome not in (${nfa}))::integer`.as('actioned'),
  ] as const

  function base(filter: ScrutinyFilter) {
    return db
      .selectFrom('intelligence_stop_search')
      .where('force', '=', filter.force)
      .where('month', '>=', filter.from)
      .where('month', '<=', filter.to)
      .where('outside_area', '=', false)
  }

  interface Row {
    key: string | null
    searches: number
    with_outcome: number
    actioned: number
  }
  const line = (row: Row): ScrutinyLine => ({
    key: row.key,
    searches: row.searches,
    withOutcome: row.with_outcome,
    actioned: row.actioned,
  })

  async function by(
    column: 'ward_code' | 'object_of_search' | 'outcome' | 'self_defined_ethnicity',
    filter: ScrutinyFilter,
  ) {
    const rows = await base(filter)
      .select([sql<string | null>`${sql.ref(column)}`.as('key'), ...measures])
      .groupBy(column)
      .execute()
    return rows.map(line)
  }

  return {
    /** The months held for a force, newest first. */
    async months(force: string): Promise<string[]> {
      const rows = await db
        .selectFrom('intelligence_stop_search')
        .select('month')
        .distinct()
        .where('force', '=', force)
        .orderBy('month', 'desc')
        .execute()
      return rows.map(row => row.month)
    },

    async scrutiny(filter: ScrutinyFilter): Promise<StopSearchScrutiny> {
      const [total, byWard, byObject, byOutcome, bySelfDefined, months] = await Promise.all([
        base(filter)
          .select([sql<null>`null`.as('key'), ...measures])
          .executeTakeFirstOrThrow(),
        by('ward_code', filter),
        by('object_of_search', filter),
        by('outcome', filter),
        by('self_defined_ethnicity', filter),
        base(filter).select('month').distinct().orderBy('month').execute(),
      ])
      // Ethnicity by broad group, as people describe themselves; "not stated" and blank together.
      const groups = new Map<string | null, ScrutinyLine>()
      for (const row of bySelfDefined) {
        const key = ethnicGroup(row.key)
        const sum = groups.get(key) ?? { key, searches: 0, withOutcome: 0, actioned: 0 }
        sum.searches += row.searches
        sum.withOutcome += row.withOutcome
        sum.actioned += row.actioned
        groups.set(key, sum)
      }
      const bySize = (a: ScrutinyLine, b: ScrutinyLine) =>
        b.searches - a.searches || String(a.key).localeCompare(String(b.key))
      return {
        months: months.map(row => row.month),
        total: line(total),
        byWard: byWard.filter(row => row.key !== null).sort(bySize),
        byObject: byObject.sort(bySize),
        byOutcome: byOutcome.sort(bySize),
        byEthnicity: [...groups.values()].sort(bySize),
        unplaced: byWard.find(row => row.key === null)?.searches ?? 0,
      }
    },
  }
}

export type StopSearchScrutinyService = ReturnType<typeof createStopSearchScrutiny>
