/**
 * The second factor: RFC 6238 time-based one-time codes (30 s, 6 digits, SHA-1: what every authenticator app reads),
 * through the otpauth library. Secrets are stored encrypted (AES-256-GCM, key derived from SESSION_SECRET with HKDF),
 * and a code's time step is remembered so the same code cannot be used twice.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'

const PERIOD_SECONDS = 30

function key(appSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'safer-totp', 'totp-secret-encryption', 32))
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

export function encryptSecret(base32: string, appSecret: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key(appSecret), iv)
  const body = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(
    '.',
  )
}

export function decryptSecret(stored: string, appSecret: string): string {
  const [version, iv, tag, body] = stored.split('.')
  if (version !== 'v1' || !iv || !tag || !body) throw new Error('Unrecognised TOTP secret format')
  const decipher = createDecipheriv('aes-256-gcm', key(appSecret), Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
}

function totp(base32: string, label = 'staff', issuer = 'Safer'): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(base32),
  })
}

/** The code for a moment (tests and the demo's sign-in helper). */
export function totpCode(base32: string, at: Date): string {
  return totp(base32).generate({ timestamp: at.getTime() })
}

/**
 * The time step a code belongs to, accepting one step either side for clock drift, or undefined when it is wrong.
 */
export function matchTotp(base32: string, code: string, at: Date): number | undefined {
  const clean = code.replace(/[\s-]/g, '')
  if (!/^\d{6}$/.test(clean)) return undefined
  const delta = totp(base32).validate({ token: clean, timestamp: at.getTime(), window: 1 })
  if (delta === null) return undefined
  return Math.floor(at.getTime() / 1000 / PERIOD_SECONDS) + delta
}

/** The otpauth:// URI and a QR code (SVG markup) for enrolling an authenticator app. */
export async function enrolment(
  base32: string,
  label: string,
  issuer: string,
): Promise<{ uri: string; qrSvg: string }> {
  const uri = totp(base32, label, issuer).toString()
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
  return { uri, qrSvg }
}

/** The secret grouped in fours, for typing into an app by hand. */
export function groupedSecret(base32: string): string {
  return base32.replace(/(.{4})/g, '$1 ').trim()
}
