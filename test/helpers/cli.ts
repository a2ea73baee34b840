/**
 * Runs the real operator command (`bin/safer.js`) in a child process with a clean environment: only PATH, HOME, a
 * quiet log level and what the test passes. Killed after `timeoutMs`, so a hung command fails its test instead of the
 * run.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import pg from 'pg'

export const projectRoot = path.resolve(import.meta.dirname, '..', '..')

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export function runSafer(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'safer.js'), ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', code => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

export interface CliDatabase {
  /** What to pass to `runSafer` (and `loadConfig`) so the command opens this database. */
  env: Record<string, string>
  drop(): Promise<void>
}

/**
 * A database of its own for `safer` commands: an embedded PGlite data directory on disk, or, when TEST_DATABASE_URL
 * is set (the PostgreSQL run), a fresh schema on that server, selected through the URL's `options` so the command
 * needs nothing but DATABASE_URL. `drop()` removes it.
 */
export async function cliDatabase(): Promise<CliDatabase> {
  const url = process.env.TEST_DATABASE_URL
  if (!url) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-cli-'))
    return {
      env: { PGLITE_DATA_DIR: dataDir },
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    }
  }
  const schema = `test_${randomUUID().replace(/-/g, '').slice(0, 16)}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await admin(`create schema ${schema}`)
  const scoped = new URL(url)
  scoped.searchParams.set('options', `-c search_path=${schema}`)
  return { env: { DATABASE_URL: scoped.toString() }, drop: () => admin(`drop schema if exists ${schema} cascade`) }
}
