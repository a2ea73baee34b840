/**
 * The only code touching the intelligence tables. Imports write through `transaction`, so a month is replaced
 * (delete, then multi-row inserts) atomically: readers see the old month or the new one, never both or neither.
 */
import type { Insertable, Kysely, Transaction } from 'kysely'

import type {
  Database,
  IntelligenceRecordedCrimeTable,
  IntelligenceStopSearchTable,
  IntelligenceStreetCrimeTable,
} from '../../db/schema.js'

export type StreetCrimeInsert = Insertable<IntelligenceStreetCrimeTable>
export type StopSearchInsert = Insertable<IntelligenceStopSearchTable>
export type RecordedCrimeInsert = Insertable<IntelligenceRecordedCrimeTable>

/** PostgreSQL takes at most 65,535 parameters a statement; these keep each INSERT well under it. */
export const STREET_BATCH_ROWS = 2000
export const STOP_SEARCH_BATCH_ROWS = 1500
export const RECORDED_CRIME_BATCH_ROWS = 5000

export interface StreetPointFilter {
  force?: string
  fromMonth?: string
  toMonth?: string
  crimeType?: string
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
      if (rows.length > 0) await db.insertInto('intelligence_street_crime').values(rows).execute()
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
      if (rows.length > 0) await db.insertInto('intelligence_stop_search').values(rows).execute()
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
      return query.orderBy('month').orderBy('source_line').execute()
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
