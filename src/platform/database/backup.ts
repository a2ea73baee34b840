/**
 * `safer db backup` and `safer db restore` for the embedded database. A backup is PGlite's own `dumpDataDir('gzip')`:
 * a gzipped tarball of the whole data directory, taken while this process holds the data-directory lock, so no server
 * can be writing at the same time (while one runs, the lock refuses the command and names the holder). A restore
 * checks the file is such a tarball, unpacks it into a staging directory beside the target, opens it and checks it is
 * a Safer database, and only then moves it into place. With DATABASE_URL (PostgreSQL) nothing is done here: the
 * server's own pg_dump and pg_restore are the right tools, and the commands say so.
 * See docs/backup-and-restore.md and docs/adr/0023-subject-access-and-backups.md.
 */
import fs from 'node:fs'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'

import { sql, type Kysely } from 'kysely'

import type { Config } from '../../config.js'
import { migrations as knownMigrations } from '../../db/migrations/index.js'
import type { Database } from '../../db/schema.js'
import { acquireDataDirectoryLock } from './data-lock.js'
import { openDatabase } from './index.js'

export class BackupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'BackupError'
  }
}

/** The same tasks on PostgreSQL, for an operator to run (the connection string stays in their environment). */
export const POSTGRES_BACKUP_ADVICE = [
  'Safer is configured for PostgreSQL (DATABASE_URL), whose backups are the job of its own tools:',
  '  back up:  pg_dump --format=custom --no-owner --file=<file> "$DATABASE_URL"',
  '  restore:  pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" <file>',
  "Run them from a machine with the PostgreSQL client tools of the server's major version (or use your provider's",
  'snapshots). pg_dump takes a consistent snapshot while Safer keeps running. See docs/backup-and-restore.md.',
].join('\n')

export class PostgresBackupError extends BackupError {
  constructor() {
    super(POSTGRES_BACKUP_ADVICE)
    this.name = 'PostgresBackupError'
  }
}

export interface BackupResult {
  file: string
  bytes: number
  migrations: number
}

export interface RestoreResult {
  dataDir: string
  migrations: number
  /** Where the data directory that was replaced (with --force) was moved to. */
  previous?: string
}

function pgliteDataDir(config: Config): string {
  if (config.database.kind === 'postgres') throw new PostgresBackupError()
  const { dataDir } = config.database
  if (!dataDir) throw new BackupError('PGLITE_DATA_DIR is "memory://": there is no data on disk to back up or restore.')
  return dataDir
}

/** Names of the entries in a (POSIX or GNU) tar archive. */
export function tarEntries(tar: Buffer): string[] {
  const names: string[] = []
  let offset = 0
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512)
    if (header.every(byte => byte === 0)) break
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '')
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '')
    const sizeField = header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim()
    const size = Number.parseInt(sizeField || '0', 8)
    if (!Number.isFinite(size) || size < 0) throw new BackupError('the archive has a damaged entry header')
    names.push((prefix ? `${prefix}/${name}` : name).replace(/^\/+/, ''))
    offset += 512 + Math.ceil(size / 512) * 512
  }
  return names
}

/** Reads a backup file and checks it is a gzipped PGlite data directory; returns its bytes. */
export function readBackupFile(file: string): Buffer<ArrayBuffer> {
  let bytes: Buffer<ArrayBuffer>
  try {
    bytes = fs.readFileSync(file)
  } catch (error) {
    throw new BackupError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      cause: error,
    })
  }
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b)
    throw new BackupError(`${file} is not a Safer backup: it is not gzip-compressed. Nothing was changed.`)
  let names: string[]
  try {
    names = tarEntries(gunzipSync(bytes))
  } catch (error) {
    throw new BackupError(`${file} is not a Safer backup: ${(error as Error).message}. Nothing was changed.`, {
      cause: error,
    })
  }
  const required = ['PG_VERSION', 'global/pg_control']
  const missing = required.filter(name => !names.includes(name))
  if (missing.length > 0 || !names.some(name => name.startsWith('base/')))
    throw new BackupError(
      `${file} is not a Safer backup: it holds no database directory (missing ${missing.join(', ') || 'base/'}). ` +
        'Nothing was changed.',
    )
  return bytes
}

