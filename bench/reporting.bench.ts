/**
 * Issue 3 and 17, group `intake_service` (the service level; `intake_journey` measures the web journey): intake
 * submissions per second and p50/p99 latency at 32 concurrent clients, JSON POST straight to the intake service
 * (bench/reporting-server.ts) to a durable commit, on PGlite and on PostgreSQL, next to its baseline: a bare Fastify
 * route doing one INSERT of a report-shaped row (bench/hello-server.ts) on the same engine, with the same 32
 * autocannon clients for the same 8 seconds, in the same run (ADR 0056). PostgreSQL figures need BENCH_DATABASE_URL
 * (or TEST_DATABASE_URL).
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'

import { bareInsertBaseline, POOL_MAX } from './intake.bench.js'
import { freePort, load, report, root, startChild, tempDir } from './lib.js'

const GROUP = 'intake_service'
const SECONDS = 8

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

async function run(engine: string, env: Record<string, string>, baselineEnv: Record<string, string>) {
  const child = await startChild(server, { port: await freePort(), env, timeoutMs: 120_000 })
  let measured: { perSecond: number; seconds: number }
  try {
    const url = `${child.url}/intake`
    const options = { method: 'POST' as const, body, headers: { 'content-type': 'application/json' }, connections: 32 }
    await load(url, { ...options, durationSeconds: 2 })
    const intake = await load(url, { ...options, durationSeconds: SECONDS })
    measured = { perSecond: intake.total / intake.seconds, seconds: intake.seconds }
    report(
      `${GROUP}.${engine}.submissions_per_s (32 autocannon clients, ${String(SECONDS)} s, JSON POST to commit)`,
      measured.perSecond,
      'req/s',
    )
    report(`${GROUP}.${engine}.p50_ms`, intake.p50, 'ms')
    report(`${GROUP}.${engine}.p99_ms`, intake.p99, 'ms')
    report(`${GROUP}.${engine}.errors_or_non2xx`, intake.errors + intake.non2xx, 'count')
  } finally {
    await child.stop()
  }
  await bareInsertBaseline(GROUP, engine, baselineEnv, { ...measured, figure: 'submissions_per_s' })
}

export async function reportingBench(): Promise<void> {
  const dataDir = tempDir('safer-intake-bench-')
  const baselineDir = tempDir('safer-intake-bench-insert-')
  try {
    await run('pglite', { PGLITE_DATA_DIR: dataDir, APP_ENV: 'development' }, { PGLITE_DATA_DIR: baselineDir })
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
    fs.rmSync(baselineDir, { recursive: true, force: true })
  }
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
  if (!url) {
    process.stdout.write(`# ${GROUP} on PostgreSQL skipped (set BENCH_DATABASE_URL)\n`)
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
    const env = { DATABASE_URL: database.toString(), DATABASE_POOL_MAX: POOL_MAX }
    await run('postgres', { ...env, APP_ENV: 'development' }, env)
  } finally {
    const cleanup = new pg.Client({ connectionString: url })
    await cleanup.connect()
    await cleanup.query(`drop database if exists ${name} with (force)`)
    await cleanup.end()
  }
}
