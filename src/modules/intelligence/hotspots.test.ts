import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { GeoJsonGeometry } from '../../db/schema.js'
import {
  accuracy,
  areaRates,
  cellCentre,
  cellOf,
  gridCounts,
  gridCovering,
  hottestCells,
  kernelDensity,
  localProjection,
  monthIndex,
  rankedCells,
  recencyWeight,
  spaceTimeHotspots,
  studyAreaMask,
  surfaceGeoJson,
  type EventPoint,
} from './hotspots.js'

const at = (x: number, y: number, month = 0): EventPoint => ({ x, y, month })
const repeat = (n: number, point: EventPoint): EventPoint[] => Array.from({ length: n }, () => ({ ...point }))
const argmax = (values: Float64Array): number => values.indexOf(Math.max(...values))
// A 10 × 10 grid of 100 m cells from (0, 0) to (1000, 1000).
const grid = gridCovering({ minX: 0, minY: 0, maxX: 1000, maxY: 1000 }, 100)

describe('hotspot methods', () => {
  it('projects lon/lat to metres and back', () => {
    const projection = localProjection({ longitude: -0.05, latitude: 51.5 })
    const north = projection.toXY({ longitude: -0.05, latitude: 51.501 })
    assert.ok(Math.abs(north.y - 111.32) < 0.01 && Math.abs(north.x) < 1e-9)
    const east = projection.toXY({ longitude: -0.049, latitude: 51.5 })
    assert.ok(Math.abs(east.x - 111.32 * Math.cos((51.5 * Math.PI) / 180)) < 0.01)
    const back = projection.toLonLat(east.x, east.y)
    assert.ok(Math.abs(back.longitude + 0.049) < 1e-12 && Math.abs(back.latitude - 51.5) < 1e-12)
    assert.equal(monthIndex('2016-03') - monthIndex('2015-03'), 12)
  })

  it('puts points in cells, half-open at the edges', () => {
    assert.equal(grid.cols, 10)
    assert.equal(grid.rows, 10)
    assert.equal(cellOf(grid, 0, 0), 0)
    assert.equal(cellOf(grid, 150, 250), 21)
    assert.equal(cellOf(grid, 999.9, 999.9), 99)
    assert.equal(cellOf(grid, 1000, 500), -1)
    assert.equal(cellOf(grid, -0.1, 500), -1)
    assert.deepEqual(cellCentre(grid, 21), { x: 150, y: 250 })
  })

  it('grid counts: the number (or weight) of events in each cell', () => {
    const points = [...repeat(3, at(150, 250)), at(120, 210), at(950, 950), at(5000, 5000)]
    const counts = gridCounts(grid, points)
    assert.equal(counts[21], 4)
    assert.equal(counts[99], 1)
    assert.equal(
      counts.reduce((sum, value) => sum + value, 0),
      5,
      'the point off the grid is not counted',
    )
    const weighted = gridCounts(grid, [at(150, 250), at(150, 250)], [0.5, 0.25])
    assert.equal(weighted[21], 0.75)
  })

  it('kernel density: peaks at the cluster, is symmetric, keeps the mass, and spreads with bandwidth', () => {
    const points = [...repeat(10, at(450, 450)), ...repeat(3, at(850, 150))]
    const density = kernelDensity(grid, points, { bandwidth: 100 })
    assert.equal(argmax(density), cellOf(grid, 450, 450))
    // Events per km² × 0.01 km² per cell, summed, is the number of events near the middle of the grid.
    const single = kernelDensity(grid, [at(450, 450)], { bandwidth: 100 })
    const around = [cellOf(grid, 350, 450), cellOf(grid, 550, 450), cellOf(grid, 450, 350), cellOf(grid, 450, 550)]
    const values = around.map(cell => single[cell] ?? 0)
    assert.ok(
      values.every(value => Math.abs(value - (values[0] ?? 0)) < 1e-9),
      'symmetric about the peak',
    )
    assert.ok((values[0] ?? 0) < (single[cellOf(grid, 450, 450)] ?? 0))
    assert.ok(Math.abs(single.reduce((sum, value) => sum + value, 0) * 0.01 - 1) < 1e-9)
    const wide = kernelDensity(grid, [at(450, 450)], { bandwidth: 300 })
    assert.ok((wide[cellOf(grid, 450, 450)] ?? 0) < (single[cellOf(grid, 450, 450)] ?? 0))
    // An event just outside the grid still warms the edge cell next to it.
    const outside = kernelDensity(grid, [at(1050, 450)], { bandwidth: 100 })
    assert.ok((outside[cellOf(grid, 950, 450)] ?? 0) > 0)
    assert.throws(() => kernelDensity(grid, points, { bandwidth: 0 }), RangeError)
  })

  it('recency weights halve every half-life, counting last month as 1', () => {
    assert.equal(recencyWeight(1, 3), 1)
    assert.equal(recencyWeight(4, 3), 0.5)
    assert.equal(recencyWeight(7, 3), 0.25)
  })

  it('space-time: the recent share decides between an old hotspot and an emerging one', () => {
    // An old hotspot (A): 5 events a month for months 0-9, then nothing. An emerging one (B): 4 a month in 10-11.
    // With a one-month half-life, A's 50 events weigh about 2.5 for month 12 and B's 8 weigh 6.
    const a: EventPoint[] = []
    for (let month = 0; month < 10; month++) a.push(...repeat(5, at(150, 150, month)))
    const b = [...repeat(4, at(850, 850, 10)), ...repeat(4, at(850, 850, 11))]
    const points = [...a, ...b]
    const cellA = cellOf(grid, 150, 150)
    const cellB = cellOf(grid, 850, 850)
    const longTerm = spaceTimeHotspots(grid, points, { bandwidth: 50, halfLifeMonths: 1, recentShare: 0 })
    assert.equal(argmax(longTerm), cellA)
    const recent = spaceTimeHotspots(grid, points, { bandwidth: 50, halfLifeMonths: 1, recentShare: 1 })
    assert.equal(argmax(recent), cellB)
    const blended = spaceTimeHotspots(grid, points, {
      bandwidth: 50,
      halfLifeMonths: 1,
      recentShare: 0.5,
      countsShare: 1,
    })
    assert.ok((blended[cellB] ?? 0) > 0 && (blended[cellA] ?? 0) > 0)
    assert.ok(Math.max(...blended) <= 1 + 1e-9, 'each surface is scaled to at most 1 before blending')
  })

  it('chooses the hottest cells of the study area, ties in grid order, and scores them', () => {
    const projection = localProjection({ longitude: 0, latitude: 51.5 })
    const corner = (x: number, y: number) => {
      const p = projection.toLonLat(x, y)
      return [p.longitude, p.latitude] as [number, number]
    }
    // The study area is the western half of the grid.
    const westHalf: GeoJsonGeometry = {
      type: 'Polygon',
      coordinates: [[corner(0, 0), corner(500, 0), corner(500, 1000), corner(0, 1000), corner(0, 0)]],
    }
    const mask = studyAreaMask(grid, projection, [westHalf])
    assert.equal(
      mask.reduce((sum, inside) => sum + inside, 0),
      50,
    )
    const scores = new Float64Array(100)
    scores[cellOf(grid, 850, 850)] = 100 // outside the study area: never chosen
    scores[cellOf(grid, 150, 150)] = 5
    scores[cellOf(grid, 250, 150)] = 3
    const chosen = hottestCells(scores, mask, 3)
    assert.deepEqual(chosen, [cellOf(grid, 150, 150), cellOf(grid, 250, 150), 0])

    const test = [
      ...repeat(6, at(150, 150)),
      ...repeat(2, at(250, 150)),
      ...repeat(2, at(450, 950)),
      ...repeat(5, at(850, 850)), // outside the study area: not counted
    ]
    const result = accuracy(grid, mask, chosen, test)
    assert.equal(result.events, 10)
    assert.equal(result.hits, 8)
    assert.equal(result.hitRate, 0.8)
    assert.equal(result.areaShare, 3 / 50)
    assert.ok(Math.abs(result.pai - 0.8 / (3 / 50)) < 1e-9)

    const ranked = rankedCells(grid, projection, scores, mask, 10)
    assert.deepEqual(
      ranked.map(cell => [cell.rank, cell.score]),
      [
        [1, 5],
        [2, 3],
      ],
      'zero cells are not listed',
    )
    const surface = surfaceGeoJson(grid, projection, scores, mask)
    assert.equal(surface.features.length, 2)
    assert.equal(surface.features[0]?.properties.rank, 1)
    assert.equal(surface.features[0]?.geometry.coordinates[0]?.length, 5)
  })

  it('ranks areas by rate per 1,000 residents, then count; unknown populations last', () => {
    const rates = areaRates(
      ['A', 'A', 'A', 'B', 'B', 'C', null],
      [
        { code: 'A', name: 'Big', population: 3000 },
        { code: 'B', name: 'Small', population: 1000 },
        { code: 'C', name: 'Unknown', population: null },
        { code: 'D', name: 'Quiet', population: 500 },
      ],
    )
    assert.deepEqual(
      rates.map(area => [area.code, area.count, area.ratePer1000]),
      [
        ['B', 2, 2],
        ['A', 3, 1],
        ['D', 0, 0],
        ['C', 1, null],
      ],
    )
  })
})

