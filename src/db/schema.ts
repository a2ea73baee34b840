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
}

export interface SettingTable {
  key: string
  value: JSONColumnType<object>
  updated_at: Timestamp
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

export interface Database {
  audit_event: AuditEventTable
  setting: SettingTable
  area: AreaTable
  postcode: PostcodeTable
}
