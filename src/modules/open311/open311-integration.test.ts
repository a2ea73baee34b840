import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { TSchema } from 'typebox'

import { systemActor } from '../../platform/audit.js'
import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { checkContract } from './open311-contract.js'
import type { Format } from './open311-formats.js'
import {
  DiscoverySchema,
  ErrorsSchema,
  PostRequestResponseSchema,
  PostUpdateResponseSchema,
  RequestUpdatesSchema,
  ServiceDefinitionSchema,
  ServiceRequestsSchema,
  ServicesSchema,
  TokenResponseSchema,
} from './open311-schemas.js'

// Brick Lane, Spitalfields (in Tower Hamlets); Trafalgar Square (Westminster).
const IN_BOROUGH = { lat: '51.52105', long: '-0.07175' }
const OUTSIDE = { lat: '51.50800', long: '-0.12800' }

const ROOTS: Record<string, string> = {
  discovery: 'discovery',
  services: 'services',
  definition: 'service_definition',
  requests: 'service_requests',
  errors: 'errors',
  updates: 'service_request_updates',
}

async function ensurePartner(testApp: TestApp, code: string, name: string) {
  await testApp.deps.database.db
    .insertInto('partner')
    .values({ code, name, kind: 'police' })
    .onConflict(oc => oc.column('code').doNothing())
    .execute()
}

function client(testApp: TestApp) {
  const { app } = testApp
  return {
    async get(url: string, format: Format, schema: TSchema, root: string, status = 200) {
      const response = await app.inject({ method: 'GET', url })
      assert.equal(response.statusCode, status, `${url}: ${response.body}`)
      return { body: checkContract(response, format, schema, root), raw: response.body }
    },
    async post(
      url: string,
      fields: Record<string, string | string[]>,
      format: Format,
      schema: TSchema,
      root: string,
      status = 200,
    ) {
      const params = new URLSearchParams()
      for (const [key, value] of Object.entries(fields))
        for (const item of Array.isArray(value) ? value : [value]) params.append(key, item)
      const response = await app.inject({
        method: 'POST',
        url,
        payload: params.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      })
      assert.equal(response.statusCode, status, `${url}: ${response.body}`)
      return { body: checkContract(response, format, schema, root), raw: response.body }
    },
  }
}

const ANSWERS = {
  'attribute[pattern]': 'ongoing',
  'attribute[frequency]': 'daily',
  'attribute[reporter_role]': 'victim',
  'attribute[unsafe_at_home]': 'no',
  'attribute[health_affected]': 'yes',
  'attribute[targeted]': 'no',
}

