/**
 * The database goes away under a running Safer (here: it is closed mid-test, on either engine). /health says DOWN
 * and nothing else (the reason, which names the database's address, goes to the log); Open311 answers 503 in the
 * GeoReport v2 errors format with Retry-After, as pages and the JSON API do. See database-recovery for a real
 * network outage on PostgreSQL.
 */
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'

import type { FastifyInstance } from 'fastify'

import { buildApp } from '../../src/app.js'
import { createDependencies, type Dependencies } from '../../src/dependencies.js'
import { prepare } from '../../src/operations.js'
import { fixedClock } from '../../src/platform/clock.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

describe('Integration: a database outage seen from outside', () => {
  let testDb: TestDatabase
  let deps: Dependencies
  let app: FastifyInstance
  const log: string[] = []

  before(async () => {
    testDb = await createTestDatabase({ LOG_LEVEL: 'warn', RATE_LIMIT_PUBLIC_PER_MINUTE: '100000' })
    deps = await createDependencies(testDb.config, {
      database: testDb.database,
      clock: fixedClock('2026-11-20T10:00:00Z'),
    })
    await prepare(deps, { seedDemo: false })
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log.push(chunk.toString())
        done()
      },
    })
    app = await buildApp(deps, { logStream })
  })

  after(async () => {
    await app.close()
    await deps.close()
    await testDb.drop()
  })

  it('answers normally while the database is there', async () => {
    const health = await app.inject({ method: 'GET', url: '/health' })
    assert.equal(health.statusCode, 200)
    assert.equal(health.json<{ status: string }>().status, 'UP')
    const requests = await app.inject({ method: 'GET', url: '/open311/v2/requests.json' })
    assert.equal(requests.statusCode, 200)
  })

  it('says DOWN without internals, and answers 503 with Retry-After everywhere', async () => {
    await deps.database.close()

    const health = await app.inject({ method: 'GET', url: '/health' })
    assert.equal(health.statusCode, 503)
    assert.deepEqual(health.json(), {
      status: 'DOWN',
      components: { database: { status: 'DOWN' } },
      build: { version: testDb.config.build.version, gitRef: testDb.config.build.gitRef },
    })
    assert.ok(
      log.some(line => line.includes('the database is not answering') && line.includes('destroyed')),
      'the reason is logged on the server',
    )

    const json = await app.inject({ method: 'GET', url: '/open311/v2/requests.json' })
    assert.equal(json.statusCode, 503)
    assert.equal(json.headers['retry-after'], '30')
    assert.match(String(json.headers['content-type']), /^application\/json/)
    const errors = json.json<{ code: number; description: string }[]>()
    assert.equal(errors.length, 1)
    assert.equal(errors[0]?.code, 503)
    assert.match(errors[0]?.description ?? '', /temporarily unavailable/)
    assert.doesNotMatch(json.body, /destroyed|ECONNREFUSED|postgres/i)

    const xml = await app.inject({ method: 'GET', url: '/open311/v2/requests/ASB-2026-000001.xml' })
    assert.equal(xml.statusCode, 503)
    assert.equal(xml.headers['retry-after'], '30')
    assert.match(String(xml.headers['content-type']), /^text\/xml/)
    assert.match(xml.body, /<errors>\s*<error>\s*<code>503<\/code>\s*<description>The service is temporarily/)

    const posted = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'api_key=some-key&service_code=noise&description=Loud%20music',
    })
    assert.equal(posted.statusCode, 503)
    assert.equal(posted.json<{ code: number }[]>()[0]?.code, 503)

    const api = await app.inject({ method: 'GET', url: '/api/v1/areas/locate?postcode=E14%205AB' })
    assert.equal(api.statusCode, 503)
    assert.equal(api.headers['retry-after'], '30')
  })
})
