/** The enforcement module's tables (PSPO register, ADR 0065), as Kysely sees them. */
import type { ColumnType, Generated, JSONColumnType } from 'kysely'

import type { DateColumn, Timestamp } from './columns.js'
import type { GeoJsonGeometry } from './geography.js'

export interface PspoOrderTable {
  id: Generated<string>
  reference: string
  title: string
  prohibitions: JSONColumnType<string[]>
  requirements: JSONColumnType<string[]>
  ward_codes: JSONColumnType<string[]>
  area: JSONColumnType<GeoJsonGeometry>
  signage: string
  consultation_start: DateColumn
  consultation_end: DateColumn
  consultees: string
  consultation_summary: string
  made_on: DateColumn
  in_force_from: DateColumn
  expires_on: DateColumn
  discharged_on: ColumnType<string | null, string | null | undefined, string | null>
  owner_user_id: string | null
  submission_id: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface PspoEventTable {
  id: Generated<string>
  order_id: string
  kind: 'made' | 'varied' | 'extended' | 'discharged'
  occurred_on: DateColumn
  reason: string
  details: JSONColumnType<Record<string, unknown>>
  submission_id: string | null
  recorded_by: string | null
  recorded_at: Timestamp
}

export interface PspoReviewReminderTable {
  order_id: string
  threshold: '6-months' | '3-months'
  expires_on: DateColumn
  owner_user_id: string | null
  done_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  created_at: Timestamp
}

export interface EnforcementTables {
  pspo_order: PspoOrderTable
  pspo_event: PspoEventTable
  pspo_review_reminder: PspoReviewReminderTable
}
