/**
 * Reports as other systems see them (the Open311 module's read model) and the updates partners send in. Reads return
 * only what a partner system may carry: no reporter fields, no description. Writes go through the same timeline,
 * audit and status rules as staff changes (an update is a report_update row; a status change uses changeStatus).
 */
import type { Kysely, Transaction } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { emptyToNull } from './intake-service.js'
import { StatusChangeError, type ReportService, type StatusChange } from './report-service.js'
import { createReportingRepository, type Executor, type ReportRow } from './reporting-repository.js'

export interface FeedReport {
  id: number
  reference: string
  category: string
  status: ReportRow['status']
  closureReason: ReportRow['closure_reason']
  nsirQualifier: ReportRow['nsir_qualifier']
  hate: boolean
  /** The reporter said they (or the person they report for) were targeted. */
  targeted: boolean
  receivedAt: Date
  updatedAt: Date
  latitude: number | null
  longitude: number | null
  postcode: string | null
  wardCode: string
  lsoaCode: string | null
}

export interface FeedUpdate {
  id: number
  reportId: number
  reference: string
  occurredAt: Date
  status: string
  closureReason: string | null
  referredAgency: string | null
  publicNote: string | null
}

export interface FeedFilter {
  references?: string[]
  categories?: string[]
  from?: Date
  to?: Date
  statuses?: ('open' | 'closed')[]
  limit: number
}

export function createReportFeed(deps: {
  db: Kysely<Database>
  reports: ReportService
  audit: AuditService
  clock: Clock
}) {
  const { db, reports, audit, clock } = deps
  const repository = createReportingRepository(db)

  async function lastUpdateId(trx: Executor, reportId: number, actor: Actor): Promise<number> {
    const row = await trx
      .selectFrom('report_update')
      .select('id')
      .where('report_id', '=', reportId)
      .where('actor_type', '=', actor.type)
      .$if(actor.id !== null, q => q.where('actor_id', '=', actor.id))
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    return row.id
  }

  return {
    /** Newest first. `references` alone decides when given (the caller clears the other filters). */
    async reports(filter: FeedFilter): Promise<FeedReport[]> {
      let query = db
        .selectFrom('report')
        .select([
          'id',
          'reference',
          'category',
          'status',
          'closure_reason',
          'nsir_qualifier',
          'hate',
          'impact',
          'received_at',
          'updated_at',
          'latitude',
          'longitude',
          'postcode',
          'ward_code',
          'lsoa_code',
        ])
      if (filter.references) query = query.where('reference', 'in', filter.references.length ? filter.references : [''])
      if (filter.categories) query = query.where('category', 'in', filter.categories.length ? filter.categories : [''])
      if (filter.from) query = query.where('received_at', '>=', filter.from)
      if (filter.to) query = query.where('received_at', '<=', filter.to)
      const statuses = filter.statuses ?? []
      if (statuses.length === 1) query = query.where('status', statuses[0] === 'closed' ? '=' : '<>', 'closed')
      const rows = await query.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute()
      return rows.map(row => ({
        id: row.id,
        reference: row.reference,
        category: row.category,
        status: row.status,
        closureReason: row.closure_reason,
        nsirQualifier: row.nsir_qualifier,
        hate: row.hate,
        targeted: (row.impact as { targeted?: unknown }).targeted === 'yes',
        receivedAt: new Date(row.received_at),
        updatedAt: new Date(row.updated_at),
        latitude: row.latitude,
        longitude: row.longitude,
        postcode: row.postcode,
        wardCode: row.ward_code,
        lsoaCode: row.lsoa_code,
      }))
    },

    /** Timeline entries in [from, to] of the given reports, oldest first. */
    async updates(reportIds: number[], from: Date, to: Date, limit: number): Promise<FeedUpdate[]> {
      const rows = []
      for (let start = 0; start < reportIds.length; start += 1000) {
        const chunk = reportIds.slice(start, start + 1000)
        rows.push(
          ...(await db
            .selectFrom('report_update as u')
            .innerJoin('report as r', 'r.id', 'u.report_id')
            .select([
              'u.id',
              'u.report_id',
              'r.reference',
              'u.occurred_at',
              'u.status',
              'u.closure_reason',
              'u.referred_agency',
              'u.public_note',
            ])
            .where('u.report_id', 'in', chunk)
            .where('u.occurred_at', '>=', from)
            .where('u.occurred_at', '<=', to)
            .orderBy('u.occurred_at')
            .orderBy('u.id')
            .limit(limit)
            .execute()),
        )
      }
      rows.sort((a, b) => new Date(a.occurred_at).getTime() - new Date(b.occurred_at).getTime() || a.id - b.id)
      return rows.slice(0, limit).map(row => ({
        id: row.id,
        reportId: row.report_id,
        reference: row.reference,
        occurredAt: new Date(row.occurred_at),
        status: row.status,
        closureReason: row.closure_reason,
        referredAgency: row.referred_agency,
        publicNote: row.public_note,
      }))
    },

    /**
     * A partner's update: a status change (the staff rules, notification included) or, with `change` null, a public
     * note on the timeline at the current status. `within` runs in the same transaction and learns the update's id.
     */
    async recordUpdate(
      reference: string,
      change: StatusChange | null,
      note: string,
      actor: Actor,
      within: (trx: Transaction<Database>, update: { reportId: number; updateId: number }) => Promise<void>,
    ): Promise<void> {
      if (change) {
        await reports.changeStatus(reference, change, actor, {
          within: async (trx, report) =>
            within(trx, { reportId: report.id, updateId: await lastUpdateId(trx, report.id, actor) }),
        })
        return
      }
      const at = clock.now()
      await repository.transaction(async trx => {
        const report = await repository.findByReference(reference, trx)
        if (!report) throw new StatusChangeError('not_found')
        await repository.insertUpdate(
          {
            reportId: report.id,
            occurredAt: at,
            status: report.status,
            closureReason: report.closure_reason,
            referredAgency: report.referred_agency,
            publicNote: emptyToNull(note),
            actorType: actor.type,
            actorId: actor.id,
          },
          trx,
        )
        await trx.updateTable('report').set({ updated_at: at }).where('id', '=', report.id).execute()
        await audit.record(
          { actor, action: 'REPORT_NOTE_ADDED', subjectType: 'report', subjectId: String(report.id) },
          trx,
        )
        await within(trx, { reportId: report.id, updateId: await lastUpdateId(trx, report.id, actor) })
      })
    },
  }
}

export type ReportFeed = ReturnType<typeof createReportFeed>
