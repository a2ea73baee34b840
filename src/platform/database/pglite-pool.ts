/**
 * A `pg`-shaped pool over one embedded PGlite instance, so Kysely's own PostgresDialect drives both engines.
 * PGlite is a single connection: the pool hands it to one borrower at a time (a FIFO mutex), which is what
 * keeps a transaction's statements from interleaving with another request's. See ADR 0003.
 */
import type { PGlite } from '@electric-sql/pglite'
import type { PostgresPool, PostgresPoolClient } from 'kysely'

interface QueryResultLike {
  command: string
  rowCount: number
  rows: unknown[]
}

export function createPglitePool(pglite: PGlite): PostgresPool & { waiting(): number } {
  let busy = false
  const queue: (() => void)[] = []
  let ended = false

  function release(): void {
    const next = queue.shift()
    if (next) next()
    else busy = false
  }

  const client = {
    async query(sql: string, parameters: readonly unknown[]): Promise<QueryResultLike> {
      const result = await pglite.query(sql, [...parameters])
      // PGlite reports affected rows but not the command tag; Kysely only reads the count for writes.
      return { command: 'UPDATE', rowCount: result.affectedRows ?? 0, rows: result.rows }
    },
    release,
  }

  return {
    async connect(): Promise<PostgresPoolClient> {
      if (ended) throw new Error('The embedded database has been closed')
      if (busy) await new Promise<void>(resolve => queue.push(resolve))
      busy = true
      return client as unknown as PostgresPoolClient
    },
    async end(): Promise<void> {
      ended = true
      await pglite.close()
    },
    waiting: () => queue.length,
  }
}
