// `npm test`: every check, stopping at the first failing step, with the time of each step and the total.
// The typecheck, the lint and the tests run at the same time: the typecheck and the lint are single-threaded
// processes (ESLint's type-aware rules alone cost over a minute of CPU), so run one after another they leave a core
// idle; beside the test runner's two workers every core stays busy. The unit and e2e files share one queue
// (`run-tests.js all`): e2e specs start once their demo database is built, unit batches fill the rest (ADR 0049).
import { spawn } from 'node:child_process'

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

const steps = [
  () => run(process.execPath, ['scripts/ensure-deps.js']),
  () => run(process.execPath, ['scripts/ensure-chromium.js']),
  () => run(npm, ['run', '--silent', 'check:supply-chain']),
  async () => {
    const codes = await Promise.all([
      run(npm, ['run', '--silent', 'typecheck'], { buffer: true }),
      run(npm, ['run', '--silent', 'lint'], { buffer: true }),
      run(process.execPath, ['scripts/run-tests.js', 'all']),
    ])
    return codes.find(code => code !== 0) ?? 0
  },
]

for (const step of steps) {
  const code = await step()
  if (code !== 0) {
    process.stdout.write(`\nnpm test FAILED after ${seconds(started)}\n`)
    process.exit(code)
  }
}
process.stdout.write(`\nnpm test passed in ${seconds(started)}\n`)
