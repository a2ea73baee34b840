/** The people module's tables (migration 0800, ADR 0052), as Kysely sees them (src/db/schema.ts joins every module's). */
import type { Generated, JSONColumnType } from 'kysely'

import type { Timestamp } from './columns.js'

export type PersonSourceType = 'case-party' | 'reporter'
export type PlaceSourceType = 'case' | 'report' | 'case-party'
export type MergeReason = 'similar-name-same-birth' | 'same-name-same-postcode'
export type MergeStatus = 'proposed' | 'merged' | 'rejected' | 'undone'

export interface PersonTable {
  id: Generated<string>
  created_at: Timestamp
  merged_into: string | null
  merged_at: Timestamp | null
}

export interface PersonLinkTable {
  id: Generated<string>
  person_id: string
  source_type: PersonSourceType
  source_id: string
  /** The name's matching keys (people-keys.ts), space-separated: derived, for search, never shown. */
  name_key: string
  linked_at: Timestamp
  /** Null when the index linked the record itself. */
  linked_by: string | null
}

export interface PersonMergeTable {
  id: Generated<string>
  kept_person_id: string
  merged_person_id: string
  reason: MergeReason
  status: MergeStatus
  proposed_at: Timestamp
  decided_by: string | null
  decided_at: Timestamp | null
  note: string | null
  moved_link_ids: JSONColumnType<string[]>
}

export interface PlaceTable {
  id: Generated<string>
  place_key: string
  uprn: string | null
  address: string | null
  postcode: string | null
  created_at: Timestamp
}

export interface PlaceLinkTable {
  id: Generated<string>
  place_id: string
  source_type: PlaceSourceType
  source_id: string
  linked_at: Timestamp
}

export interface PeopleTables {
  person: PersonTable
  person_link: PersonLinkTable
  person_merge: PersonMergeTable
  place: PlaceTable
  place_link: PlaceLinkTable
}
