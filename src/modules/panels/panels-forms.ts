/** Small helpers for the panels forms: GOV.UK date inputs and submission ids. */
import Type from 'typebox'

import { formatLongDate } from '../../platform/dates.js'
import { field } from '../../platform/forms.js'
import { isIsoDate } from '../../platform/working-days.js'

export interface DateParts {
  day: string
  month: string
  year: string
}

export function dateParts(body: unknown, name: string): DateParts {
  return { day: field(body, `${name}-day`), month: field(body, `${name}-month`), year: field(body, `${name}-year`) }
}

/** `YYYY-MM-DD` from GOV.UK date input parts, or null when they do not make a real date. */
export function isoFromParts(parts: DateParts): string | null {
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) return null
  const iso = `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`
  return isIsoDate(iso) ? iso : null
}

export function partsFromIso(iso: string | null | undefined): DateParts {
  if (!iso || !isIsoDate(iso)) return { day: '', month: '', year: '' }
  const [year, month, day] = iso.split('-') as [string, string, string]
  return { day: String(Number(day)), month: String(Number(month)), year }
}

/**
 * Dates typed one per line as day/month/year (14/3/2026) or ISO (2026-03-14). Returns the ISO dates and the lines
 * that are not dates.
 */
export function parseDateLines(text: string): { dates: string[]; invalid: string[] } {
  const dates: string[] = []
  const invalid: string[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '') continue
    const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(line)
    const iso = uk ? isoFromParts({ day: uk[1] ?? '', month: uk[2] ?? '', year: uk[3] ?? '' }) : null
    const value = iso ?? (isIsoDate(line) ? line : null)
    if (value) dates.push(value)
    else invalid.push(line)
  }
  return { dates: [...new Set(dates)].sort(), invalid }
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return ''
  return formatLongDate(iso)
}

/**
 * A form post, any fields, each a string or repeated strings: what is wrong with a value is the service's to say, on
 * the form with a GOV.UK error summary and 400, never Fastify's bare 400.
 */
export const FormBody = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]))
