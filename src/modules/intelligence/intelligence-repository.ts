/**
 * The only code touching the intelligence tables. Imports write through `transaction`, so a month is replaced
 * (delete, then multi-row inserts) atomically: readers see the old month or the new one, never both or neither.
 */
import { sql, type Insertable, type Kysely, type RawBuilder, type Transaction } from 'kysely'

import type {
  Database,
  IntelligenceRecordedCrimeTable,
  IntelligenceStopSearchTable,
  IntelligenceStreetCrimeTable,
} from '../../db/schema.js'

export type StreetCrimeInsert = Insertable<IntelligenceStreetCrimeTable>
export type StopSearchInsert = Insertable<IntelligenceStopSearchTable>
export type RecordedCrimeInsert = Insertable<IntelligenceRecordedCrimeTable>

/**
 * Rows per INSERT. Street and stop-and-search rows go in as one array parameter per column
 * (`INSERT … SELECT * FROM unnest($1::text[], …)`), so a batch is a handful of parameters however many rows it has:
 * the server parses one small statement per batch instead of tens of thousands of placeholders.
 */
export const STREET_BATCH_ROWS = 5000
export const STOP_SEARCH_BATCH_ROWS = 5000
export const RECORDED_CRIME_BATCH_ROWS = 5000

type PgArrayType = 'text' | 'double precision' | 'boolean' | 'integer' | 'timestamptz'

/** A multi-row INSERT of `rows` as one array per column. Column names come from our own constant lists only. */
function unnestInsert<Row extends object>(
  table: string,
  columns: readonly (readonly [keyof Row & string, PgArrayType])[],
  rows: readonly Row[],
): RawBuilder<unknown> {
  const arrays = columns.map(([name, type]) => {
    const values = rows.map(row => {
      const value = (row as Record<string, unknown>)[name]
      return value === undefined ? null : value
    })
    return sql`${values}::${sql.raw(type)}[]`
  })
  return sql`insert into ${sql.table(table)} (${sql.join(columns.map(([name]) => sql.ref(name)))})
    select * from unnest(${sql.join(arrays)})`
}

const STREET_COLUMNS = [
  ['force', 'text'],
  ['month', 'text'],
  ['crime_id', 'text'],
  ['reported_by', 'text'],
  ['crime_type', 'text'],
  ['outcome_code', 'text'],
  ['outcome_name', 'text'],
  ['latitude', 'double precision'],
  ['longitude', 'double precision'],
  ['location', 'text'],
  ['location_missing', 'boolean'],
  ['outside_area', 'boolean'],
  ['police_lsoa_code', 'text'],
  ['police_lsoa_name', 'text'],
  ['ward_code', 'text'],
  ['lsoa2021_code', 'text'],
  ['lsoa2011_code', 'text'],
  ['source_file', 'text'],
  ['source_line', 'integer'],
] as const satisfies readonly (readonly [keyof StreetCrimeInsert, PgArrayType])[]

const STOP_SEARCH_COLUMNS = [
  ['force', 'text'],
  ['month', 'text'],
  ['search_type', 'text'],
  ['occurred_at', 'timestamptz'],
  ['part_of_operation', 'boolean'],
  ['operation', 'text'],
  ['latitude', 'double precision'],
  ['longitude', 'double precision'],
  ['location_missing', 'boolean'],
  ['outside_area', 'boolean'],
  ['gender', 'text'],
  ['age_range', 'text'],
  ['self_defined_ethnicity', 'text'],
  ['officer_defined_ethnicity', 'text'],
  ['legislation', 'text'],
  ['object_of_search', 'text'],
  ['outcome', 'text'],
  ['outcome_linked_to_object', 'boolean'],
  ['removal_of_more_than_outer_clothing', 'boolean'],
  ['ward_code', 'text'],
  ['lsoa2021_code', 'text'],
  ['lsoa2011_code', 'text'],
  ['source_file', 'text'],
  ['source_line', 'integer'],
] as const satisfies readonly (readonly [keyof StopSearchInsert, PgArrayType])[]

export interface StreetPointFilter {
  force?: string
  fromMonth?: string
  toMonth?: string
  crimeType?: string
  /** Only rows located inside the borough. */
  insideOnly?: boolean
}

