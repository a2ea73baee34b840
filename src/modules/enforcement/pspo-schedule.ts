/**
 * The PSPO review reminders' schedule (ADR 0065): the sweep runs once a London day, on the first check of the day,
 * claimed in the shared ledger of scheduled runs (ADR 0059) so one server of several runs it. A sweep run twice
 * raises nothing new (the reminders are unique by order, threshold and expiry), so a missed or repeated day is safe.
 */
import type { Clock } from '../../platform/clock.js'
import type { JobRuns } from '../../platform/job-runs.js'
import { londonDate } from '../../platform/working-days.js'
import type { PspoService } from './pspo-service.js'

export interface ScheduleLogger {
  info(object: object, message: string): void
  warn(object: object, message: string): void
}

export function startPspoReviewSchedule(deps: {
  pspos: Pick<PspoService, 'sweepReviewReminders'>
  checkEveryMs?: number
  jobRuns?: JobRuns
  clock?: Clock
  logger?: ScheduleLogger
}): { stop(): Promise<void>; tick(): Promise<unknown> } {
  const now = () => (deps.clock ?? { now: () => new Date() }).now()
  let lastRunOn: string | undefined
  let running: Promise<unknown> | undefined
  const tick = (): Promise<unknown> => {
    const today = londonDate(now())
    if (running) return running
    if (lastRunOn === today) return Promise.resolve()
    const run = () => deps.pspos.sweepReviewReminders()
    running = (
      deps.jobRuns
        ? deps.jobRuns.once('pspo.review-reminders', today, run)
        : run().then(result => ({ ran: true, result }))
    )
      .then(outcome => {
        lastRunOn = today
        if (outcome.result !== undefined) deps.logger?.info({ raised: outcome.result }, 'PSPO review reminders swept')
      })
      .catch((error: unknown) => {
        deps.logger?.warn({ err: (error as Error).name, message: (error as Error).message }, 'PSPO review sweep failed')
      })
      .finally(() => {
        running = undefined
      })
    return running
  }
  const timer = setInterval(() => void tick(), deps.checkEveryMs ?? 5 * 60 * 1000)
  timer.unref()
  void tick()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
    tick,
  }
}
