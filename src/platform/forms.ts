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
