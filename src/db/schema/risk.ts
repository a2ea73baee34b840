/** The risk module's tables, as Kysely sees them (src/db/schema.ts joins every module's). */
import type { ColumnType, Generated, JSONColumnType } from 'kysely'

import type { Timestamp } from './columns.js'

export interface RiskPolicyTable {
  version: string
  document: JSONColumnType<object>
  first_used_at: Timestamp
}

export interface RiskAssessmentTable {
  id: Generated<string>
  case_id: string
  party_id: string
  policy_version: string
  answers: JSONColumnType<Record<string, string>>
  score: number
  computed_level: 'standard' | 'medium' | 'high'
  level: 'standard' | 'medium' | 'high'
  red_flags: JSONColumnType<string[]>
  override_reason: string | null
  triggers: JSONColumnType<object[]>
  notes: string | null
  assessed_on: ColumnType<string, string, string>
  review_due: ColumnType<string, string, string>
  marac_prompted: boolean
  assessed_by: string
  created_at: Timestamp
  submission_id: string
}

export interface RiskMaracReferralTable {
  id: Generated<string>
  assessment_id: string
  case_id: string
  party_id: string
  status: 'pending' | 'accepted' | 'declined' | 'heard' | 'withdrawn'
  reason: string
  referred_by: string
  referred_at: Timestamp
  panel_reference: string | null
  updated_at: Timestamp
}

export interface RiskTables {
  risk_policy: RiskPolicyTable
  risk_assessment: RiskAssessmentTable
  risk_marac_referral: RiskMaracReferralTable
}
