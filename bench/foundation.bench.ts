/**
 * Issue 2: cold start to the first /health 200 (a first run that migrates, loads the geography and seeds the demo;
 * and a restart on an existing data directory), and /health requests per second next to a bare Fastify hello-world.
 */
import fs from 'node:fs'
import path from 'node:path'

import { freePort, load, median, productionEnv, report, root, startChild, tempDir } from './lib.js'

const safer = [path.join(root, 'bin', 'safer.js'), 'serve']

export async function foundationBench(): Promise<void> {
  const firstRuns: number[] = []
  const restarts: number[] = []
  for (let run = 0; run < 3; run++) {
    const dataDir = tempDir('safer-bench-')
    const env = { PGLITE_DATA_DIR: dataDir }
    const first = await startChild(safer, { port: await freePort(), env })
    firstRuns.push(first.readyMs)
    await first.stop()
    const again = await startChild(safer, { port: await freePort(), env })
    restarts.push(again.readyMs)
    await again.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  report(
    'foundation.pglite.first_run_to_health_ms',
    median(firstRuns),
    'ms',
    'median of 3; migrate + geography + demo seed, new data directory; no baseline',
  )
  report(
    'foundation.pglite.restart_to_health_ms',
    median(restarts),
    'ms',
    'median of 3; existing data directory; no baseline',
  )

  const dataDir = tempDir('safer-bench-')
  const server = await startChild(safer, {
    port: await freePort(),
    env: { ...productionEnv(), PGLITE_DATA_DIR: dataDir, RATE_LIMIT_PUBLIC_PER_MINUTE: '100000000' },
  })
  const hello = await startChild(
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'bench', 'hello-server.ts')],
    {
      port: await freePort(),
    },
  )
  try {
    await load(`${server.url}/health`, { durationSeconds: 2 })
    await load(`${hello.url}/health`, { durationSeconds: 2 })
    const saferRuns: number[] = []
    const helloRuns: number[] = []
    for (let round = 0; round < 3; round++) {
      saferRuns.push((await load(`${server.url}/health`, { durationSeconds: 4 })).requestsPerSecond)
      helloRuns.push((await load(`${hello.url}/health`, { durationSeconds: 4 })).requestsPerSecond)
    }
    const saferRps = median(saferRuns)
    const helloRps = median(helloRuns)
    const how = 'median of 3 alternating rounds of 4 s, 16 connections'
    report('foundation.pglite.health_per_s', saferRps, 'req/s', `${how}; GET /health runs select 1 on PGlite`)
    report(
      'foundation.pglite.baseline.bare_fastify_hello_per_s',
      helloRps,
      'req/s',
      `${how}, same run; a bare Fastify route answering from memory (no database: less work than /health)`,
    )
    report('foundation.pglite.ratio.health_per_s_to_bare_fastify_hello_per_s', saferRps / helloRps, 'x')
  } finally {
    await server.stop()
    await hello.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
