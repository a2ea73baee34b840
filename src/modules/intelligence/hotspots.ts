/**
 * Hotspot methods: pure functions over points in metres on a regular grid. See docs/hotspots.md for the methods,
 * their parameters and the measured accuracy.
 *
 * Coordinates: a local equirectangular projection (metres east and north of an origin) is accurate to well under
 * a metre across a borough, which is far below the anonymisation of police.uk points.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'

import type { GeoJsonGeometry } from '../../db/schema.js'

export interface LonLat {
  longitude: number
  latitude: number
}

/** A located event in metres; `month` counts months from year 0 (year × 12 + month − 1), for space-time methods. */
export interface EventPoint {
  x: number
  y: number
  month: number
}

const METRES_PER_DEGREE = 111_320

export interface Projection {
  toXY(point: LonLat): { x: number; y: number }
  toLonLat(x: number, y: number): LonLat
}

export function localProjection(origin: LonLat): Projection {
  const kx = METRES_PER_DEGREE * Math.cos((origin.latitude * Math.PI) / 180)
  const ky = METRES_PER_DEGREE
  return {
    toXY: point => ({ x: (point.longitude - origin.longitude) * kx, y: (point.latitude - origin.latitude) * ky }),
    toLonLat: (x, y) => ({ longitude: origin.longitude + x / kx, latitude: origin.latitude + y / ky }),
  }
}

export function monthIndex(month: string): number {
  const [year, m] = month.split('-').map(Number)
  return (year ?? 0) * 12 + (m ?? 1) - 1
}

/** A regular grid: cell (col, row) covers [minX + col·size, minX + (col+1)·size) × [minY + row·size, …). */
export interface Grid {
  minX: number
  minY: number
  cellSize: number
  cols: number
  rows: number
}

export function gridCovering(box: { minX: number; minY: number; maxX: number; maxY: number }, cellSize: number): Grid {
  if (!(cellSize > 0)) throw new RangeError('cell size must be positive')
  const cols = Math.max(1, Math.ceil((box.maxX - box.minX) / cellSize))
  const rows = Math.max(1, Math.ceil((box.maxY - box.minY) / cellSize))
  return { minX: box.minX, minY: box.minY, cellSize, cols, rows }
}

/** The cell a point falls in, or −1 outside the grid. */
export function cellOf(grid: Grid, x: number, y: number): number {
  const col = Math.floor((x - grid.minX) / grid.cellSize)
  const row = Math.floor((y - grid.minY) / grid.cellSize)
  if (col < 0 || row < 0 || col >= grid.cols || row >= grid.rows) return -1
  return row * grid.cols + col
}

export function cellCentre(grid: Grid, cell: number): { x: number; y: number } {
  const col = cell % grid.cols
  const row = Math.floor(cell / grid.cols)
  return { x: grid.minX + (col + 0.5) * grid.cellSize, y: grid.minY + (row + 0.5) * grid.cellSize }
}

/** Grid counts: the (weighted) number of events in each cell. */
export function gridCounts(grid: Grid, points: readonly EventPoint[], weights?: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(grid.cols * grid.rows)
  points.forEach((point, i) => {
    const cell = cellOf(grid, point.x, point.y)
    if (cell >= 0) counts[cell] = (counts[cell] ?? 0) + (weights ? (weights[i] ?? 0) : 1)
  })
  return counts
}

export interface KdeOptions {
  /** Standard deviation of the Gaussian kernel, metres. */
  bandwidth: number
  /** Per-event weights (default 1). */
  weights?: ArrayLike<number>
}

/**
 * Gaussian kernel density at each cell centre, in events per square kilometre. Events are binned to the grid
 * (padded by three bandwidths so events just outside still count) and the separable kernel is applied along rows
 * then columns, so the cost is cells × kernel width rather than cells × events: a million points on a 100 m grid
 * take well under a second.
 */
