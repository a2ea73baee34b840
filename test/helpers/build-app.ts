/**
 * `build(t)`: the real application on a real database (PGlite in memory, or PostgreSQL with TEST_DATABASE_URL),
 * migrated, with the Tower Hamlets geography loaded. One per test file: call it in `before` and close in `after`.
 */
import type { FastifyInstance } from 'fastify'

import { buildApp, type BuildOptions } from '../../src/app.js'
import { createDependencies, type Dependencies } from '../../src/dependencies.js'
import { prepare } from '../../src/operations.js'
import { fixedClock, type Clock } from '../../src/platform/clock.js'
import { createTestDatabase } from './database.js'

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

export async function buildTestApp(options: BuildTestAppOptions = {}): Promise<TestApp> {
  const { config, database, drop } = await createTestDatabase({
    RATE_LIMIT_PUBLIC_PER_MINUTE: '100000',
    RATE_LIMIT_SIGN_IN_PER_MINUTE: '100000',
    ...options.config,
  })
  const deps = await createDependencies(config, {
    database,
    clock: options.clock ?? fixedClock('2026-11-20T10:00:00Z'),
  })
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
