/**
 * Staff notifications (ADR 0053): an email through the Notify outbox to a case's lead officer and supervisors when a
 * victim is assessed at high risk, a task is overdue, a panel action lands on their case, or a Case Review clock is
 * about to run out. Each user chooses per event: at once, in a daily digest, or not at all (at once unless they
 * choose otherwise).
 *
 * The events come from the modules that own them, as alert sources the composition root registers (casework: overdue
 * tasks; risk: high-risk assessments; panels: actions on cases; Case Review: clocks). A sweep asks every source for
 * its recent events and raises each once per user (`dedupe_key`), so a sweep run twice, or a restart, emails once. A
 * source names only users who may see the case; an alert holds the case reference, the event and a link, never a
 * person's name, and the email says no more. Logs name counts, never a recipient or a case.
 */
import type { Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { formatLongDate } from '../../platform/dates.js'
import { t } from '../../platform/i18n.js'
import { slotPeriod, type JobRuns } from '../../platform/job-runs.js'
import { createPersonalisationSealer } from '../../platform/sealing.js'
import { londonDate, londonTime } from '../../platform/working-days.js'

export const STAFF_ALERT_EVENTS = ['high-risk', 'task-overdue', 'panel-action', 'case-review-clock'] as const
export type StaffAlertEvent = (typeof STAFF_ALERT_EVENTS)[number]
export const STAFF_ALERT_DELIVERIES = ['immediate', 'digest', 'off'] as const
export type StaffAlertDelivery = (typeof STAFF_ALERT_DELIVERIES)[number]
/** What a user gets for an event they have not chosen for. */
export const DEFAULT_DELIVERY: StaffAlertDelivery = 'immediate'

/** The outbox templates (GOV.UK Notify template ids: NOTIFY_TEMPLATE_STAFF_ALERT_EMAIL, ..._STAFF_DIGEST_EMAIL). */
export const STAFF_ALERT_TEMPLATES = { alert: 'staff-alert', digest: 'staff-digest' } as const

/** One event a source reports: who should hear of it (users who may see the case), about what, and where to look. */
export interface StaffAlert {
  event: StaffAlertEvent
  /** Unique per event: the same key from a later sweep is the same alert. */
  key: string
  userIds: readonly string[]
  caseReference: string | null
  /** A short line in words with no personal data ("due 3 December 2026", "outcome due 9 December 2026"). */
  detail: string
  /** A path in Safer ("/cases/ASB-26-00012#task-…"). */
  link: string
}

export interface StaffAlertSource {
  id: string
  /**
   * How often the sweep asks this source, in minutes (every sweep when absent). Events that become due with time
   * (overdue tasks, Case Review clocks) need asking only now and then; a write that should be told at once, every
   * sweep.
   */
  everyMinutes?: number
  /** The source's events as of `now` (recent or current ones; older ones already raised are ignored). */
  collect(now: Date): Promise<StaffAlert[]>
}

export function createStaffAlerts(deps: {
  db: Kysely<Database>
  audit: AuditService
  clock: Clock
  secret: string
  /** The address links in emails start with (config.publicBaseUrl). */
  publicBaseUrl?: string
  /** London hour (0-23) from which the day's digest is sent. */
  digestHour?: number
}) {
  const { db, audit, clock } = deps
  const sealer = createPersonalisationSealer(deps.secret)
  const sources: StaffAlertSource[] = []
  /** When each source was last asked (in this process): a restart asks every source again. */
  const lastAsked = new Map<string, number>()
  const digestHour = deps.digestHour ?? 7
  const absolute = (link: string) => `${(deps.publicBaseUrl ?? '').replace(/\/$/, '')}${link}`
  const eventName = (event: string) => t(`staffAlerts.events.${event}.name`)

  async function preferencesOf(userIds: readonly string[]) {
    if (userIds.length === 0) return new Map<string, StaffAlertDelivery>()
    const rows = await db
      .selectFrom('staff_notification_preference')
      .select(['user_id', 'event', 'delivery'])
      .where('user_id', 'in', userIds)
      .execute()
    return new Map(rows.map(row => [`${row.user_id}:${row.event}`, row.delivery]))
  }

  const service = {
    registerSource(source: StaffAlertSource): void {
      if (sources.some(existing => existing.id === source.id))
        throw new Error(`A staff alert source "${source.id}" is already registered`)
      sources.push(source)
    },

    /** The user's choice for every event (the default where they have not chosen). */
    async preferences(userId: string): Promise<Record<StaffAlertEvent, StaffAlertDelivery>> {
      const chosen = await preferencesOf([userId])
      return Object.fromEntries(
        STAFF_ALERT_EVENTS.map(event => [event, chosen.get(`${userId}:${event}`) ?? DEFAULT_DELIVERY]),
      ) as Record<StaffAlertEvent, StaffAlertDelivery>
    },

    /** Saves the user's choices (audited); unknown values are refused by the caller's validation. */
    async savePreferences(
      userId: string,
      choices: Record<StaffAlertEvent, StaffAlertDelivery>,
      actor: Actor,
    ): Promise<void> {
      const now = clock.now()
      await db.transaction().execute(async trx => {
        for (const event of STAFF_ALERT_EVENTS) {
          await trx
            .insertInto('staff_notification_preference')
            .values({ user_id: userId, event, delivery: choices[event], updated_at: now })
            .onConflict(conflict =>
              conflict.columns(['user_id', 'event']).doUpdateSet({ delivery: choices[event], updated_at: now }),
            )
            .execute()
        }
        await audit.record(
          {
            actor,
            action: 'accounts.notification-preferences-changed',
            subjectType: 'staff_user',
            subjectId: userId,
            details: { ...choices },
          },
          trx,
        )
      })
    },

    /**
     * Asks every source for its events and raises each once per user: an email now for those who want it at once, a
     * line in tomorrow's digest for those who chose the digest, nothing for those who turned the event off.
     */
    async sweep(): Promise<{ raised: number; emailed: number }> {
      const now = clock.now()
      let raised = 0
      let emailed = 0
      for (const source of sources) {
        const last = lastAsked.get(source.id)
        const elapsed = last === undefined ? undefined : now.getTime() - last
        if (source.everyMinutes && elapsed !== undefined && elapsed >= 0 && elapsed < source.everyMinutes * 60_000)
          continue
        lastAsked.set(source.id, now.getTime())
        const alerts = await source.collect(now)
        const users = [...new Set(alerts.flatMap(alert => alert.userIds))]
        const chosen = await preferencesOf(users)
        const emails = new Map(
          users.length
            ? (
                await db
                  .selectFrom('staff_user')
                  .select(['id', 'email', 'display_name'])
                  .where('id', 'in', users)
                  .where('disabled_at', 'is', null)
                  .execute()
              ).map(row => [row.id, row])
            : [],
        )
        for (const alert of alerts) {
          for (const userId of new Set(alert.userIds)) {
            const user = emails.get(userId)
            const delivery = chosen.get(`${userId}:${alert.event}`) ?? DEFAULT_DELIVERY
            if (!user || delivery === 'off') continue
            await db.transaction().execute(async trx => {
              const inserted = await trx
                .insertInto('staff_notification')
                .values({
                  user_id: userId,
                  event: alert.event,
                  dedupe_key: `${alert.event}:${alert.key}`,
                  case_reference: alert.caseReference,
                  detail: alert.detail,
                  link: alert.link,
                  delivery,
                  created_at: now,
                  emailed_at: delivery === 'immediate' ? now : null,
                })
                .onConflict(conflict => conflict.columns(['user_id', 'dedupe_key']).doNothing())
                .returning('id')
                .executeTakeFirst()
              if (!inserted) return
              raised += 1
              if (delivery !== 'immediate') return
              await trx
                .insertInto('notification_outbox')
                .values({
                  created_at: now,
                  report_id: null,
                  template: STAFF_ALERT_TEMPLATES.alert,
                  channel: 'email',
                  recipient: user.email,
                  personalisation: JSON.stringify(
                    sealer.seal({
                      name: user.display_name,
                      subject: t(`staffAlerts.events.${alert.event}.subject`, {
                        reference: alert.caseReference ?? '',
                      }),
                      event: eventName(alert.event),
                      reference: alert.caseReference ?? '',
                      detail: alert.detail,
                      link: absolute(alert.link),
                      settings: absolute('/account/notifications'),
                    }),
                  ),
                  status: 'pending',
                  provider_id: null,
                  sent_at: null,
                })
                .execute()
              emailed += 1
            })
          }
        }
      }
      return { raised, emailed }
    },

    /**
     * One email per user with alerts waiting for the digest, listing them; the alerts are then marked sent. Each
     * user's alerts are taken by one UPDATE … RETURNING in the transaction that writes the email, so two runs at once
     * (two servers, or the server and the command line) never send the same alerts twice.
     */
    async sendDigests(): Promise<{ digests: number }> {
      const now = clock.now()
      const waiting = await db
        .selectFrom('staff_notification as n')
        .innerJoin('staff_user as u', 'u.id', 'n.user_id')
        .select(['u.id', 'u.email', 'u.display_name'])
        .distinct()
        .where('n.emailed_at', 'is', null)
        .where('u.disabled_at', 'is', null)
        .orderBy('u.id')
        .execute()
      let digests = 0
      for (const user of waiting) {
        await db.transaction().execute(async trx => {
          const taken = await trx
            .updateTable('staff_notification')
            .set({ emailed_at: now })
            .where('user_id', '=', user.id)
            .where('emailed_at', 'is', null)
            .returning(['event', 'case_reference', 'detail', 'link', 'created_at'])
            .execute()
          if (taken.length === 0) return
          const rows = [...taken].sort((a, b) => a.created_at.getTime() - b.created_at.getTime())
          const lines = rows.map(row =>
            t('staffAlerts.digest.line', {
              event: eventName(row.event),
              reference: row.case_reference ?? '',
              detail: row.detail ?? '',
              link: absolute(row.link),
            }),
          )
          await trx
            .insertInto('notification_outbox')
            .values({
              created_at: now,
              report_id: null,
              template: STAFF_ALERT_TEMPLATES.digest,
              channel: 'email',
              recipient: user.email,
              personalisation: JSON.stringify(
                sealer.seal({
                  name: user.display_name,
                  date: formatLongDate(londonDate(now)),
                  count: String(rows.length),
                  lines: lines.join('\n'),
                  settings: absolute('/account/notifications'),
                }),
              ),
              status: 'pending',
              provider_id: null,
              sent_at: null,
            })
            .execute()
          digests += 1
        })
      }
      return { digests }
    },

    /** Whether the day's digest is due at `at` (from `digestHour`, London time) and not yet sent on that day. */
    digestDue(at: Date, lastSentOn: string | undefined): boolean {
      return Number(londonTime(at).slice(0, 2)) >= digestHour && lastSentOn !== londonDate(at)
    },

    /** The alerts raised for a user, newest first (for tests and the settings page's "recent" list). */
    async recentFor(userId: string, limit = 20) {
      return db
        .selectFrom('staff_notification')
        .select(['event', 'case_reference', 'detail', 'link', 'delivery', 'created_at', 'emailed_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute()
    },
  }
  return service
}

export type StaffAlerts = ReturnType<typeof createStaffAlerts>

/**
 * Inside `safer serve`: a sweep every `intervalMs` (alerts wanted at once go out within that), and the digest once a
 * day from the digest hour. One run at a time; failures are logged by name and retried at the next tick. With
 * `jobRuns` (ADR 0059), each sweep slot and each day's digest is claimed in the shared ledger, so several servers
 * sweep once a slot between them and send one digest a day.
 */
export function startStaffAlertSchedule(deps: {
  alerts: StaffAlerts
  intervalMs: number
  clock?: Clock
  jobRuns?: JobRuns
  /** London hour (0-23) from which the day's digest is sent (the service's own hour unless given). */
  digestHour?: number
  logger?: {
    info(object: Record<string, unknown>, message: string): void
    warn(object: Record<string, unknown>, message: string): void
  }
}): { stop(): Promise<void>; tick(): Promise<unknown> } {
  const now = () => (deps.clock ?? { now: () => new Date() }).now()
  const { jobRuns } = deps
  let lastDigestOn: string | undefined
  let running: Promise<unknown> | undefined
  const digestDue = (at: Date) =>
    deps.digestHour === undefined
      ? deps.alerts.digestDue(at, lastDigestOn)
      : Number(londonTime(at).slice(0, 2)) >= deps.digestHour && lastDigestOn !== londonDate(at)
  const tick = (): Promise<unknown> => {
    if (running) return running
    const at = now()
    running = (async () => {
      const sweep = () => deps.alerts.sweep()
      const swept = jobRuns
        ? ((await jobRuns.once('staff-alerts.sweep', slotPeriod(at, deps.intervalMs), sweep, deps.intervalMs))
            .result ?? { raised: 0, emailed: 0 })
        : await sweep()
      let digests = 0
      if (digestDue(at)) {
        const send = () => deps.alerts.sendDigests()
        const sent = jobRuns
          ? (await jobRuns.once('staff-alerts.digest', londonDate(at), send, 60 * 60_000)).result
          : await send()
        digests = sent?.digests ?? 0
        lastDigestOn = londonDate(at)
      }
      if (swept.raised + digests > 0) deps.logger?.info({ ...swept, digests }, 'staff alerts raised')
    })()
      .catch((error: unknown) => {
        deps.logger?.warn({ err: (error as Error).name, message: (error as Error).message }, 'staff alerts failed')
      })
      .finally(() => {
        running = undefined
      })
    return running
  }
  const timer = setInterval(() => void tick(), deps.intervalMs)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
    tick,
  }
}
