/**
 * Kysely's view of the schema. Each migration that adds tables adds their interfaces here, grouped by owner.
 */
import type { ColumnType, Generated, JSONColumnType } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

// platform
export interface AuditEventTable {
  id: Generated<number>
  occurred_at: Timestamp
  actor_type: string
  actor_id: string | null
  action: string
  subject_type: string | null
  subject_id: string | null
  correlation_id: string | null
  details: JSONColumnType<Record<string, unknown>>
  /** The client's IP address, when the event came from an HTTP request. */
  ip: string | null
  /** A non-secret identifier of the staff session (never the cookie): see docs/audit.md. */
  session_id: string | null
  /** Place in the hash chain; set by the audit_event_chain trigger. */
  seq: Generated<number>
  prev_hash: Generated<string>
  hash: Generated<string>
}

/** The one row holding the chain's head (last row) and anchor (where it starts after a purge). */
export interface AuditChainTable {
  singleton: Generated<boolean>
  head_seq: number
  head_hash: string
  anchor_seq: number
  anchor_hash: string
  anchored_at: Timestamp | null
  purged: number
}

export interface SettingTable {
  key: string
  value: JSONColumnType<object>
  updated_at: Timestamp
}

// accounts
export interface PartnerTable {
  id: Generated<string>
  code: string
  name: string
  kind: string
  active: Generated<boolean>
  created_at: Generated<Date>
}

export interface TeamTable {
  id: Generated<string>
  partner_id: string
  code: string
  name: string
  created_at: Generated<Date>
}

export interface StaffUserTable {
  id: Generated<string>
  email: string
  display_name: string
  partner_id: string
  team_id: string | null
  password_hash: string | null
  totp_secret: string | null
  totp_confirmed_at: Date | null
  last_totp_step: number | null
  disabled_at: Date | null
  last_sign_in_at: Date | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
  version: Generated<number>
}

/** One failed sign-in step (ADR 0021): keyed hashes of the email typed and of the client's address. */
export interface SignInFailureTable {
  id: Generated<string>
  account_key: string
  client_key: string
  stage: 'password' | 'code' | 'current-password'
  failed_at: Timestamp
}

export interface UserRoleTable {
  user_id: string
  role: string
}

export interface UserSessionTable {
  id: string
  user_id: string
  stage: string
  created_at: Timestamp
  last_seen_at: Timestamp
  expires_at: Timestamp
}

export interface PasswordResetTable {
  token_hash: string
  user_id: string
  created_at: Timestamp
  expires_at: Timestamp
  used_at: Date | null
}

// geography
export interface AreaTable {
  code: string
  kind: 'borough' | 'ward' | 'lsoa2021' | 'lsoa2011' | 'neighbour'
  name: string
  alt_name: string | null
  geometry: JSONColumnType<GeoJsonGeometry>
  min_lng: number
  min_lat: number
  max_lng: number
  max_lat: number
  population: number | null
  details: JSONColumnType<Record<string, unknown>>
}

export interface PostcodeTable {
  postcode: string
  display: string
  latitude: number
  longitude: number
  ward_code: string | null
  lsoa2021_code: string | null
  lsoa2011_code: string | null
}

export type Position = [number, number, ...number[]]
export type GeoJsonGeometry =
  { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] }

// reporting
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

// open311
export interface Open311ApiKeyTable {
  id: Generated<string>
  partner_id: string
  label: string
  key_prefix: string
  key_hash: string
  created_at: Timestamp
  revoked_at: Timestamp | null
  last_used_at: Timestamp | null
}

export interface Open311RequestTable {
  report_id: number
  api_key_id: string
  partner_id: string
  created_at: Timestamp
}

export interface Open311TokenTable {
  token: string
  api_key_id: string
  report_id: number | null
  failure: string | null
  created_at: Timestamp
}

