/**
 * Issue 17: the police.uk street import against COPY of the same file, on the same engine, in the same run.
 *
 * The file: ROWS real City of London street rows (the 24 shared months, repeated and all set to one month), written
 * to this run's temporary folder; the shared data is only read.
 *
 * The figure: `importPoliceStreet([file])` through the application's own dependencies (header check, every row
 * parsed and validated, line-numbered rejections, the month replaced, LSOA and ward placement with its counts, the
 * monthly aggregate kept by its trigger, the audit event), timed from the call to its return, into an empty
 * `intelligence_street_crime` (the table and its aggregate are emptied, untimed, before each run).
 *
 * The baseline: `COPY … FROM STDIN (FORMAT csv, HEADER)` of the same file, timed in-process on a connection that is
 * already open (pg-copy-streams on PostgreSQL; `COPY … FROM '/dev/blob'` on PGlite, which has no COPY from a client
 * stream), into an equivalent table emptied before each run. Equivalent means: the file's 12 columns, each with the
 * type the import stores it as (longitude and latitude `double precision`, the rest `text`), and the same indexes
 * as the import's target, which is one BRIN index over (month, force, crime type) (migration 0301; here `month`,
 * `falls_within`, `crime_type`). It has none of the import's derived work: no validation, no placement, no derived
 * columns, no monthly aggregate trigger, no month replacement. Both the figure and the baseline are medians of RUNS.
 *
 * PostgreSQL figures need BENCH_DATABASE_URL (or TEST_DATABASE_URL); the PGlite figures are printed beside them.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'

import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

import { testConfig } from '../src/config.js'
import { createDependencies } from '../src/dependencies.js'
import { prepare } from '../src/operations.js'
import { readCsv } from '../src/platform/csv.js'
import { median, report, root, tempDir } from './lib.js'

const cityFolder = path.resolve(root, '..', 'shared', 'data', 'police', 'city-of-london-street')
const ROWS = Number(process.env.BENCH_POLICE_IMPORT_ROWS ?? 200_000)
const RUNS = 3
const MONTH = '2016-09'

const BASELINE_TABLE = `create table police_import_baseline (
  crime_id text, month text, reported_by text, falls_within text, longitude double precision,
  latitude double precision, location text, lsoa_code text, lsoa_name text, crime_type text,
  last_outcome_category text, context text)`
const BASELINE_INDEX = `create index police_import_baseline_brin on police_import_baseline
  using brin (month, falls_within, crime_type)`

/** A one-month street file of ROWS real City of London rows (repeated), so the file is realistic but large. */
function bigStreetFile(dir: string): string {
  const files = fs
    .readdirSync(cityFolder)
    .filter(name => name.endsWith('-street.csv'))
    .sort()
  let header: string[] = []
  const rows: string[][] = []
  for (const name of files) {
    const records = readCsv(fs.readFileSync(path.join(cityFolder, name), 'utf8'))
    for (const record of records) {
      if (!('fields' in record)) continue
      if (record.line === 1) header = record.fields
      else rows.push(record.fields)
    }
  }
  const quote = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)
  const file = path.join(dir, `${MONTH}-city-of-london-street.csv`)
  const out = fs.openSync(file, 'w')
  let text = header.join(',') + '\n'
  for (let i = 0; i < ROWS; i++) {
    const row = [...(rows[i % rows.length] ?? [])]
    row[1] = MONTH
    text += row.map(quote).join(',') + '\n'
    if (text.length > 1 << 20) {
      fs.writeSync(out, text)
      text = ''
    }
  }
  fs.writeSync(out, text)
  fs.closeSync(out)
  return file
}

const rate = (rows: number, startedMs: number) => rows / ((performance.now() - startedMs) / 1000)

/** One engine's baseline: empties the equivalent table, then copies the file into it; rows per second. */
interface Baseline {
  copy(): Promise<number>
  close(): Promise<void>
}

