/**
 * Issue 4: Open311 on PGlite. POST requests.json throughput (1,000 distinct requests, 32 concurrent clients, each a
 * durable commit through the intake service) next to the intake service's own figure measured in the same run on
 * the same kind of database (bench/reporting-server.ts, HTTP POST straight to intake.submit); then GET
 * requests.json and requests.xml answering with those 1,000 requests (100 responses each, 8 clients).
 */
import fs from 'node:fs'
import path from 'node:path'

import { loadConfig } from '../src/config.js'
import { createDependencies } from '../src/dependencies.js'
import { prepare } from '../src/operations.js'
import { freePort, percentile, report, root, startChild, tempDir } from './lib.js'

const REQUESTS = 1000
const CONCURRENCY = 32
const GETS = 100
const GET_CONCURRENCY = 8
// Points across the middle of the borough (Whitechapel to Bow), varied per request.
const point = (i: number) => ({
  lat: (51.515 + (i % 40) * 0.0004).toFixed(5),
  long: (-0.065 + (Math.floor(i / 40) % 25) * 0.0012).toFixed(5),
})

async function pool(
  count: number,
  work: (index: number) => Promise<void>,
  concurrency = CONCURRENCY,
): Promise<number[]> {
  const latencies: number[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const index = next++
        if (index >= count) return
        const t0 = performance.now()
        await work(index)
        latencies.push(performance.now() - t0)
      }
    }),
  )
  return latencies
}

async function timed(count: number, work: (index: number) => Promise<void>, concurrency = CONCURRENCY) {
  const started = performance.now()
  const latencies = await pool(count, work, concurrency)
  return { perSecond: count / ((performance.now() - started) / 1000), latencies }
}

async function intakeFigure(): Promise<number> {
  const dataDir = tempDir('safer-bench-open311-intake-')
  const server = await startChild(
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'bench', 'reporting-server.ts')],
    { port: 4900 + Math.floor(Math.random() * 90), env: { PGLITE_DATA_DIR: dataDir }, timeoutMs: 120_000 },
  )
  try {
    const submit = async (index: number) => {
      const { lat, long } = point(index)
      const response = await fetch(`${server.url}/intake`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          channel: 'open311',
          category: 'noise_music',
          location: { latitude: Number(lat), longitude: Number(long) },
          occurredOn: new Date().toISOString().slice(0, 10),
          pattern: 'ongoing',
          frequency: 'daily',
          description: `Benchmark intake ${String(index)}: loud music every night.`,
          impact: {
            reporterRole: 'victim',
            unsafeAtHome: 'no',
            healthAffected: 'yes',
            targeted: 'no',
            characteristics: [],
          },
          reporter: { mode: 'anonymous', contactPreference: 'none', consentToShare: false },
        }),
      })
      await response.arrayBuffer()
      if (response.status !== 201) throw new Error(`intake answered ${String(response.status)}`)
    }
    await pool(32, index => submit(50_000 + index)) // warm-up
    const { perSecond, latencies } = await timed(REQUESTS, submit)
    report(
      `open311.baseline_intake_service.submissions_per_s (${String(REQUESTS)}, ${String(CONCURRENCY)} clients, same run)`,
      perSecond,
      'req/s',
    )
    report('open311.baseline_intake_service.p99_ms', percentile(latencies, 99), 'ms')
    return perSecond
  } finally {
    await server.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

export async function open311Bench(): Promise<void> {
  const intakeRate = await intakeFigure()

  const dataDir = tempDir('safer-bench-open311-')
  const env = {
    PGLITE_DATA_DIR: dataDir,
    DEMO_DATA: 'false',
    RATE_LIMIT_PUBLIC_PER_MINUTE: '100000000',
    OPEN311_KEY_RATE_PER_MINUTE: '100000000',
  }
  // A partner and a key, made before the server opens the database.
  const deps = await createDependencies(loadConfig(env), { holder: 'open311 bench' })
  await prepare(deps, { seedDemo: false })
  await deps.database.db
    .insertInto('partner')
    .values({ code: 'police', name: 'Metropolitan Police Service', kind: 'police' })
    .onConflict(oc => oc.column('code').doNothing())
    .execute()
  const { key } = await deps.open311.keys.create('police', 'bench', { type: 'system', id: 'bench' })
  await deps.close()

  const server = await startChild([`${root}/bin/safer.js`, 'serve'], {
    port: await freePort(),
    env,
    timeoutMs: 120_000,
  })
  try {
    const post = async (index: number) => {
      const { lat, long } = point(index)
      const body = new URLSearchParams({
        api_key: key,
        service_code: 'noise_music',
        lat,
        long,
        description: `Benchmark Open311 request ${String(index)}: loud music every night.`,
        'attribute[pattern]': 'ongoing',
        'attribute[frequency]': 'daily',
        'attribute[reporter_role]': 'victim',
        'attribute[unsafe_at_home]': 'no',
        'attribute[health_affected]': 'yes',
        'attribute[targeted]': 'no',
      })
      const response = await fetch(`${server.url}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: body.toString(),
      })
      const text = await response.text()
      if (response.status !== 200 || !text.includes('service_request_id'))
        throw new Error(`POST requests.json answered ${String(response.status)}: ${text}`)
    }
    await pool(32, index => post(50_000 + index)) // warm-up (these are listed too: 1,000 is the most one GET returns)
    const { perSecond, latencies } = await timed(REQUESTS, post)
    report(
      `open311.post_requests_json.per_s (${String(REQUESTS)} requests, ${String(CONCURRENCY)} clients)`,
      perSecond,
      'req/s',
    )
    report('open311.post_requests_json.p50_ms', percentile(latencies, 50), 'ms')
    report('open311.post_requests_json.p99_ms', percentile(latencies, 99), 'ms')
    report('open311.ratio_post_to_intake_service', perSecond / intakeRate, 'x')

    for (const format of ['json', 'xml'] as const) {
      const url = `${server.url}/open311/v2/requests.${format}`
      const sample = await fetch(url)
      const text = await sample.text()
      const count = format === 'json' ? (JSON.parse(text) as unknown[]).length : text.split('<request>').length - 1
      if (count !== REQUESTS) throw new Error(`requests.${format} returned ${String(count)} requests`)
      // A fixed number of responses, not a fixed time: each one carries 1,000 requests.
      const get = async () => {
        const response = await fetch(url)
        await response.arrayBuffer()
        if (response.status !== 200) throw new Error(`requests.${format} answered ${String(response.status)}`)
      }
      await pool(GETS / 5, get, GET_CONCURRENCY) // warm-up
      const result = await timed(GETS, get, GET_CONCURRENCY)
      report(
        `open311.get_requests_${format}.per_s (${String(count)} requests per response, ${String(GETS)} responses, ${String(GET_CONCURRENCY)} clients)`,
        result.perSecond,
        'req/s',
      )
      report(`open311.get_requests_${format}.p50_ms`, percentile(result.latencies, 50), 'ms')
      report(`open311.get_requests_${format}.p99_ms`, percentile(result.latencies, 99), 'ms')
      report(`open311.get_requests_${format}.body_kb`, Buffer.byteLength(text) / 1024, 'KiB')
    }
  } finally {
    await server.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
