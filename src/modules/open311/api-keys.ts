/**
 * Partner API keys. A key is 32 random bytes shown once; we keep its SHA-256 (a slow hash adds nothing to a random
 * 256-bit secret) and a short prefix so people can tell keys apart. Creating and revoking keys are audited; so is
 * every use, by the routes that accept a key (actor type 'api-key').
 */
import { createHash, randomBytes } from 'node:crypto'

import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { DomainError } from '../../platform/errors.js'
import { isUuid } from '../../platform/identifiers.js'
import type { KeyRecord, Open311Repository } from './open311-repository.js'

export const KEY_PREFIX = 'safer311_'

export type ApiKeyErrorCode = 'name-invalid' | 'partner-unknown' | 'partner-inactive' | 'key-unknown' | 'key-revoked'

/**
 * A key operation refused (a domain error): its code names the message in the locale file
 * (`open311.apiKeyErrors.<code>`), which `safer api-key` prints.
 */
export class ApiKeyError extends DomainError<ApiKeyErrorCode> {
  constructor(code: ApiKeyErrorCode, params: Record<string, string> = {}) {
    super(code, {
      status: code === 'partner-unknown' || code === 'key-unknown' ? 404 : code === 'key-revoked' ? 409 : 400,
      messageKey: `open311.apiKeyErrors.${code}`,
      params,
    })
    this.name = 'ApiKeyError'
  }
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

export function newKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url')
}

export function createApiKeyService(deps: { repository: Open311Repository; audit: AuditService; clock: Clock }) {
  const { repository, audit, clock } = deps
  /** Last time each key's last_used_at was written: at most once a minute per key, not once per request. */
  const touched = new Map<string, number>()
  /**
   * Keys this server found active, by hash. Only a caller that checks the key again where it writes (a POST's
   * postedWithReport, in the report's statement) may answer from here; it forgets a key that check refuses.
   */
  const known = new Map<string, KeyRecord>()

  async function touch(record: KeyRecord): Promise<void> {
    const now = clock.now()
    const last = touched.get(record.id) ?? 0
    if (now.getTime() - last >= 60_000 || now.getTime() < last) {
      touched.set(record.id, now.getTime())
      await repository.touchKey(record.id, now)
    }
  }

  return {
    async create(partnerCode: string, label: string, actor: Actor): Promise<{ key: string; record: KeyRecord }> {
      const name = label.trim()
      if (name === '' || name.length > 200) throw new ApiKeyError('name-invalid', { max: '200' })
      const partner = await repository.findPartner(partnerCode)
      if (!partner) throw new ApiKeyError('partner-unknown', { partner: partnerCode })
      if (!partner.active) throw new ApiKeyError('partner-inactive', { partner: partnerCode })
      const key = newKey()
      const id = await repository.insertKey({
        partnerId: partner.id,
        label: name,
        keyPrefix: key.slice(0, KEY_PREFIX.length + 6),
        keyHash: hashKey(key),
        at: clock.now(),
      })
      await audit.record({
        actor,
        action: 'OPEN311_KEY_CREATED',
        subjectType: 'open311_api_key',
        subjectId: id,
        details: { partner: partner.code },
      })
      const record = await repository.findKey(id)
      if (!record) throw new Error('created key not found')
      return { key, record }
    },

    async revoke(id: string, actor: Actor): Promise<KeyRecord> {
      const record = isUuid(id) ? await repository.findKey(id) : undefined
      if (!record) throw new ApiKeyError('key-unknown', { id })
      if (record.revokedAt) throw new ApiKeyError('key-revoked', { id })
      await repository.revokeKey(id, clock.now())
      for (const [hash, entry] of known) if (entry.id === id) known.delete(hash)
      await audit.record({ actor, action: 'OPEN311_KEY_REVOKED', subjectType: 'open311_api_key', subjectId: id })
      return { ...record, revokedAt: clock.now() }
    },

    list: () => repository.listKeys(),

    /** The key's record when it is known, not revoked and its partner active; undefined otherwise. */
    async authenticate(key: string | null): Promise<KeyRecord | undefined> {
      if (!key || key.length > 200) return undefined
      const hash = hashKey(key)
      const record = await repository.findActiveKeyByHash(hash)
      if (!record) {
        known.delete(hash)
        return undefined
      }
      known.set(hash, record)
      await touch(record)
      return record
    },

    /**
     * The key as this server last found it active, without reading the database; undefined when it has not (then
     * `authenticate`). For callers that check the key again where they write, and `forget` it when that check fails.
     */
    async remembered(key: string | null): Promise<KeyRecord | undefined> {
      if (!key || key.length > 200) return undefined
      const record = known.get(hashKey(key))
      if (record) await touch(record)
      return record
    },

    forget(key: string | null): void {
      if (key) known.delete(hashKey(key))
    },
  }
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>
