/**
 * After intake: what a resident sees when tracking a report, staff changes of status (each one a timeline entry, an
 * audit event and a notification, in one transaction), the staff list, and anonymised counts for ward pages.
 */
import type { RawBuilder, Transaction } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { Actor, AuditService } from '../../platform/audit.js'
import { DomainError } from '../../platform/errors.js'
import type { Clock } from '../../platform/clock.js'
import { emptyToNull, type IntakePolicy } from './intake-service.js'
import { NOTIFICATION_TEMPLATES } from './notifications.js'
import { hashTrackingCode, normaliseReference } from './reference.js'
import type { ReportingRepository, ReportRow } from './reporting-repository.js'
import { timingSafeEqual } from 'node:crypto'

export type ReportStatus = ReportRow['status']
export type ClosureReason = NonNullable<ReportRow['closure_reason']>

export const STATUSES: readonly ReportStatus[] = ['received', 'assessed', 'in_progress', 'action_taken', 'closed']
export const CLOSURE_REASONS: readonly ClosureReason[] = ['resolved', 'no_further_action', 'not_asb', 'referred']

export type StatusChange =
  | { status: Exclude<ReportStatus, 'closed' | 'received'>; publicNote?: string }
  | { status: 'closed'; closureReason: 'resolved'; publicNote?: string }
  | { status: 'closed'; closureReason: 'no_further_action' | 'not_asb'; publicNote: string }
  | { status: 'closed'; closureReason: 'referred'; referredAgency: string; publicNote?: string }

export type StatusChangeCode = 'not_found' | 'already_closed' | 'agency_required' | 'reason_required'

/** A change staff cannot make (a domain error); `code` names its message in the locale file (report.staff.errors.<code>). */
export class StatusChangeError extends DomainError<StatusChangeCode> {
  constructor(code: StatusChangeCode) {
    super(code, {
      status: code === 'not_found' ? 404 : code === 'already_closed' ? 409 : 400,
      field: code === 'not_found' ? undefined : 'status',
      messageKey: `report.staff.errors.${code}`,
    })
    this.name = 'StatusChangeError'
  }
}

const DAY = 24 * 60 * 60 * 1000

