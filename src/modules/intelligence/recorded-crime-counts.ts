/**
 * MPS recorded crime (the imported borough, ward and LSOA tables) as indicator sources. The borough's figure for a
 * month is the **borough table's** when it was imported (the MPS publishes it as the authoritative total); wards take
 * the ward table's rows. The difference between the two, which the MPS files themselves carry (offences it could not
 * place in a ward), is returned as unplaced so the borough total is exactly the borough table's. Without a borough
 * table for a month, the ward rows make the total. Aggregates only.
 *
 * Which categories answer which plan indicator is in docs/performance-sources.md, with the indicators no open MPS
 * category can answer (knife crime, domestic-abuse-flagged offences, deliberate fires).
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { IndicatorSource, MonthlyCount } from '../../platform/module-contract.js'
import { batchedByPeriod, rowsAsJson } from '../../platform/monthly-counts.js'

/** A category: the MPS major category, or one of its minor categories. */
export interface RecordedCrimeCategory {
  key: string
  name: string
  major: string
  minor?: string
}

export const RECORDED_CRIME_CATEGORIES: readonly RecordedCrimeCategory[] = [
  { key: 'burglary', name: 'Burglary (MPS recorded crime)', major: 'BURGLARY' },
  {
    key: 'residential-burglary',
    name: 'Residential burglary of a home (MPS recorded crime)',
    major: 'BURGLARY',
    minor: 'RES BURGLARY OF A HOME',
  },
  { key: 'robbery', name: 'Robbery (MPS recorded crime)', major: 'ROBBERY' },
  {
    key: 'personal-robbery',
    name: 'Robbery of personal property (MPS recorded crime)',
    major: 'ROBBERY',
    minor: 'ROBBERY OF PERSONAL PROPERTY',
  },
  {
    key: 'violence-against-the-person',
    name: 'Violence against the person (MPS recorded crime)',
    major: 'VIOLENCE AGAINST THE PERSON',
  },
  {
    key: 'violence-with-injury',
    name: 'Violence with injury (MPS recorded crime)',
    major: 'VIOLENCE AGAINST THE PERSON',
    minor: 'VIOLENCE WITH INJURY',
  },
  { key: 'sexual-offences', name: 'Sexual offences (MPS recorded crime)', major: 'SEXUAL OFFENCES' },
  { key: 'possession-of-weapons', name: 'Possession of weapons (MPS recorded crime)', major: 'POSSESSION OF WEAPONS' },
  { key: 'drug-offences', name: 'Drug offences (MPS recorded crime)', major: 'DRUG OFFENCES' },
  {
    key: 'drug-trafficking',
    name: 'Trafficking of drugs (MPS recorded crime)',
    major: 'DRUG OFFENCES',
    minor: 'TRAFFICKING OF DRUGS',
  },
  {
    key: 'drug-possession',
    name: 'Possession of drugs (MPS recorded crime)',
    major: 'DRUG OFFENCES',
    minor: 'POSSESSION OF DRUGS',
  },
  {
    key: 'criminal-damage-and-arson',
    name: 'Arson and criminal damage (MPS recorded crime)',
    major: 'ARSON AND CRIMINAL DAMAGE',
  },
  { key: 'arson', name: 'Arson (MPS recorded crime)', major: 'ARSON AND CRIMINAL DAMAGE', minor: 'ARSON' },
  {
    key: 'racially-or-religiously-aggravated-public-order',
    name: 'Racially or religiously aggravated public fear, alarm or distress (MPS recorded crime)',
    major: 'PUBLIC ORDER OFFENCES',
    minor: 'RACE OR RELIGIOUS AGG PUBLIC FEAR',
  },
  {
    key: 'theft-from-the-person',
    name: 'Theft from the person (MPS recorded crime)',
    major: 'THEFT',
    minor: 'THEFT FROM THE PERSON',
  },
]

