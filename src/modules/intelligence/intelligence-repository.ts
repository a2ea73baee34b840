/**
 * The only code touching the intelligence tables. Imports write one file per transaction, so a month is replaced
 * (delete, then the new rows) atomically: readers see the old month or the new one, never both or neither.
 *
 * Street and stop-and-search rows are written through an `ImportSink`: on PostgreSQL a `COPY … FROM STDIN` stream on
 * a client of the pool (pg-copy-streams), on PGlite multi-row array INSERTs. See docs/adr/0011-police-imports-use-copy-on-postgresql.md.
 */
import { once } from 'node:events'
import { finished } from 'node:stream/promises'

import { sql, type ExpressionBuilder, type Insertable, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type pg from 'pg'
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams'

import type {
  Database,
  IntelligenceRecordedCrimeTable,
  IntelligenceStopSearchTable,
  IntelligenceStreetCrimeTable,
} from '../../db/schema.js'
import { createMonthPartitions } from '../../platform/database/partitions.js'

export type StreetCrimeInsert = Insertable<IntelligenceStreetCrimeTable>
export type StopSearchInsert = Insertable<IntelligenceStopSearchTable>
export type RecordedCrimeInsert = Insertable<IntelligenceRecordedCrimeTable>

/**
 * Rows per INSERT on PGlite. Rows go in as one array parameter per column
 * (`INSERT … SELECT * FROM unnest($1::text[], …)`), so a batch is a handful of parameters however many rows it has:
 * the server parses one small statement per batch instead of tens of thousands of placeholders.
 */
export const INSERT_BATCH_ROWS = 5000
export const RECORDED_CRIME_BATCH_ROWS = 5000
/** Characters of COPY text buffered before a write to the socket. */
const COPY_CHUNK_CHARS = 256 * 1024

type PgArrayType = 'text' | 'double precision' | 'boolean' | 'integer' | 'timestamptz'
type Columns<Row> = readonly (readonly [keyof Row & string, PgArrayType])[]

/** A multi-row INSERT of `rows` as one array per column. Column names come from our own constant lists only. */
function unnestInsert<Row extends object>(
  table: string,
  columns: Columns<Row>,
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
] as const satisfies Columns<StreetCrimeInsert>

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
] as const satisfies Columns<StopSearchInsert>

/** The two point tables an import writes, by kind of file. */
const POINT_TABLES = {
  street: { table: 'intelligence_street_crime', columns: STREET_COLUMNS },
  'stop-search': { table: 'intelligence_stop_search', columns: STOP_SEARCH_COLUMNS },
} as const

export interface PointRows {
  street: StreetCrimeInsert
  'stop-search': StopSearchInsert
}
export type PointKind = keyof PointRows

/**
 * Some of a row's columns, encoded once for every row that shares them (ADR 0058): a street file repeats its month
 * and force on every row, and a few thousand map points and a few hundred crime types and outcomes across a
 * hundred thousand rows. Made by `rowPart`; a row is written as parts plus its own values (`ImportSink.addParts`).
 */
export interface RowPart<Row> {
  readonly values: Partial<Row>
  /** The columns, in the order of `values`' keys. */
  readonly columns: readonly string[]
  /** The values in COPY's text format, tab-separated, in `columns` order. */
  readonly text: string
  /** The same number for every part with the same columns in the same order. */
  readonly layout: number
}

const layouts = new Map<string, number>()

/** Encodes some of a row's columns as a part (see RowPart). Values that are undefined are stored as null. */
export function rowPart<Row extends object>(values: Partial<Row>): RowPart<Row> {
  const columns = Object.keys(values)
  const record = values as Record<string, CopyValue>
  const key = columns.join(',')
  let layout = layouts.get(key)
  if (layout === undefined) {
    layout = layouts.size
    layouts.set(key, layout)
  }
  return { values, columns, text: columns.map(column => copyText(record[column])).join('\t'), layout }
}

