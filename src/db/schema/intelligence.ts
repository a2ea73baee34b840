/** The intelligence module's tables, as Kysely sees them (src/db/schema.ts joins every module's). */
import type { ColumnType, Generated } from 'kysely'

import type { DateColumn, Timestamp } from './columns.js'

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
  /** The day it was carried out (migration 0303); null while it is still to do. */
  completed_on: DateColumn | null
  completed_by: string | null
  completed_at: Timestamp | null
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

/** Street records by month, crime type, ward ('' for none) and outside the area; kept by triggers (migration 0410). */
export interface IntelligenceStreetMonthlyTable {
  month: string
  crime_type: string
  ward_code: string
  outside_area: boolean
  records: ColumnType<string, number, number>
}

export interface IntelligenceTables {
  intelligence_street_crime: IntelligenceStreetCrimeTable
  intelligence_street_monthly: IntelligenceStreetMonthlyTable
  intelligence_stop_search: IntelligenceStopSearchTable
  intelligence_tasking_decision: IntelligenceTaskingDecisionTable
  intelligence_recorded_crime: IntelligenceRecordedCrimeTable
}
