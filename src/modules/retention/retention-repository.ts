/**
 * The retention module's SQL. Retention is the one place that changes other modules' tables, and only to anonymise
 * or delete what has passed its retention period (docs/retention.md lists every column it touches). Each batch
 * function takes the transaction its batch runs in; the `due*` queries lock the rows they return (SKIP LOCKED, so two
 * servers running the schedule at once share the work instead of waiting on each other).
 */
import { sql, type Kysely, type Transaction } from 'kysely'

import type { Database } from '../../db/schema.js'

type Executor = Kysely<Database> | Transaction<Database>

/** What an anonymised free-text field holds. */
export const REDACTED = '[redacted]'

/** The SQL function (migration 0700, audit) that deletes audit events older than a cutoff and returns how many. */
export const AUDIT_PURGE_FUNCTION = 'audit_event_purge(timestamptz)'

const count = (value: unknown) => Number(value ?? 0)

export function createRetentionRepository(db: Kysely<Database>) {
  /** Reports that are due with a case, or on their own: their evidence, outbox rows and free text go. */
  async function anonymiseReports(reportIds: number[], now: Date, trx: Executor): Promise<{ evidence: number }> {
    if (reportIds.length === 0) return { evidence: 0 }
    const evidence = await trx.deleteFrom('report_evidence').where('report_id', 'in', reportIds).executeTakeFirst()
    await trx.deleteFrom('notification_outbox').where('report_id', 'in', reportIds).execute()
    await trx.deleteFrom('report_draft').where('report_id', 'in', reportIds).execute()
    await trx.updateTable('report_update').set({ public_note: null }).where('report_id', 'in', reportIds).execute()
    await trx.updateTable('report_triage').set({ note: null }).where('report_id', 'in', reportIds).execute()
    await trx.updateTable('case_checkin').set({ comment: null }).where('report_id', 'in', reportIds).execute()
    await trx
      .updateTable('report')
      .set({
        // No code opens an anonymised report's tracking page again; no key re-derives its tracking code.
        tracking_hash: 'anonymised',
        idempotency_key: null,
        description: REDACTED,
        latitude: null,
        longitude: null,
        postcode: null,
        location_description: null,
        impact: '{}',
        reporter_name: null,
        reporter_email: null,
        reporter_phone: null,
        reporter_key: null,
        closure_note: null,
        anonymised_at: now,
      })
      .where('id', 'in', reportIds)
      .execute()
    return { evidence: Number(evidence.numDeletedRows) }
  }

  const redactedIfSet = (column: string) =>
    sql<string | null>`case when ${sql.ref(column)} is null then null else ${REDACTED} end`

  return {
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work)
    },

    // closed cases
    async countDueCases(cutoff: Date) {
      const due = db
        .selectFrom('asb_case as c')
        .where('c.status', '=', 'closed')
        .where('c.closed_at', '<', cutoff)
        .where('c.anonymised_at', 'is', null)
      const cases = await due.select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
      const evidence = await due
        .innerJoin('case_report as cr', 'cr.case_id', 'c.id')
        .innerJoin('report_evidence as e', 'e.report_id', 'cr.report_id')
        .select(eb => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
      return { records: count(cases.n), evidence: count(evidence.n) }
    },

    async dueCases(cutoff: Date, limit: number, trx: Executor): Promise<string[]> {
      const rows = await trx
        .selectFrom('asb_case')
        .select('id')
        .where('status', '=', 'closed')
        .where('closed_at', '<', cutoff)
        .where('anonymised_at', 'is', null)
        .orderBy('closed_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute()
      return rows.map(row => row.id)
    },

    /**
     * A closed case keeps what performance figures need (category, ward, priority, sensitivity, dates, outcome, the
     * parties' roles, risk levels, powers used) and loses who and what: names, contact details, free text, letters.
     */
    async anonymiseCases(caseIds: string[], now: Date, trx: Executor): Promise<{ reports: number; evidence: number }> {
      if (caseIds.length === 0) return { reports: 0, evidence: 0 }
      const linked = await trx
        .selectFrom('case_report as cr')
        .innerJoin('report as r', 'r.id', 'cr.report_id')
        .select('r.id')
        .where('cr.case_id', 'in', caseIds)
        .where('r.anonymised_at', 'is', null)
        .execute()
      const { evidence } = await anonymiseReports(
        linked.map(row => row.id),
        now,
        trx,
      )
      await trx
        .updateTable('case_party')
        .set({
          name: REDACTED,
          date_of_birth: null,
          address: null,
          postcode: null,
          phone: null,
          email: null,
          vehicle_registration: null,
          notes: null,
        })
        .where('case_id', 'in', caseIds)
        .execute()
      await trx.updateTable('case_chronology').set({ summary: REDACTED }).where('case_id', 'in', caseIds).execute()
      await trx.updateTable('case_task').set({ title: REDACTED }).where('case_id', 'in', caseIds).execute()
      await trx.updateTable('case_letter').set({ html: '', title: null }).where('case_id', 'in', caseIds).execute()
      await trx.updateTable('case_share').set({ note: null }).where('case_id', 'in', caseIds).execute()
      await trx.updateTable('case_checkin').set({ comment: null }).where('case_id', 'in', caseIds).execute()
      await trx
        .updateTable('risk_assessment')
        .set({ notes: null, override_reason: redactedIfSet('override_reason') })
        .where('case_id', 'in', caseIds)
        .execute()
      await trx.updateTable('risk_marac_referral').set({ reason: REDACTED }).where('case_id', 'in', caseIds).execute()
      await trx
        .updateTable('power_action')
        .set({
          premises: null,
          details: sql`(details - 'conduct' - 'requirements') || jsonb_strip_nulls(jsonb_build_object(
            'conduct', case when details->>'conduct' is null then null else ${REDACTED} end,
            'requirements', case when details->>'requirements' is null then null else ${REDACTED} end))`,
        })
        .where('case_id', 'in', caseIds)
        .execute()
      await trx
        .updateTable('power_breach')
        .set({ description: REDACTED, response: REDACTED })
        .where('case_id', 'in', caseIds)
        .execute()
      await trx
        .deleteFrom('marac_safe_contact')
        .where('dash_id', 'in', eb => eb.selectFrom('marac_dash').select('id').where('case_id', 'in', caseIds))
        .execute()
      await trx.updateTable('marac_dash').set({ judgement_reasons: null }).where('case_id', 'in', caseIds).execute()
      await trx
        .updateTable('panel_minute')
        .set({ text: REDACTED })
        .where('agenda_item_id', 'in', eb =>
          eb
            .selectFrom('panel_agenda_item as ai')
            .innerJoin('panel_referral as pr', 'pr.id', 'ai.referral_id')
            .select('ai.id')
            .where('pr.case_id', 'in', caseIds),
        )
        .execute()
      await trx
        .updateTable('panel_referral')
        .set({ subject: REDACTED, reason: REDACTED, outcome: redactedIfSet('outcome') })
        .where('case_id', 'in', caseIds)
        .execute()
      await trx.updateTable('panel_action').set({ title: REDACTED }).where('case_id', 'in', caseIds).execute()
      await trx.updateTable('hate_incident').set({ summary: REDACTED }).where('case_id', 'in', caseIds).execute()
      await trx
        .updateTable('asb_case')
        .set({ title: REDACTED, location: null, outcome_note: null, anonymised_at: now })
        .where('id', 'in', caseIds)
        .execute()
      return { reports: linked.length, evidence }
    },

    // unlinked reports
    async countDueReports(cutoff: Date) {
      const row = await db
        .selectFrom('report as r')
        .leftJoin('report_evidence as e', 'e.report_id', 'r.id')
        .select(eb => [eb.fn.count('r.id').distinct().as('records'), eb.fn.count('e.id').as('evidence')])
        .where('r.status', '=', 'closed')
        .where('r.updated_at', '<', cutoff)
        .where('r.anonymised_at', 'is', null)
        .where(eb =>
          eb.not(
            eb.exists(eb.selectFrom('case_report as cr').select('cr.case_id').whereRef('cr.report_id', '=', 'r.id')),
          ),
        )
        .executeTakeFirstOrThrow()
      return { records: count(row.records), evidence: count(row.evidence) }
    },

    async dueReports(cutoff: Date, limit: number, trx: Executor): Promise<number[]> {
      const rows = await trx
        .selectFrom('report as r')
        .select('r.id')
        .where('r.status', '=', 'closed')
        .where('r.updated_at', '<', cutoff)
        .where('r.anonymised_at', 'is', null)
        .where(eb =>
          eb.not(
            eb.exists(eb.selectFrom('case_report as cr').select('cr.case_id').whereRef('cr.report_id', '=', 'r.id')),
          ),
        )
        .orderBy('r.updated_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute()
      return rows.map(row => row.id)
    },

    anonymiseReports,

    // notification outbox
    async countDueNotifications(cutoff: Date) {
      const row = await db
        .selectFrom('notification_outbox')
        .select(eb => eb.fn.countAll().as('n'))
        .where(sql<boolean>`coalesce(sent_at, failed_at, created_at) < ${cutoff}`)
        .executeTakeFirstOrThrow()
      return count(row.n)
    },

    async deleteDueNotifications(cutoff: Date, limit: number, trx: Executor): Promise<number> {
      const { rows } = await sql<{ n: string }>`
        with due as (
          select id from notification_outbox where coalesce(sent_at, failed_at, created_at) < ${cutoff}
          order by id limit ${limit} for update skip locked),
        gone as (delete from notification_outbox where id in (select id from due) returning id)
        select count(*) as n from gone`.execute(trx)
      return count(rows[0]?.n)
    },

    // report drafts
    async countDueDrafts(cutoff: Date) {
      const row = await db
        .selectFrom('report_draft as d')
        .leftJoin('report_evidence as e', join => join.onRef('e.draft_id', '=', 'd.id').on('e.report_id', 'is', null))
        .select(eb => [eb.fn.count('d.id').distinct().as('records'), eb.fn.count('e.id').as('evidence')])
        .where('d.created_at', '<', cutoff)
        .executeTakeFirstOrThrow()
      return { records: count(row.records), evidence: count(row.evidence) }
    },

    /** Deletes drafts and the files attached to them that no report took. */
    async deleteDueDrafts(cutoff: Date, limit: number, trx: Executor): Promise<{ records: number; evidence: number }> {
      const due = await trx
        .selectFrom('report_draft')
        .select('id')
        .where('created_at', '<', cutoff)
        .orderBy('created_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute()
      const ids = due.map(row => row.id)
      if (ids.length === 0) return { records: 0, evidence: 0 }
      const evidence = await trx
        .deleteFrom('report_evidence')
        .where('draft_id', 'in', ids)
        .where('report_id', 'is', null)
        .executeTakeFirst()
      // Files a report took keep their row; they no longer point at the draft.
      await trx.updateTable('report_evidence').set({ draft_id: null }).where('draft_id', 'in', ids).execute()
      const drafts = await trx.deleteFrom('report_draft').where('id', 'in', ids).executeTakeFirst()
      return { records: Number(drafts.numDeletedRows), evidence: Number(evidence.numDeletedRows) }
    },

    // audit
    async countDueAudit(cutoff: Date) {
      const row = await db
        .selectFrom('audit_event')
        .select(eb => eb.fn.countAll().as('n'))
        .where('occurred_at', '<', cutoff)
        .executeTakeFirstOrThrow()
      return count(row.n)
    },

    async auditPurgeInstalled(): Promise<boolean> {
      const { rows } = await sql<{
        installed: boolean
      }>`select to_regprocedure(${AUDIT_PURGE_FUNCTION}) is not null as installed`.execute(db)
      return rows[0]?.installed === true
    },

    /** The audit trail is append-only: only audit's own function may delete from it. */
    async purgeAudit(cutoff: Date): Promise<number> {
      const { rows } = await sql<{
        purged: string | number
      }>`select audit_event_purge(${cutoff}::timestamptz) as purged`.execute(db)
      return count(rows[0]?.purged)
    },
  }
}

export type RetentionRepository = ReturnType<typeof createRetentionRepository>