describe('grouped records', () => {
  it('score and rank the same as the records one by one, ties in grid order whatever the rounding', () => {
    const places = [at(150, 150, 0), at(850, 150, 0), at(150, 850, 1), at(850, 850, 1)]
    const records = [3, 3, 2, 2]
    const oneByOne = places.flatMap((point, i) => repeat(records[i] ?? 0, point))
    const options = { bandwidth: 150, halfLifeMonths: 2, recentShare: 0.6, countsShare: 0.3 }
    const grouped = spaceTimeHotspots(grid, places, { ...options, records })
    const expanded = spaceTimeHotspots(grid, oneByOne, options)
    grouped.forEach((score, cell) => assert.ok(Math.abs(score - (expanded[cell] ?? 0)) < 1e-12, `cell ${String(cell)}`))
    const mask = new Uint8Array(grid.cols * grid.rows).fill(1)
    assert.deepEqual(hottestCells(grouped, mask, 12), hottestCells(expanded, mask, 12))
    // The two cells of each mirrored pair score the same: the south-west one ranks first.
    const [first, second] = hottestCells(grouped, mask, mask.length).filter(
      cell => cell === cellOf(grid, 150, 150) || cell === cellOf(grid, 850, 150),
    )
    assert.equal(first, cellOf(grid, 150, 150))
    assert.equal(second, cellOf(grid, 850, 150))
    assert.deepEqual(
      areaRates(
        ['A', 'B', 'A'],
        [
          { code: 'A', name: 'A', population: null },
          { code: 'B', name: 'B', population: null },
        ],
        [2, 5, 1],
      ).map(area => [area.code, area.count]),
      [
        ['B', 5],
        ['A', 3],
      ],
    )
  })
})
