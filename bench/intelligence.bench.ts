/**
 * Issue 8: kernel density of 1,000,000 points on a 100 m grid; a full evaluation over the 24 City of London months.
 * The police.uk import against COPY is the `police_import` group (bench/police-import.bench.ts).
 *
 * Issue 17, large data (ADR 0061): the hotspot page's reads and the map's crime points with ten years of a
 * London-sized force's street records (10,000,000, generated in SQL), against the same queries when the table holds
 * only the year they ask for (the fair baseline: what the page costs before the years pile up), same database, same
 * run. PostgreSQL at 10M (needs BENCH_DATABASE_URL or TEST_DATABASE_URL); PGlite at 1M (a tenth: generating and
 * holding 10M rows in WebAssembly memory is not a realistic PGlite deployment, which is one borough's own server).
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'
import { sql } from 'kysely'

import { testConfig } from '../src/config.js'
import { createDependencies } from '../src/dependencies.js'
import { evaluateHotspotMethods, hotspots, loadStreetPoints, readBoundary } from '../src/modules/intelligence/index.js'
import { prepare } from '../src/operations.js'
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

  await largeDataBench()
}

/** Slugs of the police.uk crime types since May 2013. */
const STREET_TYPES = [
  'anti-social-behaviour',
  'bicycle-theft',
  'burglary',
  'criminal-damage-arson',
  'drugs',
  'other-theft',
  'possession-of-weapons',
  'public-order',
  'robbery',
  'shoplifting',
  'theft-from-the-person',
  'vehicle-crime',
  'violent-crime',
  'other-crime',
]
/** Ten years of months, 2016-01 to 2025-12; the pages ask for the last twelve. */
const YEARS = 10
const FIRST_YEAR = 2016
/** A London borough's share of the Metropolitan Police's records (1 in 32 boroughs; the City is separate). */
const INSIDE_SHARE = 1 / 32

type Deps = Awaited<ReturnType<typeof createDependencies>>

/**
 * Street records for `months` months from `first` (`YYYY-MM`), `perMonth` a month, in one INSERT … SELECT from
 * generate_series: a share in the borough (on one of 60 × 60 snapped map points of its box, with a ward and LSOA),
 * the rest elsewhere in London (outside the area). The monthly aggregate's triggers run as for an import.
 */
export async function generateStreet(deps: Deps, first: string, months: number, perMonth: number): Promise<void> {
  const { box } = deps.geography.borough()
  const wards = deps.geography.wards().map(ward => ward.code)
  const lsoas = deps.geography.lsoas(2011).map(lsoa => lsoa.code)
  const db = deps.database.db
  const monthList = Array.from({ length: months }, (_, m) => {
    const [y, mm] = first.split('-').map(Number) as [number, number]
    return new Date(Date.UTC(y, mm - 1 + m, 1)).toISOString().slice(0, 7)
  })
  // As an import does: the months' partitions first (the rows would otherwise wait in the default partition).
  for (const month of monthList)
    await sql`select safer_month_partition('intelligence_street_crime', ${`${month}-01`}::date)`.execute(db)
  await sql`select setseed(0.17)`.execute(db)
  await sql`
    insert into intelligence_street_crime (force, month, crime_id, reported_by, crime_type, latitude, longitude,
      location, location_missing, outside_area, ward_code, lsoa2011_code, lsoa2021_code, source_file, source_line)
    select 'metropolitan', to_char(${`${first}-01`}::date + make_interval(months => m), 'YYYY-MM'),
      md5(m::text || ':' || i::text), 'Metropolitan Police Service', (${STREET_TYPES}::text[])[1 + floor(r.t * 14)::int],
      case when r.inside then ${box.minLat} + floor(r.a * 60) / 60 * ${box.maxLat - box.minLat}
           else 51.30 + r.a * 0.38 end,
      case when r.inside then ${box.minLng} + floor(r.b * 60) / 60 * ${box.maxLng - box.minLng}
           else -0.50 + r.b * 0.72 end,
      'On or near Street ' || floor(r.a * 60)::int || '-' || floor(r.b * 60)::int, false, not r.inside,
      case when r.inside then (${wards}::text[])[1 + floor(r.w * ${wards.length})::int] end,
      case when r.inside then (${lsoas}::text[])[1 + floor(r.w * ${lsoas.length})::int] end,
      null, 'bench', i
    from generate_series(0, ${months - 1}) as m, generate_series(1, ${perMonth}) as i,
      lateral (select random() + 0 * i < ${INSIDE_SHARE} as inside, random() + 0 * i as a, random() + 0 * i as b,
        random() + 0 * i as t, random() + 0 * i as w) as r`.execute(db)
  await sql`analyze intelligence_street_crime`.execute(db)
  await sql`analyze intelligence_street_monthly`.execute(db)
}

