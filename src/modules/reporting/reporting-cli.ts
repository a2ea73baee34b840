/**
 * `safer notifications dispatch`: sends what is due in the notification outbox now (the same dispatcher `safer serve`
 * runs on an interval), and prints how many were sent, left to retry and given up. Never prints a recipient.
 */
import type { Command } from 'commander'

import type { NotificationDispatcher } from './notifications.js'

export interface ReportingCliContext {
  withNotifications<T>(name: string, work: (dispatcher: NotificationDispatcher) => Promise<T>): Promise<T>
  stdout: NodeJS.WritableStream
}

export function registerReportingCommands(program: Command, context: ReportingCliContext): void {
  const notifications = program.command('notifications').description('Resident notifications (the outbox)')
  notifications
    .command('dispatch')
    .description('Send every notification that is due now, with the same retries and backoff as `safer serve`')
    .option('--batch <n>', 'messages claimed at a time', value => Number.parseInt(value, 10), 50)
    .action(async (options: { batch: number }) => {
      const batchSize = Number.isInteger(options.batch) && options.batch > 0 ? Math.min(options.batch, 500) : 50
      const line = await context.withNotifications('notifications dispatch', async dispatcher => {
        if (!dispatcher.enabled)
          return 'Notifications are switched off: set NOTIFY_API_KEY and the NOTIFY_TEMPLATE_* ids to send them.'
        const result = await dispatcher.drain({ batchSize })
        return `Sent ${String(result.sent)}, will retry ${String(result.retrying)}, failed ${String(result.failed)}.`
      })
      context.stdout.write(`${line}\n`)
    })
}
