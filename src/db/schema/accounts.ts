/** The accounts module's tables, as Kysely sees them (src/db/schema.ts joins every module's). */
import type { Generated } from 'kysely'

import type { Timestamp } from './columns.js'

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

/** A user's choice of delivery for one staff notification event (migration 0760). */
export interface StaffNotificationPreferenceTable {
  user_id: string
  event: string
  delivery: 'immediate' | 'digest' | 'off'
  updated_at: Timestamp
}

/** An alert raised for a user: emailed at once or gathered into the daily digest (migration 0760). */
export interface StaffNotificationTable {
  id: Generated<string>
  user_id: string
  event: string
  dedupe_key: string
  case_reference: string | null
  detail: string | null
  link: string
  delivery: 'immediate' | 'digest'
  created_at: Timestamp
  emailed_at: Timestamp | null
}

export interface AccountsTables {
  partner: PartnerTable
  team: TeamTable
  staff_user: StaffUserTable
  sign_in_failure: SignInFailureTable
  user_role: UserRoleTable
  user_session: UserSessionTable
  password_reset: PasswordResetTable
  staff_notification_preference: StaffNotificationPreferenceTable
  staff_notification: StaffNotificationTable
}
