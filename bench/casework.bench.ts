/**
 * Issue 5: the triage queue and the case page, p95 latency over HTTP (in-process, `app.inject`, a signed-in
 * officer), with BENCH_CASES (default 100,000) cases and BENCH_CHRONOLOGY (default 1,000,000) chronology entries,
 * next to the same pages on an empty database in the same run (ratio). On PGlite always, and on PostgreSQL when
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set.
 *
 * The data is generated server-side by `insert … select … from generate_series`: one report per case (linked, in
 * progress), one party and one task per case, the chronology spread evenly over the cases, and BENCH_QUEUE (default
 * 2,000) reports waiting in the triage queue. The measured case is one of the generated ones.
 */
import { randomUUID } from 'node:crypto'

import { sql, type Kysely } from 'kysely'
import pg from 'pg'

import { buildApp } from '../src/app.js'
import { testConfig } from '../src/config.js'
import type { Database } from '../src/db/schema.js'
import { createDependencies } from '../src/dependencies.js'
import { prepare } from '../src/operations.js'
import { systemActor } from '../src/platform/audit.js'
import { createStaff, signIn } from '../test/helpers/staff.js'
import { percentile, report } from './lib.js'

const CASES = Number(process.env.BENCH_CASES ?? 100_000)
const CHRONOLOGY = Number(process.env.BENCH_CHRONOLOGY ?? 1_000_000)
const QUEUE = Number(process.env.BENCH_QUEUE ?? 2_000)
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200)

async function generate(db: Kysely<Database>, teamId: string, partnerId: string, officerId: string) {
  const reportColumns = sql`(reference, tracking_hash, channel, received_at, category, nsir_qualifier, hate, occurred_on,
    pattern, description, ward_code, impact, reporter_mode, contact_preference, consent_to_share, priority, flags, status, updated_at)`
  const reportValues = (prefix: string, status: string) => sql`
    ${prefix} || lpad(i::text, 7, '0'), 'x', 'web', now() - (i % 900) * interval '1 hour',
    (array['noise_music','graffiti','harassment','fly_tipping','drug_dealing'])[1 + i % 5], 'nuisance', false, current_date,
    'ongoing', 'Generated report', 'E05009317',
    jsonb_build_object('unsafeAtHome', case when i % 7 = 0 then 'yes' else 'no' end, 'healthAffected', 'no'),
    'anonymous', 'none', false, (array['high','medium','standard'])[1 + i % 3],
    jsonb_build_object('repeatCaller', '[]'::jsonb, 'repeatLocation', '[]'::jsonb, 'duplicateCandidates', '[]'::jsonb),
    ${status}, now()`
  await sql`insert into report ${reportColumns}
    select ${reportValues('BC-', 'in_progress')} from generate_series(1, ${CASES}) as i`.execute(db)
  await sql`insert into report ${reportColumns}
    select ${reportValues('BQ-', 'received')} from generate_series(1, ${QUEUE}) as i`.execute(db)
  await sql`insert into asb_case (reference, title, category, priority, status, owning_team_id, owning_partner_id,
      lead_officer_id, ward_code, opened_at, review_date, updated_at)
    select 'BENCH-' || lpad(i::text, 7, '0'), 'Generated case ' || i, 'noise_music', 'medium', 'open', ${teamId}::uuid,
      ${partnerId}::uuid, case when i % 50 = 0 then ${officerId}::uuid end, 'E05009317',
      now() - (i % 700) * interval '1 day', current_date + 28, now()
    from generate_series(1, ${CASES}) as i`.execute(db)
  await sql`insert into case_report (case_id, report_id, linked_at)
    select c.id, r.id, now() from asb_case c join report r on r.reference = 'BC-' || substr(c.reference, 7)`.execute(db)
  await sql`insert into case_party (case_id, role, kind, name, created_at)
    select id, 'victim', 'person', 'Generated person', now() from asb_case where reference like 'BENCH-%'`.execute(db)
  await sql`insert into case_task (case_id, title, owner_user_id, due_date, status, source_module, created_at)
    select id, 'Generated task', lead_officer_id, current_date + (random() * 20 - 10)::int, 'open', 'casework', now()
    from asb_case where reference like 'BENCH-%'`.execute(db)
  const perCase = Math.max(1, Math.round(CHRONOLOGY / CASES))
  await sql`insert into case_chronology (case_id, occurred_at, recorded_at, kind, summary, source_module)
    select c.id, c.opened_at + n * interval '1 hour', now(), 'note', 'Generated entry ' || n, 'casework'
    from asb_case c cross join generate_series(1, ${perCase}) as n where c.reference like 'BENCH-%'`.execute(db)
  await sql`analyze`.execute(db)
}

