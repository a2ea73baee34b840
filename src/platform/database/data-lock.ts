/**
 * The embedded database is one process's files. A server and a CLI command must never open the same PGlite
 * data directory at once, so whoever opens it takes a lock first and the second one is refused with a message.
 *
 * The lock is proper-lockfile's (a directory whose time the holder refreshes; stale after 15 s without it). Beside it,
 * a holder file records who holds it: what, pid and hostname. A process killed outright (kill -9, out of memory)
 * leaves its lock behind; when the recorded holder is on this host and its pid is no longer alive (or is our own pid,
 * as after a container restart), the lock is taken over at once instead of refusing a start for 15 s.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import lockfile from 'proper-lockfile'

export interface DataDirectoryLock {
  release(): Promise<void>
}

export class DataDirectoryLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: string | undefined,
  ) {
    super(
      `The embedded database at ${dataDir} is in use by another Safer process${holder ? ` (${holder})` : ''}. ` +
        'Stop that process first (for example the server started with `npm start`), then run this command again. ' +
        'Nothing was changed.',
    )
    this.name = 'DataDirectoryLockedError'
  }
}

interface Holder {
  holder: string
  pid: number
  hostname: string
  /** Tells this process from an earlier one that had the same pid (a container's process is often pid 1). */
  instance?: string
}

const INSTANCE = randomUUID()

function readHolder(holderFile: string): Holder | undefined {
  let text: string
  try {
    text = fs.readFileSync(holderFile, 'utf8')
  } catch {
    return undefined
  }
  try {
    const parsed = JSON.parse(text) as Partial<Holder>
    if (typeof parsed.holder === 'string' && Number.isInteger(parsed.pid) && typeof parsed.hostname === 'string')
      return parsed as Holder
  } catch {
    // Written by an older Safer ("safer serve, pid 123"): shown as it is, never taken over.
  }
  return { holder: text.trim(), pid: 0, hostname: '' }
}

function describeHolder(holder: Holder | undefined): string | undefined {
  if (!holder) return undefined
  if (holder.pid === 0) return holder.holder || undefined
  const elsewhere = holder.hostname !== os.hostname() ? ` on ${holder.hostname}` : ''
  return `${holder.holder}, pid ${String(holder.pid)}${elsewhere}`
}

/** True when the holder ran on this host and is gone: no process has its pid, or an earlier process had ours. */
function holderIsGone(holder: Holder | undefined): boolean {
  if (!holder || holder.pid <= 0 || holder.hostname !== os.hostname()) return false
  if (holder.pid === process.pid) return holder.instance !== INSTANCE
  try {
    process.kill(holder.pid, 0)
    return false
  } catch (error) {
    // EPERM: a process with that pid exists but belongs to someone else; it may be the holder.
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

const LOCK_OPTIONS = { realpath: false, stale: 15_000, update: 5_000, retries: 0 } as const

export async function acquireDataDirectoryLock(dataDir: string, holder: string): Promise<DataDirectoryLock> {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockPath = path.join(dataDir, '..', `${path.basename(dataDir)}.lock`)
  const holderFile = `${lockPath}.holder`
  const record: Holder = { holder, pid: process.pid, hostname: os.hostname(), instance: INSTANCE }
  const lock = () =>
    lockfile.lock(dataDir, {
      ...LOCK_OPTIONS,
      lockfilePath: lockPath,
      onCompromised: () => {
        // Another process took the lock because ours went stale (the event loop was blocked for 15 s).
        // Carrying on could corrupt the data, so stop now.
        process.stderr.write(`The lock on ${dataDir} was lost; stopping to protect the data.\n`)
        process.exit(70)
      },
    })
  let releaseLock: () => Promise<void>
  try {
    releaseLock = await lock()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error
    const current = readHolder(holderFile)
    if (!holderIsGone(current)) throw new DataDirectoryLockedError(dataDir, describeHolder(current))
    releaseLock = await takeOver({ lockPath, holderFile, dead: current, lock, dataDir, record })
  }
  fs.writeFileSync(holderFile, JSON.stringify(record))
  return {
    async release() {
      fs.rmSync(holderFile, { force: true })
      await releaseLock()
    },
  }
}

/**
 * Removes a dead holder's lock and takes it. Two processes starting together could both find the same dead holder,
 * so the takeover itself is under a second lock, and the holder is read again under it: whoever comes second finds
 * the first one's record (alive) and is refused.
 */
async function takeOver({
  lockPath,
  holderFile,
  dead,
  lock,
  dataDir,
  record,
}: {
  lockPath: string
  holderFile: string
  dead: Holder | undefined
  lock: () => Promise<() => Promise<void>>
  dataDir: string
  record: Holder
}): Promise<() => Promise<void>> {
  // proper-lockfile keeps one lock per file in a process, so the takeover lock is on a file of its own.
  let releaseTakeover: () => Promise<void>
  try {
    releaseTakeover = await lockfile.lock(`${lockPath}.takeover`, LOCK_OPTIONS)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error
    throw new DataDirectoryLockedError(dataDir, describeHolder(readHolder(holderFile)))
  }
  try {
    const again = readHolder(holderFile)
    if (!holderIsGone(again) || again?.pid !== dead?.pid)
      throw new DataDirectoryLockedError(dataDir, describeHolder(again))
    fs.rmSync(lockPath, { recursive: true, force: true })
    try {
      const release = await lock()
      // Written before the takeover lock is let go, so a process taking over next reads a live holder.
      fs.writeFileSync(holderFile, JSON.stringify(record))
      return release
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED')
        throw new DataDirectoryLockedError(dataDir, describeHolder(readHolder(holderFile)))
      throw error
    }
  } finally {
    await releaseTakeover()
  }
}
