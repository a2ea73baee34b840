/**
 * Runs the operator command `safer` as a test needs it.
 *
 * `runSaferInProcess` calls the command's `main` in the test's own process with the same clean environment and
 * streams of its own: the same parsing, configuration, database, output and exit code, without paying about 4 s of
 * CPU to load the application in a new process (ADR 0049). `runSafer` runs the real `bin/safer.js` in a child
 * process: for what only a second process shows (the exit of the process itself, a lock held by another process).
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable, Writable } from 'node:stream'

import pg from 'pg'

import { main } from '../../src/cli.js'

export const projectRoot = path.resolve(import.meta.dirname, '..', '..')

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** The environment a command gets: only PATH, HOME, a quiet log level and what the test passes. */
function commandEnv(env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    LOG_LEVEL: 'warn',
    // The test runner's module compile cache (Node 22), so each command does not compile the application anew.
    ...(process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE } : {}),
    ...env,
  }
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk))
      done()
    },
  })
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

/** `safer <args>` in this process, with the environment `runSafer` would give it and `stdin` as its input. */
export async function runSaferInProcess(args: string[], env: Record<string, string>, stdin = ''): Promise<CliResult> {
  const stdout = collector()
  const stderr = collector()
  const code = await main(args, {
    env: commandEnv(env),
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(stdin === '' ? [] : [Buffer.from(stdin)]),
  })
  return { code, stdout: stdout.text(), stderr: stderr.text() }
}

/** `node bin/safer.js <args>` in a child process; killed after `timeoutMs`, so a hung command fails its test. */
export function runSafer(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'safer.js'), ...args], {
      cwd: projectRoot,
      env: commandEnv(env),
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
