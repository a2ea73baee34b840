/** The geography module's tables, as Kysely sees them (src/db/schema.ts joins every module's). */
import type { JSONColumnType } from 'kysely'

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

export interface GeographyTables {
  area: AreaTable
  postcode: PostcodeTable
}