function isEmptyDirectory(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw error
  }
}

export async function backupDatabase(
  config: Config,
  file: string,
  options: { force?: boolean } = {},
): Promise<BackupResult> {
  const dataDir = pgliteDataDir(config)
  const target = path.resolve(file)
  if (fs.existsSync(target) && !options.force)
    throw new BackupError(`${target} already exists; choose another name or add --force to replace it.`)
  if (isEmptyDirectory(dataDir))
    throw new BackupError(`There is no embedded database at ${dataDir} to back up (PGLITE_DATA_DIR).`)
  const database = await openDatabase(config, { holder: 'safer db backup' })
  let dump: Buffer
  let migrations: number
  try {
    migrations = await countMigrations(database.db)
    if (!database.dumpDataDir) throw new BackupError('This database cannot be dumped.')
    dump = Buffer.from(await (await database.dumpDataDir()).arrayBuffer())
  } finally {
    await database.close()
  }
  fs.mkdirSync(path.dirname(target), { recursive: true })
  const partial = `${target}.${String(process.pid)}.partial`
  fs.writeFileSync(partial, dump, { mode: 0o600 })
  fs.renameSync(partial, target)
  return { file: target, bytes: dump.length, migrations }
}

async function unknownMigrations(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from schema_migration order by name`.execute(db)
  return rows.map(row => row.name).filter(name => !(name in knownMigrations))
}

async function countMigrations(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ applied: number | null }>`
    select case when to_regclass('schema_migration') is null then null
      else (select count(*)::int from schema_migration) end as applied`.execute(db)
  return rows[0]?.applied ?? -1
}

export async function restoreDatabase(
  config: Config,
  file: string,
  options: { force?: boolean; now?: Date } = {},
): Promise<RestoreResult> {
  const dataDir = pgliteDataDir(config)
  const bytes = readBackupFile(file)
  // Hold the target's lock throughout: no server may open it while it is being replaced.
  const lock = await acquireDataDirectoryLock(dataDir, 'safer db restore')
  const staging = `${dataDir}.restoring-${String(process.pid)}`
  try {
    const empty = isEmptyDirectory(dataDir)
    if (!empty && !options.force)
      throw new BackupError(
        `${dataDir} already holds a database. Restoring would replace it: add --force to move it aside ` +
          'and restore, or set PGLITE_DATA_DIR to an empty directory. Nothing was changed.',
      )
    fs.rmSync(staging, { recursive: true, force: true })
    const stagingConfig: Config = { ...config, database: { kind: 'pglite', dataDir: staging } }
    let migrations: number
    try {
      const database = await openDatabase(stagingConfig, {
        holder: 'safer db restore',
        pgliteLoadDataDir: new Blob([bytes]),
      })
      try {
        migrations = await countMigrations(database.db)
        const unknown = migrations > 0 ? await unknownMigrations(database.db) : []
        if (unknown.length > 0)
          throw new BackupError(
            `${file} was taken by a newer version of Safer (migrations this version does not have: ` +
              `${unknown.join(', ')}). Restore it with that version. Nothing was changed.`,
          )
      } finally {
        await database.close()
      }
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true })
      if (error instanceof BackupError) throw error
      throw new BackupError(`${file} could not be opened as a database: ${(error as Error).message}`, {
        cause: error,
      })
    }
    if (migrations < 0) {
      fs.rmSync(staging, { recursive: true, force: true })
      throw new BackupError(`${file} is a PostgreSQL data directory but not a Safer database. Nothing was changed.`)
    }
    let previous: string | undefined
    if (!empty) {
      previous = `${dataDir}.replaced-${(options.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}`
      fs.renameSync(dataDir, previous)
    } else {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
    fs.renameSync(staging, dataDir)
    return { dataDir, migrations, ...(previous ? { previous } : {}) }
  } finally {
    await lock.release()
  }
}
