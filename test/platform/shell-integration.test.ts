import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { sql } from 'kysely'

import { buildTestApp, type TestApp } from '../helpers/build-app.js'

describe('Integration: platform shell', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp()
  })
  after(async () => {
    await t.close()
  })

  it('reports health with the database component and build', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' })
    assert.equal(response.statusCode, 200)
    const body = response.json<{ status: string; components: { database: { status: string } }; build: object }>()
    assert.equal(body.status, 'UP')
    assert.equal(body.components.database.status, 'UP')
    assert.ok('version' in body.build)
    assert.equal((await t.app.inject({ method: 'GET', url: '/ping' })).body, 'pong')
  })

  it('answers an unknown page with the HTML 404 page and an unknown API path with JSON', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/nowhere' })
    assert.equal(page.statusCode, 404)
    assert.match(String(page.headers['content-type']), /text\/html/)
    assert.match(page.body, /Page not found/)
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/nowhere' })
    assert.equal(api.statusCode, 404)
    assert.equal(api.json<{ statusCode: number }>().statusCode, 404)
  })

  it('sends security headers with a nonce-based content security policy', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/' })
    const csp = String(response.headers['content-security-policy'])
    assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.equal(response.headers['x-content-type-options'], 'nosniff')
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    assert.ok(nonce && response.body.includes(`nonce="${nonce}"`), 'the inline script carries the nonce')
  })

  it('escapes anything echoed back into a page', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/areas/locate?postcode=%3Cscript%3E' })
    assert.doesNotMatch(response.body, /<script>/)
  })

  it('keeps the audit trail append-only', async () => {
    await t.deps.audit.record({
      actor: { type: 'system', id: null },
      action: 'TEST_EVENT',
      subjectType: 'test',
      subjectId: '1',
    })
    const [event] = await t.deps.audit.forSubject('test', '1')
    assert.equal(event?.action, 'TEST_EVENT')
    await assert.rejects(sql`update audit_event set action = 'CHANGED'`.execute(t.deps.database.db), /append-only/)
    await assert.rejects(sql`delete from audit_event`.execute(t.deps.database.db), /append-only/)
  })
})
