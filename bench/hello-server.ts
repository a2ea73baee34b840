/**
 * Bare Fastify baselines. GET /health answers hello-world (the `health` baseline). With BENCH_BARE_INSERT=1 it also
 * opens the configured database the way Safer does (PGlite in PGLITE_DATA_DIR, or DATABASE_URL with
 * DATABASE_POOL_MAX), migrates it, and POST /insert writes one report-shaped row per request: one autocommit INSERT
 * into `bench_bare_report`, a copy of the `report` table with its columns, defaults, constraints and indexes. No
 * validation, no checks, no audit event: the floor under the intake figures (ADR 0056).
 */
import { randomUUID } from 'node:crypto'

import Fastify from 'fastify'
import { sql } from 'kysely'

import { loadConfig } from '../src/config.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { openDatabase } from '../src/platform/database/index.js'

const app = Fastify({ logger: false })
app.get('/health', async () => ({ hello: 'world' }))

let close = async () => {
  await app.close()
}
if (process.env.BENCH_BARE_INSERT === '1') {
  const database = await openDatabase(loadConfig(), { holder: 'bare insert bench' })
  const { db } = database
  await migrateToLatest(db)
  await sql`create table if not exists bench_bare_report (like report including all)`.execute(db)
  const impact = JSON.stringify({
    reporterRole: 'victim',
    howOften: 'regularly',
    unsafeAtHome: 'no',
    healthAffected: 'yes',
    targeted: 'no',
    characteristics: [],
  })
  const flags = JSON.stringify({ repeatCaller: [], repeatLocation: [], duplicateCandidates: [], priorityReasons: [] })
  let n = 0
  app.post('/insert', async (_request, reply) => {
    n += 1
    const now = new Date()
    const key = randomUUID()
    await sql`insert into bench_bare_report (reference, tracking_hash, idempotency_key, channel, received_at, category,
        nsir_qualifier, hate, occurred_on, pattern, frequency, description, latitude, longitude, postcode, ward_code,
        lsoa_code, impact, reporter_mode, contact_preference, consent_to_share, priority, flags, status, updated_at)
      values (${`B-${key}`}, ${key.replace(/-/g, '').repeat(2)}, ${`bare:${key}`}, 'web', ${now}, 'noise_music',
        'nuisance', false, ${now.toISOString().slice(0, 10)}, 'ongoing', 'daily',
        ${`Loud music from the flat above every night until 3am (${String(n)}).`}, ${51.515 + (n % 100) / 10_000},
        ${-0.05 - (n % 100) / 10_000}, 'E1 0AA', 'E05009317', 'E01004201', ${impact}::jsonb, 'anonymous', 'none',
        true, 'medium', ${flags}::jsonb, 'received', ${now})`.execute(db)
    return reply.code(201).send({ ok: true })
  })
  close = async () => {
    await app.close()
    await database.close()
  }
}
process.once('SIGTERM', () => void close().then(() => process.exit(0)))
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3999) })
