/**
 * Scheduled work that must run once across every Safer server sharing the database (ADR 0059). Each run of a job
 * has a period (the London day of a nightly job, the minute of a sweep); the server that first inserts the
 * (job, period) row into `job_run` runs it, the others find the row and skip. A claim holds for a lease; a run that
 * died with its server (never marked finished) may be taken over by another server once the lease has passed.
 * With PGlite there is one server, and the ledger still keeps a restart from running a day's job twice.
 */
import os from 'node:os'

import { sql, type Kysely } from 'kysely'

import type { Database } from '../db/schema.js'
import type { Clock } from './clock.js'

/** How long finished rows are kept (the operator's record of what ran where). */
export const JOB_RUN_KEEP_DAYS = 30

export interface JobRunOutcome<T> {
  /** false: another server (or an earlier run in this period) has it. */
  ran: boolean
  result?: T
}

export function createJobRuns(deps: {
  db: Kysely<Database>
  clock?: Clock
  /** Who is running: host and process id unless given. */
  holder?: string
}) {
  const { db } = deps
  const now = () => (deps.clock ?? { now: () => new Date() }).now()
  const holder = deps.holder ?? `${os.hostname()}:${String(process.pid)}`

  /** Claims (job, period) for this server: true when it is ours to run. */
  async function claim(job: string, period: string, leaseMs: number): Promise<boolean> {
    const at = now()
    const leaseUntil = new Date(at.getTime() + leaseMs)
    const inserted = await db
      .insertInto('job_run')
      .values({ job, period, holder, started_at: at, lease_until: leaseUntil, finished_at: null })
      .onConflict(conflict => conflict.columns(['job', 'period']).doNothing())
      .returning('job')
      .executeTakeFirst()
    if (inserted) return true
    // Taken: ours only if the run that had it died unfinished and its lease has passed.
    const taken = await db
      .updateTable('job_run')
      .set({ holder, started_at: at, lease_until: leaseUntil, attempts: sql`attempts + 1` })
      .where('job', '=', job)
      .where('period', '=', period)
      .where('finished_at', 'is', null)
      .where('lease_until', '<', at)
      .returning('job')
      .executeTakeFirst()
    return taken !== undefined
  }

  async function finish(job: string, period: string): Promise<void> {
    await db
      .updateTable('job_run')
      .set({ finished_at: now() })
      .where('job', '=', job)
      .where('period', '=', period)
      .where('holder', '=', holder)
      .execute()
  }

  /** Gives a claim back after a failed run, so the next tick (on any server) tries again. */
  async function release(job: string, period: string): Promise<void> {
    await db
      .deleteFrom('job_run')
      .where('job', '=', job)
      .where('period', '=', period)
      .where('holder', '=', holder)
      .where('finished_at', 'is', null)
      .execute()
  }

  return {
    holder,

    /**
     * Runs `work` if this server claims (job, period); otherwise does nothing. A failed run gives its claim back and
     * rethrows. `leaseMs` should exceed the longest run (a run still going after it may be started again elsewhere).
     */
    async once<T>(
      job: string,
      period: string,
      work: () => Promise<T>,
      leaseMs = 15 * 60_000,
    ): Promise<JobRunOutcome<T>> {
      if (!(await claim(job, period, leaseMs))) return { ran: false }
      let result: T
      try {
        result = await work()
      } catch (error) {
        await release(job, period).catch(() => undefined)
        throw error
      }
      await finish(job, period)
      return { ran: true, result }
    },

    /** Deletes finished rows older than JOB_RUN_KEEP_DAYS (a sweep's minute rows would otherwise pile up). */
    async prune(): Promise<number> {
      const before = new Date(now().getTime() - JOB_RUN_KEEP_DAYS * 24 * 60 * 60_000)
      const result = await db
        .deleteFrom('job_run')
        .where('started_at', '<', before)
        .where('finished_at', 'is not', null)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },
  }
}

export type JobRuns = ReturnType<typeof createJobRuns>

/** The period of a job run every `everyMs`: the start of its slot, as an ISO timestamp (UTC). */
export function slotPeriod(at: Date, everyMs: number): string {
  return new Date(Math.floor(at.getTime() / everyMs) * everyMs).toISOString()
}
