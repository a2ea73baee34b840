/**
 * The read side of intelligence: where imported police.uk crime concentrates in the borough, by ward, by LSOA and
 * on a grid, with the hotspot surface as GeoJSON and a ranked list of places.
 */
import type { GeographyService } from '../geography/index.js'
import { DEFAULT_PARAMETERS } from './hotspot-evaluation.js'
import { testRise } from './emerging.js'
import {
  areaRates,
  cellCentre,
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
  type Grid,
  type Projection,
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
  /** The forces whose records these are (police.uk's "Falls within"). */
  forces: string[]
  wards: AreaCount[]
  lsoas: AreaCount[]
  places: HotspotPlace[]
  /** Located crimes in the borough per month, oldest first (police.uk gives the month only, not the day or hour). */
  trend: { month: string; crimes: number }[]
  surface: ReturnType<typeof surfaceGeoJson>
}

const PLACES = 10

/** Report map points from the reporting module (category and month only). */
export interface ReportPoints {
  points(filter: {
    from: string
    to: string
  }): Promise<{ latitude: number; longitude: number; category: string; month: string }[]>
}

function monthEndDate(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10)
}

export function createIntelligenceService({
  repository,
  geography,
  reports,
}: {
  repository: IntelligenceRepository
  geography: GeographyService
  reports: ReportPoints
}) {
  /** A grid of `cellSize` cells over the borough's box, in a local projection, with the cells inside it. */
  function boroughGrid(cellSize: number) {
    const borough = geography.borough()
    const projection = localProjection({
      longitude: (borough.box.minLng + borough.box.maxLng) / 2,
      latitude: (borough.box.minLat + borough.box.maxLat) / 2,
    })
    const corner = projection.toXY({ longitude: borough.box.minLng, latitude: borough.box.minLat })
    const far = projection.toXY({ longitude: borough.box.maxLng, latitude: borough.box.maxLat })
    const grid = gridCovering({ minX: corner.x, minY: corner.y, maxX: far.x, maxY: far.y }, cellSize)
    return { projection, grid, mask: studyAreaMask(grid, projection, [borough.geometry]) }
  }

  async function cellCounts(grid: Grid, projection: Projection, fromMonth: string, toMonth: string) {
    const rows = await repository.streetHotspotRows({ fromMonth, toMonth })
    const points = rows.map(row => ({
      ...projection.toXY({ longitude: row.longitude ?? 0, latitude: row.latitude ?? 0 }),
      month: 0,
    }))
    return { rows, points, counts: gridCounts(grid, points) }
  }

  return {
    async months(): Promise<string[]> {
      return repository.streetMonthList()
    },

    crimeTypes: () => repository.streetCrimeTypes(),

    /** Police.uk crimes in the borough, one feature per snapped map point with how many crimes it holds. */
    async crimePoints(query: HotspotQuery) {
      const points = await repository.streetPointCounts({
        crimeType: query.crimeType,
        fromMonth: query.fromMonth,
        toMonth: query.toMonth,
      })
      return {
        type: 'FeatureCollection' as const,
        features: points.map(point => ({
          type: 'Feature' as const,
          properties: { crimes: point.crimes, street: point.street },
          geometry: { type: 'Point' as const, coordinates: [point.longitude ?? 0, point.latitude ?? 0] },
        })),
      }
    },

    /** Safer's reports as points (category and month), for signed-in staff; months default to the last year. */
    async reportPoints(query: HotspotQuery) {
      const to = query.toMonth ? monthEndDate(query.toMonth) : '9999-12-31'
      const from = query.fromMonth ? `${query.fromMonth}-01` : '0001-01-01'
      const points = await reports.points({ from, to })
      return {
        type: 'FeatureCollection' as const,
        features: points.map(point => ({
          type: 'Feature' as const,
          properties: { category: point.category, month: point.month },
          geometry: { type: 'Point' as const, coordinates: [point.longitude, point.latitude] },
        })),
      }
    },

    /**
     * The tasking pack's police.uk comparison: crimes by ward and in the top `cellSize` cells in the latest period
     * against the `periods` periods before it (each as long as the latest), with the emerging-hotspot test.
     */
    async compareLatest(latest: { from: string; to: string }, earlier: { from: string; to: string }, periods: number) {
      const cellSize = 250
      const { projection, grid, mask } = boroughGrid(cellSize)
      const now = await cellCounts(grid, projection, latest.from, latest.to)
      const before = await cellCounts(grid, projection, earlier.from, earlier.to)
      const wardCounts = (rows: { ward_code: string | null }[]) => {
        const byWard = new Map<string, number>()
        for (const row of rows) if (row.ward_code) byWard.set(row.ward_code, (byWard.get(row.ward_code) ?? 0) + 1)
        return byWard
      }
      const wardsNow = wardCounts(now.rows)
      const wardsBefore = wardCounts(before.rows)
      const wards = geography
        .wards()
        .map(ward => ({
          code: ward.code,
          name: ward.name,
          ...testRise(wardsNow.get(ward.code) ?? 0, wardsBefore.get(ward.code) ?? 0, { periods }),
        }))
        .sort((a, b) => b.now - a.now || a.name.localeCompare(b.name))
      const places = rankedCells(grid, projection, now.counts, mask, PLACES).map(cell => ({
        rank: cell.rank,
        latitude: Number(cell.centre.latitude.toFixed(5)),
        longitude: Number(cell.centre.longitude.toFixed(5)),
        ward: geography.locate(cell.centre)?.ward.name ?? null,
        ...testRise(now.counts[cell.cell] ?? 0, before.counts[cell.cell] ?? 0, { periods }),
      }))
      const emergingCells = Array.from(now.counts.keys())
        .filter(cell => mask[cell] === 1)
        .map(cell => ({ cell, ...testRise(now.counts[cell] ?? 0, before.counts[cell] ?? 0, { periods }) }))
        .filter(test => test.emerging)
        .sort((a, b) => a.pValue - b.pValue)
        .slice(0, PLACES)
        .map(test => {
          const { x, y } = cellCentre(grid, test.cell)
          const centre = projection.toLonLat(x, y)
          return {
            ...test,
            ward: geography.locate(centre)?.ward.name ?? null,
            latitude: centre.latitude,
            longitude: centre.longitude,
          }
        })
      return { cellSize, wards, places, emergingCells, crimesNow: now.rows.length, crimesBefore: before.rows.length }
    },

    async hotspots(query: HotspotQuery): Promise<HotspotSummary> {
      const method = query.method ?? 'space-time'
      const cellSize = query.cellSize ?? 100
      // One row per place, month, street and area with its number of records, not one per record.
      const rows = await repository.streetHotspotGroups({
        crimeType: query.crimeType,
        fromMonth: query.fromMonth,
        toMonth: query.toMonth,
      })
      const records = rows.map(row => row.records)
      const { projection, grid, mask } = boroughGrid(cellSize)
      const points = rows.map(row => ({
        ...projection.toXY({ longitude: row.longitude ?? 0, latitude: row.latitude ?? 0 }),
        month: monthIndex(row.month),
      }))
      const counts = gridCounts(grid, points, records)
      const scores =
        points.length === 0
          ? counts
          : method === 'grid-counts'
            ? counts
            : method === 'kde'
              ? kernelDensity(grid, points, { bandwidth: cellSize, weights: records })
              : spaceTimeHotspots(grid, points, {
                  bandwidth: DEFAULT_PARAMETERS.spaceTimeBandwidth * (cellSize / DEFAULT_PARAMETERS.cellSize),
                  halfLifeMonths: DEFAULT_PARAMETERS.halfLifeMonths,
                  recentShare: DEFAULT_PARAMETERS.recentShare,
                  countsShare: DEFAULT_PARAMETERS.countsShare,
                  records,
                  ...(query.toMonth ? { forecastMonth: monthIndex(query.toMonth) + 1 } : {}),
                })
      // The commonest street name in each cell names the place (police.uk's "On or near …").
      const streets = new Map<number, Map<string, number>>()
      rows.forEach((row, i) => {
        const point = points[i]
        if (!point || !row.location) return
        const cell = cellOf(grid, point.x, point.y)
        const names = streets.get(cell) ?? new Map<string, number>()
        names.set(row.location, (names.get(row.location) ?? 0) + row.records)
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
      for (const row of rows) perMonth.set(row.month, (perMonth.get(row.month) ?? 0) + row.records)
      return {
        query: { ...query, method, cellSize },
        crimes: records.reduce((sum, n) => sum + n, 0),
        forces: [...new Set(rows.map(row => row.force))].sort(),
        trend: [...perMonth.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([month, crimes]) => ({ month, crimes })),
        wards: areaRates(
          rows.map(row => row.ward_code),
          geography.wards(),
          records,
        ),
        lsoas: areaRates(
          rows.map(row => row.lsoa2011_code),
          geography.lsoas(2011),
          records,
        ).slice(0, PLACES),
        places,
        surface: surfaceGeoJson(grid, projection, scores, mask),
      }
    },
  }
}

export type IntelligenceService = ReturnType<typeof createIntelligenceService>
