/**
 * Benchmark helpers. Servers run in child processes so the load generator does not share their event loop.
 * Figures are medians; every figure that has a baseline is printed next to it as a ratio, both measured in one run.
 */
import { randomBytes } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

import autocannon from 'autocannon'

export const root = path.resolve(import.meta.dirname, '..')

/** One printed figure, as bench/run.ts writes it to the results file (ADR 0057). */
export interface Figure {
  /** `<group>.<engine>.<figure>`, unique across all groups; baselines `<group>.<engine>.baseline.<what>`. */
  name: string
  value: number
  unit: string
  /** What was measured and how (counts, clients, rounds): printed in brackets after the name. */
  note: string | null
  /** The group (`npm run bench -- <group>`) that printed it. */
  group: string
}

/** Every figure printed in this process, in order; bench/run.ts sets `currentGroup` before each group runs. */
export const figures: Figure[] = []
export const benchState = { currentGroup: '' }

/**
 * Prints `name (note): value unit` and keeps the figure for the results file. A name printed before in this run is
 * a fault in the benchmark (two different things under one name): it is printed, flagged, and not kept twice.
 * Older callers put the note in the name, `name (note)`; it is split off.
 */
export function report(name: string, value: number, unit: string, note?: string): void {
  const shown = Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2)
  const split = /^(\S+?)(?:\s+\((.*)\))?$/.exec(name.trim())
  const bare = split?.[1] ?? name.trim()
  const fullNote = note ?? split?.[2] ?? null
  const duplicate = figures.some(figure => figure.name === bare)
  process.stdout.write(
    `${bare}${fullNote ? ` (${fullNote})` : ''}: ${shown} ${unit}${duplicate ? '  # DUPLICATE NAME, not recorded' : ''}\n`,
  )
  if (!duplicate) figures.push({ name: bare, value, unit, note: fullNote, group: benchState.currentGroup })
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

export interface ChildServer {
  url: string
  process: ChildProcess
  stop(): Promise<void>
}

/**
 * Starts a server in a child process and resolves once `readyPath` answers 200, recording the time taken. With
 * BENCH_CHILD_PROF=<dir> the server writes a V8 CPU profile there on exit. A TypeScript entry started through tsx's
 * command line runs in this one process with tsx's loader instead, so the profile (and the CPU counted) is the server's,
 * not a wrapper's.
 */
export async function startChild(
  args: string[],
  options: { env?: Record<string, string>; port: number; readyPath?: string; timeoutMs?: number },
): Promise<ChildServer & { readyMs: number }> {
  const started = performance.now()
  const entry = args[0]?.endsWith('/tsx/dist/cli.mjs') ? ['--import', 'tsx', ...args.slice(1)] : args
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CHILD_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CHILD_PROF}`] : []),
      ...entry,
    ],
    {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', PORT: String(options.port), HOST: '127.0.0.1', ...options.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = `http://127.0.0.1:${String(options.port)}`
  const deadline = started + (options.timeoutMs ?? 60_000)
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${stderr}`)
    try {
      const response = await fetch(url + (options.readyPath ?? '/health'))
      if (response.status === 200) break
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server not ready in time: ${stderr}`)
    }
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  const readyMs = performance.now() - started
  return {
    url,
    process: child,
    readyMs,
    stop: () =>
      new Promise<void>(resolve => {
        if (child.exitCode !== null) {
          resolve()
          return
        }
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

export interface LoadResult {
  requestsPerSecond: number
  p50: number
  p99: number
  errors: number
  non2xx: number
  /** Responses by status code, and the whole run's responses over its measured length (for `amount` runs). */
  statusCodes: Record<string, number>
  total: number
  seconds: number
}

export async function load(
  url: string,
  options: {
    connections?: number
    durationSeconds?: number
    method?: 'GET' | 'POST'
    body?: string
    headers?: Record<string, string>
    /** A fixed number of requests instead of a duration. */
    amount?: number
    requests?: autocannon.Request[]
  } = {},
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections ?? 16,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationSeconds ?? 5 }),
    method: options.method ?? 'GET',
    ...(options.body ? { body: options.body } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.requests ? { requests: options.requests } : {}),
  })
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0]),
  )
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    total: result.requests.total,
    seconds: result.duration,
  }
}

/**
 * A TCP port free on 127.0.0.1 now: the system picks one for a listener on port 0, which is closed again so the child
 * server can take it. Another process could take it in between, but the system hands out ephemeral ports in turn, so
 * not within the moment a child needs to start; a fixed or counted range would collide with anything else running.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

/**
 * The environment a server under measurement runs in: production, as a council runs it (templates compiled once and
 * cached, no development conveniences), with a throwaway session secret.
 */
export function productionEnv(): Record<string, string> {
  return { APP_ENV: 'production', SESSION_SECRET: randomBytes(32).toString('hex'), DEMO_DATA: 'false' }
}
