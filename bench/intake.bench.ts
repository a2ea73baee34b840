/**
 * Issue 3: intake throughput and latency at 32 concurrent clients, HTTP POST to a durable commit, on PGlite and on
 * PostgreSQL, next to a bare single-row INSERT loop on the same engine in the same run.
 *
 * Each virtual resident first answers every question of the journey (not timed); then 32 clients submit the
 * prepared reports (POST /report/check: validation, ward and LSOA, repeat and duplicate checks, reference, audit
 * event, one transaction) and every submission must answer 303. The server runs in its own process.
 */
import fs from 'node:fs'

import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'

import { freePort, median, percentile, productionEnv, report, root, startChild, tempDir } from './lib.js'

const REPORTS = 640
const CONCURRENCY = 32
const CATEGORIES = ['noise_music', 'drug_dealing', 'street_drinking', 'groups_nuisance', 'fly_tipping', 'graffiti']
// Real postcodes spread across the borough: every 400th of the pack's list.
const POSTCODES = fs
  .readFileSync(`${root}/reference-data/tower-hamlets/postcodes-codepoint-open-2014.csv`, 'utf8')
  .split('\n')
  .slice(1)
  .filter((line, index) => line.trim() !== '' && index % 400 === 0)
  .map(line => line.split(',')[0]!.replace(/\s+/g, ' ').trim())

class Jar {
  cookies = new Map<string, string>()
  token = ''
  constructor(readonly base: string) {}

  private remember(response: Response) {
    for (const cookie of response.headers.getSetCookie()) {
      const pair = cookie.split(';')[0] ?? ''
      const index = pair.indexOf('=')
      if (index > 0) this.cookies.set(pair.slice(0, index), pair.slice(index + 1))
    }
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async get(path: string) {
    const response = await fetch(this.base + path, { headers: { cookie: this.header() }, redirect: 'manual' })
    this.remember(response)
    const body = await response.text()
    const match = /name="_csrf" value="([^"]+)"/.exec(body)
    if (match?.[1]) this.token = match[1]
    return response.status
  }

  async post(path: string, fields: Record<string, string>) {
    const body = new URLSearchParams({ _csrf: this.token, ...fields }).toString()
    const response = await fetch(this.base + path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.header() },
      redirect: 'manual',
    })
    this.remember(response)
    await response.arrayBuffer()
    return response.status
  }
}

async function prepareDraft(base: string, index: number): Promise<Jar> {
  const jar = new Jar(base)
  await jar.get('/report/triage')
  const today = new Date()
  const steps: [string, Record<string, string>][] = [
    ['triage', { triage: 'asb' }],
    ['what', { category: CATEGORIES[index % CATEGORIES.length]! }],
    ['where', { postcode: POSTCODES[index % POSTCODES.length]!, locationDescription: `Bench place ${String(index)}` }],
    [
      'when',
      {
        occurredDay: String(today.getDate()),
        occurredMonth: String(today.getMonth() + 1),
        occurredYear: String(today.getFullYear()),
        occurredTime: '9:30pm',
        pattern: 'one_off',
      },
    ],
    ['description', { description: `Benchmark report number ${String(index)}.` }],
    [
      'impact',
      { reporterRole: 'witness', howOften: 'first_time', unsafeAtHome: 'no', healthAffected: 'no', targeted: 'no' },
    ],
    ['who', { mode: 'anonymous', contactPreference: 'none', consent: 'yes' }],
  ]
  for (const [step, fields] of steps) {
    const status = await jar.post(`/report/${step}`, fields)
    if (status !== 303) throw new Error(`preparing draft ${String(index)}: ${step} answered ${String(status)}`)
  }
  return jar
}

async function submitAll(jars: Jar[]): Promise<{ perSecond: number; latencies: number[] }> {
  const latencies: number[] = []
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const jar = jars[next++]
        if (!jar) return
        const t0 = performance.now()
        const status = await jar.post('/report/check', { website: '' })
        latencies.push(performance.now() - t0)
        if (status !== 303) throw new Error(`submission answered ${String(status)}`)
      }
    }),
  )
  return { perSecond: jars.length / ((performance.now() - started) / 1000), latencies }
}