/** Where one file's rows go, inside that file's transaction. */
export interface ImportSink<Row> {
  /** Deletes what was stored for a force and month, after the rows added so far and before the ones to come. */
  replaceMonth(force: string, month: string): Promise<void>
  /** Returns a promise only when the caller must wait (a batch or buffer is being written). */
  add(row: Row): Promise<void> | undefined
  /**
   * One row made of shared parts and its own values, which together name every column once. Like `add`, returns a
   * promise only when the caller must wait. Rows may change their parts' layout at any time; keeping it the same
   * keeps one COPY statement open.
   */
  addParts(parts: readonly RowPart<Row>[], own: Partial<Row>): Promise<void> | undefined
}

interface ClosableSink<Row> extends ImportSink<Row> {
  /** Writes what is buffered and waits for it; the transaction may then commit. */
  close(): Promise<void>
}

/**
 * Collects rows and writes them a batch at a time. The next batch is parsed while the last one is being written
 * (at most one write in flight, so the order of statements in the transaction is kept).
 */
function batchWriter<T>(size: number, write: (rows: T[]) => Promise<void>) {
  let rows: T[] = []
  let inFlight: Promise<void> = Promise.resolve()
  let failure: { error: unknown } | undefined
  const settle = async () => {
    await inFlight
    if (failure) throw failure.error
  }
  return {
    add(row: T): Promise<void> | undefined {
      rows.push(row)
      if (rows.length < size) return undefined
      const full = rows
      rows = []
      return settle().then(() => {
        inFlight = write(full).catch((error: unknown) => {
          failure = { error }
        })
      })
    },
    /** Writes what is left and waits for every write to finish. */
    async flush(): Promise<void> {
      await settle()
      const rest = rows
      rows = []
      if (rest.length > 0) await write(rest)
    },
  }
}

async function deleteMonth(
  db: Kysely<Database> | Transaction<Database>,
  kind: PointKind,
  force: string,
  month: string,
) {
  await db.deleteFrom(POINT_TABLES[kind].table).where('force', '=', force).where('month', '=', month).execute()
}

function insertSink<K extends PointKind>(tx: Transaction<Database>, kind: K): ClosableSink<PointRows[K]> {
  const { table, columns } = POINT_TABLES[kind]
  const batches = batchWriter<PointRows[K]>(INSERT_BATCH_ROWS, async rows => {
    await unnestInsert(table, columns as Columns<PointRows[K]>, rows).execute(tx)
  })
  return {
    async replaceMonth(force, month) {
      await batches.flush()
      await deleteMonth(tx, kind, force, month)
    },
    add: row => batches.add(row),
    addParts(parts, own) {
      const row = {} as PointRows[K]
      for (const part of parts) Object.assign(row, part.values)
      return batches.add(Object.assign(row, own))
    },
    close: () => batches.flush(),
  }
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

/** One value in COPY's text format: `\N` for null, `t`/`f`, ISO timestamps, text with \\ \t \n \r escaped. */
type CopyValue = string | number | boolean | Date | null | undefined

export function copyText(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N'
  if (typeof value === 'boolean') return value ? 't' : 'f'
  if (typeof value === 'number') return String(value)
  if (value instanceof Date) return value.toISOString()
  const text = value
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, c => COPY_ESCAPES[c] ?? c) : text
}

/**
 * Streams rows into `COPY table (columns) FROM STDIN` on a client that is inside a transaction. A month is replaced
 * by ending the open COPY, deleting, and starting another (a file normally holds one month: one COPY per file).
 * Rows given whole (`add`) are written in the table's column order; rows given as parts (`addParts`) in the order of
 * their parts and own values, which starts another COPY only if it changes.
 */