function sameCode(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

export function createReportService(deps: {
  repository: ReportingRepository
  audit: AuditService
  clock: Clock
  policy: IntakePolicy
}) {
  const { repository, audit, clock, policy } = deps

  /**
   * The ASB Case Review threshold as the resident sees it: this reporter's reports about the same problem (same
   * category, or within 250 m of this one) in the look-back window. Anonymous reports cannot be counted.
   */
  async function caseReview(report: ReportRow) {
    if (!report.reporter_key) return { met: false, count: 1, threshold: policy.caseReview.count }
    const since = new Date(clock.now().getTime() - policy.caseReview.days * DAY)
    const mine = await repository.reportsByReporterSince(report.reporter_key, since)
    const near = (row: { latitude: number | null; longitude: number | null }) =>
      report.latitude !== null &&
      row.latitude !== null &&
      row.longitude !== null &&
      report.longitude !== null &&
      Math.abs(row.latitude - report.latitude) < 0.00225 &&
      Math.abs(row.longitude - report.longitude) < 0.0036
    const related = mine.filter(row => row.category === report.category || near(row))
    return { met: related.length >= policy.caseReview.count, count: related.length, threshold: policy.caseReview.count }
  }

  return {
    /** The report behind a reference and tracking code, or undefined: the two must match. */
    async findForTracking(referenceInput: string, code: string) {
      const reference = normaliseReference(referenceInput)
      if (!reference) return undefined
      const report = await repository.findByReference(reference)
      if (!report || !sameCode(report.tracking_hash, hashTrackingCode(code))) return undefined
      const [updates, review] = await Promise.all([repository.updatesFor(report.id), caseReview(report)])
      return { report, updates, caseReview: review }
    },

    async findByReference(referenceInput: string) {
      const reference = normaliseReference(referenceInput)
      return reference ? repository.findByReference(reference) : undefined
    },

    /**
     * `at` backdates the change (imports and the demo); otherwise it is now. `within` runs in its transaction.
     * `trx` joins a caller's transaction instead of opening one (a case closing with its reports), so the change
     * commits or rolls back with the caller's work.
     */
    async changeStatus(
      reference: string,
      change: StatusChange,
      actor: Actor,
      options: {
        at?: Date
        within?: (trx: Transaction<Database>, report: ReportRow) => Promise<void>
        trx?: Transaction<Database>
      } = {},
    ) {
      const at = options.at ?? clock.now()
      const inTransaction = <T>(work: (trx: Transaction<Database>) => Promise<T>) =>
        options.trx ? work(options.trx) : repository.transaction(work)
      return inTransaction(async trx => {
        const report = await repository.findByReference(reference, trx)
        if (!report) throw new StatusChangeError('not_found')
        if (report.status === 'closed' && change.status === 'closed') throw new StatusChangeError('already_closed')
        const closureReason = change.status === 'closed' ? change.closureReason : null
        const referredAgency =
          change.status === 'closed' && change.closureReason === 'referred' ? change.referredAgency.trim() : null
        if (change.status === 'closed' && change.closureReason === 'referred' && !referredAgency)
          throw new StatusChangeError('agency_required')
        const note = emptyToNull(change.publicNote)
        if (closureReason && (closureReason === 'no_further_action' || closureReason === 'not_asb') && !note)
          throw new StatusChangeError('reason_required')
        await repository.updateStatus(
          report.id,
          { status: change.status, closureReason, closureNote: note, referredAgency, at },
          trx,
        )
        await repository.insertUpdate(
          {
            reportId: report.id,
            occurredAt: at,
            status: change.status,
            closureReason,
            referredAgency,
            publicNote: note,
            actorType: actor.type,
            actorId: actor.id,
          },
          trx,
        )
        await audit.record(
          {
            actor,
            action: 'REPORT_STATUS_CHANGED',
            subjectType: 'report',
            subjectId: String(report.id),
            details: { from: report.status, to: change.status, closureReason },
          },
          trx,
        )
        const to =
          report.contact_preference === 'email'
            ? { channel: 'email' as const, recipient: report.reporter_email }
            : report.contact_preference === 'phone'
              ? { channel: 'sms' as const, recipient: report.reporter_phone }
              : null
        if (to?.recipient) {
          await repository.enqueueNotification(
            {
              reportId: report.id,
              template: NOTIFICATION_TEMPLATES.status[change.status],
              channel: to.channel,
              recipient: to.recipient,
              personalisation: {
                reference: report.reference,
                status: change.status,
                closure_reason: closureReason ?? '',
                referred_agency: referredAgency ?? '',
                note: note ?? '',
              },
              at,
            },
            trx,
          )
        }
        if (options.within) await options.within(trx, report)
      })
    },

    /**
     * Staff mark a report as about the same problem as another (the staff side of a resident's "add to an earlier
     * report"): the report joins the other's case, now or when one is opened. Runs in the caller's transaction.
     */
    async markAddedTo(reportId: number, parentId: number, actor: Actor, trx: Transaction<Database>) {
      await trx
        .updateTable('report')
        .set({ linked_report_id: parentId, updated_at: clock.now() })
        .where('id', '=', reportId)
        .execute()
      await audit.record(
        {
          actor,
          action: 'REPORT_MARKED_DUPLICATE',
          subjectType: 'report',
          subjectId: String(reportId),
          details: { of: parentId },
        },
        trx,
      )
    },

    /** The report this one was added to, and the reports added to it (references, oldest first). */
    async addedToLinks(report: Pick<ReportRow, 'id' | 'linked_report_id'>) {
      const { parent, children } = await repository.addedToLinks(report.id, report.linked_report_id)
      return { addedTo: parent?.reference ?? null, added: children.map(child => child.reference) }
    },

    /** `visible`: the reports the user may see (an SQL condition on alias `r`, from the access policy). */
    async listForStaff(options: {
      page: number
      pageSize?: number
      wardCode?: string
      status?: string
      visible: RawBuilder<boolean>
    }) {
      const pageSize = options.pageSize ?? 50
      const { rows, total } = await repository.list({
        visible: options.visible,
        limit: pageSize,
        offset: (Math.max(1, options.page) - 1) * pageSize,
        wardCode: options.wardCode,
        status: options.status,
      })
      return { rows, total, page: options.page, pageSize }
    },

    /** Counts by category for a ward over the last `months` months. No personal data, no points. */
    async wardCounts(wardCode: string, months = 12) {
      const since = new Date(clock.now().getTime() - months * 30.44 * DAY)
      return { since, counts: await repository.countsByCategory(wardCode, since) }
    },
  }
}

export type ReportService = ReturnType<typeof createReportService>
