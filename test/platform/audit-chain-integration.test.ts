import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'

import * as migration from '../../src/db/migrations/0700-audit-chain.js'
import * as partitioning from '../../src/db/migrations/0771-audit-month-partitions.js'
import type { Database } from '../../src/db/schema.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { auditSessionId } from '../../src/modules/accounts/index.js'
import { describeVerification, systemActor } from '../../src/platform/audit.js'
import { DatabaseRoleError, dropApplicationRole, grantApplicationRole } from '../../src/platform/database/roles.js'
import { buildTestApp, type TestApp } from '../helpers/build-app.js'
import { engineUnderTest } from '../helpers/database.js'
import { createStaff, signIn } from '../helpers/staff.js'

describe('Integration: the tamper-evident audit trail', () => {
  let t: TestApp
  let db: Kysely<Database>

  before(async () => {
    t = await buildTestApp()
    db = t.deps.database.db
  })
  after(async () => {
    await t.close()
  })

  /** As the owner, with the user triggers off: what someone with the owner's rights could do. */
  async function tamper(statement: ReturnType<typeof sql>) {
    await db.transaction().execute(async trx => {
      await sql`alter table audit_event disable trigger user`.execute(trx)
      await statement.execute(trx)
      await sql`alter table audit_event enable trigger user`.execute(trx)
    })
  }

  async function record(count: number, action = 'test.event') {
    for (let i = 0; i < count; i++) {
      await t.deps.audit.record({ actor: systemActor, action, details: { i, note: 'ünïcode ✓', n: 1.5 } })
    }
  }

  it('chains the rows already there when the migration runs, and can be rolled back', async () => {
    await partitioning.down(db as unknown as Kysely<unknown>)
    await migration.down(db as unknown as Kysely<unknown>)
    for (let i = 0; i < 4; i++) {
      await sql`insert into audit_event (occurred_at, actor_type, action, details)
        values (${new Date(Date.UTC(2025, 0, 1, 0, 0, i, 123))}, 'system', ${`test.before-${String(i)}`}, '{"x": [1, "ä"]}')`.execute(
        db,
      )
    }
    await assert.rejects(sql`update audit_event set action = 'x'`.execute(db), /append-only/)
    await migration.up(db as unknown as Kysely<unknown>)
    // Partitioning by month (0771) keeps every row, its place in the chain and its hash.
    await partitioning.up(db as unknown as Kysely<unknown>)
    const { rows: where } = await sql<{ part: string }>`
      select distinct tableoid::regclass::text as part from audit_event`.execute(db)
    assert.deepEqual(
      where.map(row => row.part),
      ['audit_event_202501'],
    )
    const rows = await db.selectFrom('audit_event').select(['seq', 'action']).orderBy('seq').execute()
    assert.deepEqual(
      rows.map(row => row.action),
      ['test.before-0', 'test.before-1', 'test.before-2', 'test.before-3'],
    )
    const result = await t.deps.audit.verify()
    assert.ok(result.ok, describeVerification(result).join(' '))
    assert.equal(result.rows, 4)
    assert.equal(result.head.seq, 4)
  })

  it('chains every row, whoever inserts it, and verifies the whole trail in batches', async () => {
    await record(7)
    // An insert of its own, as services do with audit.row(...) inside a statement.
    await db
      .insertInto('audit_event')
      .values(t.deps.audit.row({ actor: systemActor, action: 'test.row', details: { nested: { b: 1, a: [2] } } }))
      .execute()
    const rows = await db.selectFrom('audit_event').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute()
    assert.ok(rows.length >= 8)
    rows.forEach((row, index) => {
      assert.equal(row.seq, index + 1)
      assert.match(row.hash, /^[0-9a-f]{64}$/)
      if (index > 0) assert.equal(row.prev_hash, rows[index - 1]?.hash)
    })
    const result = await t.deps.audit.verify({ batchSize: 3 })
    assert.equal(result.ok, true, describeVerification(result).join(' '))
    assert.equal(result.rows, rows.length)
    assert.match(describeVerification(result)[0] ?? '', new RegExp(`Verified ${String(rows.length)} audit events`))
  })

  it('chains concurrent inserts in one order', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        db
          .transaction()
          .execute(trx => t.deps.audit.record({ actor: systemActor, action: `test.parallel-${String(i)}` }, trx)),
      ),
    )
    const result = await t.deps.audit.verify()
    assert.equal(result.ok, true, describeVerification(result).join(' '))
  })

  it('refuses UPDATE, DELETE and TRUNCATE of the audit trail', async () => {
    await assert.rejects(sql`update audit_event set action = 'x'`.execute(db), /append-only/)
    await assert.rejects(sql`delete from audit_event`.execute(db), /append-only/)
    await assert.rejects(sql`truncate audit_event`.execute(db), /append-only/)
    // Partitioned by month (ADR 0061): each partition, the default one included, refuses the same.
    await assert.rejects(sql`truncate audit_event_default`.execute(db), /append-only/)
    const { rows: months } = await sql<{ name: string }>`
      select inhrelid::regclass::text as name from pg_inherits where inhparent = 'audit_event'::regclass`.execute(db)
    assert.ok(months.length >= 5, 'this month, the next three and the default partition')
    for (const { name } of months) await assert.rejects(sql`truncate ${sql.table(name)}`.execute(db), /append-only/)
    const { rows: holding } = await sql<{ name: string }>`
      select distinct tableoid::regclass::text as name from audit_event`.execute(db)
    assert.ok(holding.length > 0)
    for (const { name } of holding) await assert.rejects(sql`delete from ${sql.table(name)}`.execute(db), /append-only/)
    // Setting the purge flag by hand is the documented weakness for the owner; the truncate guard stays.
    await assert.rejects(sql`truncate audit_chain`.execute(db), /cannot be deleted/)
    const result = await t.deps.audit.verify()
    assert.equal(result.ok, true)
  })

  it('names the row changed behind the triggers, and verifies again once it is put back', async () => {
    const victim = await db
      .selectFrom('audit_event')
      .select(['id', 'seq', 'occurred_at', 'details'])
      .orderBy('seq')
      .offset(3)
      .limit(1)
      .executeTakeFirstOrThrow()
    await tamper(sql`update audit_event set details = '{"i": 99}'::jsonb where id = ${victim.id}`)
    const broken = await t.deps.audit.verify({ batchSize: 2 })
    assert.equal(broken.ok, false)
    assert.ok(!broken.ok)
    assert.equal(broken.problem, 'altered')
    assert.equal(broken.row?.id, victim.id)
    assert.equal(broken.rows, victim.seq - 1)
    const message = describeVerification(broken).join(' ')
    assert.match(message, new RegExp(`row id ${String(victim.id)} `))
    assert.match(message, new RegExp(victim.occurred_at.toISOString().replace(/[.]/g, '\\.')))

    await tamper(sql`update audit_event set details = ${JSON.stringify(victim.details)}::jsonb where id = ${victim.id}`)
    assert.equal((await t.deps.audit.verify()).ok, true)
  })

  it('notices a row deleted from the middle or the end of the chain', async () => {
    const middle = await db
      .selectFrom('audit_event')
      .selectAll()
      .orderBy('seq')
      .offset(2)
      .limit(1)
      .executeTakeFirstOrThrow()
    await tamper(sql`delete from audit_event where id = ${middle.id}`)
    const broken = await t.deps.audit.verify()
    assert.ok(!broken.ok)
    assert.equal(broken.problem, 'missing')
    assert.equal(broken.row?.seq, middle.seq + 1)
    // Put it back as it was (the owner can; verify proves it is the same row).
    await tamper(sql`insert into audit_event overriding system value
      select ${sql.join(Object.keys(middle).map(column => sql.ref(column)))}
      from jsonb_populate_record(null::audit_event, ${JSON.stringify(middle)}::jsonb)`)
    assert.equal((await t.deps.audit.verify()).ok, true)

    const last = await db
      .selectFrom('audit_event')
      .select('id')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    await tamper(sql`delete from audit_event where id = ${last.id}`)
    const headless = await t.deps.audit.verify()
    assert.ok(!headless.ok)
    assert.equal(headless.problem, 'head')
  })

  it('purges the oldest rows in chain order through audit_event_purge, and verifies from the anchor', async () => {
    // The previous test removed the last row: start this one from a trail that verifies again.
    const chain = await db.selectFrom('audit_chain').selectAll().executeTakeFirstOrThrow()
    const lastRow = await db
      .selectFrom('audit_event')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    await db.transaction().execute(async trx => {
      await sql`alter table audit_chain disable trigger user`.execute(trx)
      await sql`update audit_chain set head_seq = ${lastRow.seq}, head_hash = ${lastRow.hash}`.execute(trx)
      await sql`alter table audit_chain enable trigger user`.execute(trx)
    })
    assert.ok(chain.head_seq > lastRow.seq)
    assert.equal((await t.deps.audit.verify()).ok, true)

    const insertAt = (at: string, action: string) =>
      db
        .insertInto('audit_event')
        .values({ ...t.deps.audit.row({ actor: systemActor, action }), occurred_at: new Date(at) })
        .execute()
    // Everything so far happened at the test clock's time (2026-11-20); then older rows out of order.
    await insertAt('2020-01-01T00:00:00Z', 'test.old-after-new')
    const before = await db
      .selectFrom('audit_event')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow()

    assert.equal(await t.deps.audit.purge(new Date('2019-01-01T00:00:00Z')), 0, 'nothing older than 2019')
    const purged = await t.deps.audit.purge(new Date('2026-12-01T00:00:00Z'))
    // Rows written before the cutoff go, oldest first, up to the first row at or after it: all but none here,
    // since every row is older than the cutoff.
    assert.equal(purged, before.n)
    await record(3, 'test.after-purge')
    const verified = await t.deps.audit.verify()
    assert.ok(verified.ok, describeVerification(verified).join(' '))
    assert.equal(verified.rows, 3)
    assert.equal(verified.anchor.purged, before.n)
    assert.match(describeVerification(verified)[0] ?? '', /anchor left by the last purge/)

    // A cutoff between rows keeps the chain whole: it stops at the first row at or after the cutoff.
    await insertAt('2030-01-01T00:00:00Z', 'test.future')
    await insertAt('2020-06-01T00:00:00Z', 'test.old-after-future')
    assert.equal(await t.deps.audit.purge(new Date('2029-01-01T00:00:00Z')), 3)
    const rest = await db.selectFrom('audit_event').select('action').orderBy('seq').execute()
    assert.deepEqual(
      rest.map(row => row.action),
      ['test.future', 'test.old-after-future'],
    )
    assert.equal((await t.deps.audit.verify()).ok, true)
  })

  it('writes the IP address, a session identifier and the request id on rows from hooks and services', async () => {
    const admin = await createStaff(t.deps, { roles: ['administrator'] })
    const session = await signIn(t.app, t.deps, admin)
    const listed = await t.app.inject({
      method: 'GET',
      url: '/admin/users',
      headers: { cookie: session.cookie },
      remoteAddress: '203.0.113.7',
    })
    assert.equal(listed.statusCode, 200)
    const hookRow = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'accounts.users-listed')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal(hookRow.ip, '203.0.113.7')
    assert.match(hookRow.session_id ?? '', /^[0-9a-f]{16}$/)
    assert.ok(hookRow.correlation_id)
    const stored = await db.selectFrom('user_session').select('id').where('user_id', '=', admin.id).execute()
    assert.ok(stored.some(row => auditSessionId(row.id) === hookRow.session_id))
    assert.ok(!session.cookie.includes(hookRow.session_id ?? 'none'), 'never the cookie')

    // A service's own row, written while handling a form post (the request body is read first).
    const signedOut = await t.app.inject({
      method: 'POST',
      url: '/sign-out',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(session.token)}`,
      remoteAddress: '2001:db8::5',
    })
    assert.equal(signedOut.statusCode, 303)
    const serviceRow = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'accounts.signed-out')
      .where('actor_id', '=', admin.id)
      .executeTakeFirstOrThrow()
    assert.equal(serviceRow.ip, '2001:db8::5')
    assert.equal(serviceRow.session_id, hookRow.session_id)
    assert.ok(serviceRow.correlation_id)
    assert.notEqual(serviceRow.correlation_id, hookRow.correlation_id)
    // And they are part of the hash.
    assert.equal((await t.deps.audit.verify()).ok, true)
    await tamper(sql`update audit_event set ip = '198.51.100.1' where id = ${serviceRow.id}`)
    const broken = await t.deps.audit.verify()
    assert.ok(!broken.ok)
    assert.equal(broken.row?.id, serviceRow.id)
    await tamper(sql`update audit_event set ip = ${serviceRow.ip} where id = ${serviceRow.id}`)
    assert.equal((await t.deps.audit.verify()).ok, true)
  })

  it(
    'explains that database roles do not apply to embedded PGlite',
    { skip: engineUnderTest !== 'pglite' },
    async () => {
      await assert.rejects(
        grantApplicationRole(db, t.deps.database.engine, { role: 'safer_app' }),
        (error: unknown) => error instanceof DatabaseRoleError && error.message.includes('PostgreSQL only'),
      )
    },
  )

  it(
    'gives the application role on PostgreSQL no way to change or empty the audit trail',
    {
      skip:
        engineUnderTest !== 'postgres'
          ? 'needs a PostgreSQL server: set TEST_DATABASE_URL (PGlite has a single user, so no roles)'
          : false,
    },
    async () => {
      const role = `safer_app_${randomUUID().replace(/-/g, '').slice(0, 10)}`
      const url = process.env.TEST_DATABASE_URL ?? ''
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
      const schema = rows[0]?.schema ?? 'public'
      const password = `pw-${randomUUID()}`
      const created = await grantApplicationRole(db, 'postgres', { role, password })
      assert.equal(created.created, true)
      const again = await grantApplicationRole(db, 'postgres', { role })
      assert.equal(again.created, false)
      const target = new URL(url)
      target.username = role
      target.password = password
      const pool = new pg.Pool({ connectionString: target.toString(), max: 1, options: `-c search_path=${schema}` })
      const app = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
      try {
        const { rows: who } = await sql<{ me: string }>`select current_user as me`.execute(app)
        assert.equal(who[0]?.me, role)
        // Up to date: starting the application as this role applies nothing and needs no owner rights.
        assert.deepEqual(await migrateToLatest(app), [])
        // What the application does: read and change its tables, add to the audit trail.
        await app
          .insertInto('audit_event')
          .values(t.deps.audit.row({ actor: systemActor, action: 'test.as-app-role' }))
          .execute()
        await sql`select count(*) from staff_user`.execute(app)
        await sql`update setting set value = value where false`.execute(app)

        await assert.rejects(sql`truncate audit_event`.execute(app), /permission denied/)
        await assert.rejects(sql`alter table audit_event disable trigger user`.execute(app), /must be owner/)
        await assert.rejects(
          sql`alter table audit_event disable trigger audit_event_append_only`.execute(app),
          /must be owner/,
        )
        await assert.rejects(sql`update audit_event set action = 'x'`.execute(app), /permission denied/)
        await assert.rejects(
          app.transaction().execute(async trx => {
            await sql`set local safer.audit_purge = 'on'`.execute(trx)
            await sql`delete from audit_event`.execute(trx)
          }),
          /permission denied/,
        )
        // Nor through a partition, nor by creating one by hand; a month is asked of safer_month_partition.
        await assert.rejects(sql`delete from audit_event_default`.execute(app), /permission denied/)
        await assert.rejects(
          sql`create table audit_event_203001 partition of audit_event
            for values from ('2030-01-01 00:00+00') to ('2030-02-01 00:00+00')`.execute(app),
          /permission denied|must be owner/,
        )
        const { rows: made } = await sql<{ made: boolean }>`
          select safer_month_partition('audit_event'::regclass, '2030-01-01') as made`.execute(app)
        assert.equal(made[0]?.made, true)
        await assert.rejects(sql`delete from audit_event_203001`.execute(app), /permission denied/)
        await assert.rejects(sql`update audit_chain set head_seq = 0`.execute(app), /permission denied/)
        await assert.rejects(sql`create table mine (x int)`.execute(app), /permission denied/)
        // The only way to delete: the purge function, for retention.
        const { rows: purged } = await sql<{ n: number }>`select audit_event_purge('2000-01-01') as n`.execute(app)
        assert.equal(Number(purged[0]?.n), 0)
        assert.equal((await t.deps.audit.verify()).ok, true)

        // Default privileges: a table a later migration creates is the application's to use.
        await sql`create table audit_role_probe (x int)`.execute(db)
        await sql`insert into audit_role_probe values (1)`.execute(app)
      } finally {
        await app.destroy()
        await sql`drop table if exists audit_role_probe`.execute(db)
        await dropApplicationRole(db, role)
      }
    },
  )
})
