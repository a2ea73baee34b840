/**
 * Every query the privacy module makes. It reads other modules' tables directly, through the shared schema types:
 * a subject access request has to see every personal-data table at once, in one consistent read, including
 * columns no module's service exposes (evidence bytes, notification recipients). It writes only when erasing, and
 * only the columns listed in docs/subject-access.md. See docs/adr/0023-subject-access-and-backups.md.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'

import type {
  AsbCaseTable,
  CaseChronologyTable,
  CaseLetterTable,
  CasePartyTable,
  CaseReviewTable,
  CaseTaskTable,
  Database,
  NotificationOutboxTable,
  ReportDraftTable,
  ReportTable,
  ReportUpdateTable,
} from '../../db/schema.js'

type Executor = Kysely<Database> | Transaction<Database>

export type ReportRecord = Selectable<ReportTable>
export type PartyRecord = Selectable<CasePartyTable>
export type CaseRecord = Selectable<AsbCaseTable>
export type ChronologyRecord = Selectable<CaseChronologyTable>
export type TaskRecord = Selectable<CaseTaskTable>
export type LetterRecord = Selectable<CaseLetterTable>
export type ReviewRecord = Selectable<CaseReviewTable>
export type NotificationRecord = Selectable<NotificationOutboxTable>
export type DraftRecord = Selectable<ReportDraftTable>
export type ReportUpdateRecord = Selectable<ReportUpdateTable>

export interface EvidenceRecord {
  id: string
  report_id: number | null
  draft_id: string | null
  kind: string
  content_type: string
  file_name: string
  size_bytes: number
  sha256: string
  width: number | null
  height: number | null
  created_at: Date
}

export interface StaffRecord {
  id: string
  display_name: string
  team_name: string | null
  partner_name: string
  roles: string[]
}

export interface CheckinRecord {
  id: string
  case_id: string
  report_id: number
  created_at: Date
  answered_at: Date | null
  satisfaction: string | null
  feels_safer: string | null
  comment: string | null
}

export interface RiskRecord {
  id: string
  case_id: string
  party_id: string
  policy_version: string
  level: string
  assessed_on: string
  review_due: string
  marac_prompted: boolean
  assessed_by: string
}

export interface PowerRecord {
  id: string
  case_id: string
  party_id: string | null
  power: string
  action_date: string
  issued_by: string
}

const EVIDENCE_COLUMNS = [
  'id',
  'report_id',
  'draft_id',
  'kind',
  'content_type',
  'file_name',
  'size_bytes',
  'sha256',
  'width',
  'height',
  'created_at',
] as const

export function createPrivacyRepository(db: Kysely<Database>) {
  return {
    db,

    reportsByEmail(email: string, executor: Executor = db): Promise<ReportRecord[]> {
      return executor
        .selectFrom('report')
        .selectAll()
        .where(sql<string>`lower(reporter_email)`, '=', email)
        .orderBy('received_at')
        .execute()
    },

    reportsByIds(ids: number[], executor: Executor = db): Promise<ReportRecord[]> {
      if (ids.length === 0) return Promise.resolve([])
      return executor.selectFrom('report').selectAll().where('id', 'in', ids).orderBy('received_at').execute()
    },

    reportUpdates(reportIds: number[]): Promise<ReportUpdateRecord[]> {
      if (reportIds.length === 0) return Promise.resolve([])
      return db
        .selectFrom('report_update')
        .selectAll()
        .where('report_id', 'in', reportIds)
        .orderBy('occurred_at')
        .orderBy('id')
        .execute()
    },

    evidenceFor(
      owners: { reportIds: number[]; draftIds: string[] },
      executor: Executor = db,
    ): Promise<EvidenceRecord[]> {
      if (owners.reportIds.length === 0 && owners.draftIds.length === 0) return Promise.resolve([])
      return executor
        .selectFrom('report_evidence')
        .select(EVIDENCE_COLUMNS)
        .where(eb =>
          eb.or([
            ...(owners.reportIds.length > 0 ? [eb('report_id', 'in', owners.reportIds)] : []),
            ...(owners.draftIds.length > 0 ? [eb('draft_id', 'in', owners.draftIds)] : []),
          ]),
        )
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    },

    async evidenceContent(id: string): Promise<Buffer | undefined> {
      const row = await db.selectFrom('report_evidence').select('content').where('id', '=', id).executeTakeFirst()
      return row?.content
    },

    draftsByEmail(email: string, executor: Executor = db): Promise<DraftRecord[]> {
      return executor
        .selectFrom('report_draft')
        .selectAll()
        .where(sql<string>`lower(answers->>'email')`, '=', email)
        .orderBy('created_at')
        .execute()
    },

    notificationsTo(recipients: string[], executor: Executor = db): Promise<NotificationRecord[]> {
      if (recipients.length === 0) return Promise.resolve([])
      return executor
        .selectFrom('notification_outbox')
        .selectAll()
        .where(sql<string>`lower(recipient)`, 'in', recipients)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    },

    /** Parties with this email, and the reporter's own party on a case opened from one of their reports. */
    partiesFor(email: string, reports: ReportRecord[], executor: Executor = db): Promise<PartyRecord[]> {
      const named = reports.filter(report => report.reporter_name).map(report => report.id)
      return executor
        .selectFrom('case_party')
        .selectAll()
        .where(eb =>
          eb.or([
            eb(sql<string>`lower(email)`, '=', email),
            ...(named.length > 0
              ? [
                  eb.and([
                    eb('kind', '=', 'person'),
                    eb('role', 'in', ['victim', 'complainant']),
                    eb.exists(
                      eb
                        .selectFrom('case_report')
                        .innerJoin('report', 'report.id', 'case_report.report_id')
                        .select('case_report.case_id')
                        .whereRef('case_report.case_id', '=', 'case_party.case_id')
                        .where('report.id', 'in', named)
                        .where(sql<boolean>`lower(report.reporter_name) = lower(case_party.name)`),
                    ),
                  ]),
                ]
              : []),
          ]),
        )
        .orderBy('created_at')
        .execute()
    },

    partyById(id: string, executor: Executor = db): Promise<PartyRecord | undefined> {
      return executor.selectFrom('case_party').selectAll().where('id', '=', id).executeTakeFirst()
    },

    casesByIds(ids: string[], executor: Executor = db): Promise<CaseRecord[]> {
      if (ids.length === 0) return Promise.resolve([])
      return executor.selectFrom('asb_case').selectAll().where('id', 'in', ids).orderBy('opened_at').execute()
    },

    caseReports(caseIds: string[], executor: Executor = db): Promise<{ case_id: string; report_id: number }[]> {
      if (caseIds.length === 0) return Promise.resolve([])
      return executor
        .selectFrom('case_report')
        .select(['case_id', 'report_id'])
        .where('case_id', 'in', caseIds)
        .execute()
    },

    casesForReports(reportIds: number[], executor: Executor = db): Promise<{ case_id: string; report_id: number }[]> {
      if (reportIds.length === 0) return Promise.resolve([])
      return executor
        .selectFrom('case_report')
        .select(['case_id', 'report_id'])
        .where('report_id', 'in', reportIds)
        .execute()
    },

    otherParties(caseIds: string[]): Promise<PartyRecord[]> {
      if (caseIds.length === 0) return Promise.resolve([])
      return db.selectFrom('case_party').selectAll().where('case_id', 'in', caseIds).execute()
    },

    chronology(caseIds: string[]): Promise<ChronologyRecord[]> {
      if (caseIds.length === 0) return Promise.resolve([])
      return db
        .selectFrom('case_chronology')
        .selectAll()
        .where('case_id', 'in', caseIds)
        .orderBy('occurred_at')
        .orderBy('id')
        .execute()
    },

    tasks(caseIds: string[]): Promise<TaskRecord[]> {
      if (caseIds.length === 0) return Promise.resolve([])
      return db.selectFrom('case_task').selectAll().where('case_id', 'in', caseIds).orderBy('created_at').execute()
    },

    lettersTo(partyIds: string[]): Promise<LetterRecord[]> {
      if (partyIds.length === 0) return Promise.resolve([])
      return db.selectFrom('case_letter').selectAll().where('party_id', 'in', partyIds).orderBy('created_at').execute()
    },

    checkins(reportIds: number[]): Promise<CheckinRecord[]> {
      if (reportIds.length === 0) return Promise.resolve([])
      return db
        .selectFrom('case_checkin')
        .select(['id', 'case_id', 'report_id', 'created_at', 'answered_at', 'satisfaction', 'feels_safer', 'comment'])
        .where('report_id', 'in', reportIds)
        .orderBy('created_at')
        .execute()
    },

    riskAssessments(partyIds: string[]): Promise<RiskRecord[]> {
      if (partyIds.length === 0) return Promise.resolve([])
      return db
        .selectFrom('risk_assessment')
        .select([
          'id',
          'case_id',
          'party_id',
          'policy_version',
          'level',
          'assessed_on',
          'review_due',
          'marac_prompted',
          'assessed_by',
        ])
        .where('party_id', 'in', partyIds)
        .orderBy('created_at')
        .execute()
    },

    powerActions(partyIds: string[]): Promise<PowerRecord[]> {
      if (partyIds.length === 0) return Promise.resolve([])
      return db
        .selectFrom('power_action')
        .select(['id', 'case_id', 'party_id', 'power', 'action_date', 'issued_by'])
        .where('party_id', 'in', partyIds)
        .orderBy('created_at')
        .execute()
    },

    reviewsByEmail(email: string, executor: Executor = db): Promise<ReviewRecord[]> {
      return executor
        .selectFrom('case_review')
        .selectAll()
        .where(sql<string>`lower(applicant_email)`, '=', email)
        .orderBy('received_at')
        .execute()
    },

    /** Reports that another record must keep: a Case Review or a hate-incident record refers to them. */
    async reportsReferenced(reportIds: number[], executor: Executor = db): Promise<Map<number, string>> {
      const held = new Map<number, string>()
      if (reportIds.length === 0) return held
      const reviews = await executor
        .selectFrom('case_review')
        .select(['report_id', 'reference'])
        .where('report_id', 'in', reportIds)
        .execute()
      for (const row of reviews) if (row.report_id !== null) held.set(row.report_id, `review:${row.reference}`)
      const hate = await executor
        .selectFrom('hate_incident')
        .select(['report_id'])
        .where('report_id', 'in', reportIds)
        .execute()
      for (const row of hate) if (row.report_id !== null && !held.has(row.report_id)) held.set(row.report_id, 'hate')
      return held
    },

    async staff(ids: string[]): Promise<Map<string, StaffRecord>> {
      const unique = [...new Set(ids)]
      if (unique.length === 0) return new Map()
      const rows = await db
        .selectFrom('staff_user')
        .innerJoin('partner', 'partner.id', 'staff_user.partner_id')
        .leftJoin('team', 'team.id', 'staff_user.team_id')
        .select([
          'staff_user.id',
          'staff_user.display_name',
          'team.name as team_name',
          'partner.name as partner_name',
          eb =>
            eb
              .selectFrom('user_role')
              .select(sql<string[]>`coalesce(array_agg(role order by role), '{}')`.as('roles'))
              .whereRef('user_role.user_id', '=', 'staff_user.id')
              .as('roles'),
        ])
        .where('staff_user.id', 'in', unique)
        .execute()
      return new Map(rows.map(row => [row.id, { ...row, roles: row.roles ?? [] }]))
    },

    /** Every staff name, to redact from free text (staff are named there by role and organisation only). */
    async allStaffNames(): Promise<string[]> {
      const rows = await db.selectFrom('staff_user').select('display_name').execute()
      return rows.map(row => row.display_name)
    },

    staffByEmail(email: string) {
      return db
        .selectFrom('staff_user')
        .select(['id'])
        .where(sql<string>`lower(email)`, '=', email)
        .executeTakeFirst()
    },

    // Erasure: each statement changes one subject's records only, inside the caller's transaction.

    async anonymiseReport(trx: Transaction<Database>, reportId: number, at: Date, note: string): Promise<number> {
      const evidence = await trx.deleteFrom('report_evidence').where('report_id', '=', reportId).executeTakeFirst()
      await trx.deleteFrom('report_draft').where('report_id', '=', reportId).execute()
      await trx
        .updateTable('report')
        .set({
          reporter_mode: 'anonymous',
          reporter_name: null,
          reporter_email: null,
          reporter_phone: null,
          reporter_key: null,
          contact_preference: 'none',
          consent_to_share: false,
          description: note,
          location_description: null,
          impact: JSON.stringify({}),
          updated_at: at,
        })
        .where('id', '=', reportId)
        .execute()
      return Number(evidence.numDeletedRows)
    },

    async deleteDraft(trx: Transaction<Database>, draftId: string): Promise<number> {
      const evidence = await trx.deleteFrom('report_evidence').where('draft_id', '=', draftId).executeTakeFirst()
      await trx.deleteFrom('report_draft').where('id', '=', draftId).execute()
      return Number(evidence.numDeletedRows)
    },

    async deleteNotification(trx: Transaction<Database>, id: number): Promise<void> {
      await trx.deleteFrom('notification_outbox').where('id', '=', id).execute()
    },

    async anonymiseParty(trx: Transaction<Database>, partyId: string, name: string): Promise<void> {
      await trx
        .updateTable('case_party')
        .set({
          name,
          date_of_birth: null,
          address: null,
          postcode: null,
          phone: null,
          email: null,
          vehicle_registration: null,
          notes: null,
        })
        .where('id', '=', partyId)
        .execute()
    },
  }
}

export type PrivacyRepository = ReturnType<typeof createPrivacyRepository>
