/**
 * Issue 3 and 17, group `intake_journey`: the resident web journey's submission at 32 concurrent clients, HTTP POST
 * to a durable commit, on PGlite and on PostgreSQL, next to its baseline: a bare Fastify route doing one INSERT of a
 * report-shaped row (bench/hello-server.ts) on the same engine, driven by the same 32 autocannon clients for the same
 * length of time, in the same run (ADR 0056).
 *
 * Each virtual resident first answers every question of the journey (not timed); then 32 autocannon connections
 * submit the prepared reports (POST /report/check: draft, validation, ward and LSOA, repeat and duplicate checks,
 * reference, audit events, one statement) and every submission must answer 303. Servers run in their own processes.
 */
import fs from 'node:fs'

import type autocannon from 'autocannon'
import pg from 'pg'

import { freePort, load, type LoadResult, productionEnv, report, root, startChild, tempDir } from './lib.js'

const GROUP = 'intake_journey'
const REPORTS = 1600
const WARM_UP = 96
/** The PostgreSQL pool of the server under measurement and of its baseline. */
export const POOL_MAX = '20'
const CONCURRENCY = 32
const CATEGORIES = ['noise_music', 'drug_dealing', 'street_drinking', 'groups_nuisance', 'fly_tipping', 'graffiti']
// Real postcodes spread across the borough: every 400th of the pack's list.
const POSTCODES = fs
  .readFileSync(`${root}/reference-data/tower-hamlets/postcodes-codepoint-open-2014.csv`, 'utf8')
  .split('\n')
  .slice(1)
  .filter((line, index) => line.trim() !== '' && index % 400 === 0)
  .map(line => line.split(',')[0]!.replace(/\s+/g, ' ').trim())

export class Jar {
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

export async function prepareDraft(base: string, index: number): Promise<Jar> {
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

/** Submits every prepared draft once, with CONCURRENCY autocannon connections; each answer must be a 303. */
export async function submitAll(base: string, jars: Jar[]): Promise<LoadResult> {
  let next = 0
  const request: autocannon.Request = {
    method: 'POST',
    path: '/report/check',
    setupRequest: req => {
      const jar = jars[next++]
      if (!jar) throw new Error('more submissions than prepared drafts')
      return {
        ...req,
        body: new URLSearchParams({ _csrf: jar.token, website: '' }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
      }
    },
  }
  const result = await load(`${base}/report/check`, {
    connections: CONCURRENCY,
    amount: jars.length,
    requests: [request],
  })
  const answered = result.statusCodes['303'] ?? 0
  if (answered !== jars.length || result.errors > 0)
    throw new Error(`submissions: ${JSON.stringify(result.statusCodes)}, ${String(result.errors)} errors`)
  return result
}

export async function pool<T>(count: number, width: number, work: (index: number) => Promise<T>): Promise<T[]> {
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

/** The web journey's figures on one engine; returns submissions per second and the run's length. */
async function journeyRun(
  engine: string,
  env: Record<string, string>,
): Promise<{ perSecond: number; seconds: number }> {
  const server = await startChild([`${root}/bin/safer.js`, 'serve'], {
    port: await freePort(),
    env: { ...productionEnv(), RATE_LIMIT_PUBLIC_PER_MINUTE: '100000000', ...env },
    timeoutMs: 120_000,
  })
  try {
    const warm = await pool(WARM_UP, 8, index => prepareDraft(server.url, 10_000 + index))
    await submitAll(server.url, warm)
    const jars = await pool(REPORTS, 8, index => prepareDraft(server.url, index))
    const result = await submitAll(server.url, jars)
    const perSecond = result.total / result.seconds
    report(
      `${GROUP}.${engine}.submissions_per_s (${String(REPORTS)} reports, ${String(CONCURRENCY)} autocannon clients, ${result.seconds.toFixed(1)} s)`,
      perSecond,
      'req/s',
    )
    report(`${GROUP}.${engine}.p50_ms`, result.p50, 'ms')
    report(`${GROUP}.${engine}.p99_ms`, result.p99, 'ms')
    return { perSecond, seconds: result.seconds }
  } finally {
    await server.stop()
  }
}

/**
 * The baseline: the bare insert route on the same engine, the same clients, for as long as the journey ran. Prints
 * it and the ratio.
 */
export async function bareInsertBaseline(
  group: string,
  engine: string,
  env: Record<string, string>,
  measured: { perSecond: number; seconds: number; figure: string },
): Promise<void> {
  const bare = await startChild([`${root}/node_modules/tsx/dist/cli.mjs`, `${root}/bench/hello-server.ts`], {
    port: await freePort(),
    env: { APP_ENV: 'development', ...env, BENCH_BARE_INSERT: '1' },
    timeoutMs: 120_000,
  })
  try {
    const options = { method: 'POST' as const, connections: CONCURRENCY }
    await load(`${bare.url}/insert`, { ...options, durationSeconds: 1 })
    const result = await load(`${bare.url}/insert`, { ...options, durationSeconds: Math.max(1, measured.seconds) })
    if (result.errors > 0 || (result.statusCodes['201'] ?? 0) !== result.total)
      throw new Error(`bare insert route: ${JSON.stringify(result.statusCodes)}, ${String(result.errors)} errors`)
    const perSecond = result.total / result.seconds
    report(
      `${group}.${engine}.baseline.bare_insert_route_per_s (bare Fastify route, one INSERT of a report-shaped row, same ${String(CONCURRENCY)} clients, ${result.seconds.toFixed(1)} s, same run)`,
      perSecond,
      'req/s',
    )
    report(`${group}.${engine}.baseline.bare_insert_route_p99_ms`, result.p99, 'ms')
    report(
      `${group}.${engine}.ratio.${measured.figure}_to_bare_insert_route_per_s`,
      measured.perSecond / perSecond,
      'x',
    )
  } finally {
    await bare.stop()
  }
}

export async function intakeBench(): Promise<void> {
  // PGlite: the server's own data directory; the baseline route on a PGlite data directory of its own.
  const dataDir = tempDir('safer-bench-intake-')
  const baselineDir = tempDir('safer-bench-insert-')
  try {
    const journey = await journeyRun('pglite', { PGLITE_DATA_DIR: dataDir })
    await bareInsertBaseline(
      GROUP,
      'pglite',
      { PGLITE_DATA_DIR: baselineDir },
      { ...journey, figure: 'submissions_per_s' },
    )
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
    fs.rmSync(baselineDir, { recursive: true, force: true })
  }

  // PostgreSQL: a fresh database on the local server, when one answers; the baseline route in the same database.
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const admin = new pg.Client({ connectionString: adminUrl })
  try {
    await admin.connect()
  } catch {
    process.stdout.write(`# ${GROUP} on PostgreSQL skipped: no server at ${adminUrl} (set BENCH_DATABASE_URL)\n`)
    return
  }
  await admin.query('drop database if exists safer_bench_journey with (force)')
  await admin.query('create database safer_bench_journey')
  const url = new URL(adminUrl)
  url.pathname = '/safer_bench_journey'
  const env = { DATABASE_URL: url.toString(), DATABASE_POOL_MAX: POOL_MAX }
  try {
    const journey = await journeyRun('postgres', env)
    await bareInsertBaseline(GROUP, 'postgres', env, { ...journey, figure: 'submissions_per_s' })
  } finally {
    await admin.query('drop database if exists safer_bench_journey with (force)')
    await admin.end()
  }
}
