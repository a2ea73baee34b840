/**
 * Kysely over embedded PGlite (no DATABASE_URL) or a `pg` pool (DATABASE_URL). One SQL dialect: PostgreSQL.
 * Both engines return the same JavaScript types: int8 as number, numeric as string, date as 'YYYY-MM-DD',
 * timestamptz as Date, json/jsonb parsed.
 */
import fs from 'node:fs'

import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'

import type { Config } from '../../config.js'
import type { Database } from '../../db/schema.js'
import { acquireDataDirectoryLock, type DataDirectoryLock } from './data-lock.js'
import { createPglitePool } from './pglite-pool.js'

export type Engine = 'pglite' | 'postgres'

export interface DatabaseHandle {
  readonly db: Kysely<Database>
  readonly engine: Engine
  /** PostgreSQL only: a client of the same pool, for what Kysely cannot do (COPY). Release it when done. */
  readonly connectClient?: () => Promise<pg.PoolClient>
  /** PGlite only: the whole data directory as a gzipped tarball (tests keep a migrated template). */
  readonly dumpDataDir?: () => Promise<Blob>
  /** Resolves when the database answers `select 1` within the timeout; rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'DatabaseUnavailableError'
  }
}

const INT8 = 20
const NUMERIC = 1700
const DATE = 1082

function postgresPool(url: string, max: number, searchPath?: string): pg.Pool {
  const builtIn = pg.types.getTypeParser.bind(pg.types) as (oid: number, format?: 'text' | 'binary') => unknown
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8) return (value: string) => Number(value)
      if (oid === DATE) return (value: string) => value
      return builtIn(oid, format)
    }) as typeof pg.types.getTypeParser,
  }
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    types,
    ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}),
  })
  // A client losing its server must never crash the process: idle clients report through the pool, busy ones
  // through their own 'error' event (their query fails; pg drops the broken client and the next query reconnects).
  pool.on('error', () => undefined)
  pool.on('connect', client => {
    client.on('error', () => undefined)
  })
  return pool
}

async function openPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<PGlite> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true })
  return PGlite.create(dataDir ?? 'memory://', {
    ...(loadDataDir ? { loadDataDir } : {}),
    // In memory there is nothing to flush, but waiting for the flush still costs about 0.4 ms of CPU a query
    // (a third of a simple one): tests and the demo run thousands. A data directory keeps waiting for it.
    ...(dataDir ? {} : { relaxedDurability: true }),
    parsers: {
      [INT8]: (value: string) => Number(value),
      [DATE]: (value: string) => value,
      [NUMERIC]: (value: string) => value,
    },
  })
}

export interface OpenDatabaseOptions {
  /** PostgreSQL only: a schema to work in (tests use one schema per test file). */
  searchPath?: string
  /** Who opens the embedded data directory, for the lock message. */
  holder?: string
  /** PGlite only: start from a dumped data directory (tests start from a migrated template). */
  pgliteLoadDataDir?: Blob
}

export async function openDatabase(config: Config, options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  if (config.database.kind === 'postgres') {
    const pool = postgresPool(config.database.url, config.database.poolMax, options.searchPath)
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    const handle = {
      ...makeHandle(db, 'postgres', async () => {
        await db.destroy()
      }),
      connectClient: () => pool.connect(),
    }
    try {
      await handle.ping(10_000)
    } catch (error) {
      await db.destroy()
      throw new DatabaseUnavailableError(
        `Cannot reach PostgreSQL at ${redactUrl(config.database.url)}: ${(error as Error).message}`,
        { cause: error },
      )
    }
    return handle
  }

  const dataDir = config.database.dataDir
  let lock: DataDirectoryLock | undefined
  if (dataDir) lock = await acquireDataDirectoryLock(dataDir, options.holder ?? 'safer')
  let pglite: PGlite
  try {
    pglite = await openPglite(dataDir, options.pgliteLoadDataDir)
  } catch (error) {
    await lock?.release()
    throw new DatabaseUnavailableError(
      `Cannot open the embedded database at ${dataDir ?? 'memory'}: ${String(error)}`,
      {
        cause: error,
      },
    )
  }
  const pool = createPglitePool(pglite)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return {
    ...makeHandle(db, 'pglite', async () => {
      await db.destroy()
      await lock?.release()
    }),
    dumpDataDir: () => pglite.dumpDataDir('gzip'),
  }
}

function makeHandle(db: Kysely<Database>, engine: Engine, close: () => Promise<void>): DatabaseHandle {
  let closed = false
  return {
    db,
    engine,
    async ping(timeoutMs = 2000) {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`no answer within ${String(timeoutMs)} ms`))
        }, timeoutMs)
      })
      try {
        await Promise.race([sql`select 1`.execute(db), timeout])
      } finally {
        clearTimeout(timer)
      }
    },
    async close() {
      if (closed) return
      closed = true
      await close()
    },
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the configured DATABASE_URL'
  }
}
