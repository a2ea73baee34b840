/**
 * The real server (`safer serve` on an embedded database on disk) killed with kill -9 starts again straight away:
 * the lock its dead process left behind does not refuse the restart, and /health answers UP.
 * The data directory starts from the tests' migrated template, so neither start has to build the database.
 */
import assert from 'node:assert/strict'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'

import { createTestDatabase, engineUnderTest } from '../helpers/database.js'

const root = path.resolve(import.meta.dirname, '..', '..')

interface Server {
  child: ChildProcess
  url: string
  output: () => string
}

/** Starts `safer serve` and resolves with its address once it says it is ready. */
function serve(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'safer.js'), 'serve'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TZ: 'Europe/London',
      PGLITE_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'info',
      NOTIFY_DISPATCH_INTERVAL_SECONDS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`safer serve did not get ready:\n${output}`))
    }, 120_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const ready = /Safer is ready at (http:\/\/[^"\s]+)/.exec(output)
      if (ready?.[1]) {
        clearTimeout(timer)
        resolve({ child, url: ready[1], output: () => output })
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.on('exit', code => {
      clearTimeout(timer)
      reject(new Error(`safer serve exited (${String(code)}):\n${output}`))
    })
  })
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise(resolve => child.once('exit', code => resolve(code)))
}

describe('safer serve after a crash', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-restart-'))
  const dataDir = path.join(base, 'pglite')
  const running: ChildProcess[] = []

  after(async () => {
    for (const child of running) {
      child.kill('SIGKILL')
      await exited(child)
    }
    fs.rmSync(base, { recursive: true, force: true })
  })

  it('starts again at once after kill -9, and is healthy', async () => {
    // The migrated template, unpacked where the server will find it (without it, the first start migrates).
    if (engineUnderTest === 'pglite') {
      const template = await createTestDatabase()
      const dump = await template.database.dumpDataDir?.()
      await template.drop()
      if (dump) {
        const tarball = path.join(base, 'template.tar.gz')
        fs.writeFileSync(tarball, Buffer.from(await dump.arrayBuffer()))
        fs.mkdirSync(dataDir)
        execFileSync('tar', ['xzf', tarball, '-C', dataDir], { stdio: 'ignore' })
      }
    }

    const first = await serve(dataDir)
    running.push(first.child)
    assert.equal((await fetch(`${first.url}/health`)).status, 200)
    first.child.kill('SIGKILL')
    await exited(first.child)
    assert.ok(fs.existsSync(`${dataDir}.lock`), 'the dead server left its lock behind')

    const second = await serve(dataDir)
    running.push(second.child)
    assert.doesNotMatch(second.output(), /in use by another Safer process/)
    const health = await fetch(`${second.url}/health`)
    assert.equal(health.status, 200)
    assert.equal(((await health.json()) as { status: string }).status, 'UP')

    second.child.kill('SIGTERM')
    assert.equal(await exited(second.child), 0)
    assert.ok(!fs.existsSync(`${dataDir}.lock`), 'a graceful stop releases the lock')
  })
})
