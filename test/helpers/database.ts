/**
 * A database for one test file. PGlite in memory always; PostgreSQL when TEST_DATABASE_URL is set, in a fresh
 * schema of its own (dropped afterwards) so test files can run in parallel against one server.
 *
 * PGlite starts from a template: a data directory already migrated and holding the default geography pack, dumped
 * once to node_modules/.cache and keyed by the content of the migrations and the pack. Creating a PGlite cluster
 * and migrating it costs several seconds of CPU per test file; loading the template costs about one.
 */
import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'

import { projectRoot, testConfig, type Config } from '../../src/config.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { createGeographyRepository, createGeographyService } from '../../src/modules/geography/index.js'
import { openDatabase, type DatabaseHandle } from '../../src/platform/database/index.js'

const testDatabaseUrl = process.env.TEST_DATABASE_URL

export const engineUnderTest: 'pglite' | 'postgres' = testDatabaseUrl ? 'postgres' : 'pglite'

export interface TestDatabase {
  config: Config
  database: DatabaseHandle
  drop(): Promise<void>
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(entry => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    .sort()
}

function templateKey(config: Config): string {
  const hash = createHash('sha256')
  const pglite = JSON.parse(
    fs.readFileSync(path.join(projectRoot, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  ) as { version: string }
  hash.update(pglite.version)
  for (const file of [
    ...filesUnder(path.join(projectRoot, 'src/db/migrations')),
    ...filesUnder(config.geographyPack),
  ]) {
    hash.update(path.relative(projectRoot, file))
    hash.update(fs.readFileSync(file))
  }
  return hash.digest('hex').slice(0, 20)
}

const cacheDir = path.join(projectRoot, 'node_modules/.cache/safer-tests')
const STALE_AFTER_MS = 3 * 24 * 60 * 60 * 1000

/**
 * The template's file for this configuration, built when missing. Templates of other migrations (another branch,
 * another checkout sharing node_modules) are kept until unused for three days, so switching back costs nothing.
 */
async function templateFile(config: Config): Promise<string | undefined> {
  const file = path.join(cacheDir, `template-${templateKey(config)}.tar.gz`)
  if (fs.existsSync(file)) {
    const now = new Date()
    fs.utimesSync(file, now, now)
    return file
  }
  const database = await openDatabase(config)
  try {
    await migrateToLatest(database.db)
    await createGeographyService({ repository: createGeographyRepository(database.db) }).importPack(
      config.geographyPack,
    )
    if (!database.dumpDataDir) return undefined
    const dump = Buffer.from(await (await database.dumpDataDir()).arrayBuffer())
    fs.mkdirSync(cacheDir, { recursive: true })
    // Another test file may be writing the same template: write aside, then rename (atomic on one filesystem).
    const partial = `${file}.${String(process.pid)}.partial`
    fs.writeFileSync(partial, dump)
    fs.renameSync(partial, file)
  } finally {
    await database.close()
  }
  for (const stale of fs.readdirSync(cacheDir)) {
    const full = path.join(cacheDir, stale)
    if (!stale.startsWith('template-') || full === file) continue
    try {
      if (Date.now() - fs.statSync(full).mtimeMs > STALE_AFTER_MS) fs.rmSync(full, { force: true })
    } catch {
      // Removed by another test file meanwhile.
    }
  }
  return file
}

/** Builds the PGlite template if it is missing: `scripts/run-tests.js` calls it once before the files start. */
export async function ensureTemplate(): Promise<void> {
  if (!testDatabaseUrl) await templateFile(testConfig({}))
}

async function pgliteFromTemplate(config: Config): Promise<DatabaseHandle> {
  const file = await templateFile(config)
  if (!file) return openDatabase(config)
  return openDatabase(config, { pgliteLoadDataDir: new Blob([fs.readFileSync(file)]) })
}

/**
 * The run's seeded demo borough, when `scripts/run-tests.js` built one (`test/helpers/demo-template.ts`): a PGlite
 * dump named by SAFER_TEST_DEMO_TEMPLATE, for this run only. Undefined on PostgreSQL or when there is none.
 */
export function demoTemplate(): Blob | undefined {
  const file = process.env.SAFER_TEST_DEMO_TEMPLATE
  if (testDatabaseUrl || !file || !fs.existsSync(file)) return undefined
  return new Blob([fs.readFileSync(file)])
}

export interface TestDatabaseOptions {
  /** Start from this PGlite dump instead of the migrated template (ignored on PostgreSQL). */
  loadDataDir?: Blob
}

export async function createTestDatabase(
  overrides: Record<string, string> = {},
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    const config = testConfig(overrides)
    const database = options.loadDataDir
      ? await openDatabase(config, { pgliteLoadDataDir: options.loadDataDir })
      : await pgliteFromTemplate(config)
    // The template is migrated already; this applies nothing unless a migration is newer than the cached template.
    await migrateToLatest(database.db)
    return { config, database, drop: () => database.close() }
  }
  const schema = `test_${randomUUID().replace(/-/g, '').slice(0, 16)}`
  const admin = new pg.Client({ connectionString: testDatabaseUrl })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  const config = testConfig({ DATABASE_URL: testDatabaseUrl, DATABASE_POOL_MAX: '4', ...overrides })
  const database = await openDatabase(config, { searchPath: schema })
  await migrateToLatest(database.db)
  return {
    config,
    database,
    async drop() {
      await database.close()
      const cleanup = new pg.Client({ connectionString: testDatabaseUrl })
      await cleanup.connect()
      await cleanup.query(`drop schema if exists ${schema} cascade`)
      await cleanup.end()
    },
  }
}