export function createRecordedCrimeCounts(db: Kysely<Database>) {
  /** The column of each category (`c0`, `c1`, ...), and `all` for every offence. */
  const columnOf = new Map(RECORDED_CRIME_CATEGORIES.map((category, i) => [category.key, `c${String(i)}`]))

  /**
   * The borough and ward tables' counts of the months for the categories asked for together in one read, a column
   * each (`sum … filter (where …)`), by level, ward and month: the KPI pack asks for its categories together, and one
   * read of a few hundred rows is far cheaper in PGlite than two reads per category. Only the columns asked for are
   * summed, over only their major categories unless every offence is asked for (ADR 0062).
   */
  const columns = batchedByPeriod(async (from: string, to: string, wanted: ReadonlySet<string>) => {
    const asked = (column: string) => wanted.size === 0 || wanted.has(column)
    const categories = RECORDED_CRIME_CATEGORIES.filter(category => asked(columnOf.get(category.key) ?? ''))
    const sums = [
      ...(asked('all') ? [sql<number>`sum(count)::integer`.as('all')] : []),
      ...categories.map(category =>
        category.minor
          ? sql<number>`(sum(count) filter (where major_category = ${category.major} and minor_category = ${category.minor}))::integer`.as(
              columnOf.get(category.key) ?? '',
            )
          : sql<number>`(sum(count) filter (where major_category = ${category.major}))::integer`.as(
              columnOf.get(category.key) ?? '',
            ),
      ),
    ]
    let query = db
      .selectFrom('intelligence_recorded_crime')
      .select(['level', 'ward_code', 'month', ...sums])
      .where('level', 'in', ['borough', 'ward'])
      .where('month', '>=', from.slice(0, 7))
      .where('month', '<=', to.slice(0, 7))
    // A ward and month with none of these categories would have every column NULL, which is read as no row anyway.
    if (!asked('all')) query = query.where('major_category', 'in', [...new Set(categories.map(c => c.major)), ''])
    const rows = (await rowsAsJson(db, query.groupBy(['level', 'ward_code', 'month']))) as unknown as ({
      level: string
      ward_code: string | null
      month: string
    } & Record<string, number | null>)[]
    return rows.map(({ level, ward_code, month, ...rest }) => ({ level, wardCode: ward_code, month, columns: rest }))
  })

  return {
    /** Monthly counts by ward, with the borough table's total kept exact (see the file's comment). */
    async monthly(category: RecordedCrimeCategory | null, from: string, to: string): Promise<MonthlyCount[]> {
      const column = category === null ? 'all' : (columnOf.get(category.key) ?? null)
      if (column === null) throw new RangeError(`Not a recorded-crime category: ${category?.key ?? ''}`)
      const boroughTotals = new Map<string, number>()
      const counts: MonthlyCount[] = []
      const wardSum = new Map<string, number>()
      for (const row of await columns(from, to, column)) {
        const value = row.columns[column]
        if (value === null || value === undefined) continue
        const total = value
        if (row.level === 'borough') boroughTotals.set(row.month, (boroughTotals.get(row.month) ?? 0) + total)
        else {
          wardSum.set(row.month, (wardSum.get(row.month) ?? 0) + total)
          counts.push({ wardCode: row.wardCode, month: `${row.month}-01`, total })
        }
      }
      for (const [month, total] of boroughTotals) {
        const unplaced = total - (wardSum.get(month) ?? 0)
        if (unplaced !== 0) counts.push({ wardCode: null, month: `${month}-01`, total: unplaced })
      }
      return counts
    },
    async latestMonthEnd(): Promise<string | null> {
      const row = await db
        .selectFrom('intelligence_recorded_crime')
        .select(sql<string | null>`max(month)`.as('month'))
        .where('level', 'in', ['borough', 'ward'])
        .executeTakeFirst()
      if (!row?.month) return null
      const [year, month] = row.month.split('-').map(Number) as [number, number]
      return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10)
    },
  }
}

export type RecordedCrimeCounts = ReturnType<typeof createRecordedCrimeCounts>

export function recordedCrimeIndicatorSources(counts: RecordedCrimeCounts): IndicatorSource[] {
  const latestMonthEnd = () => counts.latestMonthEnd()
  return [
    {
      key: 'mps-crime:all',
      name: 'All recorded crime (MPS recorded crime)',
      module: 'intelligence',
      description:
        "Counted from the imported MPS recorded-crime tables: all offences recorded in the month; the borough figure is the borough table's total, wards take the ward table's rows. Only months an imported file covers have figures.",
      monthlyCounts: (from, to) => counts.monthly(null, from, to),
      latestMonthEnd,
    },
    ...RECORDED_CRIME_CATEGORIES.map(category => ({
      key: `mps-crime:${category.key}`,
      name: category.name,
      module: 'intelligence',
      description: `Counted from the imported MPS recorded-crime tables: offences recorded in the month under ${category.minor ? `${category.major} / ${category.minor}` : category.major}; the borough figure is the borough table's total, wards take the ward table's rows. Only months an imported file covers have figures.`,
      monthlyCounts: (from: string, to: string) => counts.monthly(category, from, to),
      latestMonthEnd,
    })),
  ]
}
