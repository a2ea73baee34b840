/**
 * Human references (ASB-2611-4F7K) and tracking codes. Both use an alphabet without characters people confuse when
 * reading aloud or copying: no 0/O, 1/I/L, U/V, 5/S, 2/Z or 8/B.
 */
import { createHash, createHmac, randomInt } from 'node:crypto'

export const UNAMBIGUOUS = '34679ACDEFGHJKMNPQRTWXY'

function randomChars(length: number, random: (max: number) => number = randomInt): string {
  let out = ''
  for (let i = 0; i < length; i++) out += UNAMBIGUOUS.charAt(random(UNAMBIGUOUS.length))
  return out
}

/** `ASB-YYMM-XXXX`: the year and month it was received (UTC), then four random characters. */
export function newReference(receivedAt: Date, random?: (max: number) => number): string {
  const yy = String(receivedAt.getUTCFullYear() % 100).padStart(2, '0')
  const mm = String(receivedAt.getUTCMonth() + 1).padStart(2, '0')
  return `ASB-${yy}${mm}-${randomChars(4, random)}`
}

export const REFERENCE_PATTERN = /^ASB-\d{4}-[34679ACDEFGHJKMNPQRTWXY]{4}$/

/** Accepts what a person types: any case, spaces or missing hyphens. Returns null when it cannot be a reference. */
export function normaliseReference(input: string): string | null {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '')
  const match = /^ASB(\d{4})([A-Z0-9]{4})$/.exec(compact)
  if (!match?.[1] || !match[2]) return null
  const reference = `ASB-${match[1]}-${match[2]}`
  return REFERENCE_PATTERN.test(reference) ? reference : null
}

/** A 12-character tracking code, shown as XXXX-XXXX-XXXX. Random, or derived from a secret and a key (idempotent). */
export function newTrackingCode(derivedFrom?: { secret: string; key: string }): string {
  if (!derivedFrom) return randomChars(12)
  const digest = createHmac('sha256', derivedFrom.secret).update(`tracking:${derivedFrom.key}`).digest()
  let out = ''
  for (let i = 0; i < 12; i++) out += UNAMBIGUOUS.charAt((digest[i] ?? 0) % UNAMBIGUOUS.length)
  return out
}

export function normaliseTrackingCode(input: string): string {
  return input.toUpperCase().replace(/[^A-Z0-9]/g, '')
}

export function formatTrackingCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1-')
}

export function hashTrackingCode(code: string): string {
  return createHash('sha256').update(normaliseTrackingCode(code)).digest('hex')
}

/** A pseudonymous key for a reporter's email or phone number, so repeat callers are found without matching on PII. */
export function reporterKey(pepper: string, contact: { email?: string | null; phone?: string | null }): string | null {
  const email = contact.email?.trim().toLowerCase()
  const phone = contact.phone?.replace(/[^\d+]/g, '').replace(/^\+44/, '0')
  const basis = email ? `email:${email}` : phone ? `phone:${phone}` : null
  return basis ? createHmac('sha256', pepper).update(basis).digest('hex') : null
}
