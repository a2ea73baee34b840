/**
 * Issue 8: police.uk street import rows per second into PostgreSQL next to `psql \copy` of the same file into a bare
 * table (same run, ratio), and into PGlite; kernel density of 1,000,000 points on a 100 m grid; a full evaluation
 * over the 24 City of London months. PostgreSQL figures need BENCH_DATABASE_URL (or TEST_DATABASE_URL) and psql.
 */
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import { parse } from 'csv-parse/sync'
import pg from 'pg'

import { testConfig } from '../src/config.js'
import { createDependencies } from '../src/dependencies.js'
import { evaluateHotspotMethods, hotspots, loadStreetPoints, readBoundary } from '../src/modules/intelligence/index.js'
import { prepare } from '../src/operations.js'
import { median, report, root, tempDir } from './lib.js'

const cityFolder = path.resolve(root, '..', 'shared', 'data', 'police', 'city-of-london-street')
const ROWS = 100_000

/** A one-month street file of ROWS real City of London rows (repeated), so the file is realistic but large. */
function bigStreetFile(dir: string): string {
  const files = fs
    .readdirSync(cityFolder)
    .filter(name => name.endsWith('-street.csv'))
    .sort()
  let header: string[] = []
  const rows: string[][] = []
  for (const name of files) {
    const records: string[][] = parse(fs.readFileSync(path.join(cityFolder, name)), { relax_column_count: true })
    header = records[0] ?? header
    rows.push(...records.slice(1))
  }
  const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)
  const lines = [header.join(',')]
  for (let i = 0; i < ROWS; i++) {
    const row = [...(rows[i % rows.length] ?? [])]
    row[1] = '2016-09'
    lines.push(row.map(quote).join(','))
  }
  const file = path.join(dir, '2016-09-city-of-london-street.csv')
  fs.writeFileSync(file, lines.join('\n') + '\n')
  return file
}

async function importRate(config: ReturnType<typeof testConfig>, file: string) {
  const deps = await createDependencies(config)
  await prepare(deps, { seedDemo: false })
  const rates: number[] = []
  for (let run = 0; run < 3; run++) {
    const started = performance.now()
    const summary = await deps.intelligenceImports.importPoliceStreet([file])
    rates.push(summary.imported / ((performance.now() - started) / 1000))
  }
  await deps.close()
  return median(rates)
}

export async function intelligenceBench(): Promise<void> {
  if (!fs.existsSync(cityFolder)) {
    process.stdout.write(`skipped: no shared data at ${cityFolder}\n`)
    return
  }
  const dir = tempDir('safer-bench-intelligence-')
  const file = bigStreetFile(dir)

  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
  const psql = spawnSync('psql', ['--version']).status === 0
  if (url && psql) {
    // A database of its own: the migrator looks for its tables in every schema, so a schema would not do.
    const name = `safer_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`create database ${name}`)
    const benchUrl = new URL(url)
    benchUrl.pathname = `/${name}`
    const client = new pg.Client({ connectionString: benchUrl.toString() })
    await client.connect()
    try {
      await client.query(`create table bare (${Array.from({ length: 12 }, (_, i) => `c${String(i)} text`).join(', ')})`)
      const saferRate = await importRate(testConfig({ DATABASE_URL: benchUrl.toString() }), file)
      const copyRates: number[] = []
      for (let run = 0; run < 3; run++) {
        await client.query('truncate bare')
        const started = performance.now()
        const result = spawnSync('psql', [benchUrl.toString(), '-c', `\\copy bare from '${file}' csv header`])
        if (result.status !== 0) throw new Error(`psql failed: ${result.stderr.toString()}`)
        copyRates.push(ROWS / ((performance.now() - started) / 1000))
      }
      const copyRate = median(copyRates)
      report('intelligence.import_postgres_rows_per_s (100k street rows, median of 3)', saferRate, 'rows/s')
      report('intelligence.psql_copy_bare_rows_per_s (same file, median of 3)', copyRate, 'rows/s')
      report('intelligence.import_vs_copy_ratio', saferRate / copyRate, 'x')
    } finally {
      await client.end()
      await admin.query(`drop database ${name}`)
      await admin.end()
    }
  } else {
    process.stdout.write('skipped PostgreSQL import: set BENCH_DATABASE_URL and install psql\n')
  }
  report(
    'intelligence.import_pglite_rows_per_s (100k street rows, median of 3)',
    await importRate(testConfig(), file),
    'rows/s',
  )

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
  fs.rmSync(dir, { recursive: true, force: true })
}
