/** The case-review module's tables, as Kysely sees them (src/db/schema.ts joins every module's). */
import type { ColumnType, Generated, JSONColumnType } from 'kysely'

import type { Timestamp } from './columns.js'

export interface CaseReviewPolicyTable {
  version: string
  document: JSONColumnType<object>
  first_used_at: Timestamp
}

export interface CaseReviewCounterTable {
  year: number
  last: number
}

export interface CaseReviewTable {
  id: Generated<string>
  reference: string
  submission_id: string
  received_at: Timestamp
  received_on: ColumnType<string, string, string>
  channel: 'web' | 'email' | 'phone' | 'letter'
  applicant_type: 'victim' | 'representative'
  applicant_name: string
  applicant_email: string | null
  applicant_phone: string | null
  applicant_address: string | null
  victim_name: string | null
  relationship: string | null
  consent_confirmed: boolean
  report_id: number | null
  case_id: string | null
  description: string
  dissatisfaction: string
  hate_reported: boolean
  other_agencies: JSONColumnType<string[]>
  linked_review_id: string | null
  status: 'received' | 'review' | 'not-met' | 'outcome' | 'appealed' | 'closed'
  acknowledged_at: Timestamp | null
  eligibility: JSONColumnType<object>
  eligibility_policy_version: string
  threshold_decision: 'met' | 'not-met' | null
  threshold_route: string | null
  threshold_reason: string | null
  discretionary: JSONColumnType<Record<string, string>> | null
  threshold_policy_version: string | null
  threshold_decided_at: Timestamp | null
  threshold_decided_by: string | null
  chair_user_id: string | null
  chair_appointed_at: Timestamp | null
  meeting_on: ColumnType<string | null, string | null, string | null>
  applicant_invited_at: Timestamp | null
  invitation_note: string | null
  attendees: string | null
  minutes: string | null
  minutes_recorded_at: Timestamp | null
  minutes_recorded_by: string | null
  outcome_summary: string | null
  outcome_at: Timestamp | null
  outcome_by: string | null
  letter_html: string | null
  letter_kind: 'not-met' | 'outcome' | 'appeal' | null
  letter_sent_at: Timestamp | null
  appeal_against: 'threshold' | 'outcome' | null
  appeal_grounds: string | null
  appeal_received_at: Timestamp | null
  appeal_decision: 'upheld' | 'not-upheld' | null
  appeal_reason: string | null
  appeal_decided_at: Timestamp | null
  appeal_decided_by: string | null
  updated_at: Timestamp
  version: Generated<number>
}

export interface CaseReviewInformationTable {
  id: Generated<string>
  review_id: string
  partner_id: string
  requested_at: Timestamp
  requested_by: string | null
  due_on: ColumnType<string, string, string>
  response: string | null
  responded_at: Timestamp | null
  responded_by: string | null
}

export interface CaseReviewRecommendationTable {
  id: Generated<string>
  review_id: string
  text: string
  lead_partner_id: string
  owner_user_id: string
  due_on: ColumnType<string, string, string>
  update_frequency: string
  task_id: string | null
  created_by: string | null
  created_at: Timestamp
}

export interface CaseReviewTables {
  case_review_policy: CaseReviewPolicyTable
  case_review_counter: CaseReviewCounterTable
  case_review: CaseReviewTable
  case_review_information: CaseReviewInformationTable
  case_review_recommendation: CaseReviewRecommendationTable
}
