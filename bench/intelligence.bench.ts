/**
 * Issue 8: kernel density of 1,000,000 points on a 100 m grid; a full evaluation over the 24 City of London months.
 * The police.uk import against COPY is the `police_import` group (bench/police-import.bench.ts).
 */
import fs from 'node:fs'
import path from 'node:path'

import { evaluateHotspotMethods, hotspots, loadStreetPoints, readBoundary } from '../src/modules/intelligence/index.js'
import { median, report, root } from './lib.js'

const cityFolder = path.resolve(root, '..', 'shared', 'data', 'police', 'city-of-london-street')

export async function intelligenceBench(): Promise<void> {
  if (!fs.existsSync(cityFolder)) {
    process.stdout.write(`skipped: no shared data at ${cityFolder}\n`)
    return
  }
  let seed = 1
  const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647
  const points = Array.from({ length: 1_000_000 }, () => ({ x: random() * 8000, y: random() * 6000, month: 0 }))
  const grid = hotspots.gridCovering({ minX: 0, minY: 0, maxX: 8000, maxY: 6000 }, 100)
  const kdeTimes: number[] = []
  for (let run = 0; run < 3; run++) {
    const started = performance.now()
    hotspots.kernelDensity(grid, points, { bandwidth: 200 })
    kdeTimes.push(performance.now() - started)
  }
  report(
    'intelligence.kde_1m_points_100m_grid_ms (80 x 60 cells, 200 m bandwidth, median of 3)',
    median(kdeTimes),
    'ms',
  )

  const started = performance.now()
  const all = await loadStreetPoints([cityFolder])
  const months = [...new Set(all.points.map(point => point.month))].sort()
  const cut = months[18] ?? ''
  evaluateHotspotMethods({
    train: all.points.filter(point => point.month < cut),
    test: all.points.filter(point => point.month >= cut),
    boundary: readBoundary(path.join(root, 'reference-data', 'city-of-london', 'boundary.geojson')),
    areaShare: 0.05,
  })
  report('intelligence.evaluate_24_months_ms (read 24 files, 3 methods)', performance.now() - started, 'ms')
}
