import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { loadConfig } from '../../config.js'
import { migrateToLatest } from '../../db/migrate.js'
import { openDatabase } from '../../platform/database/index.js'
import { hashKey } from './api-keys.js'
import { cliDatabase, runSaferInProcess, type CliDatabase } from '../../../test/helpers/cli.js'

const safer = (args: string[], env: Record<string, string>) => runSaferInProcess(args, env)

describe('Integration: safer api-key', () => {
  let cli: CliDatabase
  let env: Record<string, string>

  before(async () => {
    cli = await cliDatabase()
    env = cli.env
    const database = await openDatabase(loadConfig(env))
    await migrateToLatest(database.db)
    await database.db
      .insertInto('partner')
      .values({ code: 'police', name: 'Metropolitan Police', kind: 'police' })
      .execute()
    await database.close()
  })
  after(() => cli.drop())

  it('creates a key printed as the last line, lists it without the key, revokes it, and refuses unknown partners', async () => {
    const created = await safer(['api-key', 'create', '--partner', 'police', '--name', 'FixMyStreet'], env)
    assert.equal(created.code, 0, created.stderr)
    const lines = created.stdout.trim().split('\n')
    const key = lines[lines.length - 1] ?? ''
    assert.match(key, /^safer311_[A-Za-z0-9_-]{43}$/)

    const database = await openDatabase(loadConfig(env))
    const row = await database.db.selectFrom('open311_api_key').selectAll().executeTakeFirstOrThrow()
    await database.close()
    assert.equal(row.key_hash, hashKey(key), 'only the hash is stored')

    const listed = await safer(['api-key', 'list'], env)
    assert.equal(listed.code, 0, listed.stderr)
    assert.match(listed.stdout, new RegExp(`${row.id}\\s+police`))
    assert.ok(!listed.stdout.includes(key), 'the list never shows a key')
    assert.match(listed.stdout, /active/)

    const revoked = await safer(['api-key', 'revoke', row.id], env)
    assert.equal(revoked.code, 0, revoked.stderr)
    assert.match((await safer(['api-key', 'list'], env)).stdout, /revoked/)
    const again = await safer(['api-key', 'revoke', row.id], env)
    assert.equal(again.code, 1)
    assert.equal(again.stderr.trim(), `safer: The API key ${row.id} was already revoked.`)

    const unknown = await safer(['api-key', 'create', '--partner', 'nobody', '--name', 'x'], env)
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /No partner has the code "nobody"/)
  })
})
