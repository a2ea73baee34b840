// Runs one suite with node's test runner through tsx.
//   unit: every *.test.ts under src/ and test/ (unit and integration; integration tests use a real database)
//   db:   only the *-integration.test.ts files (run again against PostgreSQL by .ci/run with TEST_DATABASE_URL)
//   e2e:  every e2e/specs/*.spec.ts (real Chromium)
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const suite = process.argv[2] ?? 'unit'
const filter = process.argv[3]

function walk(dir) {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(full)
    return [full]
  })
}

const patterns = {
  unit: { dirs: ['src', 'test'], match: name => name.endsWith('.test.ts') },
  db: { dirs: ['src', 'test'], match: name => name.endsWith('-integration.test.ts') },
  e2e: { dirs: ['e2e/specs'], match: name => name.endsWith('.spec.ts') },
}[suite]
if (!patterns) {
  process.stderr.write(`Unknown suite ${suite}: use unit, db or e2e\n`)
  process.exit(2)
}

const files = patterns.dirs
  .flatMap(dir => walk(path.join(root, dir)))
  .filter(file => patterns.match(path.basename(file)))
  .filter(file => !filter || file.includes(filter))
  .map(file => path.relative(root, file))
  .sort()
if (files.length === 0) {
  process.stderr.write(`No ${suite} test files found\n`)
  process.exit(1)
}

// Two files at a time in every suite: each e2e file has its own in-memory server on an ephemeral port and its own
// Chromium, and one file alone leaves a core idle while the browser and the server wait on each other.
const concurrency = '2'
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TZ: 'Europe/London' } },
)
process.exit(result.status ?? 1)
