import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'

import type { TSchema } from 'typebox'

import { checkContract } from './open311-contract.js'
import { listToXml, objectToXml, parseW3cDateTime, w3cDateTime } from './open311-formats.js'
import {
  DiscoverySchema,
  ErrorsSchema,
  PostRequestResponseSchema,
  RequestUpdatesSchema,
  ServiceDefinitionSchema,
  ServiceRequestsSchema,
  ServicesSchema,
  TokenResponseSchema,
} from './open311-schemas.js'

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8')
const asXml = (body: string) => ({ statusCode: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body })

const FIXTURES: [string, TSchema, string][] = [
  ['discovery.xml', DiscoverySchema, 'discovery'],
  ['services.xml', ServicesSchema, 'services'],
  ['service-definition.xml', ServiceDefinitionSchema, 'service_definition'],
  ['post-request-response.xml', PostRequestResponseSchema, 'service_requests'],
  ['token-response.xml', TokenResponseSchema, 'service_requests'],
  ['requests.xml', ServiceRequestsSchema, 'service_requests'],
  ['errors.xml', ErrorsSchema, 'errors'],
  ['service-request-updates.xml', RequestUpdatesSchema, 'service_request_updates'],
]

describe('open311 contract: the schemas against the specification’s own examples', () => {
  for (const [name, schema, root] of FIXTURES) {
    it(`accepts ${name}`, () => {
      const body = checkContract(asXml(fixture(name)), 'xml', schema, root)
      assert.ok(body !== undefined)
    })
  }

  it('reads repeating elements as arrays even when there is one, as FixMyStreet does', () => {
    const body = checkContract(asXml(fixture('errors.xml')), 'xml', ErrorsSchema, 'errors')
    assert.deepEqual(body, [
      { code: 403, description: "Invalid api_key received -- can't proceed with create_request." },
    ])
  })

  it('rejects documents that break the spec', () => {
    const broken: [string, string, string, TSchema][] = [
      ['requests.xml', '<status>closed</status>', '<status>pending</status>', ServiceRequestsSchema],
      ['requests.xml', '2010-04-14T06:37:38-08:00', '2010-04-14 06:37:38', ServiceRequestsSchema],
      ['services.xml', '<type>realtime</type>', '<type>sometimes</type>', ServicesSchema],
      ['service-definition.xml', '<datatype>string</datatype>', '<datatype>colour</datatype>', ServiceDefinitionSchema],
      ['token-response.xml', '<token>12345</token>', '', TokenResponseSchema],
      ['discovery.xml', '<type>test</type>', '<type>staging</type>', DiscoverySchema],
    ]
    for (const [name, from, to, schema] of broken) {
      const text = fixture(name).replace(from, to)
      assert.throws(() => checkContract(asXml(text), 'xml', schema), /Open311 contract/, `${name}: ${to}`)
    }
  })

  it('rejects the wrong content type and a missing declaration', () => {
    const xml = fixture('errors.xml')
    assert.throws(
      () =>
        checkContract(
          { statusCode: 400, headers: { 'content-type': 'application/xml' }, body: xml },
          'xml',
          ErrorsSchema,
        ),
      /content-type/,
    )
    assert.throws(
      () => checkContract(asXml(xml.replace(/^<\?xml[^>]*>\n/, '')), 'xml', ErrorsSchema),
      /no XML declaration/,
    )
  })
})

describe('open311 formats', () => {
  it('writes XML that reads back to the same Spark JSON', () => {
    const requests = [
      {
        service_request_id: 'ASB-2611-4F7K',
        status: 'open',
        service_name: 'Noise & <music>',
        service_code: 'noise_music',
        requested_datetime: '2026-11-20T10:00:00Z',
        updated_datetime: '2026-11-20T10:00:00Z',
        address: 'Spitalfields, Tower Hamlets',
        address_id: null,
        zipcode: 'E1',
        lat: 51.52,
        long: -0.07,
        media_url: null,
      },
    ]
    const xml = listToXml('service_requests', 'request', requests)
    assert.deepEqual(checkContract(asXml(xml), 'xml', ServiceRequestsSchema, 'service_requests'), requests)
    const definition = { service_code: 'x', attributes: [] }
    assert.deepEqual(
      checkContract(asXml(objectToXml('service_definition', definition)), 'xml', ServiceDefinitionSchema),
      definition,
    )
  })

  it('writes W3C datetimes in London time with the offset and no fractions', () => {
    assert.equal(w3cDateTime(new Date('2026-01-15T10:00:00.789Z')), '2026-01-15T10:00:00+00:00')
    assert.equal(w3cDateTime(new Date('2026-07-01T10:00:00Z')), '2026-07-01T11:00:00+01:00')
  })

  it('reads W3C datetimes only with a zone, and only real dates', () => {
    assert.equal(parseW3cDateTime('2026-07-01T11:00:00+01:00')?.toISOString(), '2026-07-01T10:00:00.000Z')
    assert.equal(parseW3cDateTime('2026-07-01T10:00:00Z')?.toISOString(), '2026-07-01T10:00:00.000Z')
    assert.equal(parseW3cDateTime('2026-07-01T10:00:00'), undefined)
    assert.equal(parseW3cDateTime('2026-07-01'), undefined)
    assert.equal(parseW3cDateTime('2026-06-31T10:00:00Z'), undefined)
    assert.equal(parseW3cDateTime('yesterday'), undefined)
  })
})
