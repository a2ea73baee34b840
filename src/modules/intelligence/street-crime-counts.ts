/**
 * Imported police.uk street records (crime and ASB) as indicator sources, one per police.uk category, by the ward the
 * record's point falls in and the month police.uk gives it; and the weekly tasking meeting's decisions. Counts only.
 *
 * police.uk places each record at an anonymised point (a snap point near the offence) and gives only its month, so
 * these are the police's figures as published, not Safer's: a record the import could not place in a ward (no point)
 * counts towards the borough only, and a record outside the borough (`outside_area`) not at all.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { IndicatorSource, MonthlyCount } from '../../platform/module-contract.js'
import { batchedByPeriod, monthOf, rowsAsJson, toMonthlyCounts } from '../../platform/monthly-counts.js'

/** A police.uk category: the source key's second part, the crime type the import stores, and its name. */
export interface StreetCategory {
  key: string
  crimeType: string
  name: string
}

/**
 * Every current police.uk street category. Keys follow police.uk's own slugs, except that violence keeps the
 * published name (`violence-and-sexual-offences`; the import stores police.uk's older slug `violent-crime`).
 */
export const POLICE_STREET_CATEGORIES: readonly StreetCategory[] = [
  {
    key: 'anti-social-behaviour',
    crimeType: 'anti-social-behaviour',
    name: 'Anti-social behaviour recorded by the police (police.uk)',
  },
  { key: 'violence-and-sexual-offences', crimeType: 'violent-crime', name: 'Violence and sexual offences (police.uk)' },
  { key: 'burglary', crimeType: 'burglary', name: 'Burglary (police.uk)' },
  { key: 'robbery', crimeType: 'robbery', name: 'Robbery (police.uk)' },
  { key: 'drugs', crimeType: 'drugs', name: 'Drugs offences (police.uk)' },
  { key: 'possession-of-weapons', crimeType: 'possession-of-weapons', name: 'Possession of weapons (police.uk)' },
  { key: 'bicycle-theft', crimeType: 'bicycle-theft', name: 'Bicycle theft (police.uk)' },
  { key: 'criminal-damage-arson', crimeType: 'criminal-damage-arson', name: 'Criminal damage and arson (police.uk)' },
  { key: 'other-theft', crimeType: 'other-theft', name: 'Other theft (police.uk)' },
  { key: 'public-order', crimeType: 'public-order', name: 'Public order offences (police.uk)' },
  { key: 'shoplifting', crimeType: 'shoplifting', name: 'Shoplifting (police.uk)' },
  { key: 'theft-from-the-person', crimeType: 'theft-from-the-person', name: 'Theft from the person (police.uk)' },
  { key: 'vehicle-crime', crimeType: 'vehicle-crime', name: 'Vehicle crime (police.uk)' },
  { key: 'other-crime', crimeType: 'other-crime', name: 'Other crime (police.uk)' },
]

function lastDayOf(month: string | null): string | null {
  if (!month) return null
  const [year, m] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10)
}

