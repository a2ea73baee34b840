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
  async function totals(level: 'borough' | 'ward', category: RecordedCrimeCategory | null, from: string, to: string) {
    let query = db
      .selectFrom('intelligence_recorded_crime')
      .select(['ward_code', 'month', sql<number>`sum(count)::integer`.as('total')])
      .where('level', '=', level)
      .where('month', '>=', from.slice(0, 7))
      .where('month', '<=', to.slice(0, 7))
    if (category) query = query.where('major_category', '=', category.major)
    if (category?.minor) query = query.where('minor_category', '=', category.minor)
    return query.groupBy(['ward_code', 'month']).execute()
  }

  return {
    /** Monthly counts by ward, with the borough table's total kept exact (see the file's comment). */
    async monthly(category: RecordedCrimeCategory | null, from: string, to: string): Promise<MonthlyCount[]> {
      const [boroughRows, wardRows] = await Promise.all([
        totals('borough', category, from, to),
        totals('ward', category, from, to),
      ])
      const wardSum = new Map<string, number>()
      const counts: MonthlyCount[] = wardRows.map(row => {
        wardSum.set(row.month, (wardSum.get(row.month) ?? 0) + row.total)
        return { wardCode: row.ward_code, month: `${row.month}-01`, total: row.total }
      })
      for (const row of boroughRows) {
        const unplaced = row.total - (wardSum.get(row.month) ?? 0)
        if (unplaced !== 0) counts.push({ wardCode: null, month: `${row.month}-01`, total: unplaced })
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
