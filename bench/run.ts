/**
 * `npm run bench`: every benchmark group, printing `name (note): value unit` lines; `npm run bench -- <group>` runs
 * one. Every run writes its figures with the date, commit, Node version and machine to bench/results/latest.json
 * (not committed). `--write-doc` also puts the groups just run into docs/benchmarks.json and regenerates
 * docs/benchmarks.md from it: the one place documents quote figures from (ADR 0057). `--from-latest` runs nothing
 * and publishes the last run's bench/results/latest.json instead (after checking its figures).
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import pg from 'pg'
import * as prettier from 'prettier'

import { caseworkBench } from './casework.bench.js'
import { foundationBench } from './foundation.bench.js'
import { intakeBench } from './intake.bench.js'
import { intelligenceBench } from './intelligence.bench.js'
import { kpiPackBench } from './kpi-pack.bench.js'
import { benchState, figures, root } from './lib.js'
import { open311Bench } from './open311.bench.js'
import { performanceBench } from './performance.bench.js'
import { policeImportBench } from './police-import.bench.js'
import { reportingBench } from './reporting.bench.js'
import { renderBenchmarksDoc, type GroupRun, type ResultsFile } from './results.js'

const groups: Record<string, () => Promise<void>> = {
  casework: caseworkBench,
  foundation: foundationBench,
  intake_journey: intakeBench,
  intake_service: reportingBench,
  intelligence: intelligenceBench,
  'kpi-pack': kpiPackBench,
  open311: open311Bench,
  performance: performanceBench,
  police_import: policeImportBench,
}

const args = process.argv.slice(2)
// --from-latest: run nothing, publish the last run's bench/results/latest.json (with --write-doc).
const fromLatest = args.includes('--from-latest')
const writeDoc = args.includes('--write-doc') || fromLatest
const only = args.find(arg => !arg.startsWith('--'))
if (only && !(only in groups)) {
  process.stderr.write(`No benchmark group ${only}; groups: ${Object.keys(groups).join(', ')}\n`)
  process.exit(2)
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()
    // The figures document itself changes with every `--write-doc`: not a change to what was measured.
    const dirty = execFileSync(
      'git',
      ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!docs/benchmarks.*'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    )
    return dirty.trim() === '' ? commit : `${commit}+uncommitted`
  } catch {
    return 'unknown'
  }
}

// PostgreSQL figures need a server: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local one CI uses when it
// answers, so that one `npm run bench` prints every engine's figures wherever a server is at hand.
if (!fromLatest && !process.env.BENCH_DATABASE_URL && !process.env.TEST_DATABASE_URL) {
  const local = 'postgres://postgres@127.0.0.1:5432/postgres'
  const probe = new pg.Client({ connectionString: local, connectionTimeoutMillis: 2000 })
  try {
    await probe.connect()
    process.env.BENCH_DATABASE_URL = local
    process.stdout.write(`# PostgreSQL figures on the local server ${local} (set BENCH_DATABASE_URL for another)\n`)
  } catch {
    process.stdout.write(`# no PostgreSQL server at ${local}: PostgreSQL figures skipped (set BENCH_DATABASE_URL)\n`)
  } finally {
    await probe.end().catch(() => undefined)
  }
}

const machine = {
  cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
  cores: os.cpus().length,
  memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
}
const commit = gitCommit()
const resultsDir = path.join(root, 'bench', 'results')
const latestFile = path.join(resultsDir, 'latest.json')
const runs: GroupRun[] = fromLatest
  ? (JSON.parse(fs.readFileSync(latestFile, 'utf8')) as ResultsFile).groups.filter(run => !only || run.group === only)
  : []
for (const [name, run] of Object.entries(groups)) {
  if (fromLatest || (only && only !== name)) continue
  process.stdout.write(`# ${name}\n`)
  benchState.currentGroup = name
  const loadBefore = os.loadavg()[0] ?? 0
  const started = new Date()
  try {
    await run()
  } catch (error) {
    // The other groups still run, and what this one printed before it failed is still written down.
    process.stdout.write(
      `# ${name} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exitCode = 1
  }
  runs.push({
    group: name,
    date: started.toISOString(),
    commit,
    node: process.version,
    machine,
    loadAverage: Math.round(((loadBefore + (os.loadavg()[0] ?? 0)) / 2) * 100) / 100,
    figures: figures
      .filter(figure => figure.group === name)
      .map(({ name: figure, value, unit, note }) => ({ name: figure, value, unit, note })),
  })
}

if (!fromLatest) {
  const latest: ResultsFile = { groups: runs }
  fs.mkdirSync(resultsDir, { recursive: true })
  fs.writeFileSync(latestFile, JSON.stringify(latest, null, 2) + '\n')
  process.stdout.write(`# figures written to bench/results/latest.json\n`)
}

if (writeDoc) {
  const dataFile = path.join(root, 'docs', 'benchmarks.json')
  const kept: ResultsFile = fs.existsSync(dataFile)
    ? (JSON.parse(fs.readFileSync(dataFile, 'utf8')) as ResultsFile)
    : { groups: [] }
  // The groups just run replace their earlier figures whole; the others keep theirs, with their own date.
  const merged: ResultsFile = {
    groups: [...kept.groups.filter(old => !runs.some(run => run.group === old.group)), ...runs].sort((a, b) =>
      a.group.localeCompare(b.group),
    ),
  }
  fs.writeFileSync(dataFile, JSON.stringify(merged, null, 2) + '\n')
  // Formatted as the repository formats Markdown, so the generated file passes `prettier --check`.
  const docFile = path.join(root, 'docs', 'benchmarks.md')
  const style = (await prettier.resolveConfig(docFile)) ?? {}
  fs.writeFileSync(docFile, await prettier.format(renderBenchmarksDoc(merged), { ...style, filepath: docFile }))
  process.stdout.write(`# docs/benchmarks.json and docs/benchmarks.md updated (${runs.map(r => r.group).join(', ')})\n`)
}
