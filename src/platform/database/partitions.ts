/**
 * Tables partitioned by month (ADR 0061): the audit trail by `occurred_at`, police.uk street and stop-and-search
 * records by `month`. A row whose month has no partition lands in the table's `_default` partition, so an insert never
 * fails; the server creates the coming months ahead (`createPartitionsAhead`, at start and daily), and an import
 * creates the months it covers before it writes. `safer_month_partition` (migration 0770) does the work in the
 * database: it moves rows waiting in the default partition into the new month, and the least-privilege application
 * role may call it.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'

export const MONTH_PARTITIONED_TABLES = [
  'audit_event',
  'intelligence_street_crime',
  'intelligence_stop_search',
] as const
export type MonthPartitionedTable = (typeof MONTH_PARTITIONED_TABLES)[number]

/** How many months after this one the server keeps partitions for. */
export const MONTHS_AHEAD = 3

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/

/** Creates the partitions of `table` for `months` (`YYYY-MM`) that do not exist yet; returns those it created. */
export async function createMonthPartitions(
  db: Kysely<Database>,
  table: MonthPartitionedTable,
  months: Iterable<string>,
): Promise<string[]> {
  const created: string[] = []
  for (const month of [...new Set(months)].filter(m => MONTH.test(m)).sort()) {
    const { rows } = await sql<{ made: boolean }>`
      select safer_month_partition(${table}::regclass, ${`${month}-01`}::date) as made`.execute(db)
    if (rows[0]?.made) created.push(`${table} ${month}`)
  }
  return created
}

/** `YYYY-MM` of `at` plus `offset` months, in UTC (the audit trail's partitions are UTC months). */
export function monthOf(at: Date, offset = 0): string {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1)).toISOString().slice(0, 7)
}

/**
 * This month and the next `ahead` of every month-partitioned table, so the rows of the coming weeks never wait in a
 * default partition. Cheap when they exist (a catalogue lookup each). Returns the partitions created.
 */
export async function createPartitionsAhead(
  db: Kysely<Database>,
  options: { now?: Date; ahead?: number } = {},
): Promise<string[]> {
  const now = options.now ?? new Date()
  const months = Array.from({ length: (options.ahead ?? MONTHS_AHEAD) + 1 }, (_, i) => monthOf(now, i))
  const created: string[] = []
  for (const table of MONTH_PARTITIONED_TABLES) created.push(...(await createMonthPartitions(db, table, months)))
  return created
}

/**
 * Creates partitions ahead now and then once a day (a timer that does not keep the process alive). Several servers
 * may run it together: the partition is created once, and the others find it.
 */
export function startPartitionSchedule(deps: {
  db: Kysely<Database>
  everyMs?: number
  logger?: { info(o: object, msg: string): void; warn(o: object, msg: string): void }
}): { stop(): Promise<void>; tick(): Promise<void> } {
  let running: Promise<void> | undefined
  const tick = (): Promise<void> => {
    running ??= createPartitionsAhead(deps.db)
      .then(created => {
        if (created.length > 0) deps.logger?.info({ created }, 'month partitions created')
      })
      .catch((error: unknown) => {
        deps.logger?.warn({ err: (error as Error).name, message: (error as Error).message }, 'month partitions failed')
      })
      .finally(() => {
        running = undefined
      })
    return running
  }
  const timer = setInterval(() => void tick(), deps.everyMs ?? 24 * 60 * 60 * 1000)
  timer.unref()
  return {
    tick,
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
