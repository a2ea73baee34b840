/**
 * A server for the `intake_service` and `open311` benchmarks: the real dependencies on the configured database (PGlite
 * or DATABASE_URL), POST /intake handing the JSON body to the intake service (a durable commit per request, as every
 * door does). Its baseline, a bare insert route, is bench/hello-server.ts.
 */
import Fastify from 'fastify'

import { loadConfig } from '../src/config.js'
import { createDependencies } from '../src/dependencies.js'
import { prepare } from '../src/operations.js'

const config = loadConfig()
const deps = await createDependencies(config, { holder: 'reporting bench' })
await prepare(deps, { seedDemo: false })
const app = Fastify({ logger: false, bodyLimit: 64 * 1024 })
app.get('/health', async () => ({ ok: true }))
app.post('/intake', async (request, reply) => {
  const result = await deps.reporting.intake.submit(request.body, { type: 'system', id: 'bench' })
  return reply.code(result.created ? 201 : 200).send({ reference: result.report.reference })
})
const close = async () => {
  await app.close()
  await deps.close()
  process.exit(0)
}
process.once('SIGTERM', () => void close())
await app.listen({ host: '127.0.0.1', port: config.port })
