import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { sql } from 'kysely'

import { loadConfig } from '../../src/config.js'
import { createAuditService, systemActor } from '../../src/platform/audit.js'
import { systemClock } from '../../src/platform/clock.js'
import { openDatabase } from '../../src/platform/database/index.js'
import { runSaferInProcess } from '../helpers/cli.js'

const run = (args: string[], env: Record<string, string>) => runSaferInProcess(args, env)

// The command itself, on an embedded database in a folder of its own (PostgreSQL is covered by the service tests).
describe('Integration: safer audit verify and safer db roles', () => {
  let dataDir: string
  let env: Record<string, string>

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-audit-'))
    env = { PGLITE_DATA_DIR: dataDir }
  })
  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('verifies an intact trail, then names the row changed behind the triggers and exits 1', async () => {
    const migrated = await run(['db', 'migrate'], env)
    assert.equal(migrated.code, 0, migrated.stderr)
    const database = await openDatabase(loadConfig(env))
    let changed: { id: number; occurred_at: Date }
    try {
      const audit = createAuditService({ db: database.db, clock: systemClock })
      for (let i = 0; i < 5; i++) await audit.record({ actor: systemActor, action: 'test.cli', details: { i } })
      changed = await database.db
        .selectFrom('audit_event')
        .select(['id', 'occurred_at'])
        .orderBy('seq')
        .offset(2)
        .limit(1)
        .executeTakeFirstOrThrow()
    } finally {
      await database.close()
    }

    const intact = await run(['audit', 'verify', '--batch-size', '2'], env)
    assert.equal(intact.code, 0, intact.stderr)
    assert.match(intact.stdout, /Verified 5 audit events, from the first row ever written/)

    const owner = await openDatabase(loadConfig(env))
    try {
      await owner.db.transaction().execute(async trx => {
        await sql`alter table audit_event disable trigger user`.execute(trx)
        await sql`update audit_event set action = 'test.rewritten' where id = ${changed.id}`.execute(trx)
        await sql`alter table audit_event enable trigger user`.execute(trx)
      })
    } finally {
      await owner.close()
    }
    const broken = await run(['audit', 'verify'], env)
    assert.equal(broken.code, 1)
    assert.match(broken.stderr, new RegExp(`broken at row id ${String(changed.id)} `))
    assert.ok(broken.stderr.includes(changed.occurred_at.toISOString()), broken.stderr)
  })

  it('explains that application roles are for PostgreSQL', async () => {
    const result = await run(['db', 'roles', '--app-role', 'safer_app'], env)
    assert.equal(result.code, 1)
    assert.match(result.stderr, /PostgreSQL only/)
  })
})