async function pool<T>(count: number, width: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count)
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (;;) {
        const index = next++
        if (index >= count) return
        results[index] = await work(index)
      }
    }),
  )
  return results
}

async function intakeRun(label: string, env: Record<string, string>): Promise<number> {
  const server = await startChild([`${root}/bin/safer.js`, 'serve'], {
    port: await freePort(),
    env: { ...productionEnv(), RATE_LIMIT_PUBLIC_PER_MINUTE: '100000000', ...env },
    timeoutMs: 120_000,
  })
  try {
    await pool(24, 8, index => prepareDraft(server.url, 10_000 + index)).then(submitAll) // warm-up
    const jars = await pool(REPORTS, 8, index => prepareDraft(server.url, index))
    const { perSecond, latencies } = await submitAll(jars)
    report(
      `intake.${label}.submissions_per_second (${String(REPORTS)} reports, ${String(CONCURRENCY)} clients)`,
      perSecond,
      'req/s',
    )
    report(`intake.${label}.p50_ms`, percentile(latencies, 50), 'ms')
    report(`intake.${label}.p99_ms`, percentile(latencies, 99), 'ms')
    return perSecond
  } finally {
    await server.stop()
  }
}

async function insertLoop(run: (sql: string, params: unknown[]) => Promise<unknown>, count: number): Promise<number> {
  await run(
    'create table if not exists bench_insert (id bigint generated always as identity primary key, body text not null, created_at timestamptz not null default now())',
    [],
  )
  const started = performance.now()
  for (let i = 0; i < count; i++) await run('insert into bench_insert (body) values ($1)', [`row ${String(i)}`])
  return count / ((performance.now() - started) / 1000)
}

export async function intakeBench(): Promise<void> {
  // PGlite: the server's own data directory; the baseline loop runs on a PGlite of its own in this process.
  const dataDir = tempDir('safer-bench-intake-')
  const pgliteRate = await intakeRun('pglite', { PGLITE_DATA_DIR: dataDir })
  const baselineDir = tempDir('safer-bench-insert-')
  const lite = await PGlite.create(baselineDir)
  const pgliteInsert = median([
    await insertLoop((q, p) => lite.query(q, p), 2000),
    await insertLoop((q, p) => lite.query(q, p), 2000),
  ])
  await lite.close()
  report(
    'intake.pglite.bare_insert_loop_per_second (baseline, single-row autocommit INSERTs, same run)',
    pgliteInsert,
    'rows/s',
  )
  report('intake.pglite.ratio_intake_to_bare_insert', pgliteRate / pgliteInsert, 'x')
  fs.rmSync(dataDir, { recursive: true, force: true })
  fs.rmSync(baselineDir, { recursive: true, force: true })

  // PostgreSQL: a fresh database on the local server, when one answers.
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const admin = new pg.Client({ connectionString: adminUrl })
  try {
    await admin.connect()
  } catch {
    process.stdout.write(`# intake on PostgreSQL skipped: no server at ${adminUrl} (set BENCH_DATABASE_URL)\n`)
    return
  }
  await admin.query('drop database if exists safer_bench')
  await admin.query('create database safer_bench')
  const url = new URL(adminUrl)
  url.pathname = '/safer_bench'
  try {
    const postgresRate = await intakeRun('postgres', { DATABASE_URL: url.toString(), DATABASE_POOL_MAX: '20' })
    const client = new pg.Client({ connectionString: url.toString() })
    await client.connect()
    const postgresInsert = median([
      await insertLoop((q, p) => client.query(q, p), 2000),
      await insertLoop((q, p) => client.query(q, p), 2000),
    ])
    await client.end()
    report(
      'intake.postgres.bare_insert_loop_per_second (baseline, single-row autocommit INSERTs, same run)',
      postgresInsert,
      'rows/s',
    )
    report('intake.postgres.ratio_intake_to_bare_insert', postgresRate / postgresInsert, 'x')
  } finally {
    await admin.query('drop database if exists safer_bench')
    await admin.end()
  }
}
