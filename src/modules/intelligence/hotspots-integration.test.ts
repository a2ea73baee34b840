import assert from 'node:assert/strict'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'

import { parse } from 'node-html-parser'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createIntelligenceRepository } from './index.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')

describe('Integration: hotspot page and API', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp()
  })
  after(async () => {
    await t.close()
  })

  it('says there is no data before any import', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/intelligence/hotspots' })
    assert.equal(response.statusCode, 200)
    assert.ok(parse(response.body).querySelector('[data-qa="hotspots-no-data"]'))
  })

  it('ranks places, wards and LSOAs from the imported street data', async () => {
    await t.deps.intelligenceImports.importPoliceStreet([path.join(fixtures, 'street')])
    const response = await t.app.inject({ method: 'GET', url: '/intelligence/hotspots' })
    assert.equal(response.statusCode, 200)
    const page = parse(response.body)
    // Four of the fixture's located rows are in Tower Hamlets; the City and Camden ones are not counted.
    assert.match(page.querySelector('[data-qa="hotspot-total"]')?.text ?? '', /^4 located crimes .* 2016-03 to 2016-04/)
    const firstPlace = page.querySelectorAll('[data-qa="hotspot-places"] tbody tr')[0]
    const cells = firstPlace?.querySelectorAll('td, th').map(cell => cell.text.trim())
    assert.equal(cells?.[1], 'On or near Bishopsgate')
    assert.equal(cells?.[2], 'Spitalfields & Banglatown')
    const wardRows = page.querySelectorAll('[data-qa="hotspot-wards"] tbody tr')
    assert.equal(wardRows.length, 20)
    const top = wardRows[0]?.querySelectorAll('td, th').map(cell => cell.text.trim())
    assert.equal(top?.[0], 'Spitalfields & Banglatown')
    assert.equal(top?.[1], '4')
    assert.ok(page.querySelector('[data-module="safer-hotspot-map"]')?.getAttribute('data-surface-url'))
    const trend = page
      .querySelectorAll('[data-qa="hotspot-trend"] tbody tr')
      .map(row => row.querySelectorAll('td, th').map(cell => cell.text.trim()))
    assert.deepEqual(trend, [
      ['2016-03', '2'],
      ['2016-04', '2'],
    ])
  })

  it('filters by crime type and period, and re-shows the form with errors for bad filters', async () => {
    const violence = await t.app.inject({
      method: 'GET',
      url: '/intelligence/hotspots?crimeType=violent-crime&from=2016-04',
    })
    assert.equal(violence.statusCode, 200)
    assert.match(parse(violence.body).querySelector('[data-qa="hotspot-total"]')?.text ?? '', /^1 located crimes/)

    const bad = await t.app.inject({
      method: 'GET',
      url: '/intelligence/hotspots?crimeType=jaywalking&from=2016-04&to=2016-03',
    })
    assert.equal(bad.statusCode, 400)
    const page = parse(bad.body)
    const summary = page.querySelectorAll('.govuk-error-summary a').map(link => link.getAttribute('href'))
    assert.deepEqual(summary, ['#crimeType', '#to'])
    assert.equal(page.querySelector('#from option[selected]')?.getAttribute('value'), '2016-04', 'answers are kept')
  })

  it('answers input its schema refuses with the page and a GOV.UK error, never a JSON 400', async () => {
    for (const url of [
      '/intelligence/hotspots?from=2016-03&from=2016-04',
      `/intelligence/hotspots?crimeType=${'x'.repeat(101)}`,
    ]) {
      const refused = await t.app.inject({ method: 'GET', url })
      assert.equal(refused.statusCode, 400, url)
      assert.match(String(refused.headers['content-type']), /text\/html/, url)
      const links = parse(refused.body)
        .querySelectorAll('.govuk-error-summary a')
        .map(link => link.getAttribute('href'))
      assert.equal(links.length, 1, url)
    }
  })

  it('serves the ranked summary as JSON and the surface as GeoJSON', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/api/v1/hotspots?crimeType=anti-social-behaviour' })
    assert.equal(json.statusCode, 200)
    const body = json.json<{ crimes: number; places: { rank: number; crimes: number; street: string }[] }>()
    assert.equal(body.crimes, 3)
    assert.equal(body.places[0]?.street, 'On or near Bishopsgate')

    const surface = await t.app.inject({ method: 'GET', url: '/api/v1/hotspots/surface.geojson?method=grid-counts' })
    assert.equal(surface.statusCode, 200)
    assert.match(String(surface.headers['content-type']), /application\/geo\+json/)
    const collection = surface.json<{ type: string; features: { properties: { rank: number; score: number } }[] }>()
    assert.equal(collection.type, 'FeatureCollection')
    assert.equal(collection.features[0]?.properties.rank, 1)
    assert.equal(
      collection.features.reduce((sum, feature) => sum + feature.properties.score, 0),
      4,
      'grid counts add up to the located crimes in the borough',
    )

    // The map's crime points: one per snapped point, grouped in the database, as the records say (ADR 0061).
    const crimes = await t.app.inject({ method: 'GET', url: '/api/v1/hotspots/crimes.geojson' })
    assert.equal(crimes.statusCode, 200)
    const points = crimes.json<{
      features: { properties: { crimes: number; street: string | null }; geometry: { coordinates: number[] } }[]
    }>().features
    const records = await createIntelligenceRepository(t.deps.database.db).streetRows({ insideOnly: true })
    const expected = new Map<string, { crimes: number; street: string | null }>()
    for (const row of records) {
      const key = `${String(row.longitude)},${String(row.latitude)}`
      const point = expected.get(key) ?? { crimes: 0, street: row.location }
      point.crimes++
      expected.set(key, point)
    }
    assert.ok(records.length > 0)
    assert.deepEqual(
      points.map(point => [point.geometry.coordinates.join(','), point.properties]),
      [...expected.entries()],
    )

    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/hotspots?from=2016-13' })
    assert.equal(bad.statusCode, 400)
    const unknownType = await t.app.inject({ method: 'GET', url: '/api/v1/hotspots?crimeType=jaywalking' })
    assert.equal(unknownType.statusCode, 400)
    assert.equal(unknownType.json<{ error: string }>().error, 'invalid_query')
  })
})