async function p95(run: () => Promise<number>): Promise<number> {
  for (let i = 0; i < 10; i += 1) await run()
  const times: number[] = []
  for (let i = 0; i < REQUESTS; i += 1) {
    const started = performance.now()
    const status = await run()
    times.push(performance.now() - started)
    if (status !== 200) throw new Error(`page answered ${String(status)}`)
  }
  return percentile(times, 95)
}

async function engine(name: string, overrides: Record<string, string>, searchPath?: string) {
  const config = testConfig({
    RATE_LIMIT_SIGN_IN_PER_MINUTE: '1000000',
    RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000',
    ...overrides,
  })
  const deps = await createDependencies(config, searchPath ? { searchPath } : {})
  try {
    await prepare(deps, { seedDemo: false })
    const app = await buildApp(deps)
    const staff = await createStaff(deps, { roles: ['officer'], partnerCode: 'council', teamCode: 'bench-team' })
    const user = await deps.accounts.repository.userById(staff.id)
    if (!user?.teamId) throw new Error('no bench user')
    const session = await signIn(app, deps, staff)
    const opened = await deps.casework.openCase(
      {
        title: 'Bench case',
        category: 'noise_music',
        priority: 'high',
        sensitivity: null,
        owningTeamId: user.teamId,
        owningPartnerId: user.partnerId,
        leadOfficerId: user.id,
        wardCode: null,
      },
      systemActor,
    )
    const get = (url: string) => async () =>
      (await app.inject({ method: 'GET', url, headers: { cookie: session.cookie } })).statusCode
    const emptyQueue = await p95(get('/staff/triage'))
    const emptyCase = await p95(get(`/cases/${opened.reference}`))

    const started = performance.now()
    await generate(deps.database.db, user.teamId, user.partnerId, user.id)
    const e = name === 'PGlite' ? 'pglite' : 'postgres'
    report(
      `casework.${e}.generate_s`,
      (performance.now() - started) / 1000,
      's',
      `${String(CASES)} cases, ${String(CHRONOLOGY)} chronology entries, insert … select from generate_series; no baseline`,
    )
    const loadedQueue = await p95(get('/staff/triage'))
    const loadedCase = await p95(get(`/cases/BENCH-${String(Math.floor(CASES / 2)).padStart(7, '0')}`))
    report(`casework.${e}.baseline.triage_queue_empty_p95_ms`, emptyQueue, 'ms', 'same page, empty database, same run')
    report(
      `casework.${e}.triage_queue_p95_ms`,
      loadedQueue,
      'ms',
      `${String(CASES)} cases and ${String(QUEUE)} reports waiting; app.inject, signed-in officer`,
    )
    report(`casework.${e}.ratio.triage_queue_p95_ms_to_triage_queue_empty_p95_ms`, loadedQueue / emptyQueue, 'x')
    report(`casework.${e}.baseline.case_page_empty_p95_ms`, emptyCase, 'ms', 'same page, empty database, same run')
    report(
      `casework.${e}.case_page_p95_ms`,
      loadedCase,
      'ms',
      `a case among ${String(CASES)}, ${String(CHRONOLOGY)} chronology entries in all`,
    )
    report(`casework.${e}.ratio.case_page_p95_ms_to_case_page_empty_p95_ms`, loadedCase / emptyCase, 'x')
    await app.close()
  } finally {
    await deps.close()
  }
}

export async function caseworkBench(): Promise<void> {
  await engine('PGlite', {})
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
  if (!url) {
    process.stdout.write('# casework on PostgreSQL skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)\n')
    return
  }
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  try {
    await engine('PostgreSQL', { DATABASE_URL: url, DATABASE_POOL_MAX: '4' }, schema)
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`)
    await admin.end()
  }
}