export interface Open311UpdateInTable {
  id: Generated<number>
  partner_id: string
  client_update_id: string
  report_id: number
  report_update_id: number
  created_at: Timestamp
}

// intelligence
export interface IntelligenceStreetCrimeTable {
  force: string
  month: string
  crime_id: string | null
  reported_by: string
  crime_type: string
  outcome_code: string | null
  outcome_name: string | null
  latitude: number | null
  longitude: number | null
  location: string | null
  location_missing: boolean
  outside_area: boolean
  police_lsoa_code: string | null
  police_lsoa_name: string | null
  ward_code: string | null
  lsoa2021_code: string | null
  lsoa2011_code: string | null
  source_file: string
  source_line: number
}

export interface IntelligenceStopSearchTable {
  force: string
  month: string
  search_type: string
  occurred_at: Timestamp
  part_of_operation: boolean | null
  operation: string | null
  latitude: number | null
  longitude: number | null
  location_missing: boolean
  outside_area: boolean
  gender: string | null
  age_range: string | null
  self_defined_ethnicity: string | null
  officer_defined_ethnicity: string | null
  legislation: string | null
  object_of_search: string | null
  outcome: string | null
  outcome_linked_to_object: boolean | null
  removal_of_more_than_outer_clothing: boolean | null
  ward_code: string | null
  lsoa2021_code: string | null
  lsoa2011_code: string | null
  source_file: string
  source_line: number
}

export interface IntelligenceTaskingDecisionTable {
  id: string
  week_start: ColumnType<string, string, string>
  decision: string
  owner: string
  due_on: ColumnType<string, string, string>
  activity_record_id: number | null
  created_by: string
  created_at: Generated<Timestamp>
}

export interface IntelligenceRecordedCrimeTable {
  level: 'borough' | 'ward' | 'lsoa'
  area_code: string
  area_name: string
  ward_code: string | null
  major_category: string
  minor_category: string
  month: string
  count: number
}

// performance
export interface PerformancePriorityTable {
  id: string
  name: string
  plan: string
  sort_order: Generated<number>
}

export interface PerformanceIndicatorTable {
  id: string
  name: string
  priority_id: string
  unit: 'count' | 'percent' | 'rate-per-1000'
  polarity: 'lower-better' | 'higher-better' | 'awareness'
  target_kind: 'value' | 'change-pct' | null
  target_value: number | null
  tolerance_pct: Generated<number>
  stable_band_pct: Generated<number>
  source_kind: 'manual' | 'activity' | 'count' | 'survey'
  source_activity_type: string | null
  source_key: string | null
  description: Generated<string>
  sort_order: Generated<number>
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
}

export interface PerformanceValueTable {
  id: Generated<number>
  indicator_id: string
  area_code: string
  period_start: ColumnType<string, string, string>
  period_end: ColumnType<string, string, string>
  value: number
  denominator: number | null
  evidence: string
  recorded_at: Generated<Timestamp>
}

// activity (outputs register)
export interface ActivityTypeTable {
  code: string
  name: string
  quantity_label: string
  description: Generated<string>
  sort_order: Generated<number>
}

export interface ActivityRecordTable {
  id: Generated<number>
  type_code: string
  occurred_on: ColumnType<string, string, string>
  ward_code: string | null
  priority_id: string | null
  quantity: number
  operation: string | null
  partner: string | null
  evidence: string
  source: 'form' | 'import' | 'demo'
  submission_id: string | null
  created_at: Generated<Timestamp>
}

// performance: indicator sources (0403)
export interface ActivityMonthlyTable {
  type_code: string
  ward_code: string
  month: ColumnType<string, string, string>
  total: ColumnType<string, number, number>
  records: ColumnType<string, number, number>
}

export interface PerformanceSurveyImportTable {
  id: Generated<number>
  survey: string
  file_name: string
  rows: number
  imported_at: Generated<Timestamp>
}

