// Runs test files with node's test runner through tsx.
//   unit:    every *.test.ts under src/ and test/ (unit and integration; integration tests use a real database)
//   db:      only the *-integration.test.ts files (run again against PostgreSQL by .ci/run with TEST_DATABASE_URL)
//   e2e:     every e2e/specs/*.spec.ts (real Chromium)
//   all:     unit and e2e together, in one queue (what `npm test` runs): an e2e spec starts once the demo database
//            its server copies is built, a unit batch whenever a worker is free, so neither suite's tail idles a core
//   changed: the test files touched since origin/main (or HEAD), untracked ones included, plus the tests that live in
//            the same folder as a changed source file; unit files first, then e2e specs
// `node scripts/run-tests.js <suite> [path-substring...]` runs the files whose path holds any of the substrings. TEST_CONCURRENCY overrides the number of processes at a time.
//
// Unit and db files run in batches: several files in one process (scripts/test-batch.js), each file in a suite of its
// own so its hooks stay its own, because loading the application through tsx costs about 3 s of CPU per process
// (ADR 0049). A file whose first line is `// test-isolation: process` runs alone; TEST_BATCH=off runs every file alone.
// e2e specs run one per process. Batches run longest first (by the durations of the last run, kept in
// node_modules/.cache, or by file size on a fresh clone), so the workers finish together. Each process's output is
// printed when it ends; the run ends with the slowest 10 files and the total wall time.
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const suite = process.argv[2] ?? 'unit'
// --list prints the files it would run, and runs nothing.
const listOnly = process.argv.includes('--list')
const filters = process.argv.slice(3).filter(arg => arg !== '--list')
const started = Date.now()

function walk(dir) {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(full)
    return [full]
  })
}

const isUnit = file => /^(src|test)\//.test(file) && file.endsWith('.test.ts')
const isE2e = file => file.startsWith('e2e/specs/') && file.endsWith('.spec.ts')
const suites = {
  unit: { dirs: ['src', 'test'], match: isUnit },
  db: { dirs: ['src', 'test'], match: file => isUnit(file) && file.endsWith('-integration.test.ts') },
  e2e: { dirs: ['e2e/specs'], match: isE2e },
  all: { dirs: ['src', 'test', 'e2e/specs'], match: file => isUnit(file) || isE2e(file) },
}

function allFiles(name) {
  const { dirs, match } = suites[name]
  return dirs
    .flatMap(dir => walk(path.join(root, dir)))
    .map(file => path.relative(root, file).split(path.sep).join('/'))
    .filter(match)
    .sort()
}

function git(...args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter(Boolean)
  } catch {
    return undefined
  }
}

