/** The casework module's tables, as Kysely sees them (src/db/schema.ts joins every module's). */
import type { ColumnType, Generated } from 'kysely'

import type { Timestamp, DateColumn } from './columns.js'

export type CaseSensitivity = 'domestic-abuse' | 'hate' | 'safeguarding'
export type CasePriority = 'high' | 'medium' | 'standard'
export type CaseOutcome = 'resolved' | 'no_further_action' | 'not_asb' | 'referred'
export type PartyRole = 'victim' | 'complainant' | 'perpetrator' | 'witness'
export type PartyKind = 'person' | 'address' | 'vehicle'
export type ConsentStatus = 'given' | 'not-required' | 'refused-overridden' | 'not-sought'

export interface CaseReferenceCounterTable {
  year: number
  last: number
}

export interface AsbCaseTable {
  id: Generated<string>
  reference: string
  title: string
  category: string
  sensitivity: CaseSensitivity | null
  priority: CasePriority
  status: 'open' | 'closed'
  owning_team_id: string
  owning_partner_id: string
  lead_officer_id: string | null
  ward_code: string | null
  location: string | null
  opened_at: Timestamp
  review_date: ColumnType<string | null, string | null, string | null>
  closed_at: Timestamp | null
  outcome: CaseOutcome | null
  outcome_note: string | null
  referred_agency: string | null
  created_by: string | null
  updated_at: Timestamp
  version: Generated<number>
  /** Set when retention anonymised the case (0710). */
  anonymised_at: ColumnType<Date | null, Date | null | undefined, Date | null>
}

export interface CasePartyTable {
  id: Generated<string>
  case_id: string
  role: PartyRole
  kind: PartyKind
  name: string
  date_of_birth: ColumnType<string | null, string | null, string | null>
  address: string | null
  postcode: string | null
  phone: string | null
  email: string | null
  vehicle_registration: string | null
  notes: string | null
  /** A confidential reporter who asked not to share their details: withheld from partners the case is shared with. */
  contact_withheld: Generated<boolean>
  created_by: string | null
  created_at: Timestamp
}

export interface CaseReportTable {
  case_id: string
  report_id: number
  linked_at: Timestamp
  linked_by: string | null
}

export interface CaseShareTable {
  id: Generated<string>
  case_id: string
  partner_id: string
  lawful_basis: string
  consent_status: ConsentStatus
  note: string | null
  shared_by: string | null
  shared_at: Timestamp
  revoked_at: Timestamp | null
  revoked_by: string | null
}

export interface CaseChronologyTable {
  id: Generated<number>
  case_id: string
  occurred_at: Timestamp
  recorded_at: Timestamp
  kind: string
  summary: string
  actor_id: string | null
  source_module: string
  source_id: string | null
}

export interface CaseTaskTable {
  id: Generated<string>
  case_id: string
  title: string
  owner_user_id: string | null
  due_date: DateColumn
  status: 'open' | 'done' | 'cancelled'
  source_module: string
  source_id: string | null
  completed_at: Timestamp | null
  created_by: string | null
  created_at: Timestamp
}

export interface CaseLetterTable {
  id: Generated<string>
  case_id: string
  party_id: string | null
  template: string
  html: string
  title: string | null
  source_module: string | null
  source_id: string | null
  created_by: string | null
  created_at: Timestamp
}

export interface CaseAllocationRuleTable {
  id: Generated<string>
  position: number
  category: string | null
  ward_code: string | null
  channel: string | null
  team_id: string
  lead_officer_id: string | null
  active: Generated<boolean>
  created_at: Timestamp
  version: Generated<number>
}

export interface ReportTriageTable {
  report_id: number
  decision: 'closed' | 'referred'
  partner_id: string | null
  note: string | null
  decided_by: string | null
  decided_at: Timestamp
}

export interface CaseCheckinTable {
  id: Generated<string>
  case_id: string
  report_id: number
  token_hash: string
  created_at: Timestamp
  expires_at: Timestamp
  answered_at: Timestamp | null
  satisfaction: 'very_satisfied' | 'satisfied' | 'neither' | 'dissatisfied' | 'very_dissatisfied' | null
  feels_safer: 'yes' | 'no' | 'not_sure' | null
  comment: string | null
}

export interface CaseworkTables {
  case_reference_counter: CaseReferenceCounterTable
  asb_case: AsbCaseTable
  case_party: CasePartyTable
  case_report: CaseReportTable
  case_share: CaseShareTable
  case_chronology: CaseChronologyTable
  case_task: CaseTaskTable
  case_letter: CaseLetterTable
  case_allocation_rule: CaseAllocationRuleTable
  report_triage: ReportTriageTable
  case_checkin: CaseCheckinTable
}