async function reportCount(testApp: TestApp): Promise<number> {
  const row = await testApp.deps.database.db
    .selectFrom('report')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

describe('Integration: Open311 GeoReport v2 and servicerequestupdates', () => {
  let testApp: TestApp
  let key: string
  let otherKey: string
  let http: ReturnType<typeof client>
  let postcode: string

  before(async () => {
    testApp = await buildTestApp()
    await ensurePartner(testApp, 'police', 'Metropolitan Police Service')
    await ensurePartner(testApp, 'housing-one', 'Housing One')
    key = (await testApp.deps.open311.keys.create('police', 'FixMyStreet test', systemActor)).key
    otherKey = (await testApp.deps.open311.keys.create('housing-one', 'Housing CRM', systemActor)).key
    http = client(testApp)
    const row = await testApp.deps.database.db
      .selectFrom('postcode')
      .select('display')
      .where('ward_code', 'is not', null)
      .orderBy('postcode')
      .limit(1)
      .executeTakeFirstOrThrow()
    postcode = row.display
  })
  after(async () => testApp.close())

  it('walks a GeoReport client through discover, list, define, post, poll and updates, in XML and JSON', async () => {
    for (const format of ['xml', 'json'] as const) {
      const discovery = (await http.get(`/open311/discovery.${format}`, format, DiscoverySchema, ROOTS.discovery!))
        .body as { endpoints: { type: string; url: string; formats: string[] }[] }
      assert.deepEqual(discovery.endpoints.map(endpoint => endpoint.type).sort(), ['production', 'test'])
      assert.ok(discovery.endpoints.every(endpoint => endpoint.url.endsWith('/open311/v2')))

      const services = (await http.get(`/open311/v2/services.${format}`, format, ServicesSchema, ROOTS.services!))
        .body as { service_code: string; keywords: string }[]
      assert.ok(services.length >= 20)
      assert.ok(services.some(service => service.service_code === 'noise_music'))
      assert.match(services.find(service => service.service_code === 'harassment')?.keywords ?? '', /private/)

      const definition = (
        await http.get(`/open311/v2/services/noise_music.${format}`, format, ServiceDefinitionSchema, ROOTS.definition!)
      ).body as { attributes: { code: string; datatype: string; values?: { key: string }[]; order: number }[] }
      const pattern = definition.attributes.find(attribute => attribute.code === 'pattern')
      assert.equal(pattern?.datatype, 'singlevaluelist')
      assert.deepEqual(
        pattern?.values?.map(value => value.key),
        ['one_off', 'ongoing'],
      )
      assert.equal(definition.attributes.find(a => a.code === 'characteristics')?.datatype, 'multivaluelist')
      assert.deepEqual(
        definition.attributes.map(a => a.order),
        definition.attributes.map((_, index) => index + 1),
      )

      const description = `Music every night from the flat above (${format}).`
      const posted = (
        await http.post(
          `/open311/v2/requests.${format}`,
          {
            api_key: key,
            service_code: 'noise_music',
            ...IN_BOROUGH,
            description,
            email: `resident-${format}@example.com`,
            first_name: 'Sam',
            last_name: 'Resident',
            ...ANSWERS,
          },
          format,
          PostRequestResponseSchema,
          ROOTS.requests!,
        )
      ).body as [{ service_request_id: string }]
      const id = posted[0].service_request_id
      assert.match(id, /^ASB-\d{4}-[A-Z0-9]{4}$/)

      const stored = await testApp.deps.reporting.reports.findByReference(id)
      assert.equal(stored?.channel, 'open311')
      assert.equal(stored?.reporter_mode, 'confidential')
      assert.equal(stored?.contact_preference, 'email')
      assert.equal(stored?.pattern, 'ongoing')

      const read = await http.get(
        `/open311/v2/requests/${id}.${format}`,
        format,
        ServiceRequestsSchema,
        ROOTS.requests!,
      )
      const [request] = read.body as { service_request_id: string; status: string; lat: number; long: number }[]
      assert.equal(request?.service_request_id, id)
      assert.equal(request.status, 'open')
      assert.notEqual(request.lat, Number(IN_BOROUGH.lat), 'the public point is generalised')
      for (const secret of [description, 'resident-', 'Sam', 'Resident'])
        assert.ok(!read.raw.includes(secret), `the public response does not carry ${secret}`)

      // Staff change the status: the partner reads it in servicerequestupdates.
      await testApp.deps.reporting.reports.changeStatus(
        id,
        { status: 'in_progress', publicNote: 'An officer is visiting this week.' },
        { type: 'user', id: 'officer-1' },
      )
      const window = 'start_date=2026-11-19T00:00:00Z&end_date=2026-11-21T00:00:00Z'
      const updates = (
        await http.get(
          `/open311/v2/servicerequestupdates.${format}?api_key=${encodeURIComponent(key)}&${window}`,
          format,
          RequestUpdatesSchema,
          ROOTS.updates!,
        )
      ).body as { service_request_id: string; status: string; description: string; update_id: string }[]
      const staffUpdate = updates.find(update => update.service_request_id === id)
      assert.equal(staffUpdate?.status, 'in_progress')
      assert.equal(staffUpdate.description, 'An officer is visiting this week.')

      // The partner posts an update in: it lands on the report's timeline, once however often it is sent.
      const updateFields = {
        api_key: key,
        service_request_id: id,
        update_id: `fms-${format}-1`,
        status: 'FIXED',
        updated_datetime: '2026-11-20T09:30:00Z',
        description: 'Noise abatement notice served; no music since.',
      }
      const first = (
        await http.post(
          `/open311/v2/servicerequestupdates.${format}`,
          updateFields,
          format,
          PostUpdateResponseSchema,
          ROOTS.updates!,
        )
      ).body as [{ update_id: string }]
      const again = (
        await http.post(
          `/open311/v2/servicerequestupdates.${format}`,
          updateFields,
          format,
          PostUpdateResponseSchema,
          ROOTS.updates!,
        )
      ).body as [{ update_id: string }]
      assert.equal(again[0].update_id, first[0].update_id)
      const report = await testApp.deps.reporting.reports.findByReference(id)
      assert.equal(report?.status, 'closed')
      assert.equal(report?.closure_reason, 'resolved')
      const timeline = await testApp.deps.reporting.repository.updatesFor(report.id)
      const posted311 = timeline.filter(entry => entry.public_note === updateFields.description)
      assert.equal(posted311.length, 1, 'the update is on the timeline once')
      assert.equal(posted311[0]?.actor_type, 'api-key')
      assert.equal(String(posted311[0]?.id), first[0].update_id)

      const closed = (
        await http.get(`/open311/v2/requests/${id}.${format}`, format, ServiceRequestsSchema, ROOTS.requests!)
      ).body as { status: string }[]
      assert.equal(closed[0]?.status, 'closed')
    }
  })

  it('takes a postcode in address_string, lists requests by id, code and status, and keeps a retry to one report', async () => {
    const fields = {
      api_key: key,
      service_code: 'fly_tipping',
      address_string: `Behind the shops, ${postcode}`,
      description: 'Mattresses and bags dumped by the bins.',
      ...ANSWERS,
      'attribute[pattern]': 'one_off',
      'attribute[frequency]': '',
    }
    const before = await reportCount(testApp)
    const one = (await http.post('/open311/v2/requests.json', fields, 'json', PostRequestResponseSchema, 'x')).body as [
      { service_request_id: string },
    ]
    const two = (await http.post('/open311/v2/requests.json', fields, 'json', PostRequestResponseSchema, 'x')).body as [
      { service_request_id: string },
    ]
    assert.equal(two[0].service_request_id, one[0].service_request_id, 'the same form twice is one report')
    assert.equal(await reportCount(testApp), before + 1)
    const stored = await testApp.deps.reporting.reports.findByReference(one[0].service_request_id)
    assert.equal(stored?.postcode, postcode)
    assert.equal(stored?.reporter_mode, 'anonymous')

    const byCode = (
      await http.get('/open311/v2/requests.json?service_code=fly_tipping', 'json', ServiceRequestsSchema, 'x')
    ).body as { service_code: string; zipcode: string | null }[]
    assert.ok(byCode.length >= 1 && byCode.every(request => request.service_code === 'fly_tipping'))
    assert.ok(byCode[0]?.zipcode, 'a nuisance report shows its postcode district')
    const closedOnly = (
      await http.get('/open311/v2/requests.xml?status=closed', 'xml', ServiceRequestsSchema, ROOTS.requests!)
    ).body as { status: string }[]
    assert.ok(closedOnly.every(request => request.status === 'closed'))
    const openOnly = (
      await http.get('/open311/v2/requests.json?status=open&start_date=&end_date=', 'json', ServiceRequestsSchema, 'x')
    ).body as { status: string; service_request_id: string }[]
    assert.ok(openOnly.some(request => request.service_request_id === one[0].service_request_id))
    const byId = (
      await http.get(
        `/open311/v2/requests.json?service_request_id=${one[0].service_request_id},ASB-0101-AAAA&status=closed`,
        'json',
        ServiceRequestsSchema,
        'x',
      )
    ).body as { service_request_id: string }[]
    assert.deepEqual(
      byId.map(request => request.service_request_id),
      [one[0].service_request_id],
      'service_request_id overrides the other arguments',
    )
  })

  it('generalises personal and targeted ASB further than nuisance', async () => {
    const post = async (serviceCode: string, targeted: string) =>
      (
        (
          await http.post(
            '/open311/v2/requests.json',
            {
              api_key: key,
              service_code: serviceCode,
              lat: '51.51510',
              long: '-0.05920',
              description: `Privacy check ${serviceCode} ${targeted}`,
              ...ANSWERS,
              'attribute[targeted]': targeted,
            },
            'json',
            PostRequestResponseSchema,
            'x',
          )
        ).body as [{ service_request_id: string }]
      )[0].service_request_id
    const nuisance = await post('street_drinking', 'no')
    const personal = await post('harassment', 'yes')
    const read = async (id: string) =>
      (
        (await http.get(`/open311/v2/requests/${id}.json`, 'json', ServiceRequestsSchema, 'x')).body as {
          lat: number
          long: number
          zipcode: string | null
        }[]
      )[0]!
    const a = await read(nuisance)
    const b = await read(personal)
    assert.ok(a.zipcode, 'snapped to a postcode centroid')
    assert.equal(b.zipcode, null, 'personal ASB is shown at its LSOA only')
    assert.ok(a.lat !== b.lat || a.long !== b.long)
  })

  it('answers bad input with the spec’s errors, no 500, and stores nothing', async () => {
    const before = await reportCount(testApp)
    const good = { api_key: key, service_code: 'noise_music', ...IN_BOROUGH, description: 'Loud music.', ...ANSWERS }
    const cases: [string, Record<string, string>, number, Format][] = [
      ['missing service_code', { ...good, service_code: '' }, 400, 'xml'],
      ['unknown service_code', { ...good, service_code: 'potholes' }, 404, 'json'],
      ['outside the borough', { ...good, ...OUTSIDE }, 400, 'xml'],
      ['no location', { ...good, lat: '', long: '' }, 400, 'json'],
      ['half a point', { ...good, long: '' }, 400, 'json'],
      [
        'not a postcode in address_string',
        { ...good, lat: '', long: '', address_string: '1234 5th street' },
        400,
        'xml',
      ],
      ['a value not in the list', { ...good, 'attribute[pattern]': 'sometimes' }, 400, 'xml'],
      ['a required attribute missing', { ...good, 'attribute[targeted]': '' }, 400, 'json'],
      ['a bad datetime attribute', { ...good, 'attribute[occurred_datetime]': '20/11/2026' }, 400, 'json'],
      ['no description', { ...good, description: '' }, 400, 'xml'],
      ['a wrong key', { ...good, api_key: 'safer311_not-a-key' }, 403, 'xml'],
      ['no key', { ...good, api_key: '' }, 403, 'json'],
    ]
    for (const [name, fields, status, format] of cases) {
      const response = await http.post(
        `/open311/v2/requests.${format}`,
        fields,
        format,
        ErrorsSchema,
        ROOTS.errors!,
        status,
      )
      const errors = response.body as { code: number }[]
      assert.equal(errors[0]?.code, status, name)
    }

    const json = await testApp.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: JSON.stringify(good),
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(json.statusCode, 400)
    checkContract(json, 'json', ErrorsSchema)
    const text = await testApp.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      payload: 'api_key=x',
      headers: { 'content-type': 'text/plain' },
    })
    assert.equal(text.statusCode, 400)
    checkContract(text, 'xml', ErrorsSchema, 'errors')

    const gets: [string, number, Format][] = [
      ['/open311/v2/services.html', 400, 'xml'],
      ['/open311/discovery.yaml', 400, 'xml'],
      ['/open311/v2/services', 404, 'xml'],
      ['/open311/v2/services/potholes.json', 404, 'json'],
      ['/open311/v2/requests/ASB-0101-AAAA.xml', 404, 'xml'],
      ['/open311/v2/tokens/no-such-token.json', 404, 'json'],
      ['/open311/v2/requests.json?start_date=yesterday', 400, 'json'],
      ['/open311/v2/requests.json?start_date=2026-01-01T00:00:00', 400, 'json'],
      ['/open311/v2/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', 400, 'xml'],
      ['/open311/v2/requests.xml?start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z', 400, 'xml'],
      ['/open311/v2/requests.json?status=pending', 400, 'json'],
      ['/open311/v2/requests.json?service_code=potholes', 400, 'json'],
      [
        `/open311/v2/servicerequestupdates.xml?api_key=${encodeURIComponent(key)}&start_date=2026-11-19T00:00:00Z`,
        400,
        'xml',
      ],
      [
        '/open311/v2/servicerequestupdates.xml?start_date=2026-11-19T00:00:00Z&end_date=2026-11-20T00:00:00Z',
        403,
        'xml',
      ],
    ]
    for (const [url, status, format] of gets) await http.get(url, format, ErrorsSchema, ROOTS.errors!, status)
    assert.equal(await reportCount(testApp), before, 'nothing was stored')
  })

  it('refuses a revoked key, and updates to another partner’s requests', async () => {
    const created = await testApp.deps.open311.keys.create('police', 'to revoke', systemActor)
    const fields = { service_code: 'graffiti', ...IN_BOROUGH, description: 'Tags on the wall.', ...ANSWERS }
    const ok = (
      await http.post(
        '/open311/v2/requests.xml',
        { ...fields, api_key: created.key },
        'xml',
        PostRequestResponseSchema,
        ROOTS.requests!,
      )
    ).body as [{ service_request_id: string }]
    await testApp.deps.open311.keys.revoke(created.record.id, systemActor)
    await http.post(
      '/open311/v2/requests.xml',
      { ...fields, description: 'Again.', api_key: created.key },
      'xml',
      ErrorsSchema,
      ROOTS.errors!,
      403,
    )

    const foreign = await http.post(
      '/open311/v2/servicerequestupdates.xml',
      {
        api_key: otherKey,
        service_request_id: ok[0].service_request_id,
        update_id: 'crm-1',
        status: 'CLOSED',
        updated_datetime: '2026-11-20T09:00:00Z',
        description: 'Not ours to close.',
      },
      'xml',
      ErrorsSchema,
      ROOTS.errors!,
      403,
    )
    assert.equal((foreign.body as { code: number }[])[0]?.code, 403)
    const report = await testApp.deps.reporting.reports.findByReference(ok[0].service_request_id)
    assert.equal(report?.status, 'received')

    const audit = await testApp.deps.database.db
      .selectFrom('audit_event')
      .select(['action', 'actor_type', 'actor_id'])
      .where('action', 'in', ['OPEN311_REQUEST_POSTED', 'OPEN311_KEY_REJECTED', 'REPORT_RECEIVED'])
      .execute()
    assert.ok(audit.some(event => event.action === 'OPEN311_REQUEST_POSTED' && event.actor_type === 'api-key'))
    assert.ok(audit.some(event => event.action === 'REPORT_RECEIVED' && event.actor_id === created.record.id))
    assert.ok(audit.some(event => event.action === 'OPEN311_KEY_REJECTED'))
    const stored = await testApp.deps.database.db.selectFrom('open311_api_key').select('key_hash').execute()
    assert.ok(
      stored.every(row => row.key_hash !== created.key && row.key_hash.length === 64),
      'only hashes are kept',
    )
  })

  it('refuses a key revoked elsewhere (another server, the CLI) that this server had already seen', async () => {
    const created = await testApp.deps.open311.keys.create('police', 'revoked elsewhere', systemActor)
    const fields = { service_code: 'graffiti', ...IN_BOROUGH, description: 'Paint on the bus stop.', ...ANSWERS }
    const ok = (
      await http.post(
        '/open311/v2/requests.json',
        { ...fields, api_key: created.key },
        'json',
        PostRequestResponseSchema,
        ROOTS.requests!,
      )
    ).body as [{ service_request_id: string }]
    const { db } = testApp.deps.database
    const posted = await db
      .selectFrom('audit_event')
      .select(['details', 'actor_id'])
      .where('action', '=', 'OPEN311_REQUEST_POSTED')
      .where('actor_id', '=', created.record.id)
      .execute()
    assert.deepEqual(
      posted.map(event => event.details),
      [{ method: 'POST', route: '/open311/v2/requests.:format', status: 200, reference: ok[0].service_request_id }],
      'one audit event for the request, with its report',
    )
    assert.equal(
      (
        await db
          .selectFrom('open311_request as o')
          .innerJoin('report as r', 'r.id', 'o.report_id')
          .select('o.api_key_id')
          .where('r.reference', '=', ok[0].service_request_id)
          .executeTakeFirst()
      )?.api_key_id,
      created.record.id,
    )

    // Not through this server's key service: as `safer api-key revoke` or another server would.
    await db
      .updateTable('open311_api_key')
      .set({ revoked_at: new Date() })
      .where('id', '=', created.record.id)
      .execute()
    const rejectedCount = async () =>
      (
        await db
          .selectFrom('audit_event')
          .select(eb => eb.fn.countAll<number>().as('n'))
          .where('action', '=', 'OPEN311_KEY_REJECTED')
          .executeTakeFirstOrThrow()
      ).n
    const rejectedBefore = await rejectedCount()
    const before = await reportCount(testApp)
    for (const attempt of [
      { ...fields, description: 'A new one.' }, // would be a new report
      fields, // a retry of the request taken above
      { ...fields, service_code: '' }, // malformed
    ])
      await http.post(
        '/open311/v2/requests.json',
        { ...attempt, api_key: created.key },
        'json',
        ErrorsSchema,
        ROOTS.errors!,
        403,
      )
    assert.equal(await reportCount(testApp), before, 'no report from a revoked key')
    assert.equal((await rejectedCount()) - rejectedBefore, 3, 'each refused request is audited')
    const postedAfter = await db
      .selectFrom('audit_event')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'OPEN311_REQUEST_POSTED')
      .where('actor_id', '=', created.record.id)
      .executeTakeFirstOrThrow()
    assert.equal(postedAfter.n, 1, 'refused requests are not recorded as posted by the key')
  })
})

