/**
 * A database for one test file. PGlite in memory always; PostgreSQL when TEST_DATABASE_URL is set, in a fresh
 * schema of its own (dropped afterwards) so test files can run in parallel against one server.
 */
import { randomUUID } from 'node:crypto'

import pg from 'pg'

import { testConfig, type Config } from '../../src/config.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { openDatabase, type DatabaseHandle } from '../../src/platform/database/index.js'

const testDatabaseUrl = process.env.TEST_DATABASE_URL

export const engineUnderTest: 'pglite' | 'postgres' = testDatabaseUrl ? 'postgres' : 'pglite'

export interface TestDatabase {
  config: Config
  database: DatabaseHandle
  drop(): Promise<void>
}

export async function createTestDatabase(overrides: Record<string, string> = {}): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    const config = testConfig(overrides)
    const database = await openDatabase(config)
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
