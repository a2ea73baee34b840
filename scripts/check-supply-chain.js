// `npm run check:supply-chain`: offline checks of what `npm ci` installs, for a machine where `npm audit` cannot reach
// an advisory service (docs/adr/0024-supported-node-and-supply-chain.md). Exits 1 on any problem:
//
// 1. The lock file: package-lock.json present, lockfileVersion 3, every package with an sha512 `integrity` and from
//    one registry (every `resolved` is an https tarball from a single origin: no git, file, http or second registry;
//    a lock written with omit-lockfile-registry-resolved has no `resolved`, and npm ci uses the configured registry),
//    and every dependency in package.json in the lock with the same range.
// 2. The installed tree, as `npm ls --all` checks it: every package in the lock installed at the version the lock
//    says (optional ones for other platforms may be absent), and every dependency of every installed package
//    resolving, the way Node resolves it, to a version within the range asked for. `--with-npm-ls` also runs
//    `npm ls --all` itself (slow, and confused by a node_modules that is a symbolic link, as in a git worktree).
// 3. Install scripts: every package in the lock with `hasInstallScript` must be in scripts/supply-chain-allowlist.json
//    with a reason; entries no longer in the lock must go.
// 4. Engines: our package.json `engines.node` must allow no Node version that an installed package's `engines.node`
//    does not (checked with the `semver` package from node_modules).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const problems = []
const notes = []
const problem = (section, text) => problems.push(`${section}: ${text}`)

const readJson = file => JSON.parse(fs.readFileSync(file, 'utf8'))
const nameOf = key => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)

let semver
try {
  semver = createRequire(path.join(root, 'package.json'))('semver')
} catch {
  problem('engines', 'the semver package is not installed (node_modules/semver): cannot compare version ranges')
}

const pkg = readJson(path.join(root, 'package.json'))
const lockFile = path.join(root, 'package-lock.json')
if (!fs.existsSync(lockFile)) {
  problem('lock', 'package-lock.json is missing')
  finish()
}
const lock = readJson(lockFile)
const packages = lock.packages ?? {}

// 1. The lock file.
if (lock.lockfileVersion !== 3) problem('lock', `lockfileVersion is ${String(lock.lockfileVersion)}, not 3`)
let withoutResolved = 0
const origins = new Set()
for (const [key, entry] of Object.entries(packages)) {
  if (key === '') continue
  if (entry.link) {
    problem('lock', `${key} is a link (${String(entry.resolved)}), not a registry package`)
    continue
  }
  if (entry.inBundle) continue // shipped inside its parent's tarball, covered by the parent's integrity
  if (entry.resolved === undefined) withoutResolved++
  else {
    let url
    try {
      url = new URL(entry.resolved)
    } catch {
      url = undefined
    }
    if (!url || url.protocol !== 'https:' || !url.pathname.endsWith('.tgz'))
      problem('lock', `${key} resolves to ${entry.resolved}, not an https tarball from the registry`)
    else origins.add(url.origin)
  }
  if (!/^sha512-[A-Za-z0-9+/]{86}==$/.test(entry.integrity ?? ''))
    problem('lock', `${key} has no sha512 integrity (${String(entry.integrity)})`)
}
if (origins.size > 1) problem('lock', `packages resolve to more than one registry: ${[...origins].join(', ')}`)
if (withoutResolved > 0)
  notes.push(`${String(withoutResolved)} packages have no "resolved": npm ci fetches them from the configured registry`)
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']
const lockRoot = packages[''] ?? {}
for (const field of DEPENDENCY_FIELDS) {
  for (const [name, range] of Object.entries(pkg[field] ?? {})) {
    if (lockRoot[field]?.[name] !== range)
      problem(
        'lock',
        `package.json ${field} ${name}@${range} is not in the lock (lock: ${String(lockRoot[field]?.[name])})`,
      )
    else if (!packages[`node_modules/${name}`] && field !== 'optionalDependencies')
      problem('lock', `${name} (package.json ${field}) has no node_modules/${name} in the lock`)
  }
}

