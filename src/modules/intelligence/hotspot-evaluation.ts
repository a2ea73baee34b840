/**
 * Measured hotspot accuracy: train each method on one set of police.uk street files, choose its hottest cells
 * covering a share of the study area, and score the choice on a later set (hit rate and PAI). Reads the CSV files
 * directly; needs no database.
 */
import fs from 'node:fs'
import path from 'node:path'

import type { GeoJsonGeometry } from '../../db/schema.js'
import { csvRecords, readHeader } from '../../platform/csv.js'
import {
  accuracy,
  gridCounts,
  gridCovering,
  hottestCells,
  kernelDensity,
  localProjection,
  monthIndex,
  spaceTimeHotspots,
  studyAreaMask,
  type EventPoint,
  type Grid,
} from './hotspots.js'
import { expandInputs, ImportFileError, STREET_FILE_PATTERN } from './import-service.js'
import { headerProblem, parseStreetRow, STREET_HEADER } from './police-formats.js'
import { DomainError } from '../../platform/errors.js'

/**
 * The hotspot evaluation command refuses its inputs (a file, a boundary, an option): a platform `DomainError` whose
 * message is the diagnosis the command line prints (it has no page, so no locale text).
 */
export class EvaluationError extends DomainError<'evaluation-refused'> {
  constructor(message: string) {
    super('evaluation-refused', { status: 400, params: { reason: message } })
    this.message = message
    this.name = 'EvaluationError'
  }
}

export interface HotspotParameters {
  /** Grid cell size in metres, shared by every method so their areas compare. */
  cellSize: number
  /** Bandwidth of the plain kernel density method, metres. */
  kdeBandwidth: number
  /** Bandwidth of the space-time method's kernels, metres. */
  spaceTimeBandwidth: number
  /** Half-life of event weights in the space-time method, months. */
  halfLifeMonths: number
  /** Share of the space-time score from the recent (time-weighted) surface. */
  recentShare: number
  /** Share of the space-time long-term pattern taken from exact-cell counts. */
  countsShare: number
}

/** The space-time parameters were chosen on a validation split of the training months only (see docs/hotspots.md), never on the test months. */
export const DEFAULT_PARAMETERS: HotspotParameters = {
  cellSize: 50,
  kdeBandwidth: 50,
  spaceTimeBandwidth: 15,
  halfLifeMonths: 3,
  recentShare: 0.5,
  countsShare: 1,
}

export interface MethodResult {
  method: string
  hitRate: number
  pai: number
}

export interface DetailedResult extends MethodResult {
  /** Grid cell size, metres. */
  cellSize: number
  /** Cells whose centre lies in the study area. */
  studyCells: number
  /** Cells the method chose (the same number for every method). */
  cellsSelected: number
  /** Share of the study area chosen: cellsSelected / studyCells. */
  areaShare: number
  /** Test crimes inside the chosen cells. */
  hits: number
  /** Test crimes inside the study area (the denominator of the hit rate). */
  testCrimes: number
}

export interface HotspotMethod {
  name: string
  score(grid: Grid, train: readonly EventPoint[]): Float64Array
}

export function hotspotMethods(parameters: HotspotParameters): HotspotMethod[] {
  return [
    { name: 'grid-counts', score: (grid, train) => gridCounts(grid, train) },
    {
      name: 'kde',
      score: (grid, train) => kernelDensity(grid, train, { bandwidth: parameters.kdeBandwidth }),
    },
    {
      name: 'space-time',
      score: (grid, train) =>
        spaceTimeHotspots(grid, train, {
          bandwidth: parameters.spaceTimeBandwidth,
          halfLifeMonths: parameters.halfLifeMonths,
          recentShare: parameters.recentShare,
          countsShare: parameters.countsShare,
        }),
    },
  ]
}

export interface LoadedPoints {
  points: { longitude: number; latitude: number; month: string }[]
  files: number
  rows: number
  rejected: number
  noLocation: number
  otherTypes: number
}

/** Reads street files (folders expanded to their `*-street.csv`), keeping located rows of the crime type. */
export async function loadStreetPoints(inputs: string[], crimeType?: string): Promise<LoadedPoints> {
  let files: string[]
  try {
    files = expandInputs(inputs, STREET_FILE_PATTERN)
  } catch (error) {
    if (error instanceof ImportFileError) throw new EvaluationError(error.message)
    throw error
  }
  const result: LoadedPoints = { points: [], files: files.length, rows: 0, rejected: 0, noLocation: 0, otherTypes: 0 }
  for (const file of files) {
    const header = await readHeader(file)
    const problem = header ? headerProblem(header, STREET_HEADER) : 'the file is empty'
    if (problem) throw new EvaluationError(`${file}: ${problem}`)
    for await (const record of csvRecords(file)) {
      if (record.line === 1) continue
      result.rows++
      if ('error' in record) {
        result.rejected++
        continue
      }
      const parsed = parseStreetRow(record.fields)
      if (!parsed.ok) {
        result.rejected++
        continue
      }
      if (crimeType && parsed.row.crimeType !== crimeType) {
        result.otherTypes++
        continue
      }
      if (!parsed.row.point) {
        result.noLocation++
        continue
      }
      result.points.push({ ...parsed.row.point, month: parsed.row.month })
    }
  }
  return result
}

