/**
 * Notifications to residents go through an outbox: the message is written in the same transaction (or statement) as
 * the change it announces, and a dispatcher later hands it to a GOV.UK Notify client, retrying with backoff.
 *
 * - `createGovukNotifyClient`: the real one, GOV.UK Notify through the official notifications-node-client (its JWT,
 *   its endpoints), mapping our template names to the service's template ids per channel.
 * - `createLogNotifyClient`: development and test. Every message stays in the outbox (marked sent) and the log gets
 *   the template, the outbox reference and a made-up provider id: never a recipient or personalisation.
 *
 * The dispatcher claims due messages with one UPDATE … FOR UPDATE SKIP LOCKED that also pushes their next attempt out
 * by a lease, then sends outside any transaction (so PGlite's single connection is never held during HTTP). A
 * dispatcher that dies mid-send leaves its messages to come back when the lease ends.
 *
 * Personalisation is sealed at rest (tracking codes and links are secrets): the dispatcher opens it only to hand it to
 * the client, and a sent (or finally failed) message keeps its field names only.
 */
import axios from 'axios'
import { NotifyClient as GovukNotifyClient } from 'notifications-node-client'

import type { NotifyEvent } from '../../config.js'
import { SealError, type PersonalisationSealer } from '../../platform/sealing.js'
import type { ReportingRepository } from './reporting-repository.js'

export const NOTIFICATION_TEMPLATES = {
  acknowledgement: 'report-acknowledgement',
  status: {
    assessed: 'report-status-assessed',
    in_progress: 'report-status-in-progress',
    action_taken: 'report-status-action-taken',
    closed: 'report-status-closed',
  },
  /** Casework's check-in after a case closes (its outbox rows belong to a report). */
  caseCheckin: 'case-satisfaction-checkin',
  /** Accounts' password reset for staff (an email with no report). */
  staffPasswordReset: 'staff-password-reset',
  /** Accounts' staff notifications (ADR 0053): one event at once, or the daily digest. */
  staffAlert: 'staff-alert',
  staffDigest: 'staff-digest',
} as const

export interface NotifyOptions {
  personalisation: Record<string, string>
  reference: string
}

/** The shape of notifications-node-client's sending calls, with our template names for template ids. */
export interface NotifyClient {
  sendEmail(templateId: string, emailAddress: string, options: NotifyOptions): Promise<{ id: string }>
  sendSms(templateId: string, phoneNumber: string, options: NotifyOptions): Promise<{ id: string }>
}

export interface Logger {
  info(object: Record<string, unknown>, message: string): void
  warn(object: Record<string, unknown>, message: string): void
}

/** A message Notify would not take. `permanent`: sending it again cannot help (bad address, unknown template). */
export class NotifySendError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly permanent: boolean,
  ) {
    super(message)
    this.name = 'NotifySendError'
  }
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

/** Our template names (NOTIFICATION_TEMPLATES) to a Notify service's template ids, per channel. */
export type NotifyTemplateIds = Record<string, { email?: string; sms?: string }>

/** The template ids configured per event (config.notify.templates), keyed by our outbox template names. */
export function templateIdsFromConfig(
  templates: Record<NotifyEvent, { email?: string; sms?: string }>,
): NotifyTemplateIds {
  return {
    [NOTIFICATION_TEMPLATES.acknowledgement]: templates.acknowledgement,
    [NOTIFICATION_TEMPLATES.status.assessed]: templates.assessed,
    [NOTIFICATION_TEMPLATES.status.in_progress]: templates.inProgress,
    [NOTIFICATION_TEMPLATES.status.action_taken]: templates.actionTaken,
    [NOTIFICATION_TEMPLATES.status.closed]: templates.closed,
    [NOTIFICATION_TEMPLATES.caseCheckin]: templates.caseCheckin,
    [NOTIFICATION_TEMPLATES.staffPasswordReset]: templates.staffPasswordReset,
    [NOTIFICATION_TEMPLATES.staffAlert]: templates.staffAlert,
    [NOTIFICATION_TEMPLATES.staffDigest]: templates.staffDigest,
  }
}

/** Notify's error answer: status, and the first error's class (for example ValidationError), never its message. */
function toSendError(error: unknown): NotifySendError {
  const response = (error as { response?: { status?: number; data?: { errors?: { error?: string }[] } } }).response
  const status = response?.status ?? null
  const kind = response?.data?.errors?.[0]?.error ?? (error as Error).name
  // 400 (validation: bad number or address, missing personalisation) and 403 (bad key) are not fixed by waiting;
  // 429 (rate limit) and 5xx are.
  const permanent = status === 400 || status === 403 || status === 404
  return new NotifySendError(`GOV.UK Notify: ${kind}${status ? ` (${String(status)})` : ''}`, status, permanent)
}

