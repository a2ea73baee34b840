/** The panels module's tables, as Kysely sees them (src/db/schema.ts joins every module's). */
import type { ColumnType, Generated, JSONColumnType } from 'kysely'

import type { Timestamp } from './columns.js'

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

export interface PanelsTables {
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