/** Every Polygon and MultiPolygon in a GeoJSON file (a FeatureCollection, a Feature or a bare geometry). */
export function readBoundary(file: string): GeoJsonGeometry[] {
  let json: unknown
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    throw new EvaluationError(`${file}: cannot read the boundary (${(error as Error).message})`)
  }
  const polygons: GeoJsonGeometry[] = []
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return
    const value = node as { type?: string; features?: unknown[]; geometry?: unknown; geometries?: unknown[] }
    if (value.type === 'FeatureCollection') value.features?.forEach(visit)
    else if (value.type === 'Feature') visit(value.geometry)
    else if (value.type === 'GeometryCollection') value.geometries?.forEach(visit)
    else if (value.type === 'Polygon' || value.type === 'MultiPolygon') polygons.push(value as GeoJsonGeometry)
  }
  visit(json)
  if (polygons.length === 0) throw new EvaluationError(`${file}: the boundary has no Polygon or MultiPolygon`)
  return polygons
}

/** The borough outline of a geography pack folder (its pack.json names the file). */
export function packBoundary(packDir: string): GeoJsonGeometry[] {
  const manifestFile = path.join(packDir, 'pack.json')
  if (!fs.existsSync(manifestFile))
    throw new EvaluationError(`no --boundary given and the geography pack ${packDir} has no pack.json`)
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { borough?: { file?: string } }
  if (!manifest.borough?.file) throw new EvaluationError(`${manifestFile} names no borough file`)
  return readBoundary(path.join(packDir, manifest.borough.file))
}

function boundsOf(polygons: readonly GeoJsonGeometry[]) {
  let minLng = Infinity
  let minLat = Infinity
  let maxLng = -Infinity
  let maxLat = -Infinity
  for (const polygon of polygons) {
    const rings = polygon.type === 'Polygon' ? polygon.coordinates : polygon.coordinates.flat()
    for (const ring of rings)
      for (const [lng, lat] of ring) {
        minLng = Math.min(minLng, lng)
        maxLng = Math.max(maxLng, lng)
        minLat = Math.min(minLat, lat)
        maxLat = Math.max(maxLat, lat)
      }
  }
  return { minLng, minLat, maxLng, maxLat }
}

export interface EvaluationInput {
  train: { longitude: number; latitude: number; month: string }[]
  test: { longitude: number; latitude: number; month: string }[]
  boundary: GeoJsonGeometry[]
  areaShare: number
  parameters?: Partial<HotspotParameters>
  /** Methods to compare (default: every built-in method with the parameters). */
  methods?: HotspotMethod[]
}

/** Scores every method: the same grid, the same study area, the same number of cells for each. */
export function evaluateHotspotMethods(input: EvaluationInput): DetailedResult[] {
  if (!(input.areaShare > 0 && input.areaShare <= 1))
    throw new EvaluationError('--area-share must be above 0 and at most 1')
  const parameters = { ...DEFAULT_PARAMETERS, ...input.parameters }
  const bounds = boundsOf(input.boundary)
  const projection = localProjection({
    longitude: (bounds.minLng + bounds.maxLng) / 2,
    latitude: (bounds.minLat + bounds.maxLat) / 2,
  })
  const corner = projection.toXY({ longitude: bounds.minLng, latitude: bounds.minLat })
  const far = projection.toXY({ longitude: bounds.maxLng, latitude: bounds.maxLat })
  const grid = gridCovering({ minX: corner.x, minY: corner.y, maxX: far.x, maxY: far.y }, parameters.cellSize)
  const mask = studyAreaMask(grid, projection, input.boundary)
  const studyCells = mask.reduce((sum, inside) => sum + inside, 0)
  if (studyCells === 0) throw new EvaluationError('the study area is smaller than one grid cell')
  const chosenCount = Math.max(1, Math.round(input.areaShare * studyCells))
  const toEvents = (points: EvaluationInput['train']): EventPoint[] =>
    points.map(point => ({ ...projection.toXY(point), month: monthIndex(point.month) }))
  const train = toEvents(input.train)
  const test = toEvents(input.test)
  if (train.length === 0) throw new EvaluationError('the training set has no located crimes')
  return (input.methods ?? hotspotMethods(parameters)).map(method => {
    const chosen = hottestCells(method.score(grid, train), mask, chosenCount)
    const result = accuracy(grid, mask, chosen, test)
    return {
      method: method.name,
      hitRate: result.hitRate,
      pai: result.pai,
      cellSize: parameters.cellSize,
      studyCells,
      cellsSelected: chosen.length,
      areaShare: result.areaShare,
      hits: result.hits,
      testCrimes: result.events,
    }
  })
}
