/**
 * The embedded database is one process's files. A server and a CLI command must never open the same PGlite
 * data directory at once, so whoever opens it takes a lock first and the second one is refused with a message.
 */
import fs from 'node:fs'
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

export async function acquireDataDirectoryLock(dataDir: string, holder: string): Promise<DataDirectoryLock> {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockPath = path.join(dataDir, '..', `${path.basename(dataDir)}.lock`)
  const holderFile = `${lockPath}.holder`
  let releaseLock: () => Promise<void>
  try {
    releaseLock = await lockfile.lock(dataDir, {
      lockfilePath: lockPath,
      realpath: false,
      stale: 15_000,
      update: 5_000,
      retries: 0,
      onCompromised: () => {
        // Another process took the lock because ours went stale (the event loop was blocked for 15 s).
        // Carrying on could corrupt the data, so stop now.
        process.stderr.write(`The lock on ${dataDir} was lost; stopping to protect the data.\n`)
        process.exit(70)
      },
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      let current: string | undefined
      try {
        current = fs.readFileSync(holderFile, 'utf8').trim()
      } catch {
        current = undefined
      }
      throw new DataDirectoryLockedError(dataDir, current)
    }
    throw error
  }
  fs.writeFileSync(holderFile, `${holder}, pid ${String(process.pid)}`)
  return {
    async release() {
      fs.rmSync(holderFile, { force: true })
      await releaseLock()
    },
  }
}