export function kernelDensity(grid: Grid, points: readonly EventPoint[], options: KdeOptions): Float64Array {
  const { bandwidth } = options
  if (!(bandwidth > 0)) throw new RangeError('bandwidth must be positive')
  const radius = Math.max(1, Math.ceil((3 * bandwidth) / grid.cellSize))
  const padded: Grid = {
    minX: grid.minX - radius * grid.cellSize,
    minY: grid.minY - radius * grid.cellSize,
    cellSize: grid.cellSize,
    cols: grid.cols + 2 * radius,
    rows: grid.rows + 2 * radius,
  }
  const binned = gridCounts(padded, points, options.weights)
  const kernel = new Float64Array(2 * radius + 1)
  for (let k = -radius; k <= radius; k++) {
    const d = (k * grid.cellSize) / bandwidth
    kernel[k + radius] = Math.exp(-0.5 * d * d)
  }
  // Normalise in discrete form, so the surface sums to the number of events times cells per km².
  const kernelSum = kernel.reduce((sum, value) => sum + value, 0)
  for (let k = 0; k < kernel.length; k++) kernel[k] = (kernel[k] ?? 0) / kernelSum

  const { cols, rows } = padded
  const horizontal = new Float64Array(cols * rows)
  for (let row = 0; row < rows; row++) {
    const base = row * cols
    for (let col = 0; col < cols; col++) {
      const value = binned[base + col] ?? 0
      if (value === 0) continue
      const from = Math.max(0, col - radius)
      const to = Math.min(cols - 1, col + radius)
      for (let c = from; c <= to; c++)
        horizontal[base + c] = (horizontal[base + c] ?? 0) + value * (kernel[c - col + radius] ?? 0)
    }
  }
  const cellsPerKm2 = 1_000_000 / (grid.cellSize * grid.cellSize)
  const density = new Float64Array(grid.cols * grid.rows)
  for (let row = 0; row < grid.rows; row++) {
    const paddedRow = row + radius
    for (let col = 0; col < grid.cols; col++) {
      const paddedCol = col + radius
      let sum = 0
      for (let k = -radius; k <= radius; k++)
        sum += (horizontal[(paddedRow + k) * cols + paddedCol] ?? 0) * (kernel[k + radius] ?? 0)
      density[row * grid.cols + col] = sum * cellsPerKm2
    }
  }
  return density
}

/** Weight of an event `age` months before the forecast month: 1 for last month, halving every `halfLife` months. */
export function recencyWeight(ageMonths: number, halfLifeMonths: number): number {
  return Math.pow(0.5, Math.max(0, ageMonths - 1) / halfLifeMonths)
}

export interface SpaceTimeOptions {
  /** Kernel bandwidth of both surfaces, metres. */
  bandwidth: number
  /** How fast an event's weight decays in the recent surface: it halves every this many months. */
  halfLifeMonths: number
  /** The month being forecast (default: the month after the latest event). */
  forecastMonth?: number
  /** Share of the score from the recent surface (0–1); the rest is the long-term pattern. */
  recentShare: number
  /** Share of the long-term pattern from exact-cell counts (0–1); the rest is the long-term kernel surface. */
  countsShare?: number
  /** How many records each point stands for (default 1 each): grouped records at one place and month. */
  records?: ArrayLike<number>
}

function normalised(values: Float64Array): Float64Array {
  let max = 0
  for (const value of values) if (value > max) max = value
  if (max === 0) return values
  const out = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) out[i] = (values[i] ?? 0) / max
  return out
}

/**
 * Recency-weighted space-time hotspots: a blend of the long-term pattern (cell counts and a kernel surface of every
 * event) with an exponentially time-weighted kernel surface that follows what has happened lately. Each surface is
 * scaled to a maximum of 1 before blending, so `recentShare` is the weight the recent pattern gets.
 */
export function spaceTimeHotspots(grid: Grid, points: readonly EventPoint[], options: SpaceTimeOptions): Float64Array {
  const latest = points.reduce((max, point) => Math.max(max, point.month), -Infinity)
  const forecast = options.forecastMonth ?? latest + 1
  const { records } = options
  const weights = points.map(
    (point, i) => recencyWeight(forecast - point.month, options.halfLifeMonths) * (records ? (records[i] ?? 0) : 1),
  )
  const recent = normalised(kernelDensity(grid, points, { bandwidth: options.bandwidth, weights }))
  const longKde = normalised(
    kernelDensity(grid, points, { bandwidth: options.bandwidth, ...(records ? { weights: records } : {}) }),
  )
  const counts = normalised(gridCounts(grid, points, records))
  const countsShare = options.countsShare ?? 0
  const score = new Float64Array(grid.cols * grid.rows)
  for (let i = 0; i < score.length; i++) {
    const longTerm = countsShare * (counts[i] ?? 0) + (1 - countsShare) * (longKde[i] ?? 0)
    score[i] = options.recentShare * (recent[i] ?? 0) + (1 - options.recentShare) * longTerm
  }
  return score
}

/** Cells whose centre lies inside any of the polygons: the study area. */
export function studyAreaMask(grid: Grid, projection: Projection, polygons: readonly GeoJsonGeometry[]): Uint8Array {
  const mask = new Uint8Array(grid.cols * grid.rows)
  for (let cell = 0; cell < mask.length; cell++) {
    const centre = cellCentre(grid, cell)
    const { longitude, latitude } = projection.toLonLat(centre.x, centre.y)
    if (polygons.some(polygon => booleanPointInPolygon([longitude, latitude], polygon))) mask[cell] = 1
  }
  return mask
}

/**
 * The `count` highest-scoring cells of the mask, best first. Ties keep grid order (south-west first), so a method
 * gets no credit from luck in ordering.
 */
