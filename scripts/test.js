// `npm test`: every check, stopping at the first failing step, with the time of each step and the total.
// The typecheck, the lint and the unit suite run at the same time: the typecheck and the lint are single-threaded
// processes (ESLint's type-aware rules alone cost about 100 s of CPU), so run one after another they leave a core
// idle for minutes; beside the unit suite's two workers every core stays busy (ADR 0049). The e2e suite runs last,
// on its own: a browser step waits on a server, and neither should wait on a core.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const started = Date.now()
const seconds = since => `${((Date.now() - since) / 1000).toFixed(1)} s`

/** Runs a command; with `buffer`, holds its output until it ends (for steps that run side by side). */
function run(command, args, { buffer = false, env = process.env } = {}) {
  return new Promise(resolve => {
    const stepStarted = Date.now()
    const child = spawn(command, args, {
      env,
      stdio: ['ignore', buffer ? 'pipe' : 'inherit', buffer ? 'pipe' : 'inherit'],
    })
    const chunks = []
    child.stdout?.on('data', chunk => chunks.push(chunk))
    child.stderr?.on('data', chunk => chunks.push(chunk))
    child.on('close', code => {
      if (buffer) process.stdout.write(Buffer.concat(chunks).toString())
      const label = [command === process.execPath ? 'node' : command, ...args].join(' ')
      process.stdout.write(`\n── ${label} ${code === 0 ? 'passed' : 'FAILED'} in ${seconds(stepStarted)}\n`)
      resolve(code ?? 1)
    })
  })
}

const e2eTemplate = path.join(os.tmpdir(), `safer-e2e-demo-${String(process.pid)}.tar.gz`)
process.on('exit', () => fs.rmSync(e2eTemplate, { force: true }))

const steps = [
  () => run(process.execPath, ['scripts/ensure-deps.js']),
  () => run(process.execPath, ['scripts/ensure-chromium.js']),
  () => run(npm, ['run', '--silent', 'check:supply-chain']),
  async () => {
    const codes = await Promise.all([
      run(npm, ['run', '--silent', 'typecheck'], { buffer: true }),
      run(npm, ['run', '--silent', 'lint'], { buffer: true }),
      run(process.execPath, ['scripts/run-tests.js', 'unit']),
      // The e2e servers' demo database, migrated and seeded once, while the rest runs (a minute of one core).
      run(process.execPath, ['--import', 'tsx', 'e2e/support/build-demo-template.ts', e2eTemplate], {
        buffer: true,
        env: { ...process.env, TZ: 'Europe/London' },
      }),
    ])
    return codes.find(code => code !== 0) ?? 0
  },
  () =>
    run(process.execPath, ['scripts/run-tests.js', 'e2e'], {
      env: { ...process.env, SAFER_E2E_TEMPLATE: e2eTemplate },
    }),
]

for (const step of steps) {
  const code = await step()
  if (code !== 0) {
    process.stdout.write(`\nnpm test FAILED after ${seconds(started)}\n`)
    process.exit(code)
  }
}
process.stdout.write(`\nnpm test passed in ${seconds(started)}\n`)