async function postgresBaseline(url: string, file: string): Promise<Baseline> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(BASELINE_TABLE)
  await client.query(BASELINE_INDEX)
  return {
    async copy() {
      await client.query('truncate police_import_baseline')
      const started = performance.now()
      await pipeline(
        fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
        client.query(copyFrom('copy police_import_baseline from stdin (format csv, header)')),
      )
      const copied = rate(ROWS, started)
      const { rows } = await client.query<{ n: string }>('select count(*) as n from police_import_baseline')
      if (Number(rows[0]?.n) !== ROWS) throw new Error(`the baseline copied ${String(rows[0]?.n)} rows`)
      return copied
    },
    close: () => client.end(),
  }
}

async function pgliteBaseline(file: string): Promise<Baseline> {
  const db = await PGlite.create('memory://', { relaxedDurability: true })
  await db.exec(BASELINE_TABLE)
  await db.exec(BASELINE_INDEX)
  return {
    async copy() {
      await db.exec('truncate police_import_baseline')
      const started = performance.now()
      // Reading the file is part of the work, as it is for the import.
      const blob = new Blob([await fs.promises.readFile(file)])
      await db.query(`copy police_import_baseline from '/dev/blob' (format csv, header)`, [], { blob })
      const copied = rate(ROWS, started)
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from police_import_baseline')
      if (rows[0]?.n !== ROWS) throw new Error(`the PGlite baseline copied ${String(rows[0]?.n)} rows`)
      return copied
    },
    close: () => db.close(),
  }
}

/**
 * The import and its baseline RUNS times each, taking turns (baseline, import, baseline, …) so that a change in the
 * machine's load falls on both; the medians.
 */
async function measure(
  config: ReturnType<typeof testConfig>,
  baseline: Baseline,
  file: string,
): Promise<{ importRate: number; copyRate: number }> {
  const deps = await createDependencies(config)
  const importRates: number[] = []
  const copyRates: number[] = []
  try {
    await prepare(deps, { seedDemo: false })
    for (let run = 0; run < RUNS; run++) {
      copyRates.push(await baseline.copy())
      await deps.database.db.deleteFrom('intelligence_street_crime').execute()
      await deps.database.db.deleteFrom('intelligence_street_monthly').execute()
      const started = performance.now()
      const summary = await deps.intelligenceImports.importPoliceStreet([file])
      if (summary.imported !== ROWS) throw new Error(`imported ${String(summary.imported)} of ${String(ROWS)} rows`)
      importRates.push(rate(summary.imported, started))
    }
  } finally {
    await deps.close()
    await baseline.close()
  }
  return { importRate: median(importRates), copyRate: median(copyRates) }
}

function reportPair(
  engine: 'postgres' | 'pglite',
  { importRate, copyRate }: { importRate: number; copyRate: number },
): void {
  const rows = `${String(ROWS / 1000)}k street rows, median of ${String(RUNS)}`
  report(`police_import.${engine}.rows_per_s (${rows})`, importRate, 'rows/s')
  report(`police_import.${engine}.baseline.copy_rows_per_s (same file, equivalent table)`, copyRate, 'rows/s')
  const aim = engine === 'postgres' ? ', aim >= 0.5' : ''
  report(`police_import.${engine}.ratio.rows_per_s_to_copy_rows_per_s (${rows}${aim})`, importRate / copyRate, 'x')
}

export async function policeImportBench(): Promise<void> {
  if (!fs.existsSync(cityFolder)) {
    process.stdout.write(`skipped: no shared data at ${cityFolder}\n`)
    return
  }
  const dir = tempDir('safer-bench-police-import-')
  try {
    const file = bigStreetFile(dir)
    const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
    if (url) {
      // A database of its own: the migrator looks for its tables in every schema, so a schema would not do.
      const name = `safer_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(`create database ${name}`)
      const benchUrl = new URL(url)
      benchUrl.pathname = `/${name}`
      try {
        const config = testConfig({ DATABASE_URL: benchUrl.toString() })
        reportPair('postgres', await measure(config, await postgresBaseline(benchUrl.toString(), file), file))
      } finally {
        await admin.query(`drop database ${name}`)
        await admin.end()
      }
    } else process.stdout.write('skipped PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL\n')
    reportPair('pglite', await measure(testConfig(), await pgliteBaseline(file), file))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
