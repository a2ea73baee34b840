/**
 * `/health` (HMPPS shape: status, named components, build), `/ping` and `/info`. The database component asks
 * `select 1` with a short timeout, so a lost database shows as DOWN (503) and UP again once it returns; the reason
 * (which names the database's address) is logged, never shown.
 * (@fastify/under-pressure was tried and removed: its event-loop sample still held the delay of start-up work, such
 * as importing a geography pack, and answered 503 to the first requests after a healthy start.)
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

import type { Config } from '../config.js'
import type { DatabaseHandle } from './database/index.js'

export const healthPlugin = fp(
  async (app: FastifyInstance, { config, database }: { config: Config; database: DatabaseHandle }) => {
    const build = { version: config.build.version, gitRef: config.build.gitRef }

    // Public: only UP or DOWN. Why the database is down (its address, the driver's message) goes to the log.
    app.get('/health', { logLevel: 'silent', config: { access: 'public', audit: false } }, async (_request, reply) => {
      let status: 'UP' | 'DOWN' = 'UP'
      try {
        await database.ping(2000)
      } catch (error) {
        status = 'DOWN'
        app.log.warn(
          { code: (error as { code?: unknown }).code, error: (error as Error).message.slice(0, 200) },
          'health check: the database is not answering',
        )
      }
      return reply.code(status === 'UP' ? 200 : 503).send({ status, components: { database: { status } }, build })
    })

    app.get('/ping', { logLevel: 'silent', config: { access: 'public', audit: false } }, async (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send('pong'),
    )

    app.get('/info', { config: { access: 'public', audit: false } }, async () => ({
      name: 'safer',
      build,
      engine: database.engine,
    }))
  },
  { name: 'health' },
)