export function createStreetCrimeCounts(db: Kysely<Database>) {
  const bounded = (from: string, to: string) =>
    db
      .selectFrom('intelligence_street_monthly')
      .where('outside_area', '=', false)
      .where('month', '>=', from.slice(0, 7))
      .where('month', '<=', to.slice(0, 7))
  const ward = sql<string | null>`nullif(ward_code, '')`
  /** The column of each crime type (`c0`, `c1`, ...), and `crime` for every crime but anti-social behaviour. */
  const columnOf = new Map(POLICE_STREET_CATEGORIES.map((category, i) => [category.crimeType, `c${String(i)}`]))

  /**
   * The categories asked for together, their records of the months in one read, a column each (`sum … filter (where
   * …)`), by ward and month: the KPI pack asks for them together, and one read of a few hundred rows is far cheaper in
   * PGlite than one each. Only the columns asked for are summed, over only their crime types unless every crime is
   * asked for (ADR 0062).
   */
  const columns = batchedByPeriod(async (from: string, to: string, wanted: ReadonlySet<string>) => {
    const asked = (column: string) => wanted.size === 0 || wanted.has(column)
    const types = [...columnOf].filter(([, column]) => asked(column))
    const sums = [
      ...(asked('crime')
        ? [sql<number>`(sum(records) filter (where crime_type <> 'anti-social-behaviour'))::integer`.as('crime')]
        : []),
      ...types.map(([crimeType, column]) =>
        sql<number>`(sum(records) filter (where crime_type = ${crimeType}))::integer`.as(column),
      ),
    ]
    let query = bounded(from, to).select([ward.as('ward_code'), 'month', ...sums])
    // A ward and month with none of these types would have every column NULL, which is read as no row anyway.
    if (!asked('crime')) query = query.where('crime_type', 'in', [...types.map(([crimeType]) => crimeType), ''])
    const rows = (await rowsAsJson(db, query.groupBy([ward, 'month']))) as unknown as ({
      ward_code: string | null
      month: string
    } & Record<string, number | null>)[]
    return rows.map(({ ward_code, month, ...rest }) => ({ wardCode: ward_code, month, columns: rest }))
  })

  return {
    /**
     * Street records of one crime type, or with `null` every crime (all types but anti-social behaviour), from
     * `intelligence_street_monthly`, which triggers keep in step with the records (migration 0410, ADR 0047).
     */
    async monthly(crimeType: string | null, from: string, to: string): Promise<MonthlyCount[]> {
      const column = crimeType === null ? 'crime' : columnOf.get(crimeType)
      if (column === undefined) {
        const rows = await bounded(from, to)
          .select([ward.as('ward_code'), 'month', sql<number>`sum(records)::integer`.as('total')])
          .where('crime_type', '=', crimeType ?? '')
          .groupBy([ward, 'month'])
          .execute()
        return rows.map(row => ({ wardCode: row.ward_code, month: `${row.month}-01`, total: row.total }))
      }
      return (await columns(from, to, column)).flatMap(row => {
        const total = row.columns[column]
        return total === null || total === undefined
          ? []
          : [{ wardCode: row.wardCode, month: `${row.month}-01`, total }]
      })
    },
    /** The last day of the latest imported month, or null (from the aggregate: the records have only a BRIN index). */
    async latestMonthEnd(): Promise<string | null> {
      const row = await db
        .selectFrom('intelligence_street_monthly')
        .select(sql<string | null>`max(month)`.as('latest'))
        .executeTakeFirst()
      return lastDayOf(row?.latest ?? null)
    },
    /**
     * Tasking decisions, by the month of the tasking week they were taken for (its Monday) and the ward of the output
     * recorded with them (the borough only when none); `withOutput` only those recorded with an output.
     */
    async taskingDecisions(from: string, to: string, withOutput = false): Promise<MonthlyCount[]> {
      const week = sql.ref('d.week_start')
      let query = db
        .selectFrom('intelligence_tasking_decision as d')
        .leftJoin('activity_record as a', 'a.id', 'd.activity_record_id')
        .select(['a.ward_code', monthOf(week).as('month'), sql<number>`count(*)::integer`.as('total')])
        .where('d.week_start', '>=', from)
        .where('d.week_start', '<=', to)
      if (withOutput) query = query.where('d.activity_record_id', 'is not', null)
      return toMonthlyCounts(await query.groupBy(['a.ward_code', monthOf(week)]).execute())
    },
    /** Tasking decisions carried out, by the month of the day they were done and the ward of their output. */
    async taskingDecisionsCompleted(from: string, to: string): Promise<MonthlyCount[]> {
      const done = sql.ref('d.completed_on')
      const rows = await db
        .selectFrom('intelligence_tasking_decision as d')
        .leftJoin('activity_record as a', 'a.id', 'd.activity_record_id')
        .select(['a.ward_code', monthOf(done).as('month'), sql<number>`count(*)::integer`.as('total')])
        .where('d.completed_on', '>=', from)
        .where('d.completed_on', '<=', to)
        .groupBy(['a.ward_code', monthOf(done)])
        .execute()
      return toMonthlyCounts(rows)
    },
  }
}

export type StreetCrimeCounts = ReturnType<typeof createStreetCrimeCounts>

export function streetCrimeIndicatorSources(counts: StreetCrimeCounts): IndicatorSource[] {
  const latestMonthEnd = () => counts.latestMonthEnd()
  const described = (name: string) =>
    `${name}: police.uk street records imported into Safer, by the month police.uk gives and the ward the ` +
    'record’s published point falls in. Records with no point count towards the borough only; records outside the ' +
    'borough are not counted.'
  return [
    ...POLICE_STREET_CATEGORIES.map(category => ({
      key: `police-street:${category.key}`,
      name: category.name,
      description: described(category.name),
      module: 'intelligence',
      monthlyCounts: (from: string, to: string) => counts.monthly(category.crimeType, from, to),
      latestMonthEnd,
    })),
    {
      key: 'police-street:all-crime',
      name: 'All crime (police.uk, not counting anti-social behaviour)',
      description: described('All crime types together, anti-social behaviour left out'),
      module: 'intelligence',
      monthlyCounts: (from, to) => counts.monthly(null, from, to),
      latestMonthEnd,
    },
    {
      key: 'tasking:decisions',
      recordedInSafer: true,
      name: 'Tasking decisions recorded',
      description:
        'Decisions recorded at the weekly tasking meeting, by the month of the meeting week (its Monday), in the ward ' +
        'of the output recorded with the decision; a decision with no output counts towards the borough only. ' +
        'Decisions carried out are counted by tasking:decisions-completed.',
      module: 'intelligence',
      monthlyCounts: (from, to) => counts.taskingDecisions(from, to),
    },
    {
      key: 'tasking:decisions-completed',
      recordedInSafer: true,
      name: 'Tasking decisions carried out',
      description:
        'Tasking decisions marked as done on the tasking page, by the month of the day they were done, in the ward ' +
        'of the output recorded with the decision; a decision with no output counts towards the borough only.',
      module: 'intelligence',
      monthlyCounts: (from, to) => counts.taskingDecisionsCompleted(from, to),
    },
    {
      key: 'tasking:decisions-with-output',
      recordedInSafer: true,
      name: 'Tasking decisions recorded with an output',
      description:
        'Tasking decisions recorded together with an output in the activity register (a patrol, a visit, an ' +
        'operation), by the month of the meeting week and the ward of the output.',
      module: 'intelligence',
      monthlyCounts: (from, to) => counts.taskingDecisions(from, to, true),
    },
  ]
}