function writer(db: Kysely<Database> | Transaction<Database>) {
  return {
    async deleteStreetMonth(force: string, month: string): Promise<number> {
      const result = await db
        .deleteFrom('intelligence_street_crime')
        .where('force', '=', force)
        .where('month', '=', month)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },

    async insertStreet(rows: StreetCrimeInsert[]): Promise<void> {
      if (rows.length > 0) await unnestInsert('intelligence_street_crime', STREET_COLUMNS, rows).execute(db)
    },

    async deleteStopSearchMonth(force: string, month: string): Promise<number> {
      const result = await db
        .deleteFrom('intelligence_stop_search')
        .where('force', '=', force)
        .where('month', '=', month)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },

    async insertStopSearch(rows: StopSearchInsert[]): Promise<void> {
      if (rows.length > 0) await unnestInsert('intelligence_stop_search', STOP_SEARCH_COLUMNS, rows).execute(db)
    },

    async deleteRecordedCrimeMonths(level: IntelligenceRecordedCrimeTable['level'], months: string[]): Promise<void> {
      if (months.length === 0) return
      await db
        .deleteFrom('intelligence_recorded_crime')
        .where('level', '=', level)
        .where('month', 'in', months)
        .execute()
    },

    async insertRecordedCrime(rows: RecordedCrimeInsert[]): Promise<void> {
      if (rows.length === 0) return
      // A file may repeat an area and category (the historical ward file has a few): the later row wins.
      await db
        .insertInto('intelligence_recorded_crime')
        .values(rows)
        .onConflict(oc =>
          oc.columns(['level', 'month', 'area_code', 'major_category', 'minor_category']).doUpdateSet(eb => ({
            count: eb.ref('excluded.count'),
            area_name: eb.ref('excluded.area_name'),
          })),
        )
        .execute()
    },
  }
}

export type IntelligenceWriter = ReturnType<typeof writer>

export function createIntelligenceRepository(db: Kysely<Database>) {
  return {
    async transaction<T>(work: (tx: IntelligenceWriter) => Promise<T>): Promise<T> {
      return db.transaction().execute(trx => work(writer(trx)))
    },

    async streetMonths(): Promise<{ force: string; month: string; rows: number }[]> {
      return db
        .selectFrom('intelligence_street_crime')
        .select(eb => ['force', 'month', eb.fn.countAll<number>().as('rows')])
        .groupBy(['force', 'month'])
        .orderBy('force')
        .orderBy('month')
        .execute()
    },

    async countStreet(filter: StreetPointFilter = {}): Promise<number> {
      let query = db.selectFrom('intelligence_street_crime').select(eb => eb.fn.countAll<number>().as('n'))
      if (filter.force) query = query.where('force', '=', filter.force)
      if (filter.fromMonth) query = query.where('month', '>=', filter.fromMonth)
      if (filter.toMonth) query = query.where('month', '<=', filter.toMonth)
      if (filter.crimeType) query = query.where('crime_type', '=', filter.crimeType)
      return (await query.executeTakeFirstOrThrow()).n
    },

    async streetRows(filter: StreetPointFilter = {}) {
      let query = db
        .selectFrom('intelligence_street_crime')
        .select([
          'force',
          'month',
          'crime_id',
          'crime_type',
          'outcome_code',
          'outcome_name',
          'latitude',
          'longitude',
          'location',
          'location_missing',
          'outside_area',
          'ward_code',
          'lsoa2021_code',
          'lsoa2011_code',
          'source_line',
        ])
      if (filter.force) query = query.where('force', '=', filter.force)
      if (filter.fromMonth) query = query.where('month', '>=', filter.fromMonth)
      if (filter.toMonth) query = query.where('month', '<=', filter.toMonth)
      if (filter.crimeType) query = query.where('crime_type', '=', filter.crimeType)
      if (filter.insideOnly) query = query.where('outside_area', '=', false).where('location_missing', '=', false)
      return query.orderBy('month').orderBy('source_line').execute()
    },

    async streetCrimeTypes(): Promise<string[]> {
      const rows = await db
        .selectFrom('intelligence_street_crime')
        .select('crime_type')
        .distinct()
        .orderBy('crime_type')
        .execute()
      return rows.map(row => row.crime_type)
    },

    async stopSearchMonths(): Promise<{ force: string; month: string; rows: number }[]> {
      return db
        .selectFrom('intelligence_stop_search')
        .select(eb => ['force', 'month', eb.fn.countAll<number>().as('rows')])
        .groupBy(['force', 'month'])
        .orderBy('force')
        .orderBy('month')
        .execute()
    },

    async stopSearchRows(force: string, month: string) {
      return db
        .selectFrom('intelligence_stop_search')
        .selectAll()
        .where('force', '=', force)
        .where('month', '=', month)
        .orderBy('source_line')
        .execute()
    },

    async recordedCrimeTotals(level: IntelligenceRecordedCrimeTable['level']) {
      return db
        .selectFrom('intelligence_recorded_crime')
        .select(eb => ['month', eb.fn.sum<number>('count').as('total'), eb.fn.countAll<number>().as('rows')])
        .where('level', '=', level)
        .groupBy('month')
        .orderBy('month')
        .execute()
    },

    async recordedCrimeRows(level: IntelligenceRecordedCrimeTable['level'], month: string) {
      return db
        .selectFrom('intelligence_recorded_crime')
        .selectAll()
        .where('level', '=', level)
        .where('month', '=', month)
        .orderBy('area_code')
        .orderBy('major_category')
        .orderBy('minor_category')
        .execute()
    },
  }
}

export type IntelligenceRepository = ReturnType<typeof createIntelligenceRepository>
