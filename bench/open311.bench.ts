/**
 * Issue 4 and 17: Open311 POST requests.json next to its baseline, the intake service called directly, on each engine.
 *
 * Both servers run in child processes on the same engine (a data directory each on PGlite; a database each on
 * PostgreSQL), in production mode, and are started and warmed up (32 requests each) before either is timed. Then,
 * in alternating rounds so that load from other processes falls on both alike, each takes the same number of
 * distinct requests from the same 32 concurrent clients over HTTP: the baseline a JSON POST to a bare Fastify route
 * that hands the body to intake.submit (bench/intake-route-server.ts); Safer a form POST to /open311/v2/requests.json
 * with a partner's API key (key, attributes, format, audit, Open311 rows, then the same intake.submit). Figures are
 * over all rounds. Then GET requests.json and requests.xml answering with 1,000 requests (100 responses, 8 clients).
 */
import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'

import { loadConfig } from '../src/config.js'
import { createDependencies } from '../src/dependencies.js'
import { prepare } from '../src/operations.js'
import { freePort, percentile, productionEnv, report, root, startChild, tempDir, type ChildServer } from './lib.js'

const ROUNDS = 2
const PER_ROUND = 500
const CONCURRENCY = 32
const WARM_UP = 32
const GETS = 100
const GET_CONCURRENCY = 8
const MAX_REQUESTS = 1000 // the most one GET requests answers with
// Points across the middle of the borough (Whitechapel to Bow), varied per request.
const point = (i: number) => ({
  lat: (51.515 + (i % 40) * 0.0004).toFixed(5),
  long: (-0.065 + (Math.floor(i / 40) % 25) * 0.0012).toFixed(5),
})

async function pool(
  count: number,
  work: (index: number) => Promise<void>,
  concurrency = CONCURRENCY,
  first = 0,
): Promise<number[]> {
  const latencies: number[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const index = next++
        if (index >= count) return
        const t0 = performance.now()
        await work(first + index)
        latencies.push(performance.now() - t0)
      }
    }),
  )
  return latencies
}

interface Side {
  seconds: number
  count: number
  latencies: number[]
}

async function timedRound(side: Side, count: number, first: number, work: (index: number) => Promise<void>) {
  const started = performance.now()
  side.latencies.push(...(await pool(count, work, CONCURRENCY, first)))
  side.seconds += (performance.now() - started) / 1000
  side.count += count
}

/** The intake's input for request `index`: what the Open311 form below turns into. */
function intakeBody(index: number): string {
  const { lat, long } = point(index)
  return JSON.stringify({
    channel: 'open311',
    category: 'noise_music',
    location: { latitude: Number(lat), longitude: Number(long) },
    occurredOn: new Date().toISOString().slice(0, 10),
    pattern: 'ongoing',
    frequency: 'daily',
    description: `Benchmark request ${String(index)}: loud music every night.`,
    impact: { reporterRole: 'victim', unsafeAtHome: 'no', healthAffected: 'yes', targeted: 'no', characteristics: [] },
    reporter: { mode: 'anonymous', contactPreference: 'none', consentToShare: false },
  })
}

function open311Body(index: number, key: string): string {
  const { lat, long } = point(index)
  return new URLSearchParams({
    api_key: key,
    service_code: 'noise_music',
    lat,
    long,
    description: `Benchmark request ${String(index)}: loud music every night.`,
    'attribute[pattern]': 'ongoing',
    'attribute[frequency]': 'daily',
    'attribute[reporter_role]': 'victim',
    'attribute[unsafe_at_home]': 'no',
    'attribute[health_affected]': 'yes',
    'attribute[targeted]': 'no',
  }).toString()
}

/** Migrates the database, adds a partner and makes its key, before the server opens it. */
async function partnerKey(env: Record<string, string>): Promise<string> {
  const deps = await createDependencies(loadConfig(env), { holder: 'open311 bench' })
  try {
    await prepare(deps, { seedDemo: false })
    await deps.database.db
      .insertInto('partner')
      .values({ code: 'police', name: 'Metropolitan Police Service', kind: 'police' })
      .onConflict(oc => oc.column('code').doNothing())
      .execute()
    return (await deps.open311.keys.create('police', 'bench', { type: 'system', id: 'bench' })).key
  } finally {
    await deps.close()
  }
}