export function hottestCells(scores: ArrayLike<number>, mask: Uint8Array, count: number): number[] {
  const cells: number[] = []
  for (let cell = 0; cell < mask.length; cell++) if (mask[cell]) cells.push(cell)
  // Scores equal to 12 significant digits tie: the same weights added in another order (one record at a time, or
  // grouped records at once) differ only beyond that, and must not reorder the cells.
  const key = new Float64Array(mask.length)
  for (const cell of cells) key[cell] = Number((scores[cell] ?? 0).toPrecision(12))
  cells.sort((a, b) => (key[b] ?? 0) - (key[a] ?? 0) || a - b)
  return cells.slice(0, Math.max(0, count))
}

export interface Accuracy {
  /** Share of the test events inside the study area that fall in the chosen cells. */
  hitRate: number
  /** Chosen cells as a share of the study area. */
  areaShare: number
  /** Predictive accuracy index: hit rate ÷ area share. */
  pai: number
  hits: number
  events: number
}

export function accuracy(
  grid: Grid,
  mask: Uint8Array,
  chosen: readonly number[],
  test: readonly EventPoint[],
): Accuracy {
  const selected = new Set(chosen)
  let studyCells = 0
  for (const inside of mask) studyCells += inside
  let hits = 0
  let events = 0
  for (const point of test) {
    const cell = cellOf(grid, point.x, point.y)
    if (cell < 0 || !mask[cell]) continue
    events++
    if (selected.has(cell)) hits++
  }
  const hitRate = events === 0 ? 0 : hits / events
  const areaShare = studyCells === 0 ? 0 : chosen.length / studyCells
  return { hitRate, areaShare, pai: areaShare === 0 ? 0 : hitRate / areaShare, hits, events }
}

export interface AreaCount {
  code: string
  name: string
  count: number
  population: number | null
  /** Events per 1,000 residents, or null when the population is unknown or zero. */
  ratePer1000: number | null
}

/**
 * Counts and rates per 1,000 residents by area (ward or LSOA), ranked by rate (then count) where populations are
 * known, by count otherwise. Events with no area (no location, or outside the borough) are not counted.
 */
export function areaRates(
  eventAreaCodes: readonly (string | null)[],
  areas: readonly { code: string; name: string; population: number | null }[],
  weights?: ArrayLike<number>,
): AreaCount[] {
  const counts = new Map<string, number>()
  eventAreaCodes.forEach((code, i) => {
    if (code !== null) counts.set(code, (counts.get(code) ?? 0) + (weights ? (weights[i] ?? 0) : 1))
  })
  return areas
    .map(area => {
      const count = counts.get(area.code) ?? 0
      const ratePer1000 = area.population ? (count / area.population) * 1000 : null
      return { code: area.code, name: area.name, count, population: area.population, ratePer1000 }
    })
    .sort((a, b) => (b.ratePer1000 ?? -1) - (a.ratePer1000 ?? -1) || b.count - a.count || a.code.localeCompare(b.code))
}

export interface RankedCell {
  rank: number
  cell: number
  score: number
  centre: LonLat
}

/** The top cells as a ranked list of places. */
export function rankedCells(
  grid: Grid,
  projection: Projection,
  scores: ArrayLike<number>,
  mask: Uint8Array,
  limit: number,
): RankedCell[] {
  return hottestCells(scores, mask, limit)
    .filter(cell => (scores[cell] ?? 0) > 0)
    .map((cell, i) => {
      const centre = cellCentre(grid, cell)
      return { rank: i + 1, cell, score: scores[cell] ?? 0, centre: projection.toLonLat(centre.x, centre.y) }
    })
}

/** The surface as GeoJSON: one square polygon per study-area cell with a score above zero. */
export function surfaceGeoJson(grid: Grid, projection: Projection, scores: ArrayLike<number>, mask: Uint8Array) {
  const ranked = hottestCells(scores, mask, mask.length)
  const features = ranked
    .filter(cell => (scores[cell] ?? 0) > 0)
    .map((cell, i) => {
      const { x, y } = cellCentre(grid, cell)
      const half = grid.cellSize / 2
      const corner = (dx: number, dy: number) => {
        const p = projection.toLonLat(x + dx, y + dy)
        return [Number(p.longitude.toFixed(6)), Number(p.latitude.toFixed(6))]
      }
      return {
        type: 'Feature' as const,
        properties: { cell, rank: i + 1, score: scores[cell] ?? 0 },
        geometry: {
          type: 'Polygon' as const,
          coordinates: [
            [corner(-half, -half), corner(half, -half), corner(half, half), corner(-half, half), corner(-half, -half)],
          ],
        },
      }
    })
  return { type: 'FeatureCollection' as const, features }
}
