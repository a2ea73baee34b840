import assert from 'node:assert/strict'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'

import { loadConfig } from '../../src/config.js'
import { openDatabase } from '../../src/platform/database/index.js'
import { runSafer } from '../helpers/cli.js'

const run = (args: string[], env: Record<string, string>) => runSafer(args, env, 60_000)

async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

describe('Integration: the safer command', () => {
  it('fails fast naming the variable when the configuration is invalid', async () => {
    const result = await run(['serve'], { PORT: 'eighty', PGLITE_DATA_DIR: 'memory://' })
    assert.equal(result.code, 78)
    assert.match(result.stderr, /PORT/)
  })

  it('exits with a clear message when the database cannot be reached at start', async () => {
    const port = await closedPort()
    const result = await run(['serve'], { DATABASE_URL: `postgres://safer:secret@127.0.0.1:${String(port)}/safer` })
    assert.equal(result.code, 1)
    assert.match(result.stderr, /Cannot reach PostgreSQL/)
    assert.doesNotMatch(result.stderr, /secret/, 'the password never reaches the output')
  })

  it('refuses to open an embedded database another process holds, and changes nothing', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-lock-'))
    const holder = await openDatabase(loadConfig({ PGLITE_DATA_DIR: dataDir }), { holder: 'safer serve' })
    try {
      const result = await run(['db', 'migrate'], { PGLITE_DATA_DIR: dataDir })
      assert.equal(result.code, 1)
      assert.match(result.stderr, /in use by another Safer process \(safer serve, pid \d+\)/)
      assert.match(result.stderr, /Nothing was changed/)
    } finally {
      await holder.close()
    }
    const after = await run(['db', 'migrate'], { PGLITE_DATA_DIR: dataDir })
    assert.equal(after.code, 0, after.stderr)
    assert.match(after.stdout, /Applied \d+ migrations/)
    fs.rmSync(dataDir, { recursive: true, force: true })
  })
})