export interface PerformanceSurveyResultTable {
  id: Generated<number>
  import_id: number
  survey: string
  measure: string
  area_code: string
  period_start: ColumnType<string, string, string>
  period_end: ColumnType<string, string, string>
  respondents: number
  agreeing: number
}

// performance: plan tracker
export interface PerformanceOutcomeTable {
  id: string
  priority_id: string
  text: string
  indicator_ids: JSONColumnType<string[]>
  sort_order: Generated<number>
}

export interface PerformanceActionTable {
  id: Generated<number>
  outcome_id: string
  title: string
  owner: string
  partner: string | null
  due_date: ColumnType<string | null, string | null, string | null>
  status: 'not-started' | 'on-track' | 'at-risk' | 'off-track' | 'complete'
  narrative: Generated<string>
  updated_at: Generated<Timestamp>
}

// casework
export type CaseSensitivity = 'domestic-abuse' | 'hate' | 'safeguarding'
export type CasePriority = 'high' | 'medium' | 'standard'
export type CaseOutcome = 'resolved' | 'no_further_action' | 'not_asb' | 'referred'
export type PartyRole = 'victim' | 'complainant' | 'perpetrator' | 'witness'
export type PartyKind = 'person' | 'address' | 'vehicle'
export type ConsentStatus = 'given' | 'not-required' | 'refused-overridden' | 'not-sought'
/** A calendar date column: read and written as 'YYYY-MM-DD'. */
type DateColumn = ColumnType<string, string, string>

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

// risk
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

// powers
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

// case review
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

// panels
export type PanelKind = 'community-marac' | 'da-marac' | 'hate-incident' | 'case-review' | 'tension-monitoring'

export interface PanelTypeTable {
  id: Generated<string>
  code: string
  kind: PanelKind
  name: string
  purpose: string
  referral_criteria: string
  meeting_cadence: string
  minutes_restriction: 'members' | 'attendees'
  not_for_perpetrator: Generated<boolean>
  position: number
  active: Generated<boolean>
  updated_at: Timestamp
  version: Generated<number>
}

export interface PanelMemberPartnerTable {
  panel_id: string
  partner_id: string
}

export interface PanelReferralTable {
  id: Generated<string>
  panel_id: string
  case_id: string | null
  party_id: string | null
  subject: string
  reason: string
  criteria: JSONColumnType<string[]>
  ward_code: string | null
  source_module: string
  source_id: string | null
  status: 'open' | 'closed' | 'withdrawn'
  outcome: string | null
  referred_by: string | null
  referring_partner_id: string | null
  referred_at: Timestamp
  closed_at: Timestamp | null
  submission_id: string | null
}

export interface PanelMeetingTable {
  id: Generated<string>
  panel_id: string
  meets_on: ColumnType<string, string, string>
  chair: string
  location: string | null
  created_by: string | null
  created_at: Timestamp
  submission_id: string | null
}

export interface PanelAttendanceTable {
  meeting_id: string
  partner_id: string
  present: boolean
  representative: string | null
}

export interface PanelAgendaItemTable {
  id: Generated<string>
  meeting_id: string
  referral_id: string
  position: number
  added_at: Timestamp
}

export interface PanelMinuteTable {
  agenda_item_id: string
  text: string
  recorded_by: string | null
  recorded_at: Timestamp
  version: Generated<number>
}

export interface PanelActionTable {
  id: Generated<string>
  panel_id: string
  agenda_item_id: string
  referral_id: string
  case_id: string | null
  title: string
  owner_user_id: string
  due_date: ColumnType<string, string, string>
  case_task_id: string | null
  created_by: string | null
  created_at: Timestamp
  submission_id: string
}

