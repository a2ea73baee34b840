/** The performance module's tables, as Kysely sees them (src/db/schema.ts joins every module's). */
import type { ColumnType, Generated, JSONColumnType } from 'kysely'

import type { Timestamp } from './columns.js'

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

export interface PerformanceTables {
  performance_priority: PerformancePriorityTable
  performance_indicator: PerformanceIndicatorTable
  performance_value: PerformanceValueTable
  activity_monthly: ActivityMonthlyTable
  performance_survey_import: PerformanceSurveyImportTable
  performance_survey_result: PerformanceSurveyResultTable
  performance_outcome: PerformanceOutcomeTable
  performance_action: PerformanceActionTable
}
