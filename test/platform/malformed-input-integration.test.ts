/**
 * No request a client can make gets a 500 for being malformed. Every registered route with path parameters is
 * called with each parameter replaced by a NUL byte, an overlong value, bad percent-encoding and non-numeric or
 * out-of-range ids, by GET and POST, signed out and signed in as staff holding every role (POSTs with a valid CSRF
 * token and a NUL in a form field). Then text with U+0000 is sent where it is stored: a resident's report form
 * field and an Open311 description.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { RouteOptions } from 'fastify'

import { ROLES } from '../../src/modules/accounts/index.js'
import { systemActor } from '../../src/platform/audit.js'
import { buildTestApp, type TestApp } from '../helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../helpers/staff.js'

const BAD_VALUES = ['%00', 'a%00b', 'x'.repeat(10_000), '%ZZ', 'not-a-number', '-1', '99999999999999999999', '1.5']
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000'

interface Route {
  method: 'GET' | 'POST'
  url: string
}

function paramsOf(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map(match => match[1] ?? '')
}

/** The URL with one parameter replaced by the bad value and the others by a well-formed id. */
function fill(url: string, target: string, value: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_whole, name: string) => (name === target ? value : PLACEHOLDER))
}

describe('Integration: malformed requests never give 500', () => {
  let test: TestApp
  let staff: StaffSession
  const routes: Route[] = []

  before(async () => {
    test = await buildTestApp({
      build: {
        onRoute: (route: RouteOptions) => {
          const methods: string[] = Array.isArray(route.method) ? route.method : [route.method]
          for (const method of ['GET', 'POST'] as const)
            if (methods.includes(method) && route.url.includes(':')) routes.push({ method, url: route.url })
        },
      },
    })
    staff = await signIn(test.app, test.deps, await createStaff(test.deps, { roles: [...ROLES] }))
  })
  after(() => test.close())

  it('walks every route with path parameters', async () => {
    assert.ok(routes.length > 20, `found ${String(routes.length)} routes`)
    const failures: string[] = []
    for (const route of routes) {
      for (const param of paramsOf(route.url)) {
        for (const value of BAD_VALUES) {
          const url = fill(route.url, param, value)
          for (const session of [undefined, staff]) {
            const response = await test.app.inject({
              method: route.method,
              url,
              headers: {
                ...(session ? { cookie: session.cookie } : {}),
                ...(route.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
              },
              ...(route.method === 'POST'
                ? { payload: `_csrf=${encodeURIComponent(session?.token ?? '')}&description=bad%00text&notes=%00` }
                : {}),
            })
            if (response.statusCode >= 500)
              failures.push(
                `${route.method} ${route.url} ${param}=${value.slice(0, 20)} ${session ? 'staff' : 'public'}: ${String(response.statusCode)}`,
              )
          }
        }
      }
    }
    assert.deepEqual(failures, [])
  })

  it('answers 404 for a NUL in a path and 400 for one in a query, in the page or API format', async () => {
    const open311 = await test.app.inject({ method: 'GET', url: '/open311/v2/requests/%00.json' })
    assert.equal(open311.statusCode, 404)
    assert.equal(open311.json<{ code: number }[]>()[0]?.code, 404)
    const page = await test.app.inject({ method: 'GET', url: '/cases/%00', headers: { cookie: staff.cookie } })
    assert.equal(page.statusCode, 404)
    assert.match(String(page.headers['content-type']), /text\/html/)
    const query = await test.app.inject({ method: 'GET', url: '/open311/v2/requests.xml?status=open%00' })
    assert.equal(query.statusCode, 400)
    assert.match(query.body, /<errors>/)
  })

  it('stores an Open311 description sent with U+0000, without it', async () => {
    await test.deps.database.db
      .insertInto('partner')
      .values({ code: 'police', name: 'Metropolitan Police Service', kind: 'police' })
      .onConflict(oc => oc.column('code').doNothing())
      .execute()
    const key = (await test.deps.open311.keys.create('police', 'NUL test', systemActor)).key
    const response = await test.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        api_key: key,
        service_code: 'noise_music',
        lat: '51.52105',
        long: '-0.07175',
        description: 'Music every night\u0000 from the flat above',
        email: 'resident@example.com',
        first_name: 'Sam',
        last_name: 'Resident',
        'attribute[pattern]': 'ongoing',
        'attribute[frequency]': 'daily',
        'attribute[reporter_role]': 'victim',
        'attribute[unsafe_at_home]': 'no',
        'attribute[health_affected]': 'yes',
        'attribute[targeted]': 'no',
      }).toString(),
    })
    assert.equal(response.statusCode, 200, response.body)
    const id = response.json<{ service_request_id: string }[]>()[0]?.service_request_id ?? ''
    const stored = await test.deps.reporting.reports.findByReference(id)
    assert.equal(stored?.description, 'Music every night from the flat above')
  })
})