export interface MaracDashTable {
  id: Generated<string>
  case_id: string
  party_id: string
  policy_version: string
  form_version: string
  answers: JSONColumnType<Record<string, string>>
  score: number
  computed_level: 'standard' | 'medium' | 'high'
  judgement_reasons: string | null
  callout_dates: JSONColumnType<string[]>
  callouts_in_window: number
  incident_on: ColumnType<string, string, string>
  last_marac_on: ColumnType<string | null, string | null, string | null>
  criteria: JSONColumnType<string[]>
  referred: boolean
  referral_id: string | null
  assessed_by: string
  assessed_on: ColumnType<string, string, string>
  created_at: Timestamp
  submission_id: string
}

export interface MaracSafeContactTable {
  dash_id: string
  safe_phone: string | null
  safe_email: string | null
  safe_times: string | null
  avoid: string | null
  recorded_by: string
  recorded_at: Timestamp
}

export interface TensionEntryTable {
  id: Generated<string>
  ward_code: string
  reported_on: ColumnType<string, string, string>
  category: 'evidenced' | 'experienced' | 'potential'
  level: number
  sources: JSONColumnType<string[]>
  summary: string
  actions: string | null
  recorded_by: string | null
  recorded_at: Timestamp
  submission_id: string
}

export interface HateIncidentTable {
  id: Generated<string>
  case_id: string | null
  report_id: number | null
  occurred_on: ColumnType<string, string, string>
  ward_code: string | null
  characteristics: JSONColumnType<string[]>
  crime: boolean
  summary: string
  referral_id: string | null
  recorded_by: string | null
  recorded_at: Timestamp
  submission_id: string
}

export interface Database {
  audit_event: AuditEventTable
  audit_chain: AuditChainTable
  setting: SettingTable
  partner: PartnerTable
  team: TeamTable
  staff_user: StaffUserTable
  user_role: UserRoleTable
  user_session: UserSessionTable
  password_reset: PasswordResetTable
  sign_in_failure: SignInFailureTable
  area: AreaTable
  postcode: PostcodeTable
  report: ReportTable
  report_update: ReportUpdateTable
  report_draft: ReportDraftTable
  notification_outbox: NotificationOutboxTable
  report_evidence: ReportEvidenceTable
  open311_api_key: Open311ApiKeyTable
  open311_request: Open311RequestTable
  open311_token: Open311TokenTable
  open311_update_in: Open311UpdateInTable
  intelligence_street_crime: IntelligenceStreetCrimeTable
  intelligence_stop_search: IntelligenceStopSearchTable
  intelligence_recorded_crime: IntelligenceRecordedCrimeTable
  intelligence_tasking_decision: IntelligenceTaskingDecisionTable
  performance_priority: PerformancePriorityTable
  performance_indicator: PerformanceIndicatorTable
  performance_value: PerformanceValueTable
  activity_type: ActivityTypeTable
  activity_record: ActivityRecordTable
  activity_monthly: ActivityMonthlyTable
  performance_survey_import: PerformanceSurveyImportTable
  performance_survey_result: PerformanceSurveyResultTable
  performance_outcome: PerformanceOutcomeTable
  performance_action: PerformanceActionTable
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
  case_review_policy: CaseReviewPolicyTable
  case_review_counter: CaseReviewCounterTable
  case_review: CaseReviewTable
  case_review_information: CaseReviewInformationTable
  case_review_recommendation: CaseReviewRecommendationTable
  risk_policy: RiskPolicyTable
  risk_assessment: RiskAssessmentTable
  risk_marac_referral: RiskMaracReferralTable
  power_policy: PowerPolicyTable
  power_action: PowerActionTable
  power_breach: PowerBreachTable
  panel_type: PanelTypeTable
  panel_member_partner: PanelMemberPartnerTable
  panel_referral: PanelReferralTable
  panel_meeting: PanelMeetingTable
  panel_attendance: PanelAttendanceTable
  panel_agenda_item: PanelAgendaItemTable
  panel_minute: PanelMinuteTable
  panel_action: PanelActionTable
  marac_dash: MaracDashTable
  marac_safe_contact: MaracSafeContactTable
  tension_entry: TensionEntryTable
  hate_incident: HateIncidentTable
}
