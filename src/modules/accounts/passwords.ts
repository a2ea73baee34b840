/**
 * Passwords: argon2id (OWASP's recommended parameters: 19 MiB, 2 iterations, 1 lane) and the rules a new password
 * must meet (NCSC guidance: length over complexity, no common passwords, no forced rotation).
 */
import { hash, verify } from '@node-rs/argon2'

const ARGON2ID = 2
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export const MIN_PASSWORD_LENGTH = 12
export const MAX_PASSWORD_LENGTH = 256

const COMMON = new Set([
  'password1234',
  'password12345',
  'password123456',
  '123456789012',
  'qwertyuiop12',
  'letmein12345',
  'welcome12345',
  'changeme1234',
  'administrator',
  'towerhamlets1',
  'iloveyou1234',
])

export async function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

/** A hash of nothing, verified when the email is unknown so that a miss takes as long as a wrong password. */
let decoy: Promise<string> | undefined
export async function spendVerifyTime(password: string): Promise<void> {
  decoy ??= hashPassword('decoy password for timing only')
  await verifyPassword(await decoy, password)
}

/** The problem with a proposed password, or undefined when it is acceptable. Keys are locale keys. */
export function passwordProblem(password: string, context: { email?: string } = {}): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return 'accounts.errors.passwordTooShort'
  if (password.length > MAX_PASSWORD_LENGTH) return 'accounts.errors.passwordTooLong'
  const lower = password.toLowerCase()
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) return 'accounts.errors.passwordCommon'
  const local = context.email?.split('@')[0]?.toLowerCase()
  if (local && local.length >= 4 && lower.includes(local)) return 'accounts.errors.passwordContainsEmail'
  return undefined
}
