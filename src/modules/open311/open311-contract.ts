/**
 * The contract check the tests run on every Open311 response: the content type, UTF-8, the XML declaration, and the
 * body against the TypeBox schema written from the spec. An XML body is read as FixMyStreet reads it (repeating
 * elements always lists, containers unwrapped) and converted to the Spark JSON shape, so one schema covers both.
 */
import { XMLParser } from 'fast-xml-parser'
import type { TSchema } from 'typebox'
import Value from 'typebox/value'

import { CONTENT_TYPES, type Format } from './open311-formats.js'

/** Elements that always repeat, and the containers that hold them (FixMyStreet's ForceArray and GroupTags). */
const REPEATING = ['service', 'attribute', 'value', 'request', 'error', 'request_update', 'endpoint', 'format', 'group']
const CONTAINERS: Record<string, string> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  errors: 'error',
  service_request_updates: 'request_update',
  endpoints: 'endpoint',
  formats: 'format',
  groups: 'group',
}
const BOOLEANS = new Set(['service.metadata', 'attribute.variable', 'attribute.required'])
const NUMBERS = new Set(['attribute.order', 'error.code', 'discovery.max_requests', 'request.lat', 'request.long'])
/** Request fields an empty element means null for (XML has no null). */
const NULLABLE = new Set([
  'status_notes',
  'agency_responsible',
  'service_notice',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
  'description',
])

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  isArray: (name: string, jpath: unknown) =>
    name === 'group' ? String(jpath).endsWith('groups.group') : REPEATING.includes(name),
})

/** `parent` is the element the value sits in (request, attribute, error…): it decides how text is typed. */
function convert(key: string, value: unknown, parent: string): unknown {
  const child = CONTAINERS[key]
  if (child !== undefined) {
    if (value === '' || value === undefined) return []
    const items = (value as Record<string, unknown>)[child]
    return Array.isArray(items) ? items.map(item => convert(child, item, child)) : []
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(k, v, key)]))
  }
  const text = typeof value === 'string' ? value : ''
  const name = `${parent}.${key}`
  if (parent === 'request' && NULLABLE.has(key) && text === '') return null
  if (BOOLEANS.has(name)) return text === 'true' ? true : text === 'false' ? false : text
  if (NUMBERS.has(name) && text !== '') return Number(text)
  return text
}

/** The XML body in Spark JSON: a list root becomes an array, an object root an object. */
export function xmlToSpark(xml: string): { root: string; body: unknown } {
  const parsed = parser.parse(xml) as Record<string, unknown>
  const [root] = Object.keys(parsed)
  if (!root) throw new Error('empty XML document')
  const content = parsed[root]
  const child = CONTAINERS[root]
  if (child !== undefined) return { root, body: convert(root, content, root) }
  return { root, body: convert(root, content === '' ? {} : content, '') }
}

export interface ContractResponse {
  statusCode: number
  headers: Record<string, unknown>
  body: string
}

/** Checks one response; returns the body as Spark JSON. Throws with every problem found. */
export function checkContract(
  response: ContractResponse,
  format: Format,
  schema: TSchema,
  expectedRoot?: string,
): unknown {
  const problems: string[] = []
  const header = response.headers['content-type']
  const type = typeof header === 'string' ? header : ''
  if (type !== CONTENT_TYPES[format]) problems.push(`content-type is "${type}", not "${CONTENT_TYPES[format]}"`)
  let body: unknown
  if (format === 'xml') {
    if (!response.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')) problems.push('no XML declaration')
    const parsed = xmlToSpark(response.body)
    if (expectedRoot && parsed.root !== expectedRoot) problems.push(`root is <${parsed.root}>, not <${expectedRoot}>`)
    body = parsed.body
  } else {
    body = JSON.parse(response.body) as unknown
  }
  for (const error of Value.Errors(schema, body)) problems.push(`${error.instancePath || '/'} ${error.message}`)
  if (problems.length > 0)
    throw new Error(`Open311 contract (${format}, ${String(response.statusCode)}):\n  ${problems.join('\n  ')}`)
  return body
}
