/**
 * A second pack proves "any CSP by configuration": the app built with CSP_PACK=reference-data/city-of-london serves
 * the City's 25 wards, its own plan and indicators, a resident journey without postcodes (map or ward list), and
 * seeds the demo borough on the City's geography.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, formSession, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'

describe('Integration: the City of London pack', () => {
  let t: TestApp
  let staff: StaffSession
  before(async () => {
    t = await buildTestApp({ config: { CSP_PACK: 'reference-data/city-of-london' }, seedDemo: true })
    staff = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['officer'] }))
  })
  after(async () => {
    await t.close()
  })

  it("serves the City's 25 wards and no Tower Hamlets ward", async () => {
    const response = await t.app.inject({ method: 'GET', url: '/wards' })
    assert.equal(response.statusCode, 200)
    assert.match(response.body, /City of London has 25 wards/)
    for (const ward of ['Aldersgate', 'Farringdon Within', 'Cripplegate', 'Portsoken'])
      assert.match(response.body, new RegExp(ward))
    assert.doesNotMatch(response.body, /Whitechapel|Bethnal Green|Tower Hamlets/)
    assert.equal(t.deps.geography.wards().length, 25)
    assert.equal(t.deps.geography.borough().code, 'E09000001')
  })

  it("shows the City's own plan and indicators, not Tower Hamlets'", async () => {
    const headers = { cookie: staff.cookie }
    const performance = await t.app.inject({ method: 'GET', url: '/performance', headers })
    assert.equal(performance.statusCode, 200)
    assert.match(performance.body, /Anti-social behaviour recorded by City of London Police/)
    assert.doesNotMatch(performance.body, /ASB calls to 101|Tower Hamlets/)
    const plan = await t.app.inject({ method: 'GET', url: '/performance/plan', headers })
    assert.equal(plan.statusCode, 200)
    assert.match(plan.body, /Anti-social behaviour in the Square Mile/)
    assert.match(plan.body, /More confidence to report hate incidents/)
    assert.doesNotMatch(plan.body, /Tackling neighbourhood crime and ASB/)
  })

  it("names the City's own contact on the accessibility statement", async () => {
    const response = await t.app.inject({ method: 'GET', url: '/accessibility-statement' })
    assert.equal(response.statusCode, 200)
    assert.match(response.body, /contact the City of London Corporation&#39;s community safety team\./)
    // Every page's footer is the City's, from its letterhead.
    assert.match(response.body, /href="https:\/\/www.cityoflondon.gov.uk">© City of London Corporation</)
    assert.equal(t.deps.pack.publicWording.examplePostcode, undefined)
  })

  it('asks where without a postcode box, and takes a pin on the map or the ward list', async () => {
    const start = await formSession(t.app, '/report/triage')
    const jar = new Map(start.cookie.split('; ').map(pair => [pair.split('=')[0] ?? '', pair] as const))
    const cookieHeader = () => [...jar.values()].join('; ')
    const post = async (url: string, fields: Record<string, string>) => {
      const response = await t.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams({ _csrf: start.token, ...fields }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader() },
      })
      const set = response.headers['set-cookie']
      for (const cookie of Array.isArray(set) ? set : set ? [set] : []) {
        const pair = cookie.split(';')[0] ?? ''
        jar.set(pair.split('=')[0] ?? '', pair)
      }
      return response
    }
    assert.equal((await post('/report/triage', { triage: 'asb' })).statusCode, 303)
    assert.equal((await post('/report/what', { category: 'noise_music' })).statusCode, 303)

    const page = await t.app.inject({ method: 'GET', url: '/report/where', headers: { cookie: cookieHeader() } })
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(page.body, /name="postcode"/)
    assert.match(page.body, /data-qa="choose-ward"[^>]*>Choose the ward from a list/)
    assert.match(page.body, /data-qa="report-map"/)
    // Without JavaScript there is no map: the page offers the ward list and never asks for a pin. The map's words are
    // there for the script to show once it has drawn the map, and hidden until then.
    assert.match(page.body, /<p class="govuk-body" data-without-map>Choose the ward from a list\.<\/p>/)
    assert.match(page.body, /<p class="govuk-body" data-with-map hidden>Put a pin on the map/)
    assert.doesNotMatch(page.body, /for example E1 6AN|like E1 6AN/, 'no postcode example in a pack without postcodes')

    const nothing = await post('/report/where', { latitude: '', longitude: '', map: 'shown' })
    assert.equal(nothing.statusCode, 400)
    assert.match(nothing.body, /href="#place"[^>]*>Put a pin on the map, or choose the ward from a list/)
    const noMap = await post('/report/where', { latitude: '', longitude: '', map: '' })
    assert.equal(noMap.statusCode, 400)
    assert.match(noMap.body, /href="#place"[^>]*>Choose the ward from a list</)
    assert.doesNotMatch(noMap.body, /href="#place"[^>]*>Put a pin/)

    // A pin in the City (by the Guildhall), then the ward list.
    const pinned = await post('/report/where', { latitude: '51.5155', longitude: '-0.0919' })
    assert.equal(pinned.statusCode, 303)
    assert.equal(pinned.headers.location, '/report/when')
    const wardPage = await t.app.inject({
      method: 'GET',
      url: '/report/where-ward',
      headers: { cookie: cookieHeader() },
    })
    assert.match(wardPage.body, /Use the map instead/)
    const aldersgate = t.deps.geography.wards().find(ward => ward.name === 'Aldersgate')
    assert.ok(aldersgate)
    const chosen = await post('/report/where-ward', {
      wardCode: aldersgate.code,
      locationDescription: 'By the Barbican',
    })
    assert.equal(chosen.statusCode, 303)
    assert.equal(chosen.headers.location, '/report/when')
  })

  it('seeded the demo borough on the City geography: reports at points in its wards, and cases', async () => {
    const wards = new Set(t.deps.geography.wards().map(ward => ward.code))
    const reports = await t.deps.database.db.selectFrom('report').select(['ward_code', 'postcode']).execute()
    assert.ok(reports.length > 100, 'the demo made reports without postcodes')
    for (const row of reports) {
      assert.equal(row.postcode, null)
      assert.ok(wards.has(row.ward_code), row.ward_code)
    }
    const cases = await t.deps.database.db.selectFrom('asb_case').select('ward_code').execute()
    assert.ok(cases.length > 0, 'the demo opened cases')
    for (const row of cases) if (row.ward_code !== null) assert.ok(wards.has(row.ward_code), row.ward_code)
  })

  it("runs the City's own panels from its pack, with the demo's members from its demo file", async () => {
    const panels = await t.deps.panels.service.panels()
    assert.deepEqual(
      panels.map(panel => [panel.code, panel.kind, panel.name, panel.active]),
      [
        ['community-marac', 'community-marac', 'Community Multi-Agency Risk Panel', true],
        ['da-marac', 'da-marac', 'City of London MARAC', true],
        ['hate-incident-panel', 'hate-incident', 'Hate Crime and Community Tensions Panel', true],
        ['case-review', 'case-review', 'ASB Case Review panel', true],
      ],
    )
    const partners = await t.deps.database.db.selectFrom('partner').select(['id', 'code']).execute()
    const codes = (ids: readonly string[]) =>
      ids.map(id => partners.find(partner => partner.id === id)?.code ?? id).sort()
    assert.deepEqual(codes(panels.find(panel => panel.code === 'hate-incident-panel')?.partner_ids ?? []), [
      'council',
      'police',
      'victim-support',
    ])
    const admin = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['administrator'] }))
    const index = await t.app.inject({ method: 'GET', url: '/panels', headers: { cookie: admin.cookie } })
    assert.equal(index.statusCode, 200)
    assert.match(index.body, /Hate Crime and Community Tensions Panel/)
    assert.doesNotMatch(index.body, /Tension Monitoring Group/)
  })
})
