/**
 * The embedded database's lock after a crash: a holder killed outright (kill -9) on this host does not block the
 * next start; a live holder, or one on another host, is still refused with the message naming it.
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, afterEach, describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'

import { acquireDataDirectoryLock, DataDirectoryLockedError } from '../../src/platform/database/data-lock.js'

const root = path.resolve(import.meta.dirname, '..', '..')
const lockModule = pathToFileURL(path.join(root, 'src/platform/database/data-lock.ts')).href

/** A separate process that takes the lock with the real code and holds it until killed. */
async function holdLock(dataDir: string): Promise<ChildProcess> {
  const code = `
    const { acquireDataDirectoryLock } = await import(${JSON.stringify(lockModule)})
    await acquireDataDirectoryLock(${JSON.stringify(dataDir)}, 'test holder')
    process.stdout.write('locked\\n')
    setInterval(() => undefined, 60_000)
  `
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve()
    })
    child.on('exit', code => reject(new Error(`the holder exited (${String(code)}): ${stderr}`)))
  })
  return child
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}

describe('data directory lock', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-lock-'))
  const children: ChildProcess[] = []
  let count = 0
  const newDataDir = () => path.join(base, `db-${String(++count)}`)

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) await kill9(child)
  })
  after(() => fs.rmSync(base, { recursive: true, force: true }))

  it('refuses a start while the holder lives, naming it', async () => {
    const dataDir = newDataDir()
    const child = await holdLock(dataDir)
    children.push(child)
    await assert.rejects(acquireDataDirectoryLock(dataDir, 'second'), (error: unknown) => {
      assert.ok(error instanceof DataDirectoryLockedError)
      assert.match(
        error.message,
        new RegExp(`in use by another Safer process \\(test holder, pid ${String(child.pid)}\\)`),
      )
      return true
    })
  })

  it('takes the lock at once from a holder killed with kill -9', async () => {
    const dataDir = newDataDir()
    const child = await holdLock(dataDir)
    await kill9(child)
    // proper-lockfile alone would refuse this until the lock is 15 s stale (no retries here).
    const lock = await acquireDataDirectoryLock(dataDir, 'after the crash')
    const holder = JSON.parse(fs.readFileSync(`${dataDir}.lock.holder`, 'utf8')) as Record<string, unknown>
    assert.equal(holder.pid, process.pid)
    assert.equal(holder.hostname, os.hostname())
    assert.equal(holder.holder, 'after the crash')
    await assert.rejects(acquireDataDirectoryLock(dataDir, 'third'), DataDirectoryLockedError, 'and holds it')
    await lock.release()
  })

  it('takes over from an earlier process that had our pid (a restarted container)', async () => {
    const dataDir = newDataDir()
    const child = await holdLock(dataDir)
    await kill9(child)
    const file = `${dataDir}.lock.holder`
    const record = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
    fs.writeFileSync(file, JSON.stringify({ ...record, pid: process.pid, instance: 'an earlier process' }))
    const lock = await acquireDataDirectoryLock(dataDir, 'restarted')
    await lock.release()
  })

  it('never takes over from a holder on another host', async () => {
    const dataDir = newDataDir()
    const child = await holdLock(dataDir)
    await kill9(child)
    const file = `${dataDir}.lock.holder`
    const record = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
    fs.writeFileSync(file, JSON.stringify({ ...record, hostname: 'other-host.example' }))
    await assert.rejects(acquireDataDirectoryLock(dataDir, 'second'), (error: unknown) => {
      assert.ok(error instanceof DataDirectoryLockedError)
      assert.match(error.message, /\(test holder, pid \d+ on other-host\.example\)/)
      return true
    })
  })
})
