// `npm test`: every check, in order, stopping at the first failure, with the time of each step and the total.
// The typecheck and the lint run at the same time: each is a single-threaded process, so one after the other leaves
// a core idle. The unit and e2e suites already use both cores (scripts/run-tests.js).
import { spawn } from 'node:child_process'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const started = Date.now()
const seconds = since => `${((Date.now() - since) / 1000).toFixed(1)} s`

/** Runs a command; with `buffer`, holds its output until it ends (for steps that run side by side). */
function run(command, args, { buffer = false } = {}) {
  return new Promise(resolve => {
    const stepStarted = Date.now()
    const child = spawn(command, args, { stdio: ['ignore', buffer ? 'pipe' : 'inherit', buffer ? 'pipe' : 'inherit'] })
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

const steps = [
  () => run(process.execPath, ['scripts/ensure-deps.js']),
  () => run(process.execPath, ['scripts/ensure-chromium.js']),
  () => run(npm, ['run', '--silent', 'check:supply-chain']),
  async () => {
    const codes = await Promise.all([
      run(npm, ['run', '--silent', 'typecheck'], { buffer: true }),
      run(npm, ['run', '--silent', 'lint'], { buffer: true }),
    ])
    return codes.find(code => code !== 0) ?? 0
  },
  () => run(process.execPath, ['scripts/run-tests.js', 'unit']),
  () => run(process.execPath, ['scripts/run-tests.js', 'e2e']),
]

for (const step of steps) {
  const code = await step()
  if (code !== 0) {
    process.stdout.write(`\nnpm test FAILED after ${seconds(started)}\n`)
    process.exit(code)
  }
}
process.stdout.write(`\nnpm test passed in ${seconds(started)}\n`)
