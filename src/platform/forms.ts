/**
 * Shared shapes for GOV.UK forms: a map of field id to message, and the error summary the layout shows above the
 * form (ADR 0004). Field ids are the inputs' ids, so each summary link moves focus to its field.
 */
export type FieldErrors = Record<string, string>

export function errorSummary(errors: FieldErrors): { text: string; href: string }[] {
  return Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` }))
}

/** A form body's field as a trimmed string ('' when absent or not a string). */
export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | null | undefined)?.[name]
  return typeof value === 'string' ? value.trim() : ''
}

/** A form body's repeated field (checkboxes) as strings. */
export function fields(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | null | undefined)?.[name]
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string')
  return typeof value === 'string' && value !== '' ? [value] : []
}

/** A local path to return to after a step, or the fallback: never another site (open redirect). */
export function safeNext(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : fallback
}

/**
 * A GOV.UK date input (`<name>-day`, `-month`, `-year`) as typed (`parts`, to show again) and as YYYY-MM-DD: '' when
 * left empty, undefined when not a real date (a year outside 1900 to 2200 included).
 */
export function dateInput(body: unknown, name: string): { value: string | undefined; parts: Record<string, string> } {
  const parts = {
    day: field(body, `${name}-day`),
    month: field(body, `${name}-month`),
    year: field(body, `${name}-year`),
  }
  if (!parts.day && !parts.month && !parts.year) return { value: '', parts }
  const [d, m, y] = [Number(parts.day), Number(parts.month), Number(parts.year)]
  if (!Number.isInteger(d) || !Number.isInteger(m) || !Number.isInteger(y) || y < 1900 || y > 2200)
    return { value: undefined, parts }
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return { value: undefined, parts }
  return { value: date.toISOString().slice(0, 10), parts }
}
