/**
 * The real application on a real port for browser tests: in-memory PGlite, migrated, geography loaded, the demo
 * borough seeded, listening on 127.0.0.1 with an ephemeral port.
 *
 * Migrating and seeding the demo cost several seconds of CPU. When the e2e suite runs more than one file,
 * `scripts/run-tests.js` first builds that database once (`buildDemoTemplate`, below) and names the dump in
 * SAFER_E2E_TEMPLATE; each file's server then starts from a copy of it. The dump lives for one run only, so the
 * demo's dates are today's, as they would be from a fresh seed.
 */
import fs from 'node:fs'

import type { FastifyInstance } from 'fastify'

import { buildApp } from '../../src/app.js'
import { testConfig, type Config } from '../../src/config.js'
import { createDependencies, type Dependencies } from '../../src/dependencies.js'
import { prepare } from '../../src/operations.js'
import { createTestDatabase, engineUnderTest } from '../../test/helpers/database.js'

export interface RunningServer {
  baseUrl: string
  app: FastifyInstance
  deps: Dependencies
  close(): Promise<void>
}

const SERVER_CONFIG = {
  RATE_LIMIT_PUBLIC_PER_MINUTE: '100000',
  RATE_LIMIT_SIGN_IN_PER_MINUTE: '100000',
  DEMO_DATA: 'true',
}

function serverConfig(overrides: Record<string, string>): Config {
  return testConfig({ ...SERVER_CONFIG, ...overrides })
}

export async function startServer(overrides: Record<string, string> = {}): Promise<RunningServer> {
  const config = serverConfig(overrides)
  const template = process.env.SAFER_E2E_TEMPLATE
  // The template was seeded with the default configuration; other settings seed their own database.
  const fromTemplate =
    template && Object.keys(overrides).length === 0 && config.database.kind === 'pglite' && fs.existsSync(template)
  const deps = await createDependencies(
    config,
    fromTemplate ? { pgliteLoadDataDir: new Blob([fs.readFileSync(template)]) } : {},
  )
  // From the template this finds everything done; it still applies any migration newer than the dump.
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

/**
 * Writes the database `startServer` would prepare (migrated, geography, demo) to `file`, for the run's servers. It
 * starts from the unit tests' migrated template (test/helpers/database.ts: the same migrations, pack and PGlite, built
 * by the runner before this or here when missing), so a run migrates and loads the geography once, not twice.
 */
export async function buildDemoTemplate(file: string): Promise<void> {
  const database = engineUnderTest === 'pglite' ? (await createTestDatabase(SERVER_CONFIG)).database : undefined
  const deps = await createDependencies(serverConfig({}), database ? { database } : {})
  try {
    await prepare(deps, { seedDemo: true })
    if (!deps.database.dumpDataDir) throw new Error('the demo template needs the embedded database (PGlite)')
    fs.writeFileSync(file, Buffer.from(await (await deps.database.dumpDataDir()).arrayBuffer()))
  } finally {
    await deps.close()
  }
}
