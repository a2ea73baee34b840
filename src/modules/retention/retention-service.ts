/**
 * The retention schedule (docs/retention.md): per record type, what is past its period is anonymised or deleted, in
 * batches of `batchSize` rows, each batch one transaction. A dry run only counts. A real run writes one audit event
 * with the counts per type (never a name, reference or id of what went).
 */
import type { RetentionPeriod, RetentionType } from '../../config.js'
import { systemActor, type AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { JobRuns } from '../../platform/job-runs.js'
import { londonDate, londonTime } from '../../platform/working-days.js'
import { AUDIT_PURGE_FUNCTION, type RetentionRepository } from './retention-repository.js'

export const RETENTION_AUDIT_ACTION = 'retention.run'
export const DEFAULT_BATCH_SIZE = 500

/** One line of a run: a record type, what happens to it, from which cutoff, and how many. */
export interface RetentionLine {
  type: RetentionType | 'evidenceFiles'
  action: 'anonymise' | 'delete' | 'purge'
  /** Records older than this are due (undefined for evidence files, which go with their report or draft). */
  cutoff: Date | undefined
  /** Due (dry run) or done (real run). */
  count: number
  /** Why nothing was done although records are due (audit's purge function is not installed). */
  skipped?: string
}

export interface RetentionResult {
  dryRun: boolean
  lines: RetentionLine[]
}

/** `now` less a period, in calendar days, months or years (UTC). */
export function cutoffFor(now: Date, period: RetentionPeriod): Date {
  const cutoff = new Date(now)
  if (period.unit === 'd') cutoff.setUTCDate(cutoff.getUTCDate() - period.amount)
  else if (period.unit === 'm') cutoff.setUTCMonth(cutoff.getUTCMonth() - period.amount)
  else cutoff.setUTCFullYear(cutoff.getUTCFullYear() - period.amount)
  return cutoff
}

export function formatPeriod(period: RetentionPeriod): string {
  return `${String(period.amount)}${period.unit}`
}

export interface Logger {
  info(object: Record<string, unknown>, message: string): void
  warn(object: Record<string, unknown>, message: string): void
}

export function createRetentionService(deps: {
  repository: RetentionRepository
  audit: AuditService
  clock: Clock
  periods: Readonly<Record<RetentionType, RetentionPeriod>>
  batchSize?: number
  logger?: Logger
}) {
  const { repository, audit, clock, periods, logger } = deps
  const batchSize = deps.batchSize ?? DEFAULT_BATCH_SIZE

  /** Runs `batch` in its own transaction until it does fewer than a full batch; returns the summed counts. */
  async function inBatches<T extends Record<string, number>>(
    batch: (trx: Parameters<Parameters<RetentionRepository['transaction']>[0]>[0]) => Promise<T & { batch: number }>,
  ): Promise<Record<string, number>> {
    const total: Record<string, number> = {}
    for (;;) {
      const result = await repository.transaction(batch)
      for (const [key, value] of Object.entries(result)) total[key] = (total[key] ?? 0) + value
      if (result.batch < batchSize) return total
    }
  }

  async function dryRun(now: Date): Promise<RetentionLine[]> {
    const cutoffs = cutoffsAt(now)
    const cases = await repository.countDueCases(cutoffs.closedCases)
    const reports = await repository.countDueReports(cutoffs.unlinkedReports)
    const drafts = await repository.countDueDrafts(cutoffs.reportDrafts)
    const audited = await repository.countDueAudit(cutoffs.audit)
    const installed = await repository.auditPurgeInstalled()
    return [
      { type: 'closedCases', action: 'anonymise', cutoff: cutoffs.closedCases, count: cases.records },
      { type: 'unlinkedReports', action: 'anonymise', cutoff: cutoffs.unlinkedReports, count: reports.records },
      {
        type: 'evidenceFiles',
        action: 'delete',
        cutoff: undefined,
        count: cases.evidence + reports.evidence + drafts.evidence,
      },
      {
        type: 'sentNotifications',
        action: 'delete',
        cutoff: cutoffs.sentNotifications,
        count: await repository.countDueNotifications(cutoffs.sentNotifications),
      },
      { type: 'reportDrafts', action: 'delete', cutoff: cutoffs.reportDrafts, count: drafts.records },
      {
        type: 'audit',
        action: 'purge',
        cutoff: cutoffs.audit,
        count: audited,
        ...(installed ? {} : { skipped: notInstalled }),
      },
    ]
  }

  const notInstalled = `${AUDIT_PURGE_FUNCTION} is not installed (audit migration 0700)`

  function cutoffsAt(now: Date): Record<RetentionType, Date> {
    return {
      closedCases: cutoffFor(now, periods.closedCases),
      unlinkedReports: cutoffFor(now, periods.unlinkedReports),
      sentNotifications: cutoffFor(now, periods.sentNotifications),
      reportDrafts: cutoffFor(now, periods.reportDrafts),
      audit: cutoffFor(now, periods.audit),
    }
  }

  async function realRun(now: Date): Promise<RetentionLine[]> {
    const cutoffs = cutoffsAt(now)
    const cases = await inBatches(async trx => {
      const ids = await repository.dueCases(cutoffs.closedCases, batchSize, trx)
      const done = await repository.anonymiseCases(ids, now, trx)
      return { batch: ids.length, evidence: done.evidence }
    })
    const reports = await inBatches(async trx => {
      const ids = await repository.dueReports(cutoffs.unlinkedReports, batchSize, trx)
      const done = await repository.anonymiseReports(ids, now, trx)
      return { batch: ids.length, evidence: done.evidence }
    })
    const notifications = await inBatches(async trx => ({
      batch: await repository.deleteDueNotifications(cutoffs.sentNotifications, batchSize, trx),
    }))
    const drafts = await inBatches(async trx => {
      const done = await repository.deleteDueDrafts(cutoffs.reportDrafts, batchSize, trx)
      return { batch: done.records, evidence: done.evidence }
    })
    // The audit trail is append-only; audit's own function deletes from it (and is its own transaction).
    const installed = await repository.auditPurgeInstalled()
    const purged = installed ? await repository.purgeAudit(cutoffs.audit) : 0
    if (!installed) logger?.warn({ function: AUDIT_PURGE_FUNCTION }, 'audit events not purged: function missing')
    return [
      { type: 'closedCases', action: 'anonymise', cutoff: cutoffs.closedCases, count: cases.batch ?? 0 },
      { type: 'unlinkedReports', action: 'anonymise', cutoff: cutoffs.unlinkedReports, count: reports.batch ?? 0 },
      {
        type: 'evidenceFiles',
        action: 'delete',
        cutoff: undefined,
        count: (cases.evidence ?? 0) + (reports.evidence ?? 0) + (drafts.evidence ?? 0),
      },
      {
        type: 'sentNotifications',
        action: 'delete',
        cutoff: cutoffs.sentNotifications,
        count: notifications.batch ?? 0,
      },
      { type: 'reportDrafts', action: 'delete', cutoff: cutoffs.reportDrafts, count: drafts.batch ?? 0 },
      {
        type: 'audit',
        action: 'purge',
        cutoff: cutoffs.audit,
        count: purged,
        ...(installed ? {} : { skipped: notInstalled }),
      },
    ]
  }

  return {
    periods,

    /** Finds what is due and (unless a dry run) anonymises or deletes it; a real run is audited. */
    async run(options: { dryRun?: boolean } = {}): Promise<RetentionResult> {
      const now = clock.now()
      if (options.dryRun) return { dryRun: true, lines: await dryRun(now) }
      const lines = await realRun(now)
      await audit.record({
        actor: systemActor,
        action: RETENTION_AUDIT_ACTION,
        subjectType: 'retention',
        details: {
          counts: Object.fromEntries(lines.map(line => [line.type, line.count])),
          periods: Object.fromEntries(Object.entries(periods).map(([type, period]) => [type, formatPeriod(period)])),
          ...(lines.some(line => line.skipped) ? { skipped: lines.filter(line => line.skipped).map(l => l.type) } : {}),
        },
      })
      return { dryRun: false, lines }
    },
  }
}

export type RetentionService = ReturnType<typeof createRetentionService>

/**
 * Inside `safer serve`: runs the schedule once a night, at the configured hour (London time). Checks every few
 * minutes; one run at a time; a failed run is logged and tried again at the next check within the hour.
 */
export function startRetentionSchedule(deps: {
  service: RetentionService
  hour: number
  clock?: Clock
  checkEveryMs?: number
  /** The shared ledger (ADR 0059): the night's run is claimed, so one server of several runs it. */
  jobRuns?: JobRuns
  logger?: Logger
}): { stop(): Promise<void>; tick(): Promise<unknown> } {
  const now = () => (deps.clock ?? { now: () => new Date() }).now()
  let lastRunOn: string | undefined
  let running: Promise<unknown> | undefined
  const tick = (): Promise<unknown> => {
    const at = now()
    const today = londonDate(at)
    if (running) return running
    if (lastRunOn === today || Number(londonTime(at).slice(0, 2)) !== deps.hour) return Promise.resolve()
    const run = () => deps.service.run()
    running = (
      deps.jobRuns
        ? deps.jobRuns.once('retention.nightly', today, run, 2 * 60 * 60_000)
        : run().then(result => ({ ran: true, result }))
    )
      .then(outcome => {
        lastRunOn = today
        if (!outcome.result) return
        deps.logger?.info(
          Object.fromEntries(outcome.result.lines.map(line => [line.type, line.count])),
          'retention schedule run',
        )
      })
      .catch((error: unknown) => {
        deps.logger?.warn({ err: (error as Error).name, message: (error as Error).message }, 'retention run failed')
      })
      .finally(() => {
        running = undefined
      })
    return running
  }
  const timer = setInterval(() => void tick(), deps.checkEveryMs ?? 5 * 60 * 1000)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
    /** One check now (what the timer does every few minutes); resolves when any run it started has ended. */
    tick,
  }
}