function copySink<K extends PointKind>(client: pg.PoolClient, kind: K): ClosableSink<PointRows[K]> & { abort(): void } {
  const { table, columns } = POINT_TABLES[kind]
  const names = columns.map(([name]) => name)
  const complete = [...names].sort().join(',')
  const first = names[0] as string
  let stream: CopyStreamQuery | undefined
  /** What the open COPY expects: whole rows (null), or parts of these layouts followed by these own columns. */
  let expected: { layouts: number[]; own: string[] } | null = null
  let chunk = ''

  async function flushChunk(open: CopyStreamQuery): Promise<void> {
    const text = chunk
    chunk = ''
    if (text && !open.write(text)) await once(open, 'drain')
  }

  async function end(): Promise<void> {
    const open = stream
    if (!open) return
    await flushChunk(open)
    stream = undefined
    open.end()
    await finished(open)
  }

  function start(order: readonly string[]): CopyStreamQuery {
    if ([...order].sort().join(',') !== complete)
      throw new Error(`a ${kind} row must name every column once, in some order; got ${order.join(', ')}`)
    const opened = client.query(copyFrom(`copy ${table} (${order.join(', ')}) from stdin`))
    stream = opened
    return opened
  }

  function written(open: CopyStreamQuery): Promise<void> | undefined {
    return chunk.length >= COPY_CHUNK_CHARS ? flushChunk(open) : undefined
  }

  /** Ends the open COPY when the next row's layout differs; the caller then starts another. */
  async function switchTo(next: typeof expected, order: readonly string[]): Promise<void> {
    await end()
    expected = next
    start(order)
  }

  function sameParts(parts: readonly RowPart<PointRows[K]>[]): boolean {
    const layouts = expected?.layouts
    if (layouts?.length !== parts.length) return false
    for (let i = 0; i < parts.length; i++) if (parts[i]?.layout !== layouts[i]) return false
    return true
  }

  function add(row: PointRows[K]): Promise<void> | undefined {
    if (stream && expected !== null) return switchTo(null, names).then(() => add(row))
    const open = stream ?? start(names)
    expected = null
    const record = row as Record<string, CopyValue>
    let line = copyText(record[first])
    for (let i = 1; i < names.length; i++) line += '\t' + copyText(record[names[i] as string])
    chunk += line + '\n'
    return written(open)
  }

  function addParts(parts: readonly RowPart<PointRows[K]>[], own: Partial<PointRows[K]>): Promise<void> | undefined {
    const open = stream
    if (!open || expected === null || !sameParts(parts)) {
      const ownColumns = Object.keys(own)
      return switchTo({ layouts: parts.map(part => part.layout), own: ownColumns }, [
        ...parts.flatMap(part => part.columns),
        ...ownColumns,
      ]).then(() => addParts(parts, own))
    }
    let line = ''
    let separator = ''
    for (const part of parts) {
      line += separator + part.text
      separator = '\t'
    }
    const record = own as Record<string, CopyValue>
    for (const column of expected.own) {
      line += separator + copyText(record[column])
      separator = '\t'
    }
    chunk += line + '\n'
    return written(open)
  }

  return {
    async replaceMonth(force, month) {
      await end()
      await client.query(`delete from ${table} where force = $1 and month = $2`, [force, month])
    },
    add,
    addParts,
    close: end,
    /** Sends CopyFail, so the connection leaves COPY mode and the transaction can be rolled back. */
    abort() {
      stream?.destroy(new Error('import abandoned'))
      stream = undefined
    },
  }
}

export interface StreetPointFilter {
  force?: string
  fromMonth?: string
  toMonth?: string
  crimeType?: string
  /** Only rows located inside the borough. */
  insideOnly?: boolean
}

/** Street records placed inside the borough (located, not outside the area) that match the filter. */
function insideBorough(filter: Omit<StreetPointFilter, 'insideOnly'>) {
  return (eb: ExpressionBuilder<Database, 'intelligence_street_crime'>) => {
    const conditions = [eb('outside_area', '=', false), eb('location_missing', '=', false)]
    if (filter.force) conditions.push(eb('force', '=', filter.force))
    if (filter.fromMonth) conditions.push(eb('month', '>=', filter.fromMonth))
    if (filter.toMonth) conditions.push(eb('month', '<=', filter.toMonth))
    if (filter.crimeType) conditions.push(eb('crime_type', '=', filter.crimeType))
    return eb.and(conditions)
  }
}

