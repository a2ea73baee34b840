/**
 * `build(t)`: the real application on a real database (PGlite in memory, or PostgreSQL with TEST_DATABASE_URL),
 * migrated, with the Tower Hamlets geography loaded. One per test file: call it in `before` and close in `after`.
 *
 * With `seedDemo`, the demo borough is seeded too, which costs about 27 s of CPU. When the runner built the run's demo
 * template (`test/helpers/demo-template.ts`, ADR 0063), a file asking for the demo with the default configuration and
 * clock starts from a copy of it instead (about 3 s): the same seeders, run once per run on the same code.
 */
import fs from 'node:fs'

import type { FastifyInstance } from 'fastify'

import { buildApp, type BuildOptions } from '../../src/app.js'
import { createDependencies, type Dependencies } from '../../src/dependencies.js'
import { prepare } from '../../src/operations.js'
import { fixedClock, type Clock } from '../../src/platform/clock.js'
import { createTestDatabase, demoTemplate } from './database.js'

export interface TestApp {
  app: FastifyInstance
  deps: Dependencies
  close(): Promise<void>
}

export interface BuildTestAppOptions {
  config?: Record<string, string>
  clock?: Clock
  seedDemo?: boolean
  build?: BuildOptions
}

/** What the test clock reads unless a file sets another, and the instant the run's demo template is seeded at. */
export const TEST_INSTANT = '2026-11-20T10:00:00Z'

const TEST_APP_CONFIG = { RATE_LIMIT_PUBLIC_PER_MINUTE: '100000', RATE_LIMIT_SIGN_IN_PER_MINUTE: '100000' }

/**
 * The run's demo template fits when it was seeded as this file would seed: the default configuration (the pack, the
 * secrets the seeders encrypt with) and a clock reading TEST_INSTANT.
 */
function fitsDemoTemplate(options: BuildTestAppOptions, clock: Clock): boolean {
  return (
    options.seedDemo === true &&
    (options.config === undefined || Object.keys(options.config).length === 0) &&
    clock.now().getTime() === new Date(TEST_INSTANT).getTime()
  )
}

export async function buildTestApp(options: BuildTestAppOptions = {}): Promise<TestApp> {
  const clock = options.clock ?? fixedClock(TEST_INSTANT)
  const loadDataDir = fitsDemoTemplate(options, clock) ? demoTemplate() : undefined
  const { config, database, drop } = await createTestDatabase(
    { ...TEST_APP_CONFIG, ...options.config },
    { ...(loadDataDir ? { loadDataDir } : {}) },
  )
  const deps = await createDependencies(config, { database, clock })
  // From the demo template this finds the demo seeded (and applies any migration newer than the dump).
  await prepare(deps, { seedDemo: options.seedDemo ?? false })
  const app = await buildApp(deps, options.build)
  return {
    app,
    deps,
    async close() {
      await app.close()
      await deps.pdf.close()
      await drop()
    },
  }
}

/**
 * Seeds the demo borough as `buildTestApp({ seedDemo: true })` does, on the migrated template, and writes the PGlite
 * dump to `file` (aside, then renamed, so a reader never sees half of it). Run once per test run by the runner.
 */
export async function buildDemoTemplate(file: string): Promise<void> {
  const { config, database, drop } = await createTestDatabase(TEST_APP_CONFIG)
  const deps = await createDependencies(config, { database, clock: fixedClock(TEST_INSTANT) })
  try {
    await prepare(deps, { seedDemo: true })
    if (!database.dumpDataDir) throw new Error('the demo template needs the embedded database (PGlite)')
    const partial = `${file}.partial`
    fs.writeFileSync(partial, Buffer.from(await (await database.dumpDataDir()).arrayBuffer()))
    fs.renameSync(partial, file)
  } finally {
    await deps.pdf.close()
    await drop()
  }
}

/** Reads the CSRF token and cookie a form page issues, for posting back to it as a browser would. */
export async function formSession(app: FastifyInstance, url: string): Promise<{ token: string; cookie: string }> {
  const response = await app.inject({ method: 'GET', url })
  const match = /name="_csrf" value="([^"]+)"/.exec(response.body)
  const setCookie = response.headers['set-cookie']
  const cookies = (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [])
    .map(c => c.split(';')[0])
    .join('; ')
  if (!match?.[1]) throw new Error(`No CSRF token on ${url} (status ${String(response.statusCode)})`)
  return { token: match[1], cookie: cookies }
}
