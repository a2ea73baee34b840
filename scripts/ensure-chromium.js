// Browser tests drive Debian's Chromium. Install it when it is missing and we are root; otherwise say how.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

if (!fs.existsSync(CHROMIUM)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isRoot) {
    process.stderr.write(
      `Browser tests need Chromium at ${CHROMIUM}. Install it with:\n  sudo apt-get update && sudo apt-get install -y chromium\n`,
    )
    process.exit(1)
  }
  process.stdout.write('Installing Chromium for the browser tests (apt-get install chromium)...\n')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  const install =
    update.status === 0
      ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env })
      : update
  if (install.status !== 0 || !fs.existsSync(CHROMIUM)) {
    process.stderr.write('Could not install Chromium. Run: apt-get update && apt-get install -y chromium\n')
    process.exit(1)
  }
}
