/**
 * A @fastify/rate-limit store in PostgreSQL, so that every Safer server behind a load balancer counts a client's
 * requests together (ADR 0059). One UNLOGGED row per limiter, client and window (`rate_limit_hit`), one upsert per
 * request that starts a new window when the old one has ended and returns the count and what is left of the window,
 * timed by the database's clock so servers with drifting clocks agree. Ended windows are deleted now and then.
 *
 * Used when DATABASE_URL is set; with PGlite there is one server and the plugin's in-memory store is kept.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../db/schema.js'

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void

/** How often (at most) one server deletes ended windows. */
const PURGE_EVERY_MS = 60_000

interface LimiterOptions {
  routeInfo?: { method?: string | string[]; url?: string }
}

/** The store class @fastify/rate-limit instantiates (`store` option) for a database. */
export function postgresRateLimitStore(db: Kysely<Database>, onError?: (error: Error) => void) {
  let lastPurge = 0

  function purge(): void {
    const now = Date.now()
    if (now - lastPurge < PURGE_EVERY_MS) return
    lastPurge = now
    db.deleteFrom('rate_limit_hit')
      .where('window_ends', '<', sql<Date>`now() - interval '1 minute'`)
      .execute()
      .catch((error: unknown) => onError?.(error as Error))
  }

  return class PostgresRateLimitStore {
    /** Anonymous limiters (`app.rateLimit({...})`) counted in order: the same order on every server. */
    private anonymous = 0

    constructor(
      _options?: unknown,
      private readonly namespace = 'global',
    ) {}

    incr(key: string, callback: Callback, timeWindow: number): void {
      const window = Math.max(1, Math.trunc(timeWindow))
      const id = `${this.namespace}|${key}`
      sql<{ hits: number; ttl: number | string }>`
        insert into rate_limit_hit as r (key, hits, window_ends)
        values (${id}, 1, now() + make_interval(secs => ${window / 1000}))
        on conflict (key) do update set
          hits = case when r.window_ends <= now() then 1 else r.hits + 1 end,
          window_ends = case when r.window_ends <= now() then excluded.window_ends else r.window_ends end
        returning hits, greatest(0, ceil(extract(epoch from (window_ends - now())) * 1000))::int8 as ttl`
        .execute(db)
        .then(
          ({ rows }) => {
            const row = rows[0]
            callback(null, { current: row?.hits ?? 1, ttl: Number(row?.ttl ?? window) })
            purge()
          },
          (error: unknown) => callback(error as Error),
        )
    }

    read(key: string, callback: Callback): void {
      const id = `${this.namespace}|${key}`
      sql<{ hits: number; ttl: number | string }>`
        select hits, ceil(extract(epoch from (window_ends - now())) * 1000)::int8 as ttl
        from rate_limit_hit where key = ${id} and window_ends > now()`
        .execute(db)
        .then(
          ({ rows }) => callback(null, { current: rows[0]?.hits ?? 0, ttl: Number(rows[0]?.ttl ?? 0) }),
          (error: unknown) => callback(error as Error),
        )
    }

    /**
     * A route's own limiter: counted apart from the others, under its method and path (or its place in order). The
     * plugin passes the limiter's merged options, whose `routeInfo` is the route (empty for `app.rateLimit`).
     */
    child(options: object): PostgresRateLimitStore {
      const { routeInfo } = options as LimiterOptions
      const method = routeInfo?.method
      const url = routeInfo?.url
      const name = url
        ? `${Array.isArray(method) ? method.join(',') : (method ?? '')} ${url}`
        : `limiter-${String(++this.anonymous)}`
      return new PostgresRateLimitStore(undefined, name)
    }
  }
}
