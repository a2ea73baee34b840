/** The powers module's tables, as Kysely sees them (src/db/schema.ts joins every module's). */
import type { ColumnType, Generated, JSONColumnType } from 'kysely'

import type { Timestamp } from './columns.js'

export interface PowerPolicyTable {
  version: string
  document: JSONColumnType<object>
  first_used_at: Timestamp
}

export interface PowerActionTable {
  id: Generated<string>
  case_id: string
  party_id: string | null
  premises: string | null
  power: string
  policy_version: string
  action_date: ColumnType<string, string, string>
  starts_at: Timestamp | null
  subject_age: number | null
  details: JSONColumnType<Record<string, unknown>>
  deadlines: JSONColumnType<Record<string, unknown>>
  prior_action_id: string | null
  issued_by: string
  created_at: Timestamp
  submission_id: string
  /** Why an action dated well before the day it was entered was recorded late (null when it was not). */
  late_reason: string | null
  /** not-needed, or (recorded late) pending, approved or refused by a supervisor. */
  approval_status: Generated<string>
  approved_by: string | null
  approved_at: Timestamp | null
  approval_note: string | null
}

/** A later change to an action: a variation, an extension, a withdrawal or a discharge. */
export interface PowerActionChangeTable {
  id: Generated<string>
  action_id: string
  case_id: string
  kind: string
  effective_date: ColumnType<string, string, string>
  reason: string
  requirements: string | null
  new_end_date: ColumnType<string | null, string | null | undefined, string | null>
  recorded_by: string
  recorded_at: Timestamp
  submission_id: string
}

/** An action being prepared: what the officer entered and the exact letter its preview showed. */
export interface PowerActionDraftTable {
  id: string
  case_id: string
  power: string
  body: JSONColumnType<Record<string, string>>
  letter_html: string | null
  created_by: string
  created_at: Timestamp
}

export interface PowerBreachTable {
  id: Generated<string>
  action_id: string
  case_id: string
  occurred_on: ColumnType<string, string, string>
  description: string
  response: string
  recorded_by: string
  recorded_at: Timestamp
  submission_id: string
}

export interface PowersTables {
  power_policy: PowerPolicyTable
  power_action: PowerActionTable
  power_breach: PowerBreachTable
  power_action_change: PowerActionChangeTable
  power_action_draft: PowerActionDraftTable
}
