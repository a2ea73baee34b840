/**
 * Secrets at rest: values that must never sit in the database in plaintext (a resident's tracking code, a password
 * reset link, a check-in link) are sealed with AES-256-GCM before they are written and opened only at the moment
 * they are used. The key comes from configuration (HKDF-SHA256 over a configured secret, one key per purpose), so a
 * copy of the database alone reveals nothing.
 *
 * A sealed value is `sealed:v1:` + base64url(iv ‖ tag ‖ ciphertext). The associated data is the field's name, so a
 * sealed value cannot be moved to another field unnoticed.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const PREFIX = 'sealed:v1:'
const IV_BYTES = 12
const TAG_BYTES = 16

/** What a redacted field holds once its message has been sent (or has failed for good). */
export const REDACTED = '[redacted]'

/** A sealed value that cannot be opened: the key changed, or the value was altered. */
export class SealError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SealError'
  }
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX)
}

export function createSealer(secret: string, purpose: string) {
  const key = Buffer.from(hkdfSync('sha256', secret, 'safer', purpose, 32))

  function seal(value: string, context: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', key, iv)
    cipher.setAAD(Buffer.from(context, 'utf8'))
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
    return `${PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`
  }

  function open(sealed: string, context: string): string {
    if (!isSealed(sealed)) throw new SealError('not a sealed value')
    const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64url')
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SealError('sealed value is too short')
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES))
      decipher.setAAD(Buffer.from(context, 'utf8'))
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
    } catch {
      throw new SealError('sealed value cannot be opened with this key')
    }
  }

  return { seal, open }
}

export type Sealer = ReturnType<typeof createSealer>

/**
 * The notification outbox's personalisation: every value is sealed (field names stay readable, for diagnosis), opened
 * by the dispatcher just before it hands the message to GOV.UK Notify, and redacted once the message is sent.
 */
export function createPersonalisationSealer(secret: string) {
  const sealer = createSealer(secret, 'safer notification-outbox personalisation v1')
  return {
    seal(personalisation: Record<string, string>): Record<string, string> {
      return Object.fromEntries(
        Object.entries(personalisation).map(([name, value]) => [name, sealer.seal(value, name)]),
      )
    },
    /** Opens every sealed value; throws SealError if one cannot be opened. */
    open(personalisation: Record<string, unknown>): Record<string, string> {
      return Object.fromEntries(
        Object.entries(personalisation).map(([name, value]) => [
          name,
          isSealed(value) ? sealer.open(value, name) : String(value),
        ]),
      )
    },
  }
}

export type PersonalisationSealer = ReturnType<typeof createPersonalisationSealer>

/** The field names only: what a sent message keeps of its personalisation. */
export function redactPersonalisation(personalisation: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.keys(personalisation).map(name => [name, REDACTED]))
}