function writer(db: Kysely<Database> | Transaction<Database>) {
  return {
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

export interface IntelligenceRepositoryOptions {
  /** PostgreSQL only: a client of the pool, for COPY. Without it (PGlite) imports use array INSERTs. */
  connectClient?: () => Promise<pg.PoolClient>
}

export function createIntelligenceRepository(db: Kysely<Database>, options: IntelligenceRepositoryOptions = {}) {
  const { connectClient } = options

  async function copyTransaction<K extends PointKind, T>(
    connect: () => Promise<pg.PoolClient>,
    kind: K,
    work: (sink: ImportSink<PointRows[K]>) => Promise<T>,
  ): Promise<T> {
    const client = await connect()
    const sink = copySink(client, kind)
    let broken: Error | undefined
    try {
      await client.query('begin')
      const result = await work(sink)
      await sink.close()
      await client.query('commit')
      return result
    } catch (error) {
      sink.abort()
      try {
        await client.query('rollback')
      } catch (rollbackError) {
        // A connection that cannot roll back is thrown away: the server aborts the transaction when it closes.
        broken = rollbackError as Error
      }
      throw error
    } finally {
      client.release(broken)
    }
  }

  return {
    /** How street and stop-and-search rows are written: `copy` (PostgreSQL) or `insert` (PGlite). */
    importMethod: connectClient ? ('copy' as const) : ('insert' as const),

    /**
     * One file's import: `work` adds rows to the sink and replaces months through it; everything it does commits
     * together, or nothing does.
     */
    async importTransaction<K extends PointKind, T>(
      kind: K,
      work: (sink: ImportSink<PointRows[K]>) => Promise<T>,
    ): Promise<T> {
      if (connectClient) return copyTransaction(connectClient, kind, work)
      return db.transaction().execute(async tx => {
        const sink = insertSink(tx, kind)
        const result = await work(sink)
        await sink.close()
        return result
      })
    },

    async transaction<T>(work: (tx: IntelligenceWriter) => Promise<T>): Promise<T> {
      return db.transaction().execute(trx => work(writer(trx)))
    },

    async insertDecision(decision: Insertable<Database['intelligence_tasking_decision']>): Promise<boolean> {
      const result = await db
        .insertInto('intelligence_tasking_decision')
        .values(decision)
        .onConflict(oc => oc.column('id').doNothing())
        .executeTakeFirst()
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
    },

    /** This week's decisions, and those of earlier weeks still to do (the meeting reviews them), oldest first. */
    async decisions(weekStart: string) {
      return db
        .selectFrom('intelligence_tasking_decision')
        .select([
          'id',
          sql<string>`week_start::text`.as('week_start'),
          'decision',
          'owner',
          sql<string>`due_on::text`.as('due_on'),
          'activity_record_id',
          'created_at',
          sql<string | null>`completed_on::text`.as('completed_on'),
        ])
        .where(eb =>
          eb.or([
            eb('week_start', '=', weekStart),
            eb.and([eb('week_start', '<', weekStart), eb('completed_on', 'is', null)]),
          ]),
        )
        .orderBy('week_start')
        .orderBy('created_at')
        .limit(500)
        .execute()
    },

    async decision(id: string) {
      return db
        .selectFrom('intelligence_tasking_decision')
        .select([
          'id',
          sql<string>`week_start::text`.as('week_start'),
          sql<string | null>`completed_on::text`.as('completed_on'),
        ])
        .where('id', '=', id)
        .executeTakeFirst()
    },

    /** Marks a decision done; false when it already was (a second click, or another user first). */
    async completeDecision(id: string, completedOn: string, completedBy: string, at: Date): Promise<boolean> {
      const result = await db
        .updateTable('intelligence_tasking_decision')
        .set({ completed_on: completedOn, completed_by: completedBy, completed_at: at })
        .where('id', '=', id)
        .where('completed_on', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) > 0
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

    /**
     * What the hotspot surface and the tasking pack need of the records inside the borough, and nothing more: with
     * ten years of a London force's records a year in the borough is tens of thousands of rows (ADR 0061).
     */
    async streetHotspotRows(filter: Omit<StreetPointFilter, 'insideOnly'> = {}) {
      const query = db
        .selectFrom('intelligence_street_crime')
        .select(['force', 'month', 'latitude', 'longitude', 'location', 'ward_code', 'lsoa2011_code'])
        .where(insideBorough(filter))
      return query.orderBy('month').orderBy('source_line').execute()
    },

    /**
     * The hotspot page's records inside the borough, grouped: one row per month, force, snapped point, street, ward
     * and LSOA, with how many records it stands for. police.uk snaps every record to one of a few thousand points,
     * so a London-sized year of a million records comes back as tens of thousands of rows (ADR 0061).
     */
    async streetHotspotGroups(filter: Omit<StreetPointFilter, 'insideOnly'> = {}) {
      const query = db
        .selectFrom('intelligence_street_crime')
        .select(eb => [
          'force',
          'month',
          'latitude',
          'longitude',
          'location',
          'ward_code',
          'lsoa2011_code',
          eb.fn.countAll<number | string>().as('records'),
        ])
        .where(insideBorough(filter))
      const rows = await query
        .groupBy(['force', 'month', 'latitude', 'longitude', 'location', 'ward_code', 'lsoa2011_code'])
        .orderBy('month')
        .orderBy('latitude')
        .orderBy('longitude')
        .orderBy('location')
        .execute()
      return rows.map(row => ({ ...row, records: Number(row.records) }))
    },

    /**
     * The map's crime points inside the borough: one row per snapped point with how many crimes it holds and the
     * street of its first record, in the order of each point's first record (month, then line). Grouped in the
     * database, so the map moves a few thousand points, not every record.
     */
    async streetPointCounts(filter: Omit<StreetPointFilter, 'insideOnly'> = {}) {
      const query = db
        .selectFrom('intelligence_street_crime')
        .select(eb => [
          'latitude',
          'longitude',
          eb.fn.countAll<number>().as('crimes'),
          sql<string | null>`(array_agg(location order by month, source_line))[1]`.as('street'),
        ])
        .where(insideBorough(filter))
      return query
        .groupBy(['latitude', 'longitude'])
        .orderBy(sql`min(month)`)
        .orderBy(sql`min(array[month, lpad(source_line::text, 10, '0')])`)
        .execute()
    },

    /** The months with street records, from the monthly aggregate (a few thousand rows, not ten million). */
    async streetMonthList(): Promise<string[]> {
      const rows = await db
        .selectFrom('intelligence_street_monthly')
        .select('month')
        .distinct()
        .orderBy('month')
        .execute()
      return rows.map(row => row.month)
    },

    /** Street records a month (every force together), from the monthly aggregate. */
    async streetMonthRecords(): Promise<{ month: string; rows: number }[]> {
      return db
        .selectFrom('intelligence_street_monthly')
        .select(['month', sql<number>`sum(records)::bigint`.as('rows')])
        .groupBy('month')
        .orderBy('month')
        .execute()
    },

    /** The crime types of the street records, from the monthly aggregate. */
    async streetCrimeTypes(): Promise<string[]> {
      const rows = await db
        .selectFrom('intelligence_street_monthly')
        .select('crime_type')
        .distinct()
        .orderBy('crime_type')
        .execute()
      return rows.map(row => row.crime_type)
    },

    /** Creates the month partitions an import is about to write (rows of a month without one wait in the default). */
    ensureMonths(kind: PointKind, months: Iterable<string>): Promise<string[]> {
      return createMonthPartitions(db, POINT_TABLES[kind].table, months)
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