// 2. The installed tree.
const installed = new Map() // lock key → installed package.json
for (const [key, entry] of Object.entries(packages)) {
  if (key === '' || entry.link) continue
  const file = path.join(root, key, 'package.json')
  if (!fs.existsSync(file)) {
    if (!entry.optional && !entry.devOptional) problem('installed', `${key}@${entry.version} is missing`)
    continue
  }
  const manifest = readJson(file)
  installed.set(key, manifest)
  if (manifest.version !== entry.version)
    problem('installed', `${key} is ${String(manifest.version)}, the lock says ${String(entry.version)}`)
}
/** The lock key Node would load `name` from, required by the package at `from` ('' for the project). */
function resolveFrom(from, name) {
  let base = from
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`
    if (installed.has(candidate)) return candidate
    if (base === '') return undefined
    const cut = base.lastIndexOf('/node_modules/')
    base = cut < 0 ? '' : base.slice(0, cut)
  }
}
function checkDependency(from, label, name, spec, required) {
  let wanted = spec
  let target = name
  const alias = /^npm:((?:@[^/]+\/)?[^@]+)@(.+)$/.exec(spec)
  if (alias) [, target, wanted] = alias
  const key = resolveFrom(from, name)
  if (!key) {
    if (required) problem('installed', `${label} needs ${name}@${spec}: missing`)
    return
  }
  const manifest = installed.get(key)
  if (alias && manifest.name !== target)
    problem('installed', `${label} needs ${name} as ${target}: ${key} is ${manifest.name}`)
  if (semver && semver.validRange(wanted) && !semver.satisfies(manifest.version, wanted, { includePrerelease: true }))
    problem('installed', `${label} needs ${name}@${spec}: ${key} is ${manifest.version} (invalid)`)
}
for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'])
  for (const [name, spec] of Object.entries(pkg[field] ?? {}))
    checkDependency('', 'package.json', name, spec, field !== 'optionalDependencies')
for (const [key, manifest] of installed) {
  const label = `${key}@${manifest.version}`
  for (const [name, spec] of Object.entries(manifest.dependencies ?? {})) checkDependency(key, label, name, spec, true)
  for (const [name, spec] of Object.entries(manifest.optionalDependencies ?? {}))
    checkDependency(key, label, name, spec, false)
  for (const [name, spec] of Object.entries(manifest.peerDependencies ?? {}))
    checkDependency(key, label, name, spec, manifest.peerDependenciesMeta?.[name]?.optional !== true)
}
if (process.argv.includes('--with-npm-ls')) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const result = spawnSync(npm, ['ls', '--all', '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const found = JSON.parse(result.stdout || '{}').problems ?? []
  for (const text of found.filter(line => /^(missing|invalid)/.test(line))) problem('npm ls', text)
}

// 3. Install scripts.
const allowFile = path.join(root, 'scripts', 'supply-chain-allowlist.json')
const allowed = fs.existsSync(allowFile) ? (readJson(allowFile).installScripts ?? {}) : {}
const withScripts = new Set()
for (const [key, entry] of Object.entries(packages)) {
  if (!entry.hasInstallScript) continue
  const name = entry.name ?? nameOf(key)
  withScripts.add(name)
  if (!(name in allowed))
    problem(
      'install scripts',
      `${key}@${entry.version} runs an install script and is not in scripts/supply-chain-allowlist.json`,
    )
}
for (const [name, reason] of Object.entries(allowed)) {
  if (typeof reason !== 'string' || reason.trim().length < 10)
    problem('install scripts', `allow-list entry ${name} needs a reason`)
  if (!withScripts.has(name))
    problem(
      'install scripts',
      `allow-list entry ${name} no longer runs an install script (or left the lock): remove it`,
    )
}

// 4. Engines.
const ours = pkg.engines?.node
if (!ours) problem('engines', 'package.json has no engines.node')
else if (semver && !semver.validRange(ours)) problem('engines', `engines.node "${ours}" is not a version range`)
else if (semver) {
  const needs = new Map() // range → packages
  for (const [key, manifest] of installed) {
    const theirs = manifest.engines?.node
    if (typeof theirs !== 'string' || !semver.validRange(theirs)) continue
    if (!semver.subset(ours, theirs)) {
      const kind = packages[key]?.dev ? 'dev' : 'runtime'
      needs.set(theirs, [...(needs.get(theirs) ?? []), `${nameOf(key)}@${manifest.version} (${kind})`])
    }
  }
  for (const [range, names] of needs)
    problem('engines', `engines.node "${ours}" allows Node versions that ${names.join(', ')} do not ("${range}")`)
  if (!semver.satisfies(process.versions.node, ours))
    notes.push(`this Node (${process.versions.node}) is outside engines.node "${ours}": use a Node it allows`)
}

finish()

function finish() {
  const count = Object.keys(packages ?? {}).length - 1
  for (const note of notes) process.stdout.write(`note: ${note}\n`)
  if (problems.length > 0) {
    for (const line of problems) process.stderr.write(`✗ ${line}\n`)
    process.stderr.write(`Supply-chain check failed: ${String(problems.length)} problem(s).\n`)
    process.exit(1)
  }
  process.stdout.write(
    `Supply-chain check passed: ${String(count)} locked packages, ${String(installed.size)} installed, engines.node "${String(ours)}".\n`,
  )
}
