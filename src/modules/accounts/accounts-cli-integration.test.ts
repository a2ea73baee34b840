import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { loadConfig } from '../../config.js'
import { openDatabase } from '../../platform/database/index.js'
import { createAccountsService } from './accounts-service.js'
import { createAuditService } from '../../platform/audit.js'
import { systemClock } from '../../platform/clock.js'
import { verifyPassword } from './passwords.js'
import { cliDatabase, runSaferInProcess, type CliDatabase } from '../../../test/helpers/cli.js'

// `safer` in this process (test/helpers/cli.ts): the same command, parsing, configuration and output.
const safer = (args: string[], env: Record<string, string>) => runSaferInProcess(args, { DEMO_DATA: 'false', ...env })

describe('Integration: safer partner create and safer user create', () => {
  let cli: CliDatabase
  let env: Record<string, string>
  before(async () => {
    cli = await cliDatabase()
    env = cli.env
  })
  after(() => cli.drop())

  it('creates the first administrator, printing a one-time password as the last line', async () => {
    const partner = await safer(
      ['partner', 'create', '--code', 'council', '--name', 'Test Council', '--kind', 'council'],
      env,
    )
    assert.equal(partner.code, 0, partner.stderr)
    const unknown = await safer(['user', 'create', '--email', 'a@b.example', '--name', 'A', '--partner', 'nope'], env)
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /Select an organisation/)
    const badRole = await safer(
      ['user', 'create', '--email', 'a@b.example', '--name', 'A', '--partner', 'council', '--role', 'wizard'],
      env,
    )
    assert.notEqual(badRole.code, 0)
    assert.match(badRole.stderr, /unknown role "wizard"/)

    const created = await safer(
      ['user', 'create', '--email', 'first.admin@council.example', '--name', 'First Admin', '--partner', 'council'],
      env,
    )
    assert.equal(created.code, 0, created.stderr)
    const password = created.stdout.trim().split('\n').at(-1) ?? ''
    assert.ok(password.length >= 12)

    const database = await openDatabase(loadConfig(env), { holder: 'test' })
    try {
      const accounts = createAccountsService({
        db: database.db,
        audit: createAuditService({ db: database.db, clock: systemClock }),
        clock: systemClock,
        secret: 'unused-for-this-test-unused-for-this-test',
        policy: loadConfig(env).accounts,
      })
      const user = await accounts.repository.userByEmail('first.admin@council.example')
      assert.deepEqual(user?.roles, ['administrator'])
      assert.ok(user.passwordHash && (await verifyPassword(user.passwordHash, password)))
      assert.equal(user.totpConfirmedAt, null, 'sets up the authenticator at first sign-in')
    } finally {
      await database.close()
    }
  })
})

describe('Integration: the demo in production', () => {
  let cli: CliDatabase
  let production: Record<string, string>
  before(async () => {
    cli = await cliDatabase()
    production = { ...cli.env, APP_ENV: 'production', SESSION_SECRET: 'p'.repeat(40) }
  })
  after(() => cli.drop())

  it('refuses `safer db seed` and creates nothing, and refuses to serve with DEMO_DATA=true', async () => {
    const migrated = await safer(['db', 'migrate'], production)
    assert.equal(migrated.code, 0, migrated.stderr)
    const seeded = await safer(['db', 'seed'], production)
    assert.equal(seeded.code, 1)
    assert.match(seeded.stderr, /never seeded in production/)
    assert.match(seeded.stderr, /safer user create/)
    const forced = await safer(['db', 'seed', '--force'], production)
    assert.equal(forced.code, 1)

    const serve = await safer(['serve'], { ...production, DEMO_DATA: 'true', PORT: '0' })
    assert.equal(serve.code, 78)
    assert.match(serve.stderr, /DEMO_DATA: must not be true in production/)

    const database = await openDatabase(loadConfig(cli.env), { holder: 'test' })
    try {
      const count = async (table: 'staff_user' | 'partner' | 'report' | 'setting') =>
        Number(
          (
            await database.db
              .selectFrom(table)
              .select(eb => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      assert.equal(await count('staff_user'), 0)
      assert.equal(await count('partner'), 0)
      assert.equal(await count('report'), 0)
      assert.equal(await count('setting'), 0)
    } finally {
      await database.close()
    }
  })
})
