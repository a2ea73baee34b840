/** The platform module's tables, as Kysely sees them (src/db/schema.ts joins every module's). */
import type { Generated, JSONColumnType } from 'kysely'

import type { Timestamp } from './columns.js'

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

/** The ledger of scheduled work (ADR 0059): one row per job and period, claimed by one server. */
export interface JobRunTable {
  job: string
  period: string
  /** Which server ran it (host and process id), for the operator. */
  holder: string
  started_at: Timestamp
  /** Until when the claim holds while unfinished; a run still unfinished after it may be taken over. */
  lease_until: Timestamp
  finished_at: Timestamp | null
  attempts: Generated<number>
}

/** A shared rate-limit counter (UNLOGGED): one row per limiter, client and window. */
export interface RateLimitHitTable {
  key: string
  hits: number
  window_ends: Timestamp
}

export interface PlatformTables {
  audit_event: AuditEventTable
  audit_chain: AuditChainTable
  setting: SettingTable
  job_run: JobRunTable
  rate_limit_hit: RateLimitHitTable
}
