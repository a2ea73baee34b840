/**
 * The two wire formats of GeoReport v2. Every response is built once as Spark-convention JSON (root dropped,
 * repeating children always arrays); XML is derived from it by naming the root and each container's child element.
 * Datetimes are W3C-DTF with an offset and no fractions.
 */
import XMLBuilder from 'fast-xml-builder'

export type Format = 'xml' | 'json'

export const CONTENT_TYPES: Record<Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
}

export function parseFormat(suffix: string): Format | undefined {
  return suffix === 'xml' || suffix === 'json' ? suffix : undefined
}

/** Root element and child element of each top-level response. */
export const ROOTS = {
  services: ['services', 'service'],
  serviceRequests: ['service_requests', 'request'],
  errors: ['errors', 'error'],
  updates: ['service_request_updates', 'request_update'],
} as const

/** Containers inside an object and the name of their repeating child. */
const CHILD: Record<string, string> = {
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  groups: 'group',
}

type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json }

function xmlValue(value: Json, container?: string): unknown {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) {
    const child = container ? CHILD[container] : undefined
    if (!child) throw new Error(`No XML element name for items of ${container ?? 'an array'}`)
    return { [child]: value.map(item => xmlValue(item)) }
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[key] = xmlValue(item, key)
    return out
  }
  return String(value)
}

const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: false })
const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'

/** A list response (`[...]` in JSON) as XML: `<root><child>…</child>…</root>`. */
export function listToXml(root: string, child: string, items: readonly object[]): string {
  return DECLARATION + builder.build({ [root]: { [child]: items.map(item => xmlValue(item as Json)) } })
}

/** An object response as XML under one root element. */
export function objectToXml(root: string, body: object): string {
  return DECLARATION + builder.build({ [root]: xmlValue(body as Json) })
}

export interface SpecError {
  code: number
  description: string
}

export function errorsBody(format: Format, errors: readonly SpecError[]): string {
  return format === 'json' ? JSON.stringify(errors) : listToXml(ROOTS.errors[0], ROOTS.errors[1], errors)
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

/** London's offset from UTC in minutes for the hour a moment falls in (it changes only on the hour). */
const offsets = new Map<number, number>()
function londonOffsetMinutes(ms: number): number {
  const hour = Math.floor(ms / 3_600_000)
  let offset = offsets.get(hour)
  if (offset === undefined) {
    const whole = hour * 3_600_000
    const parts = Object.fromEntries(LONDON.formatToParts(new Date(whole)).map(part => [part.type, part.value]))
    const local = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    )
    offset = Math.round((local - whole) / 60_000)
    if (offsets.size > 100_000) offsets.clear()
    offsets.set(hour, offset)
  }
  return offset
}

/** `2026-07-01T10:00:00+01:00`: London local time with its offset, whole seconds. */
export function w3cDateTime(date: Date): string {
  const ms = Math.floor(date.getTime() / 1000) * 1000
  const offsetMinutes = londonOffsetMinutes(ms)
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/** The London calendar date and time (HH:MM) of a moment, for the intake's occurredOn and occurredTime. */
export function londonDateAndTime(date: Date): { date: string; time: string } {
  const [day, time] = w3cDateTime(date).split('T') as [string, string]
  return { date: day, time: time.slice(0, 5) }
}

const W3C = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/** Parses a W3C datetime with a zone (fractions accepted on input); undefined when it is not one. */
export function parseW3cDateTime(input: string): Date | undefined {
  const match = W3C.exec(input.trim())
  if (!match) return undefined
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number]
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined
  const date = new Date(input.trim())
  if (Number.isNaN(date.getTime())) return undefined
  // Reject dates JavaScript rolls over (31 June → 1 July).
  const check = new Date(Date.UTC(y, mo - 1, d))
  return check.getUTCDate() === d ? date : undefined
}
