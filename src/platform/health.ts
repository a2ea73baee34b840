/**
 * `/health` (HMPPS shape: status, named components, build), `/ping` and `/info`. The database component asks
 * `select 1` with a short timeout, so a lost database shows as DOWN (503) and UP again once it returns.
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

    app.get('/health', { logLevel: 'silent', config: { access: 'public', audit: false } }, async (_request, reply) => {
      let database_status: 'UP' | 'DOWN' = 'UP'
      let detail: string | undefined
      try {
        await database.ping(2000)
      } catch (error) {
        database_status = 'DOWN'
        detail = (error as Error).message.slice(0, 200)
      }
      return reply.code(database_status === 'UP' ? 200 : 503).send({
        status: database_status,
        components: {
          database: {
            status: database_status,
            details: { engine: database.engine, ...(detail ? { error: detail } : {}) },
          },
        },
        build,
      })
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
