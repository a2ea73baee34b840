/**
 * A server for the intake benchmark: the real dependencies on the configured database (PGlite or DATABASE_URL),
 * POST /intake handing the JSON body to the intake service (a durable commit per request, as every door does), and
 * GET /baseline running a bare single-row INSERT loop with the same concurrency on the same database.
 */
import Fastify from 'fastify'
import { sql } from 'kysely'

import { loadConfig } from '../src/config.js'
import { createDependencies } from '../src/dependencies.js'
import { prepare } from '../src/operations.js'
import { percentile } from './lib.js'

const config = loadConfig()
const deps = await createDependencies(config, { holder: 'reporting bench' })
await prepare(deps, { seedDemo: false })
const { db } = deps.database
await sql`create table if not exists bench_intake_baseline (id bigint generated always as identity primary key, at timestamptz not null, body text not null)`.execute(
  db,
)

const app = Fastify({ logger: false, bodyLimit: 64 * 1024 })
app.get('/health', async () => ({ ok: true }))
app.post('/intake', async (request, reply) => {
  const result = await deps.reporting.intake.submit(request.body, { type: 'system', id: 'bench' })
  return reply.code(result.created ? 201 : 200).send({ reference: result.report.reference })
})
app.get('/baseline', async request => {
  const { n = '4000', concurrency = '32' } = request.query as { n?: string; concurrency?: string }
  const total = Number(n)
  const latencies: number[] = []
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: Number(concurrency) }, async () => {
      while (next < total) {
        next++
        const t0 = performance.now()
        await sql`insert into bench_intake_baseline (at, body) values (now(), ${'x'.repeat(200)})`.execute(db)
        latencies.push(performance.now() - t0)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  return { perSecond: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }
})
const close = async () => {
  await app.close()
  await deps.close()
  process.exit(0)
}
process.once('SIGTERM', () => void close())
await app.listen({ host: '127.0.0.1', port: config.port })