/** GOV.UK Notify over HTTPS with notifications-node-client. */
export function createGovukNotifyClient(options: {
  apiKey: string
  baseUrl: string
  templateIds: NotifyTemplateIds
  timeoutMs?: number
}): NotifyClient {
  const client = new GovukNotifyClient(options.baseUrl, options.apiKey)
  // The package's types name axios's CommonJS build; the instance is the same at run time.
  client.setClient(
    axios.create({ timeout: options.timeoutMs ?? 10_000 }) as unknown as Parameters<typeof client.setClient>[0],
  )
  const idFor = (name: string, channel: 'email' | 'sms') => {
    const id = options.templateIds[name]?.[channel]
    if (!id) throw new NotifySendError(`no GOV.UK Notify ${channel} template for ${name}`, null, true)
    return id
  }
  return {
    async sendEmail(templateName, emailAddress, sendOptions) {
      const templateId = idFor(templateName, 'email')
      try {
        const response = await client.sendEmail(templateId, emailAddress, sendOptions)
        return { id: (response.data as { id: string }).id }
      } catch (error) {
        throw toSendError(error)
      }
    },
    async sendSms(templateName, phoneNumber, sendOptions) {
      const templateId = idFor(templateName, 'sms')
      try {
        const response = await client.sendSms(templateId, phoneNumber, sendOptions)
        return { id: (response.data as { id: string }).id }
      } catch (error) {
        throw toSendError(error)
      }
    },
  }
}

export const MAX_ATTEMPTS = 5
/** How long a claimed message is left to its dispatcher before another may take it. */
export const LEASE_MS = 5 * 60 * 1000

/** Wait before attempt n+1 after n failures: 1, 2, 4, 8 minutes … at most an hour. */
export function backoffMs(failures: number): number {
  return Math.min(60 * 60 * 1000, 60 * 1000 * 2 ** Math.max(0, failures - 1))
}

export interface DispatchResult {
  sent: number
  retrying: number
  failed: number
}

export function createNotificationDispatcher(deps: {
  repository: ReportingRepository
  /** Undefined: sending is switched off (production without a Notify key); messages wait in the outbox. */
  client: NotifyClient | undefined
  clock: { now(): Date }
  /** Opens the sealed personalisation at the moment of sending. */
  personalisation: PersonalisationSealer
  logger?: Logger
}) {
  const { repository, client, clock, logger } = deps

  async function dispatchDue(limit = 50): Promise<DispatchResult> {
    if (!client) return { sent: 0, retrying: 0, failed: 0 }
    const now = clock.now()
    const due = await repository.claimDueNotifications(limit, now, new Date(now.getTime() + LEASE_MS))
    const result: DispatchResult = { sent: 0, retrying: 0, failed: 0 }
    for (const message of due) {
      try {
        const options = {
          personalisation: deps.personalisation.open(message.personalisation),
          reference: `outbox-${String(message.id)}`,
        }
        const sent =
          message.channel === 'email'
            ? await client.sendEmail(message.template, message.recipient, options)
            : await client.sendSms(message.template, message.recipient, options)
        await repository.markNotificationSent(message.id, sent.id, clock.now())
        result.sent++
      } catch (error) {
        const failures = message.attempts + 1
        // A message sealed under another key (OUTBOX_KEY or SESSION_SECRET changed) can never be opened again.
        const permanent = (error instanceof NotifySendError && error.permanent) || error instanceof SealError
        const reason =
          error instanceof NotifySendError || error instanceof SealError ? error.message : (error as Error).name
        const at = clock.now()
        if (permanent || failures >= MAX_ATTEMPTS) {
          await repository.markNotificationFailed(message.id, reason, at)
          result.failed++
        } else {
          await repository.markNotificationRetry(message.id, reason, new Date(at.getTime() + backoffMs(failures)))
          result.retrying++
        }
        logger?.warn(
          { outboxId: message.id, template: message.template, attempt: failures, permanent, reason },
          'notification not sent',
        )
      }
    }
    return result
  }

  return {
    /** Whether messages are sent at all (false in production without a GOV.UK Notify key). */
    enabled: client !== undefined,
    dispatchDue,

    /** Sends due messages until none are left (or `maxBatches` batches); for the CLI and tests. */
    async drain(options: { batchSize?: number; maxBatches?: number } = {}): Promise<DispatchResult> {
      const total: DispatchResult = { sent: 0, retrying: 0, failed: 0 }
      for (let batch = 0; batch < (options.maxBatches ?? 100); batch++) {
        const result = await dispatchDue(options.batchSize ?? 50)
        total.sent += result.sent
        total.retrying += result.retrying
        total.failed += result.failed
        if (result.sent + result.retrying + result.failed < (options.batchSize ?? 50)) break
      }
      return total
    },

    /** The earlier name: one batch, counting retries as not sent. */
    async dispatchPending(limit = 50): Promise<{ sent: number; failed: number }> {
      const result = await dispatchDue(limit)
      return { sent: result.sent, failed: result.failed + result.retrying }
    },
  }
}

export type NotificationDispatcher = ReturnType<typeof createNotificationDispatcher>

/**
 * Runs the dispatcher every `intervalMs` inside `safer serve`: one run at a time, errors logged (a database that has
 * gone away is retried on the next tick), stopped cleanly on shutdown.
 */
export function startNotificationSchedule(deps: {
  dispatcher: NotificationDispatcher
  intervalMs: number
  logger?: Logger & { error?(object: Record<string, unknown>, message: string): void }
}): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined
  const tick = () => {
    if (running) return
    running = deps.dispatcher
      .drain({ maxBatches: 10 })
      .then(result => {
        if (result.sent + result.retrying + result.failed > 0)
          deps.logger?.info({ ...result }, 'notifications dispatched')
      })
      .catch((error: unknown) => {
        deps.logger?.warn(
          { err: (error as Error).name, message: (error as Error).message },
          'notification dispatch failed',
        )
      })
      .finally(() => {
        running = undefined
      })
  }
  const timer = setInterval(tick, deps.intervalMs)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
