/**
 * A database lost while Safer runs: /health says DOWN (503), pages show the friendly "unavailable" page, and both
 * recover by themselves when the database returns. PostgreSQL only (an embedded database cannot be lost): the test
 * puts a TCP proxy it controls between Safer and the server, and cuts it.
 */
import assert from 'node:assert/strict'
import net from 'node:net'
import { after, before, describe, it } from 'node:test'

import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/config.js'
import { createDependencies, type Dependencies } from '../../src/dependencies.js'
import { prepare } from '../../src/operations.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

const target = process.env.TEST_DATABASE_URL

function createProxy(host: string, port: number) {
  const sockets = new Set<net.Socket>()
  let server: net.Server | undefined
  let listenPort = 0
  return {
    get port() {
      return listenPort
    },
    async start() {
      server = net.createServer(client => {
        const upstream = net.connect(port, host)
        sockets.add(client)
        sockets.add(upstream)
        client.pipe(upstream).pipe(client)
        const drop = () => {
          client.destroy()
          upstream.destroy()
          sockets.delete(client)
          sockets.delete(upstream)
        }
        client.on('error', drop).on('close', drop)
        upstream.on('error', drop).on('close', drop)
      })
      await new Promise<void>(resolve => server?.listen(listenPort, '127.0.0.1', resolve))
      listenPort = (server.address() as net.AddressInfo).port
    },
    async stop() {
      for (const socket of sockets) socket.destroy()
      sockets.clear()
      await new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve()))
    },
  }
}

describe(
  'Integration: losing the database while running',
  { skip: target ? false : 'PostgreSQL only (set TEST_DATABASE_URL)' },
  () => {
    let schemaDb: TestDatabase
    let deps: Dependencies
    let app: Awaited<ReturnType<typeof buildApp>>
    const url = new URL(target ?? 'postgres://localhost:5432/test')
    const proxy = createProxy(url.hostname, Number(url.port || 5432))

    before(async () => {
      schemaDb = await createTestDatabase()
      await proxy.start()
      const proxied = new URL(url)
      proxied.hostname = '127.0.0.1'
      proxied.port = String(proxy.port)
      const schema = (
        await schemaDb.database.db
          .selectNoFrom(eb => eb.fn<string>('current_schema', []).as('s'))
          .executeTakeFirstOrThrow()
      ).s
      const config = testConfig({ DATABASE_URL: proxied.toString(), DATABASE_POOL_MAX: '2' })
      deps = await createDependencies(config, { searchPath: schema })
      await prepare(deps, { seedDemo: false })
      app = await buildApp(deps)
    })

    after(async () => {
      await app.close()
      await deps.close()
      await proxy.stop()
      await schemaDb.drop()
    })

    it('goes DOWN with a friendly page, then recovers by itself', async () => {
      assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200)

      await proxy.stop()
      const down = await app.inject({ method: 'GET', url: '/health' })
      assert.equal(down.statusCode, 503)
      assert.equal(down.json<{ status: string }>().status, 'DOWN')
      assert.doesNotMatch(down.body, /127\.0\.0\.1|ECONNREFUSED|refused/, 'the database address stays in the log')

      const open311 = await app.inject({ method: 'GET', url: '/open311/v2/requests.xml' })
      assert.equal(open311.statusCode, 503)
      assert.ok(open311.headers['retry-after'])
      assert.match(open311.body, /<errors>\s*<error>\s*<code>503<\/code>/)

      const page = await app.inject({ method: 'GET', url: '/api/v1/areas/locate?postcode=E14%205AB' })
      assert.equal(page.statusCode, 503)
      assert.doesNotMatch(page.body, /ECONNREFUSED|at .*\.ts:\d+/, 'no internals leak')

      await proxy.start()
      let status = 0
      for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
        status = (await app.inject({ method: 'GET', url: '/health' })).statusCode
        if (status !== 200) await new Promise(resolve => setTimeout(resolve, 250))
      }
      assert.equal(status, 200, 'health is UP again once the database is back')
      const again = await app.inject({ method: 'GET', url: '/api/v1/areas/locate?postcode=E14%205AB' })
      assert.equal(again.statusCode, 200)
    })
  },
)
