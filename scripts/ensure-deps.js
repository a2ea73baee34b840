// `npm start` and `npm test` on a fresh clone: install the npm dependencies when they are missing or stale.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const marker = path.join(root, 'node_modules', '.package-lock.json')
const lock = path.join(root, 'package-lock.json')

const missing = !fs.existsSync(marker)
const stale = !missing && fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs + 1000
if (missing || stale) {
  process.stdout.write(missing ? 'Installing dependencies (first run)...\n' : 'Dependencies changed; installing...\n')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  let result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    // npm 11 can refuse `npm ci` on a lock that lacks other platforms' optional packages (an npm bug);
    // `npm install` resolves those from the same lock and installs the same versions.
    process.stdout.write('npm ci could not use the lock file as it is; falling back to npm install...\n')
    result = spawnSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
  }
  if (result.status !== 0) {
    process.stderr.write('Could not install dependencies. Run `npm ci` yourself to see why.\n')
    process.exit(result.status ?? 1)
  }
}
