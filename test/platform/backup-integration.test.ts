/**
 * `safer db backup` and `safer db restore`, through the command's own entry point (`main`, in this process; in a
 * process of its own where another process holds the database). On PGlite: a seeded
 * demo database backed up and restored into a fresh directory has the same number of rows in every table, and the
 * application reports itself UP on the restored directory. On PostgreSQL: the commands explain pg_dump/pg_restore
 * and exit 2, having done nothing.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { sql, type Kysely } from 'kysely'

import { buildApp } from '../../src/app.js'
import { loadConfig, testConfig } from '../../src/config.js'
import type { Database } from '../../src/db/schema.js'
import { createDependencies } from '../../src/dependencies.js'
import { prepare } from '../../src/operations.js'
import { fixedClock } from '../../src/platform/clock.js'
import { BackupError, backupDatabase, restoreDatabase } from '../../src/platform/database/backup.js'
import { openDatabase } from '../../src/platform/database/index.js'
import { TEST_INSTANT } from '../helpers/build-app.js'
import { demoTemplate, engineUnderTest } from '../helpers/database.js'
import { runSafer, runSaferInProcess } from '../helpers/cli.js'

// `safer` in this process; `runSafer` (a process of its own) where the test is about another process's lock.
const run = (args: string[], env: Record<string, string>) => runSaferInProcess(args, env)

async function rowCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)
  const counts: Record<string, number> = {}
  for (const { name } of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db)
    counts[name] = rows[0]?.n ?? -1
  }
  return counts
}

describe('Integration: backing up and restoring the database', { skip: engineUnderTest !== 'pglite' }, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-backup-'))
  const source = path.join(work, 'source')
  const restored = path.join(work, 'restored')
  const file = path.join(work, 'safer.tar.gz')
  let expected: Record<string, number> = {}

  before(async () => {
    // A database with something in (nearly) every table: migrated, geography loaded, the demo seeded (from a copy of
    // the run's demo template when the runner built one: the same seeders at the same instant, ADR 0063).
    const template = demoTemplate()
    const deps = await createDependencies(testConfig({ PGLITE_DATA_DIR: source }), {
      clock: fixedClock(TEST_INSTANT),
      holder: 'test setup',
      ...(template ? { pgliteLoadDataDir: template } : {}),
    })
    try {
      await prepare(deps, { seedDemo: true })
      expected = await rowCounts(deps.database.db)
    } finally {
      await deps.close()
    }
  })

  after(() => {
    fs.rmSync(work, { recursive: true, force: true })
  })

  it('refuses to back up while another process has the database open, naming it', async () => {
    const holder = await openDatabase(loadConfig({ PGLITE_DATA_DIR: source }), { holder: 'safer serve' })
    try {
      const result = await runSafer(['db', 'backup', file], { PGLITE_DATA_DIR: source })
      assert.equal(result.code, 1)
      assert.match(result.stderr, /in use by another Safer process \(safer serve, pid \d+\)/)
      assert.equal(fs.existsSync(file), false)
    } finally {
      await holder.close()
    }
  })

  it('backs up, restores into a fresh directory with the same rows in every table, and serves from it', async () => {
    const backup = await run(['db', 'backup', file], { PGLITE_DATA_DIR: source })
    assert.equal(backup.code, 0, backup.stderr)
    assert.match(backup.stdout, /Backed up the embedded database/)

    const restore = await run(['db', 'restore', file], { PGLITE_DATA_DIR: restored })
    assert.equal(restore.code, 0, restore.stderr)
    assert.match(restore.stdout, /Restored/)

    const config = testConfig({ PGLITE_DATA_DIR: restored })
    const deps = await createDependencies(config, { holder: 'test server' })
    try {
      const actual = await rowCounts(deps.database.db)
      assert.ok(Object.keys(expected).length > 60, 'every table was counted')
      assert.ok((expected.report ?? 0) > 0 && (expected.asb_case ?? 0) > 0 && (expected.audit_event ?? 0) > 0)
      assert.deepEqual(actual, expected)
      const app = await buildApp(deps)
      try {
        const health = await app.inject({ method: 'GET', url: '/health' })
        assert.equal(health.statusCode, 200)
        assert.equal(health.json<{ status: string }>().status, 'UP')
      } finally {
        await app.close()
      }
    } finally {
      await deps.close()
    }
  })

  it('refuses to restore over a database unless forced, and then keeps the old one aside', async () => {
    const config = testConfig({ PGLITE_DATA_DIR: restored })
    await assert.rejects(restoreDatabase(config, file), (error: Error) => {
      assert.ok(error instanceof BackupError)
      assert.match(error.message, /already holds a database.*--force.*Nothing was changed/s)
      return true
    })
    const result = await restoreDatabase(config, file, { force: true })
    assert.ok(result.previous && fs.existsSync(path.join(result.previous, 'PG_VERSION')))
    assert.ok(fs.existsSync(path.join(restored, 'PG_VERSION')))
  })

  it('refuses a backup taken by a newer version of Safer', async () => {
    const newer = path.join(work, 'newer')
    const config = testConfig({ PGLITE_DATA_DIR: restored })
    const database = await openDatabase(config)
    try {
      await sql`insert into schema_migration (name, timestamp) values ('9999-from-the-future', now())`.execute(
        database.db,
      )
    } finally {
      await database.close()
    }
    const newerFile = path.join(work, 'newer.tar.gz')
    await backupDatabase(config, newerFile)
    await assert.rejects(
      restoreDatabase(testConfig({ PGLITE_DATA_DIR: newer }), newerFile),
      /newer version of Safer \(migrations this version does not have: 9999-from-the-future\)/,
    )
    assert.equal(fs.existsSync(path.join(newer, 'PG_VERSION')), false)
  })

  it('refuses a file that is not a backup, changing nothing', async () => {
    const empty = path.join(work, 'empty')
    const config = testConfig({ PGLITE_DATA_DIR: empty })
    const text = path.join(work, 'notes.txt')
    fs.writeFileSync(text, 'not a backup')
    await assert.rejects(restoreDatabase(config, text), /not gzip-compressed\. Nothing was changed/)
    const tarball = path.join(work, 'other.tar.gz')
    const { gzipSync } = await import('node:zlib')
    fs.writeFileSync(tarball, gzipSync(Buffer.alloc(1024)))
    await assert.rejects(restoreDatabase(config, tarball), /holds no database directory/)
    assert.equal(fs.existsSync(path.join(empty, 'PG_VERSION')), false)
  })
})

describe('Integration: backup commands on PostgreSQL', { skip: engineUnderTest !== 'postgres' }, () => {
  it('explains pg_dump and pg_restore instead of pretending, and exits 2', async () => {
    const url = process.env.TEST_DATABASE_URL ?? ''
    for (const command of ['backup', 'restore']) {
      const result = await run(['db', command, path.join(os.tmpdir(), 'never-written.dump')], { DATABASE_URL: url })
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stdout, /pg_dump --format=custom/)
      assert.match(result.stdout, /pg_restore --clean/)
    }
    assert.equal(fs.existsSync(path.join(os.tmpdir(), 'never-written.dump')), false)
  })
})
