/**
 * Record identifiers. Safer's records are keyed by UUIDs; a value from a URL or a form is checked with `isUuid` before
 * it reaches a query, so a malformed one answers as a missing record (404 or a form error) and never as a database
 * error (PostgreSQL refuses to compare a uuid column with text that is not one).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}
