/**
 * Entry point for `safer serve` (and `npm start`): load configuration, open the database, prepare it, listen.
 * Closes gracefully on SIGINT/SIGTERM so the embedded database is flushed and its lock released.
 *
 * Several servers may share one PostgreSQL database behind a load balancer (ADR 0059, docs/deployment.md): `prepare`
 * takes an advisory lock so one of them migrates and seeds; the scheduled work below claims each run in the shared
 * `job_run` ledger (or its rows with FOR UPDATE SKIP LOCKED), so it runs once across them all.
 */
import closeWithGrace from 'close-with-grace'

import { buildApp } from './app.js'
import { loadConfig, type Config } from './config.js'
import { createDependencies } from './dependencies.js'
import { startStaffAlertSchedule } from './modules/accounts/index.js'
import { startNotificationSchedule } from './modules/reporting/index.js'
import { startRetentionSchedule } from './modules/retention/index.js'
import { startPspoReviewSchedule } from './modules/enforcement/index.js'
import { prepare } from './operations.js'
import { startPartitionSchedule } from './platform/database/partitions.js'
import { createJobRuns } from './platform/job-runs.js'
import { PDF_CLOSE_GRACE_MS } from './platform/pdf.js'

export async function serve(config: Config = loadConfig()): Promise<void> {
  const started = performance.now()
  const deps = await createDependencies(config, { holder: 'safer serve' })
  let app: Awaited<ReturnType<typeof buildApp>> | undefined
  let notifications: { stop(): Promise<void> } | undefined
  let retention: { stop(): Promise<void> } | undefined
  let staffAlerts: { stop(): Promise<void> } | undefined
  let partitions: { stop(): Promise<void> } | undefined
  let pspoReviews: { stop(): Promise<void> } | undefined
  // Stopping: new PDF renders are refused (503) at once while those in flight finish (up to PDF_CLOSE_GRACE_MS),
  // the server stops taking requests and waits for those in flight, then Chromium and the database close.
  // The whole stop is bounded by the delay, after which the process exits anyway.
  closeWithGrace({ delay: PDF_CLOSE_GRACE_MS + 10_000 }, async ({ err, signal }) => {
    if (err) process.stderr.write(`Stopping after an error: ${err.message}\n`)
    else if (signal) process.stderr.write(`Stopping (${signal})\n`)
    await notifications?.stop()
    await retention?.stop()
    await staffAlerts?.stop()
    await partitions?.stop()
    await pspoReviews?.stop()
    await Promise.all([deps.pdf.close(), app?.close()])
    await deps.close()
  })
  try {
    const prepared = await prepare(deps)
    app = await buildApp(deps)
    const address = await app.listen({ host: config.host, port: config.port })
    // Resident notifications: the outbox is drained on an interval (`safer notifications dispatch` does one run).
    if (config.notify.dispatchIntervalSeconds > 0 && deps.reporting.notifications.enabled)
      notifications = startNotificationSchedule({
        dispatcher: deps.reporting.notifications,
        intervalMs: config.notify.dispatchIntervalSeconds * 1000,
        logger: app.log,
      })
    else if (!deps.reporting.notifications.enabled)
      app.log.warn('Resident notifications are off: set NOTIFY_API_KEY and the NOTIFY_TEMPLATE_* ids to send them.')
    // Month partitions of the police and audit tables: created ahead each day (prepare() made them at start;
    // ADR 0061). Several servers may do it together: each month is created once.
    partitions = startPartitionSchedule({ db: deps.database.db, logger: app.log })
    // The ledger of scheduled runs every server shares: one server of several runs each sweep, digest and night.
    const jobRuns = createJobRuns({ db: deps.database.db })
    const checkEveryMs = config.scheduleCheckSeconds * 1000
    // Staff notifications: a sweep every SCHEDULE_CHECK_SECONDS (emails wanted at once), the digest each morning
    // from STAFF_DIGEST_HOUR (ADR 0053); each sweep period and each day's digest is claimed in the ledger.
    staffAlerts = startStaffAlertSchedule({
      alerts: deps.accounts.staffAlerts,
      intervalMs: checkEveryMs,
      digestHour: config.staffDigestHour,
      jobRuns,
      logger: app.log,
    })
    // PSPO review reminders (6 and 3 months before an order expires; ADR 0065): one sweep a London day, claimed in
    // the ledger.
    pspoReviews = startPspoReviewSchedule({ pspos: deps.pspos, checkEveryMs, jobRuns, logger: app.log })
    // Retention: once a night at RETENTION_RUN_HOUR (`safer retention run` does one run), claimed in the ledger;
    // the ledger's own old rows go with it.
    if (config.retention.nightly)
      retention = startRetentionSchedule({
        service: {
          ...deps.retention,
          run: async options => {
            const result = await deps.retention.run(options)
            await jobRuns.prune()
            return result
          },
        },
        hour: config.retention.runHour,
        checkEveryMs,
        jobRuns,
        logger: app.log,
      })
    app.log.info(
      {
        engine: deps.database.engine,
        migrations: prepared.migrationsApplied.length,
        geographyImported: prepared.geographyImported,
        demoSeeded: prepared.demoSeeded,
        startupMs: Math.round(performance.now() - started),
      },
      `Safer is ready at ${address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost')}`,
    )
  } catch (error) {
    if (app) await app.close()
    await deps.close()
    throw error
  }
}