// What `changed` runs: test files changed since the merge base with origin/main (HEAD when there is no such branch),
// staged, unstaged or untracked; and for every changed non-test file, the tests in its folder (for src/platform,
// test/platform too). TEST_CHANGED_BASE names another base.
function changedFiles() {
  const base = [process.env.TEST_CHANGED_BASE, 'origin/main']
    .filter(Boolean)
    .map(ref => git('merge-base', ref, 'HEAD')?.[0])
    .find(Boolean)
  const touched = new Set(
    [
      ...(base ? (git('diff', '--name-only', base, 'HEAD') ?? []) : []),
      ...(git('diff', '--name-only', 'HEAD') ?? []),
      ...(git('ls-files', '--others', '--exclude-standard') ?? []),
    ].filter(file => fs.statSync(path.join(root, file), { throwIfNoEntry: false })?.isFile()),
  )
  const units = allFiles('unit')
  const e2es = allFiles('e2e')
  const chosen = new Set()
  for (const file of touched) {
    if (isUnit(file) || isE2e(file)) {
      chosen.add(file)
      continue
    }
    if (!/^(src|test)\//.test(file)) continue
    // The tests in its folder; for a platform file, also test/platform's tests named after it (pdf.ts: pdf*.test.ts).
    const folder = path.posix.dirname(file)
    const stem = path.posix.basename(file).replace(/\.[^.]+$/, '')
    for (const unit of units) {
      const unitFolder = path.posix.dirname(unit)
      if (unitFolder === folder) chosen.add(unit)
      else if (folder.startsWith('src/platform') && unitFolder === 'test/platform') {
        if (path.posix.basename(unit).startsWith(stem)) chosen.add(unit)
      }
    }
  }
  process.stdout.write(
    `Changed since ${base ? base.slice(0, 12) : 'HEAD'} (plus uncommitted and untracked): ${String(touched.size)} files\n`,
  )
  return [...units.filter(file => chosen.has(file)), ...e2es.filter(file => chosen.has(file))]
}

if (!['unit', 'db', 'e2e', 'all', 'changed'].includes(suite)) {
  process.stderr.write(`Unknown suite ${suite}: use unit, db, e2e, all or changed\n`)
  process.exit(2)
}
const files = (suite === 'changed' ? changedFiles() : allFiles(suite)).filter(
  file => filters.length === 0 || filters.some(filter => file.includes(filter)),
)
if (files.length === 0) {
  if (suite === 'changed') {
    process.stdout.write('No changed test files and no tests next to a changed file.\n')
    process.exit(0)
  }
  process.stderr.write(`No ${suite} test files found\n`)
  process.exit(1)
}

if (listOnly) {
  process.stdout.write(files.join('\n') + '\n')
  process.exit(0)
}

// Durations of the last runs, for ordering only (never for a verdict). PostgreSQL runs keep their own.
const cacheDir = path.join(root, 'node_modules', '.cache', 'safer-tests')
const timingsFile = path.join(cacheDir, `durations${process.env.TEST_DATABASE_URL ? '-postgres' : ''}.json`)
let previous = {}
try {
  previous = JSON.parse(fs.readFileSync(timingsFile, 'utf8'))
} catch {
  previous = {}
}
// A file's expected duration: the last run's, or on a fresh clone its size (about a millisecond a byte: a test file's
// length is a fair guess at how much it does).
// An e2e spec costs about eight times as much a byte: each step is a page in a browser, checked by axe.
const estimate = file =>
  previous[file] ??
  (fs.statSync(path.join(root, file), { throwIfNoEntry: false })?.size ?? 10_000) * (isE2e(file) ? 8 : 1)

// Two processes at a time by default: the machine this project targets has two cores, and PGlite is single-threaded
// WebAssembly in each test process. With e2e specs in the queue, three: an e2e file is a server and a Chromium that
// wait on each other (a spec's CPU time is under half its wall time), so a third process fills the idle core.
const defaultConcurrency = suite === 'all' || suite === 'e2e' ? 3 : 2
const concurrency = Math.max(1, Number(process.env.TEST_CONCURRENCY ?? defaultConcurrency) || defaultConcurrency)

const runsAlone = file =>
  isE2e(file) ||
  process.env.TEST_BATCH === 'off' ||
  /^\/\/ test-isolation: process/.test(fs.readFileSync(path.join(root, file), 'utf8').slice(0, 200))

// The jobs: an e2e spec or an isolated file alone; the other files in batches of about a sixth of each worker's
// share of the expected time (so the last batch to finish leaves the other worker idle briefly), never more than 15
// files. Longest first; e2e specs after the rest in `changed`.
function planJobs(list) {
  const alone = list.filter(runsAlone).map(file => ({ files: [file], batch: false, estimate: estimate(file) }))
  const batchable = list.filter(file => !runsAlone(file)).sort((a, b) => estimate(b) - estimate(a))
  const total = batchable.reduce((sum, file) => sum + estimate(file), 0)
  // Sized for two workers even when three run (the third is for the e2e specs' idle time): fewer, larger batches
  // pay the cost of loading the application fewer times.
  const target = total / (Math.min(concurrency, 2) * 6)
  const batches = []
  for (const file of batchable) {
    const open = batches.find(job => job.estimate + estimate(file) <= target && job.files.length < 15)
    if (open) {
      open.files.push(file)
      open.estimate += estimate(file)
    } else batches.push({ files: [file], batch: true, estimate: estimate(file) })
  }
  const byLength = (a, b) => b.estimate - a.estimate
  return [
    ...[...batches, ...alone.filter(job => !isE2e(job.files[0]))].sort(byLength),
    ...alone.filter(job => isE2e(job.files[0])).sort(byLength),
  ]
}
const queue = planJobs(files)
if (suite !== 'changed') queue.sort((a, b) => b.estimate - a.estimate)

process.stdout.write(
  `Running ${String(files.length)} ${suite} test files in ${String(queue.length)} processes, ${String(concurrency)} at a time\n`,
)

const childEnv = { ...process.env, TZ: 'Europe/London' }
// Node 22.1+ keeps the compiled code of the modules a process loads on disk for the next process (Node 20 ignores it).
childEnv.NODE_COMPILE_CACHE ??= path.join(cacheDir, 'compile-cache')

// More than one unit or db file on PGlite: build the migrated template they start from (test/helpers/database.ts)
// now, once, instead of in the first two files at the same time. It is cached between runs.
if (!process.env.TEST_DATABASE_URL && files.filter(file => !isE2e(file)).length > 1) {
  try {
    execFileSync(process.execPath, ['--import', 'tsx', 'test/helpers/prepare-template.ts'], {
      cwd: root,
      env: childEnv,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
  } catch {
    process.stdout.write('Could not prepare the database template; each test file will build its own\n')
  }
}

// A job waits for a database built in the background: `e2e` (the e2e servers' demo), `demo` (the unit files' demo).
const gates = {
  e2e: { done: true, ready: Promise.resolve() },
  demo: { done: true, ready: Promise.resolve() },
}

/** Runs a builder in the background; the gate opens when it ends, and `onBuilt` runs when it succeeded. */
function buildInBackground(gate, args, env, onBuilt) {
  const building = Date.now()
  gates[gate].done = false
  gates[gate].ready = new Promise(resolve => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    child.on('close', code => {
      onBuilt(code === 0, ((Date.now() - building) / 1000).toFixed(1))
      gates[gate].done = true
      resolve()
    })
  })
}

// A unit or db file that seeds the demo borough (`seedDemo: true`). Seeding costs about 27 s of CPU; when more than
// one such file runs on PGlite, the demo is seeded once, in the background, into a dump for this run only
// (test/helpers/demo-template.ts), and each of them starts from a copy (buildTestApp; ADR 0063). Their jobs wait
// for it; if it cannot be built, each seeds its own, as it does when run alone.
const seedsDemoFiles = new Set(
  files.filter(file => !isE2e(file) && /seedDemo: true/.test(fs.readFileSync(path.join(root, file), 'utf8'))),
)
const seedsDemo = file => seedsDemoFiles.has(file)
let demoTemplate
if (!process.env.TEST_DATABASE_URL && files.filter(seedsDemo).length > 1) {
  demoTemplate = path.join(os.tmpdir(), `safer-test-demo-${String(process.pid)}.tar.gz`)
  const builderEnv = { ...childEnv }
  delete builderEnv.SAFER_TEST_DEMO_TEMPLATE
  buildInBackground('demo', ['test/helpers/demo-template.ts', demoTemplate], builderEnv, (built, seconds) => {
    if (built) {
      childEnv.SAFER_TEST_DEMO_TEMPLATE = demoTemplate
      process.stdout.write(`Demo database for the unit files built in ${seconds} s\n`)
    } else process.stdout.write('Could not build the demo database once; each unit file will seed its own\n')
  })
}

// More than one e2e file: migrate and seed the demo database once, and let every file's server start from a copy
// (e2e/support/server.ts). Without it each server builds its own, as it does when a single spec is run.
// Built in the background: unit files start at once, e2e specs when it is ready (or, if it cannot be built, with a
// server that seeds its own). SAFER_E2E_TEMPLATE names one built already.
let template
if (process.env.SAFER_E2E_TEMPLATE && fs.existsSync(process.env.SAFER_E2E_TEMPLATE)) {
  process.stdout.write('Demo database for the e2e servers built beforehand\n')
} else if (files.filter(isE2e).length > 1) {
  template = path.join(os.tmpdir(), `safer-e2e-demo-${String(process.pid)}.tar.gz`)
  buildInBackground('e2e', ['e2e/support/build-demo-template.ts', template], { ...childEnv }, (built, seconds) => {
    if (built) {
      childEnv.SAFER_E2E_TEMPLATE = template
      process.stdout.write(`Demo database for the e2e servers built in ${seconds} s\n`)
    } else process.stdout.write('Could not build the demo database once; each e2e server will seed its own\n')
  })
}

// e2e: a folder where each file notes the page shapes axe passed, so another file skips them (e2e/pages/base-page.ts).
let axeShapes
if (files.filter(isE2e).length > 1) {
  axeShapes = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-e2e-axe-'))
  childEnv.SAFER_E2E_AXE_DIR = axeShapes
}

const totals = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 }
const results = []

// The CPU time of each file (its process and the processes it waited for: Chromium, `safer` commands), measured by
// GNU time where there is one. The machine is shared: wall time says how long a file waited as much as how long it
// worked, CPU time says what it cost.
const gnuTime = process.platform === 'linux' && fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined
const cpuDir = gnuTime ? fs.mkdtempSync(path.join(os.tmpdir(), 'safer-test-cpu-')) : undefined

function cpuSeconds(file) {
  try {
    const [user, system] = fs.readFileSync(file, 'utf8').trim().split('\n').at(-1).split(' ').map(Number)
    return Number.isFinite(user) && Number.isFinite(system) ? user + system : undefined
  } catch {
    return undefined
  }
}

// A file's own line in a batch's spec output: the suite named after it, passed or failed, with its duration.
const fileLine = /^([✔✖]) (\S+) \(([\d.]+)ms\)$/gm

function runJob(job, index) {
  return new Promise(resolve => {
    const jobStarted = Date.now()
    const nodeArgs = job.batch
      ? ['--import', 'tsx', '--test-reporter=spec', 'scripts/test-batch.js', ...job.files]
      : ['--import', 'tsx', '--test-reporter=spec', job.files[0]]
    const cpuFile = cpuDir ? path.join(cpuDir, `${String(index)}.txt`) : undefined
    const child = cpuFile
      ? spawn(gnuTime, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...nodeArgs], {
          cwd: root,
          env: childEnv,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(process.execPath, nodeArgs, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    const chunks = []
    child.stdout.on('data', chunk => chunks.push(chunk))
    child.stderr.on('data', chunk => chunks.push(chunk))
    child.on('close', (code, signal) => {
      const seconds = (Date.now() - jobStarted) / 1000
      const output = Buffer.concat(chunks).toString('utf8')
      const counts = {}
      for (const key of Object.keys(totals)) {
        const match = new RegExp(`^ℹ ${key} (\\d+)$`, 'm').exec(output)
        counts[key] = match ? Number(match[1]) : 0
      }
      for (const key of Object.keys(totals)) totals[key] += counts[key]
      const ok = code === 0 && counts.fail === 0 && counts.cancelled === 0
      const cpu = cpuFile ? cpuSeconds(cpuFile) : undefined
      const cost = cpu === undefined ? '' : ` (${cpu.toFixed(1)} s CPU)`
      if (job.batch) {
        // Each file's time and verdict from its suite's line; a file with no line (the process died first) failed.
        const seen = new Map()
        for (const [, mark, name, ms] of output.matchAll(fileLine)) {
          if (job.files.includes(name)) seen.set(name, { ok: mark === '✔', seconds: Number(ms) / 1000 })
        }
        for (const file of job.files) {
          const result = seen.get(file)
          results.push({ file, seconds: result?.seconds ?? seconds, cpu: undefined, ok: ok && (result?.ok ?? false) })
        }
      } else results.push({ file: job.files[0], seconds, cpu, ok })
      processes.push({ seconds, cpu })
      const label = job.batch ? `batch of ${String(job.files.length)} files` : job.files[0]
      process.stdout.write(
        `\n── ${label} ${ok ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)} s${cost}${signal ? ` (${signal})` : ''}\n${output}`,
      )
      resolve()
    })
  })
}

const processes = []
let nextIndex = 0
// The database a job waits for: an e2e spec, the e2e demo; a job with a file that seeds the demo, the unit demo.
const gateOf = job => (isE2e(job.files[0]) ? gates.e2e : job.files.some(seedsDemo) ? gates.demo : undefined)
// The next job this worker can start: the first in the queue whose database is built (or needs none).
async function worker() {
  while (queue.length > 0) {
    const index = queue.findIndex(job => gateOf(job)?.done ?? true)
    if (index === -1) {
      await Promise.race(
        Object.values(gates)
          .filter(gate => !gate.done)
          .map(gate => gate.ready),
      )
      continue
    }
    const [job] = queue.splice(index, 1)
    await runJob(job, nextIndex++)
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker))
if (template) fs.rmSync(template, { force: true })
if (demoTemplate) fs.rmSync(demoTemplate, { force: true })
if (axeShapes) fs.rmSync(axeShapes, { recursive: true, force: true })
if (cpuDir) fs.rmSync(cpuDir, { recursive: true, force: true })

const merged = { ...previous }
for (const { file, seconds } of results) merged[file] = Math.round(seconds * 1000)
try {
  fs.mkdirSync(cacheDir, { recursive: true })
  fs.writeFileSync(timingsFile, JSON.stringify(merged, null, 2) + os.EOL)
} catch {
  // A read-only node_modules only loses the ordering.
}

const failed = results.filter(result => !result.ok)
const wall = (Date.now() - started) / 1000
const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 10)
const sum = values => values.reduce((total, value) => total + value, 0)
const fileSeconds = sum(results.map(result => result.seconds))
const cpus = processes.map(job => job.cpu).filter(cpu => cpu !== undefined)
const cpuOf = cpu => (cpu === undefined ? '' : `  ${cpu.toFixed(1).padStart(7)} s CPU`)
process.stdout.write(
  [
    '',
    `══ ${suite}: ${String(files.length)} files, ${String(totals.tests)} tests: ${String(totals.pass)} passed, ` +
      `${String(totals.fail)} failed, ${String(totals.cancelled)} cancelled, ${String(totals.skipped)} skipped, ` +
      `${String(totals.todo)} todo`,
    'Slowest files:',
    ...slowest.map(({ file, seconds, cpu }) => `  ${seconds.toFixed(1).padStart(7)} s${cpuOf(cpu)}  ${file}`),
    ...(failed.length > 0 ? ['Failed files:', ...failed.map(({ file }) => `  ${file}`)] : []),
    `File time: ${fileSeconds.toFixed(1)} s in ${String(processes.length)} processes` +
      (cpus.length === processes.length && cpus.length > 0 ? `, their CPU time: ${sum(cpus).toFixed(1)} s` : ''),
    `Wall time: ${wall.toFixed(1)} s (${String(concurrency)} at a time)`,
    '',
  ].join('\n'),
)
process.exit(failed.length > 0 ? 1 : 0)