describe('Integration: Open311 queued requests and per-key limits', () => {
  let testApp: TestApp
  let key: string

  before(async () => {
    testApp = await buildTestApp({ config: { OPEN311_QUEUE_AFTER_MS: '0', OPEN311_KEY_RATE_PER_MINUTE: '3' } })
    await ensurePartner(testApp, 'police', 'Metropolitan Police Service')
    key = (await testApp.deps.open311.keys.create('police', 'queue test', systemActor)).key
  })
  after(async () => testApp.close())

  it('answers with a token when the request is queued, and the token leads to the request', async () => {
    const http = client(testApp)
    const posted = (
      await http.post(
        '/open311/v2/requests.xml',
        { api_key: key, service_code: 'graffiti', ...IN_BOROUGH, description: 'Fresh tags.', ...ANSWERS },
        'xml',
        PostRequestResponseSchema,
        ROOTS.requests!,
      )
    ).body as [{ token?: string; service_request_id?: string }]
    const token = posted[0].token
    assert.ok(token, 'a token, not an id')
    const services = (await http.get('/open311/v2/services.json', 'json', ServicesSchema, 'x')).body as {
      type: string
    }[]
    assert.ok(
      services.every(service => service.type === 'batch'),
      'queued services say batch',
    )
    assert.equal(posted[0].service_request_id, undefined)
    let found: { service_request_id?: string } | undefined
    for (let attempt = 0; attempt < 50 && !found?.service_request_id; attempt++) {
      await new Promise(resolve => setTimeout(resolve, 20))
      found = (
        (await http.get(`/open311/v2/tokens/${token}.json`, 'json', TokenResponseSchema, 'x')).body as [
          { service_request_id?: string },
        ]
      )[0]
    }
    assert.match(found?.service_request_id ?? '', /^ASB-/)
    const viaXml = (await http.get(`/open311/v2/tokens/${token}.xml`, 'xml', TokenResponseSchema, ROOTS.requests!))
      .body as [{ service_request_id: string }]
    assert.equal(viaXml[0].service_request_id, found?.service_request_id)
  })

  it('limits each key, answering 429 in the spec’s shape', async () => {
    const http = client(testApp)
    const url = `/open311/v2/servicerequestupdates.json?api_key=${encodeURIComponent(key)}`
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await testApp.app.inject({ method: 'GET', url })).statusCode)
    assert.ok(statuses.includes(429), statuses.join(','))
    await http.get(url, 'json', ErrorsSchema, 'x', 429)
  })
})
