/**
 * A @fastify/rate-limit store in PostgreSQL, so that every Safer server behind a load balancer counts a client's
 * requests together (ADR 0059). One UNLOGGED row per limiter, client and window (`rate_limit_hit`), and an upsert
 * that starts a new window when the old one has ended and returns the count and what is left of the window, timed
 * by the database's clock so servers with drifting clocks agree. Requests for one key that arrive while its upsert is
 * on its way are counted together by the next (ADR 0060). Ended windows are deleted now and then.
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

  /** Requests counted together in one statement, and the window length they were counted for. */
  interface Group {
    callbacks: Callback[]
    window: number
  }
  /** The keys whose statement is on its way to the database. */
  const inFlight = new Set<string>()
  /** Per such key, the requests that arrived meanwhile: the next group, sent when the statement returns. */
  const waiting = new Map<string, Group>()

  function send(id: string, group: Group): void {
    const n = group.callbacks.length
    sql<{ hits: number | string; ttl: number | string }>`
      insert into rate_limit_hit as r (key, hits, window_ends)
      values (${id}, ${n}, now() + make_interval(secs => ${group.window / 1000}))
      on conflict (key) do update set
        hits = case when r.window_ends <= now() then excluded.hits else r.hits + excluded.hits end,
        window_ends = case when r.window_ends <= now() then excluded.window_ends else r.window_ends end
      returning hits, greatest(0, ceil(extract(epoch from (window_ends - now())) * 1000))::int8 as ttl`
      .execute(db)
      .then(
        ({ rows }) => {
          const row = rows[0]
          const last = Number(row?.hits ?? n)
          const ttl = Number(row?.ttl ?? group.window)
          group.callbacks.forEach((callback, index) => callback(null, { current: last - n + 1 + index, ttl }))
          purge()
        },
        (error: unknown) => {
          for (const callback of group.callbacks) callback(error as Error)
        },
      )
      .finally(() => {
        const next = waiting.get(id)
        waiting.delete(id)
        if (next) send(id, next)
        else inFlight.delete(id)
      })
  }

  return class PostgresRateLimitStore {
    /** Anonymous limiters (`app.rateLimit({...})`) counted in order: the same order on every server. */
    private anonymous = 0

    constructor(
      _options?: unknown,
      private readonly namespace = 'global',
    ) {}

    /**
     * Counts one request. Requests for the same key that arrive while that key's upsert is on its way to the database
     * wait and go together in the next one, which adds their number at once (a group increment): each gets its own
     * place in the count, exactly as one upsert each would give, with one statement and one wait on the row instead
     * of one per request. With many clients on one key (a partner's Open311 key) the row is no longer a queue.
     */
    incr(key: string, callback: Callback, timeWindow: number): void {
      const id = `${this.namespace}|${key}`
      const window = Math.max(1, Math.trunc(timeWindow))
      if (!inFlight.has(id)) {
        inFlight.add(id)
        send(id, { callbacks: [callback], window })
        return
      }
      const next = waiting.get(id)
      if (next) next.callbacks.push(callback)
      else waiting.set(id, { callbacks: [callback], window })
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