async function engineRun(
  engine: 'pglite' | 'postgres',
  open311Env: Record<string, string>,
  baseEnv: Record<string, string>,
) {
  const common = {
    ...productionEnv(),
    RATE_LIMIT_PUBLIC_PER_MINUTE: '100000000',
    OPEN311_KEY_RATE_PER_MINUTE: '100000000',
    // Every request answered with its report, however loaded the machine: a token would be a different answer.
    OPEN311_QUEUE_AFTER_MS: '60000',
  }
  const key = await partnerKey({ ...common, ...open311Env })
  const servers: ChildServer[] = []
  try {
    const baseline = await startChild(
      [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'bench', 'intake-route-server.ts')],
      { port: await freePort(), env: { ...common, ...baseEnv }, timeoutMs: 300_000 },
    )
    servers.push(baseline)
    const safer = await startChild([`${root}/bin/safer.js`, 'serve'], {
      port: await freePort(),
      env: { ...common, ...open311Env },
      timeoutMs: 300_000,
    })
    servers.push(safer)

    const submit = async (index: number) => {
      const response = await fetch(`${baseline.url}/intake`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: intakeBody(index),
      })
      await response.arrayBuffer()
      if (response.status !== 201) throw new Error(`intake answered ${String(response.status)}`)
    }
    const post = async (index: number) => {
      const response = await fetch(`${safer.url}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: open311Body(index, key),
      })
      const text = await response.text()
      if (response.status !== 200 || !text.includes('service_request_id'))
        throw new Error(`POST requests.json answered ${String(response.status)}: ${text}`)
    }
    await pool(WARM_UP, submit, CONCURRENCY, 50_000)
    await pool(WARM_UP, post, CONCURRENCY, 50_000)
    const base: Side = { seconds: 0, count: 0, latencies: [] }
    const open311: Side = { seconds: 0, count: 0, latencies: [] }
    for (let round = 0; round < ROUNDS; round++) {
      await timedRound(base, PER_ROUND, round * PER_ROUND, submit)
      await timedRound(open311, PER_ROUND, round * PER_ROUND, post)
    }
    const how = `${String(ROUNDS * PER_ROUND)} distinct requests in ${String(ROUNDS)} alternating rounds, ${String(CONCURRENCY)} clients, HTTP`
    const baseRate = base.count / base.seconds
    const open311Rate = open311.count / open311.seconds
    report(
      `open311.${engine}.baseline.intake_service_per_s`,
      baseRate,
      'req/s',
      `${how}; JSON POST to a bare Fastify route calling intake.submit`,
    )
    report(`open311.${engine}.baseline.intake_service_p50_ms`, percentile(base.latencies, 50), 'ms')
    report(`open311.${engine}.baseline.intake_service_p99_ms`, percentile(base.latencies, 99), 'ms')
    report(`open311.${engine}.post_requests_json_per_s`, open311Rate, 'req/s', `${how}; form POST with an API key`)
    report(`open311.${engine}.post_requests_json_p50_ms`, percentile(open311.latencies, 50), 'ms')
    report(`open311.${engine}.post_requests_json_p99_ms`, percentile(open311.latencies, 99), 'ms')
    report(
      `open311.${engine}.ratio.post_requests_json_per_s_to_intake_service_per_s`,
      open311Rate / baseRate,
      'x',
      'aim >= 0.8',
    )
    await servers.shift()?.stop()

    for (const format of ['json', 'xml'] as const) {
      const url = `${safer.url}/open311/v2/requests.${format}`
      const sample = await fetch(url)
      const text = await sample.text()
      const count = format === 'json' ? (JSON.parse(text) as unknown[]).length : text.split('<request>').length - 1
      if (count !== MAX_REQUESTS) throw new Error(`requests.${format} returned ${String(count)} requests`)
      // A fixed number of responses, not a fixed time: each one carries 1,000 requests.
      const get = async () => {
        const response = await fetch(url)
        await response.arrayBuffer()
        if (response.status !== 200) throw new Error(`requests.${format} answered ${String(response.status)}`)
      }
      await pool(GETS / 5, get, GET_CONCURRENCY) // warm-up
      const started = performance.now()
      const latencies = await pool(GETS, get, GET_CONCURRENCY)
      report(
        `open311.${engine}.get_requests_${format}_per_s`,
        GETS / ((performance.now() - started) / 1000),
        'req/s',
        `${String(count)} requests per response, ${String(GETS)} responses, ${String(GET_CONCURRENCY)} clients; no baseline`,
      )
      report(`open311.${engine}.get_requests_${format}_p50_ms`, percentile(latencies, 50), 'ms')
      report(`open311.${engine}.get_requests_${format}_p99_ms`, percentile(latencies, 99), 'ms')
      report(`open311.${engine}.get_requests_${format}_body_kib`, Buffer.byteLength(text) / 1024, 'KiB')
    }
  } finally {
    for (const server of servers) await server.stop()
  }
}

export async function open311Bench(): Promise<void> {
  const dataDir = tempDir('safer-bench-open311-')
  const baseDir = tempDir('safer-bench-open311-intake-')
  try {
    await engineRun('pglite', { PGLITE_DATA_DIR: dataDir }, { PGLITE_DATA_DIR: baseDir })
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
    fs.rmSync(baseDir, { recursive: true, force: true })
  }

  // PostgreSQL: a fresh database for each server on the local server, when one answers.
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const admin = new pg.Client({ connectionString: adminUrl })
  try {
    await admin.connect()
  } catch {
    process.stdout.write(`# open311 on PostgreSQL skipped: no server at ${adminUrl} (set BENCH_DATABASE_URL)\n`)
    return
  }
  const names = ['safer_bench_open311', 'safer_bench_open311_intake']
  const urls = names.map(name => {
    const url = new URL(adminUrl)
    url.pathname = `/${name}`
    return url.toString()
  })
  try {
    for (const name of names) {
      await admin.query(`drop database if exists ${name}`)
      await admin.query(`create database ${name}`)
    }
    const pool = { DATABASE_POOL_MAX: '20' }
    await engineRun('postgres', { DATABASE_URL: urls[0]!, ...pool }, { DATABASE_URL: urls[1]!, ...pool })
  } finally {
    for (const name of names) await admin.query(`drop database if exists ${name}`)
    await admin.end()
  }
}
