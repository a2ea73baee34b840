/**
 * Issue 3 (service level; `intake` measures the web journey): intake submissions per second and p50/p99 latency at 32 concurrent clients (HTTP POST to a durable
 * commit through the intake service), on PGlite and on PostgreSQL, next to a bare single-row INSERT loop on the same
 * database in the same run. PostgreSQL figures need BENCH_DATABASE_URL (or TEST_DATABASE_URL).
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'

import { freePort, load, report, root, startChild, tempDir } from './lib.js'

const server = [
  path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
  path.join(root, 'bench', 'reporting-server.ts'),
]

const body = JSON.stringify({
  channel: 'web',
  category: 'noise_music',
  location: { postcode: 'E1 0AA' },
  occurredOn: '2026-01-10',
  pattern: 'ongoing',
  frequency: 'daily',
  description: 'Loud music from the flat above every night until 3am.',
  impact: {
    reporterRole: 'victim',
    howOften: 'regularly',
    unsafeAtHome: 'no',
    healthAffected: 'yes',
    targeted: 'no',
    characteristics: [],
  },
  reporter: { mode: 'anonymous', contactPreference: 'none', consentToShare: true },
})

async function run(label: string, env: Record<string, string>) {
  const child = await startChild(server, { port: await freePort(), env, timeoutMs: 120_000 })
  try {
    const url = `${child.url}/intake`
    const options = { method: 'POST' as const, body, headers: { 'content-type': 'application/json' }, connections: 32 }
    await load(url, { ...options, durationSeconds: 2 })
    const intake = await load(url, { ...options, durationSeconds: 8 })
    const response = await fetch(`${child.url}/baseline?n=4000&concurrency=32`)
    const baseline = (await response.json()) as { perSecond: number; p50: number; p99: number }
    report(
      `intake.${label}.submissions_per_s (32 clients, 8 s, HTTP POST to commit)`,
      intake.requestsPerSecond,
      'req/s',
    )
    report(`intake.${label}.p50_ms`, intake.p50, 'ms')
    report(`intake.${label}.p99_ms`, intake.p99, 'ms')
    report(`intake.${label}.errors_or_non2xx`, intake.errors + intake.non2xx, 'count')
    report(
      `intake.${label}.bare_insert_per_s (32 concurrent single-row INSERTs, same database, same run)`,
      baseline.perSecond,
      'rows/s',
    )
    report(`intake.${label}.bare_insert_p99_ms`, baseline.p99, 'ms')
    report(`intake.${label}.ratio_intake_to_bare_insert`, intake.requestsPerSecond / baseline.perSecond, 'x')
  } finally {
    await child.stop()
  }
}

export async function reportingBench(): Promise<void> {
  const dataDir = tempDir('safer-intake-bench-')
  try {
    await run('pglite', { PGLITE_DATA_DIR: dataDir, APP_ENV: 'development' })
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
  if (!url) {
    process.stdout.write('intake.postgres: skipped (set BENCH_DATABASE_URL)\n')
    return
  }
  const name = `bench_intake_${randomUUID().replace(/-/g, '').slice(0, 8)}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  try {
    const database = new URL(url)
    database.pathname = `/${name}`
    await run('postgres', { DATABASE_URL: database.toString(), DATABASE_POOL_MAX: '16', APP_ENV: 'development' })
  } finally {
    const cleanup = new pg.Client({ connectionString: url })
    await cleanup.connect()
    await cleanup.query(`drop database if exists ${name} with (force)`)
    await cleanup.end()
  }
}
