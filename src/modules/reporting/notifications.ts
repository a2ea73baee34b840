/**
 * Notifications to residents go through an outbox: the message is written in the same transaction as the change it
 * announces, and a dispatcher later hands it to a GOV.UK Notify-compatible client. The client interface mirrors
 * notifications-node-client (`sendEmail(templateId, emailAddress, { personalisation, reference })`), so the real
 * client can be dropped in. The development client keeps messages in the outbox and logs only ids, never recipients
 * or personalisation.
 */
import type { ReportingRepository } from './reporting-repository.js'

export const NOTIFICATION_TEMPLATES = {
  acknowledgement: 'report-acknowledgement',
  status: {
    assessed: 'report-status-assessed',
    in_progress: 'report-status-in-progress',
    action_taken: 'report-status-action-taken',
    closed: 'report-status-closed',
  },
} as const

export interface NotifyOptions {
  personalisation: Record<string, string>
  reference: string
}

export interface NotifyClient {
  sendEmail(templateId: string, emailAddress: string, options: NotifyOptions): Promise<{ id: string }>
  sendSms(templateId: string, phoneNumber: string, options: NotifyOptions): Promise<{ id: string }>
}

export interface Logger {
  info(object: Record<string, unknown>, message: string): void
  warn(object: Record<string, unknown>, message: string): void
}

/** Development and test: accepts every message, logs the template and outbox reference only. */
export function createLogNotifyClient(logger?: Logger): NotifyClient {
  let sequence = 0
  const send = async (kind: 'email' | 'sms', templateId: string, options: NotifyOptions) => {
    sequence += 1
    const id = `dev-${kind}-${String(sequence)}`
    logger?.info({ templateId, reference: options.reference, providerId: id }, 'notification delivered (development)')
    return { id }
  }
  return {
    sendEmail: (templateId, _emailAddress, options) => send('email', templateId, options),
    sendSms: (templateId, _phoneNumber, options) => send('sms', templateId, options),
  }
}

export const MAX_ATTEMPTS = 5

export function createNotificationDispatcher(deps: {
  repository: ReportingRepository
  client: NotifyClient
  clock: { now(): Date }
  logger?: Logger
}) {
  const { repository, client, clock, logger } = deps
  return {
    /** Sends up to `limit` pending messages; failures stay pending until MAX_ATTEMPTS, then are marked failed. */
    async dispatchPending(limit = 50): Promise<{ sent: number; failed: number }> {
      return repository.transaction(async trx => {
        const pending = await repository.claimPending(limit, trx)
        let sent = 0
        let failed = 0
        for (const message of pending) {
          const options = {
            personalisation: message.personalisation as Record<string, string>,
            reference: `outbox-${String(message.id)}`,
          }
          try {
            const result =
              message.channel === 'email'
                ? await client.sendEmail(message.template, message.recipient, options)
                : await client.sendSms(message.template, message.recipient, options)
            await repository.markNotification(
              message.id,
              { status: 'sent', providerId: result.id, at: clock.now() },
              trx,
            )
            sent++
          } catch (error) {
            const giveUp = message.attempts + 1 >= MAX_ATTEMPTS
            await repository.markNotification(
              message.id,
              { status: giveUp ? 'failed' : 'pending', at: clock.now() },
              trx,
            )
            logger?.warn({ outboxId: message.id, err: (error as Error).name }, 'notification not sent')
            failed++
          }
        }
        return { sent, failed }
      })
    },
  }
}

export type NotificationDispatcher = ReturnType<typeof createNotificationDispatcher>
