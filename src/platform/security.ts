/**
 * Security headers (helmet with a nonce-based Content Security Policy), signed cookies, CSRF protection for every
 * form, and a per-client rate limit with a friendly page (counted in the database on PostgreSQL, so every server
 * shares it). API routes authenticate by key and opt out of CSRF with
 * `config: { csrf: false }`.
 */
import fastifyCookie from '@fastify/cookie'
import fastifyCsrf from '@fastify/csrf-protection'
import fastifyFormbody from '@fastify/formbody'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import qs from 'node:querystring'

import type { Config } from '../config.js'
import type { DatabaseHandle } from './database/index.js'
import { postgresRateLimitStore } from './rate-limit-store.js'
import { isApiRequest } from './request-kind.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route takes no cookie-authenticated form posts (APIs authenticated by key). */
    csrf?: boolean
  }
}

export const securityPlugin = fp(
  async (app: FastifyInstance, { config, database }: { config: Config; database?: DatabaseHandle }) => {
    await app.register(fastifyHelmet, {
      enableCSPNonces: true,
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: [
            "'self'",
            'data:',
            ...(config.map.tileUrl ? [new URL(config.map.tileUrl.replace(/[{}]/g, '')).origin] : []),
          ],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          upgradeInsecureRequests: config.env === 'production' ? [] : null,
        },
      },
      strictTransportSecurity: config.env === 'production',
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'no-referrer' },
    })

    await app.register(fastifyCookie, { secret: config.sessionSecret })
    // Nested objects (`attribute[CODE]=`) are parsed by Open311's own content-type parser; forms stay flat.
    await app.register(fastifyFormbody, { parser: body => qs.parse(body), bodyLimit: 1024 * 1024 })
    await app.register(fastifyCsrf, {
      cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: config.env === 'production' },
      sessionPlugin: '@fastify/cookie',
    })

    // On PostgreSQL the counters are in the database, shared by every server behind the load balancer (ADR 0059);
    // on PGlite (one server) they stay in memory.
    const shared = database?.engine === 'postgres' && config.rateLimitStore === 'database'
    await app.register(fastifyRateLimit, {
      global: true,
      ...(shared
        ? {
            store: postgresRateLimitStore(database.db, error =>
              app.log.warn({ err: error.name, message: error.message }, 'rate-limit purge failed'),
            ),
          }
        : {}),
      max: config.rateLimitPublicPerMinute,
      timeWindow: '1 minute',
      allowList: (request: FastifyRequest) =>
        request.url.startsWith('/assets/') || request.url === '/health' || request.url === '/ping',
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        error: 'Too Many Requests',
        message: `Too many requests. Please wait ${context.after} and try again.`,
        // Retry-After takes seconds (RFC 9110); the message keeps the words.
        retryAfter: String(Math.max(1, Math.ceil(context.ttl / 1000))),
      }),
    })

    // Every state-changing request from a browser carries the token; API routes declare csrf: false.
    app.addHook('preHandler', (request, reply, done) => {
      const unsafe = request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS'
      if (!unsafe || request.routeOptions.config.csrf === false || isApiRequest(request)) {
        done()
        return
      }
      app.csrfProtection(request, reply, done)
    })

    app.addHook('onRequest', async (_request, reply: FastifyReply) => {
      reply.header('cache-control', 'no-store')
      reply.header('x-robots-tag', 'noindex')
    })
  },
  { name: 'security', dependencies: ['views'] },
)
