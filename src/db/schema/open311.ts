/** The open311 module's tables, as Kysely sees them (src/db/schema.ts joins every module's). */
import type { Generated } from 'kysely'

import type { Timestamp } from './columns.js'

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

export interface Open311Tables {
  open311_api_key: Open311ApiKeyTable
  open311_request: Open311RequestTable
  open311_token: Open311TokenTable
  open311_update_in: Open311UpdateInTable
}
