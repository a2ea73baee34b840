/** The reporting module's tables, as Kysely sees them (src/db/schema.ts joins every module's). */
import type { ColumnType, Generated, JSONColumnType } from 'kysely'

import type { Timestamp } from './columns.js'

export interface ReportTable {
  id: Generated<number>
  reference: string
  tracking_hash: string
  idempotency_key: string | null
  channel: 'web' | 'open311' | 'phone' | 'partner'
  received_at: Timestamp
  category: string
  nsir_qualifier: 'personal' | 'nuisance' | 'environmental'
  hate: boolean
  occurred_on: string
  occurred_time: string | null
  pattern: 'one_off' | 'ongoing'
  frequency: string | null
  description: string
  latitude: number | null
  longitude: number | null
  postcode: string | null
  location_description: string | null
  ward_code: string
  lsoa_code: string | null
  impact: JSONColumnType<Record<string, unknown>>
  reporter_mode: 'named' | 'confidential' | 'anonymous'
  reporter_name: string | null
  reporter_email: string | null
  reporter_phone: string | null
  reporter_key: string | null
  contact_preference: 'email' | 'phone' | 'none'
  consent_to_share: boolean
  priority: 'high' | 'medium' | 'standard'
  flags: JSONColumnType<Record<string, unknown>>
  linked_report_id: number | null
  status: 'received' | 'assessed' | 'in_progress' | 'action_taken' | 'closed'
  closure_reason: 'resolved' | 'no_further_action' | 'not_asb' | 'referred' | null
  closure_note: string | null
  referred_agency: string | null
  updated_at: Timestamp
  /** Set when retention anonymised the report (0710). */
  anonymised_at: ColumnType<Date | null, Date | null | undefined, Date | null>
}

export interface ReportUpdateTable {
  id: Generated<number>
  report_id: number
  occurred_at: Timestamp
  status: string
  closure_reason: string | null
  referred_agency: string | null
  public_note: string | null
  actor_type: string
  actor_id: string | null
}

export interface ReportDraftTable {
  id: string
  answers: JSONColumnType<Record<string, unknown>>
  report_id: number | null
  created_at: Timestamp
  expires_at: Timestamp
}

export interface NotificationOutboxTable {
  id: Generated<number>
  created_at: Timestamp
  report_id: number | null
  template: string
  channel: 'email' | 'sms'
  recipient: string
  personalisation: JSONColumnType<Record<string, unknown>>
  status: 'pending' | 'sent' | 'failed'
  attempts: Generated<number>
  provider_id: string | null
  sent_at: Timestamp | null
  next_attempt_at: Timestamp | null
  last_error: string | null
  failed_at: Timestamp | null
}

export interface ReportEvidenceTable {
  id: string
  draft_id: string | null
  report_id: number | null
  kind: 'photo' | 'audio'
  content_type: string
  file_name: string
  size_bytes: number
  sha256: string
  width: number | null
  height: number | null
  content: Buffer
  created_at: Timestamp
}

/** Reports by London month of receipt and what `reports:*` count by; kept by triggers (migration 0410). */
export interface ReportMonthlyTable {
  month: ColumnType<string, string, string>
  ward_code: string
  hate: boolean
  channel: string
  nsir_qualifier: string
  records: ColumnType<string, number, number>
}

/**
 * Reports by London month of receipt and ward, a column for each figure the `reports:*` sources of one condition
 * count; kept by triggers (migration 0412).
 */
export interface ReportWardMonthlyTable {
  month: ColumnType<string, string, string>
  ward_code: string
  reports: ColumnType<number, number, number>
  hate: ColumnType<number, number, number>
  not_hate: ColumnType<number, number, number>
  channel_web: ColumnType<number, number, number>
  channel_open311: ColumnType<number, number, number>
  channel_phone: ColumnType<number, number, number>
  channel_partner: ColumnType<number, number, number>
  qualifier_personal: ColumnType<number, number, number>
  qualifier_nuisance: ColumnType<number, number, number>
  qualifier_environmental: ColumnType<number, number, number>
}

export interface ReportingTables {
  report: ReportTable
  report_monthly: ReportMonthlyTable
  report_ward_monthly: ReportWardMonthlyTable
  report_update: ReportUpdateTable
  report_draft: ReportDraftTable
  notification_outbox: NotificationOutboxTable
  report_evidence: ReportEvidenceTable
}
