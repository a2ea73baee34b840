/**
 * The read side of intelligence: where imported police.uk crime concentrates in the borough, by ward, by LSOA and
 * on a grid, with the hotspot surface as GeoJSON and a ranked list of places.
 */
import type { GeographyService } from '../geography/index.js'
import { DEFAULT_PARAMETERS } from './hotspot-evaluation.js'
import {
  areaRates,
  cellOf,
  gridCounts,
  gridCovering,
  kernelDensity,
  localProjection,
  monthIndex,
  rankedCells,
  spaceTimeHotspots,
  studyAreaMask,
  surfaceGeoJson,
  type AreaCount,
} from './hotspots.js'
import type { IntelligenceRepository } from './intelligence-repository.js'

export const HOTSPOT_METHODS = ['space-time', 'grid-counts', 'kde'] as const
export type HotspotMethodName = (typeof HOTSPOT_METHODS)[number]

export interface HotspotQuery {
  crimeType?: string
  fromMonth?: string
  toMonth?: string
  method?: HotspotMethodName
  /** Grid cell size in metres (default 100: a borough-wide map, not the 50 m evaluation grid). */
  cellSize?: number
}

export interface HotspotPlace {
  rank: number
  latitude: number
  longitude: number
  crimes: number
  score: number
  ward: string | null
  street: string | null
}

export interface HotspotSummary {
  query: Required<Pick<HotspotQuery, 'method' | 'cellSize'>> & HotspotQuery
  crimes: number
  wards: AreaCount[]
  lsoas: AreaCount[]
  places: HotspotPlace[]
  /** Located crimes in the borough per month, oldest first (police.uk gives the month only, not the day or hour). */
  trend: { month: string; crimes: number }[]
  surface: ReturnType<typeof surfaceGeoJson>
}

const PLACES = 10

export function createIntelligenceService({
  repository,
  geography,
}: {
  repository: IntelligenceRepository
  geography: GeographyService
}) {
  return {
    async months(): Promise<string[]> {
      return [...new Set((await repository.streetMonths()).map(row => row.month))].sort()
    },

    crimeTypes: () => repository.streetCrimeTypes(),

    async hotspots(query: HotspotQuery): Promise<HotspotSummary> {
      const method = query.method ?? 'space-time'
      const cellSize = query.cellSize ?? 100
      const rows = await repository.streetRows({
        crimeType: query.crimeType,
        fromMonth: query.fromMonth,
        toMonth: query.toMonth,
        insideOnly: true,
      })
      const borough = geography.borough()
      const projection = localProjection({
        longitude: (borough.box.minLng + borough.box.maxLng) / 2,
        latitude: (borough.box.minLat + borough.box.maxLat) / 2,
      })
      const corner = projection.toXY({ longitude: borough.box.minLng, latitude: borough.box.minLat })
      const far = projection.toXY({ longitude: borough.box.maxLng, latitude: borough.box.maxLat })
      const grid = gridCovering({ minX: corner.x, minY: corner.y, maxX: far.x, maxY: far.y }, cellSize)
      const mask = studyAreaMask(grid, projection, [borough.geometry])
      const points = rows.map(row => ({
        ...projection.toXY({ longitude: row.longitude ?? 0, latitude: row.latitude ?? 0 }),
        month: monthIndex(row.month),
      }))
      const counts = gridCounts(grid, points)
      const scores =
        points.length === 0
          ? counts
          : method === 'grid-counts'
            ? counts
            : method === 'kde'
              ? kernelDensity(grid, points, { bandwidth: cellSize })
              : spaceTimeHotspots(grid, points, {
                  bandwidth: DEFAULT_PARAMETERS.spaceTimeBandwidth * (cellSize / DEFAULT_PARAMETERS.cellSize),
                  halfLifeMonths: DEFAULT_PARAMETERS.halfLifeMonths,
                  recentShare: DEFAULT_PARAMETERS.recentShare,
                  countsShare: DEFAULT_PARAMETERS.countsShare,
                  ...(query.toMonth ? { forecastMonth: monthIndex(query.toMonth) + 1 } : {}),
                })
      // The commonest street name in each cell names the place (police.uk's "On or near …").
      const streets = new Map<number, Map<string, number>>()
      rows.forEach((row, i) => {
        const point = points[i]
        if (!point || !row.location) return
        const cell = cellOf(grid, point.x, point.y)
        const names = streets.get(cell) ?? new Map<string, number>()
        names.set(row.location, (names.get(row.location) ?? 0) + 1)
        streets.set(cell, names)
      })
      const places = rankedCells(grid, projection, scores, mask, PLACES).map(cell => {
        const names = [...(streets.get(cell.cell) ?? new Map<string, number>()).entries()]
        names.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        return {
          rank: cell.rank,
          latitude: Number(cell.centre.latitude.toFixed(6)),
          longitude: Number(cell.centre.longitude.toFixed(6)),
          crimes: counts[cell.cell] ?? 0,
          score: cell.score,
          ward: geography.locate(cell.centre)?.ward.name ?? null,
          street: names[0]?.[0] ?? null,
        }
      })
      const perMonth = new Map<string, number>()
      for (const row of rows) perMonth.set(row.month, (perMonth.get(row.month) ?? 0) + 1)
      return {
        query: { ...query, method, cellSize },
        crimes: rows.length,
        trend: [...perMonth.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([month, crimes]) => ({ month, crimes })),
        wards: areaRates(
          rows.map(row => row.ward_code),
          geography.wards(),
        ),
        lsoas: areaRates(
          rows.map(row => row.lsoa2011_code),
          geography.lsoas(2011),
        ).slice(0, PLACES),
        places,
        surface: surfaceGeoJson(grid, projection, scores, mask),
      }
    },
  }
}

export type IntelligenceService = ReturnType<typeof createIntelligenceService>
