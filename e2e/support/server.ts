/**
 * The real application on a real port for browser tests: in-memory PGlite, migrated, geography loaded, the demo
 * borough seeded, listening on 127.0.0.1 with an ephemeral port.
 */
import type { FastifyInstance } from 'fastify'

import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/config.js'
import { createDependencies, type Dependencies } from '../../src/dependencies.js'
import { prepare } from '../../src/operations.js'

export interface RunningServer {
  baseUrl: string
  app: FastifyInstance
  deps: Dependencies
  close(): Promise<void>
}

export async function startServer(overrides: Record<string, string> = {}): Promise<RunningServer> {
  const config = testConfig({
    RATE_LIMIT_PUBLIC_PER_MINUTE: '100000',
    RATE_LIMIT_SIGN_IN_PER_MINUTE: '100000',
    DEMO_DATA: 'true',
    ...overrides,
  })
  const deps = await createDependencies(config)
  await prepare(deps, { seedDemo: true })
  const app = await buildApp(deps)
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  return {
    baseUrl: address,
    app,
    deps,
    async close() {
      await app.close()
      await deps.close()
    },
  }
}