/** Median of five warm runs (after two untimed runs) of `work`, in ms. */
async function warmMs(work: () => Promise<unknown>): Promise<number> {
  await work()
  await work()
  const times: number[] = []
  for (let run = 0; run < 5; run++) {
    const started = performance.now()
    await work()
    times.push(performance.now() - started)
  }
  return median(times)
}

/** What the hotspot page reads (months, crime types, the latest 12 months' hotspots) and the map's crime points. */
async function pageTimes(deps: Deps, fromMonth: string) {
  const { intelligence } = deps
  const page = await warmMs(async () => {
    const [months] = await Promise.all([intelligence.months(), intelligence.crimeTypes()])
    if (months.length === 0) throw new Error('no months')
    await intelligence.hotspots({ fromMonth })
  })
  const kde = await warmMs(() => intelligence.hotspots({ fromMonth, method: 'kde' }))
  const points = await warmMs(() => intelligence.crimePoints({ fromMonth }))
  // The partitions the page's query reads (EXPLAIN: partition pruning by month).
  const { rows } = await sql<{ 'QUERY PLAN': unknown }>`explain (format json)
    select * from intelligence_street_crime
    where month >= ${fromMonth} and outside_area = false and location_missing = false`.execute(deps.database.db)
  const scanned = new Set(JSON.stringify(rows).match(/"Relation Name":"[a-z0-9_]+"/g) ?? []).size
  return { page, kde, points, scanned }
}

/**
 * Ten years against one: the same queries with only the asked-for year in the table (baseline), then with all ten
 * years (the figure). Aims (ADR 0061): the page's reads under 1,000 ms on PostgreSQL, and at most 1.5 times the
 * one-year baseline.
 */
async function largeDataEngine(engine: 'postgres' | 'pglite', config: ReturnType<typeof testConfig>, total: number) {
  const deps = await createDependencies(config)
  try {
    await prepare(deps, { seedDemo: false })
    const perMonth = Math.round(total / (YEARS * 12))
    const lastYear = `${String(FIRST_YEAR + YEARS - 1)}-01`
    const label = total >= 1_000_000 ? `${String(total / 1_000_000)}m` : `${String(total / 1000)}k`
    let started = performance.now()
    await generateStreet(deps, lastYear, 12, perMonth)
    const oneYear = await pageTimes(deps, lastYear)
    const generated1 = performance.now() - started
    started = performance.now()
    await generateStreet(deps, `${String(FIRST_YEAR)}-01`, (YEARS - 1) * 12, perMonth)
    report(
      `intelligence.${engine}.generate_street_${label}_s (INSERT … SELECT generate_series, ${String(YEARS)} years)`,
      (generated1 + performance.now() - started) / 1000,
      's',
    )
    const tenYears = await pageTimes(deps, lastYear)
    const figures = [
      ['hotspot_page', 'page', 'months, crime types and the latest 12 months space-time hotspots; aim 1000 ms, 1.5x'],
      ['hotspot_kde', 'kde', 'the latest 12 months, kernel density'],
      ['map_crime_points', 'points', 'GeoJSON crime points, latest 12 months; aim 1000 ms, 1.5x'],
    ] as const
    for (const [name, key, what] of figures) {
      const figure = `${name}_${label}_ms`
      const baseline = `${name}_1y_ms`
      report(`intelligence.${engine}.${figure} (${what}; median of 5 warm)`, tenYears[key], 'ms')
      report(
        `intelligence.${engine}.baseline.${baseline} (same query, the table holding that year only)`,
        oneYear[key],
        'ms',
      )
      report(`intelligence.${engine}.ratio.${figure}_to_${baseline}`, tenYears[key] / oneYear[key], 'x')
    }
    report(
      `intelligence.${engine}.hotspot_partitions_scanned_${label} (of ${String(YEARS * 12)} months + default)`,
      tenYears.scanned,
      'partitions',
    )
  } finally {
    await deps.close()
  }
}

/** The large-data figures: PostgreSQL at 10M street records (with a database URL), PGlite at 1M. */
export async function largeDataBench(url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL) {
  if (url) {
    const name = `safer_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`create database ${name}`)
    const benchUrl = new URL(url)
    benchUrl.pathname = `/${name}`
    try {
      await largeDataEngine(
        'postgres',
        testConfig({ DATABASE_URL: benchUrl.toString() }),
        Number(process.env.BENCH_STREET_ROWS ?? 10_000_000),
      )
    } finally {
      await admin.query(`drop database ${name} with (force)`)
      await admin.end()
    }
  } else {
    process.stdout.write('skipped PostgreSQL large data: set BENCH_DATABASE_URL\n')
  }
  const pgliteRows = Number(process.env.BENCH_PGLITE_STREET_ROWS ?? 1_000_000)
  if (pgliteRows > 0) await largeDataEngine('pglite', testConfig(), pgliteRows)
}
