import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'

describe('Integration: geography', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp()
  })
  after(async () => {
    await t.close()
  })

  it('lists the 20 wards of Tower Hamlets with council and ONS names', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/areas/wards' })
    assert.equal(response.statusCode, 200)
    const wards = response.json<{ code: string; name: string; onsName: string | null; population: number }[]>()
    assert.equal(wards.length, 20)
    const codes = wards.map(ward => ward.code).sort()
    assert.equal(codes[0], 'E05009317')
    assert.equal(codes[19], 'E05009336')
    const bethnalGreenWest = wards.find(ward => ward.code === 'E05009331')
    assert.equal(bethnalGreenWest?.name, 'Bethnal Green West')
    assert.equal(bethnalGreenWest?.onsName, "St Peter's")
    const total = wards.reduce((sum, ward) => sum + ward.population, 0)
    assert.equal(total, 331_969, 'every 2011 LSOA falls in exactly one ward')
  })

  it('locates a postcode in any spacing or case', async () => {
    for (const postcode of ['E14 5AB', 'e145ab', ' e14  5AB ']) {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/areas/locate', query: { postcode } })
      assert.equal(response.statusCode, 200, postcode)
      const body = response.json<{ ward: { code: string; name: string }; lsoa: { code: string }; postcode: string }>()
      assert.deepEqual(body.ward, { code: 'E05009323', name: 'Canary Wharf' })
      assert.match(body.lsoa.code, /^E01\d{6}$/)
      assert.equal(body.postcode, 'E14 5AB')
    }
  })

  it('locates a point, and says which authority a point outside the borough belongs to', async () => {
    const inside = await t.app.inject({ method: 'GET', url: '/api/v1/areas/locate?lat=51.5155&lng=-0.0596' })
    assert.equal(inside.statusCode, 200)
    assert.equal(inside.json<{ ward: { name: string } }>().ward.name, 'Whitechapel')

    const hackney = await t.app.inject({ method: 'GET', url: '/api/v1/areas/locate?lat=51.545&lng=-0.055' })
    assert.equal(hackney.statusCode, 404)
    assert.equal(hackney.json<{ neighbour: { name: string } }>().neighbour.name, 'Hackney')

    const city = await t.app.inject({ method: 'GET', url: '/api/v1/areas/locate?lat=51.5155&lng=-0.0920' })
    assert.equal(city.json<{ neighbour: { policeForce: string } }>().neighbour.policeForce, 'City of London Police')
  })

  it('answers 400 JSON for a malformed postcode and 404 JSON for an unknown one', async () => {
    const malformed = await t.app.inject({ method: 'GET', url: '/api/v1/areas/locate?postcode=not-a-postcode' })
    assert.equal(malformed.statusCode, 400)
    assert.match(String(malformed.headers['content-type']), /application\/json/)
    assert.equal(malformed.json<{ statusCode: number }>().statusCode, 400)

    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/areas/locate?postcode=SW1A%201AA' })
    assert.equal(unknown.statusCode, 404)
    assert.match(unknown.json<{ message: string }>().message, /SW1A 1AA/)

    const noInput = await t.app.inject({ method: 'GET', url: '/api/v1/areas/locate' })
    assert.equal(noInput.statusCode, 400)

    const badLat = await t.app.inject({ method: 'GET', url: '/api/v1/areas/locate?lat=abc&lng=0' })
    assert.equal(badLat.statusCode, 400)
    assert.match(String(badLat.headers['content-type']), /application\/json/)
  })

  it('lists 169 LSOAs for 2021 and 144 for 2011, each assigned to a ward', async () => {
    const lsoas2021 = (await t.app.inject({ method: 'GET', url: '/api/v1/areas/lsoas' })).json<
      { wardCode: string | null }[]
    >()
    const lsoas2011 = (await t.app.inject({ method: 'GET', url: '/api/v1/areas/lsoas?vintage=2011' })).json<
      { wardCode: string | null; population: number }[]
    >()
    assert.equal(lsoas2021.length, 169)
    assert.equal(lsoas2011.length, 144)
    assert.ok(lsoas2021.every(lsoa => lsoa.wardCode !== null))
    assert.ok(lsoas2011.every(lsoa => lsoa.population > 0))
  })

  it('gives every postcode in the pack a ward and an LSOA', async () => {
    const missing = await t.deps.database.db
      .selectFrom('postcode')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where(eb => eb.or([eb('ward_code', 'is', null), eb('lsoa2021_code', 'is', null)]))
      .executeTakeFirstOrThrow()
    const total = await t.deps.geography.lookupPostcode('E1 0AA')
    assert.equal(total.status, 'found')
    assert.ok(missing.n <= 5, `${String(missing.n)} postcodes fell outside every ward`)
  })

  it('serves the ward pages with a map that works without JavaScript', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/wards' })
    assert.equal(list.statusCode, 200)
    assert.match(list.body, /<svg[^>]+role="group"/)
    assert.equal((list.body.match(/<a href="\/wards\/E0500/g) ?? []).length, 20)

    const ward = await t.app.inject({ method: 'GET', url: '/wards/E05009336' })
    assert.equal(ward.statusCode, 200)
    assert.match(ward.body, /<h1 class="govuk-heading-l">Whitechapel<\/h1>/)
    assert.match(ward.body, /href="\/wards\/E05009336\/reports"/)

    const unknown = await t.app.inject({ method: 'GET', url: '/wards/E05000000' })
    assert.equal(unknown.statusCode, 404)
    assert.match(String(unknown.headers['content-type']), /text\/html/)
  })

  it('publishes an OpenAPI document for /api/v1', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
    assert.equal(response.statusCode, 200)
    const doc = response.json<{ openapi: string; paths: Record<string, unknown> }>()
    assert.equal(doc.openapi, '3.1.0')
    assert.ok('/api/v1/areas/locate' in doc.paths)
    assert.ok('/api/v1/areas/wards' in doc.paths)
  })
})
