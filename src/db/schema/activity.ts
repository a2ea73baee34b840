/** The activity module's tables, as Kysely sees them (src/db/schema.ts joins every module's). */
import type { ColumnType, Generated } from 'kysely'

import type { Timestamp } from './columns.js'

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

export interface ActivityTables {
  activity_type: ActivityTypeTable
  activity_record: ActivityRecordTable
}
