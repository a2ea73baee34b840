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
}
