/**
 * Staff accounts: creating partners, teams and users; signing in with a password then a one-time code (TOTP
 * enrolment on first sign-in); lockout after repeated failures; idle and absolute session timeouts; password reset by
 * email through the notifications outbox. Every sign-in event, lockout and account change is an audit event.
 */
import { createHash, randomBytes } from 'node:crypto'

import type { Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import {
  createAccountsRepository,
  type AccountsRepository,
  type SessionRecord,
  type UserRecord,
} from './accounts-repository.js'
import { hashPassword, passwordProblem, spendVerifyTime, verifyPassword } from './passwords.js'
import { isRole, type Role } from './roles.js'
import { decryptSecret, encryptSecret, enrolment, groupedSecret, matchTotp, newTotpSecret } from './totp.js'

export interface AccountsPolicy {
  idleMinutes: number
  absoluteHours: number
  maxFailures: number
  lockoutMinutes: number
}

/** Minutes a half-signed-in session (password accepted, code not yet) lives. */
const SECOND_FACTOR_MINUTES = 10
const RESET_MINUTES = 60
/** Last-seen is written at most this often, so reading pages does not write on every request. */
const TOUCH_EVERY_MS = 60_000

export class AccountsError extends Error {
  constructor(
    readonly field: string,
    readonly messageKey: string,
  ) {
    super(messageKey)
    this.name = 'AccountsError'
  }
}

export type PasswordResult = { kind: 'ok'; token: string; enrolled: boolean } | { kind: 'invalid' } | { kind: 'locked' }

export type CodeResult = { kind: 'ok'; token: string; user: UserRecord } | { kind: 'invalid' } | { kind: 'locked' }

export type SessionLookup =
  | { kind: 'none' }
  | { kind: 'expired' }
  | { kind: 'signed-in'; session: SessionRecord }
  | { kind: 'second-factor'; session: SessionRecord }

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * The session identifier written on audit rows: not the cookie, nor the user_session key, but a short hash of that
 * key, so whoever reads the audit trail can tell one sign-in from another and nothing more (docs/audit.md).
 */
export function auditSessionId(sessionKey: string): string {
  return createHash('sha256').update(`audit-session:${sessionKey}`).digest('hex').slice(0, 16)
}

function newToken(): string {
  return randomBytes(32).toString('base64url')
}

function userActor(id: string): Actor {
  return { type: 'user', id }
}

export function createAccountsService(deps: {
  db: Kysely<Database>
  audit: AuditService
  clock: Clock
  secret: string
  policy: AccountsPolicy
  serviceName?: string
}) {
  const { audit, clock, secret, policy } = deps
  const repository: AccountsRepository = createAccountsRepository(deps.db)
  const issuer = deps.serviceName ?? 'Safer'

  function locked(user: UserRecord, now: Date): boolean {
    return user.lockedUntil !== null && user.lockedUntil > now
  }

  async function fail(user: UserRecord, now: Date, stage: 'password' | 'code'): Promise<{ locked: boolean }> {
    const lockUntil = new Date(now.getTime() + policy.lockoutMinutes * 60_000)
    const { failures, locked: nowLocked } = await repository.recordFailure(user.id, policy.maxFailures, lockUntil)
    await audit.record({
      actor: userActor(user.id),
      action: nowLocked ? 'accounts.locked' : 'accounts.sign-in-failed',
      subjectType: 'staff_user',
      subjectId: user.id,
      details: { stage, failures },
    })
    return { locked: nowLocked }
  }

  async function completeSession(user: UserRecord, previousToken: string, now: Date): Promise<string> {
    const token = newToken()
    await repository.transaction(async trx => {
      // A new id at each step: whatever session id an attacker planted before sign-in is worthless after it.
      await repository.deleteSession(hashToken(previousToken), trx)
      await repository.createSession(
        {
          id: hashToken(token),
          userId: user.id,
          stage: 'complete',
          now,
          expiresAt: new Date(now.getTime() + policy.absoluteHours * 3_600_000),
        },
        trx,
      )
      await repository.setUserFields(user.id, { failed_attempts: 0, locked_until: null, last_sign_in_at: now }, trx)
      await audit.record(
        { actor: userActor(user.id), action: 'accounts.signed-in', subjectType: 'staff_user', subjectId: user.id },
        trx,
      )
    })
    return token
  }

  async function validateNewUser(input: {
    email: string
    displayName: string
    roles: readonly string[]
  }): Promise<Role[]> {
    if (!EMAIL_PATTERN.test(input.email.trim())) throw new AccountsError('email', 'accounts.errors.email')
    if (input.displayName.trim().length === 0) throw new AccountsError('displayName', 'accounts.errors.displayName')
    const roles = input.roles.filter(isRole)
    if (roles.length === 0 || roles.length !== input.roles.length) {
      throw new AccountsError('roles', 'accounts.errors.roles')
    }
    return roles
  }

  return {
    repository,

    async createPartner(actor: Actor, input: { code: string; name: string; kind: string }) {
      const code = input.code.trim().toLowerCase()
      if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(code)) throw new AccountsError('code', 'accounts.errors.partnerCode')
      if (input.name.trim().length === 0) throw new AccountsError('name', 'accounts.errors.partnerName')
      if (!/^[a-z][a-z-]{1,39}$/.test(input.kind)) throw new AccountsError('kind', 'accounts.errors.partnerKind')
      return repository.transaction(async trx => {
        if (await repository.partnerByCode(code, trx)) throw new AccountsError('code', 'accounts.errors.partnerExists')
        const partner = await repository.createPartner({ code, name: input.name.trim(), kind: input.kind }, trx)
        await audit.record(
          { actor, action: 'accounts.partner-created', subjectType: 'partner', subjectId: partner.id },
          trx,
        )
        return partner
      })
    },

    async createTeam(actor: Actor, input: { partnerCode: string; code: string; name: string }) {
      return repository.transaction(async trx => {
        const partner = await repository.partnerByCode(input.partnerCode, trx)
        if (!partner) throw new AccountsError('partner', 'accounts.errors.partnerUnknown')
        const existing = await repository.teamByCode(input.code, trx)
        if (existing) return existing
        const team = await repository.createTeam({ partnerId: partner.id, code: input.code, name: input.name }, trx)
        await audit.record({ actor, action: 'accounts.team-created', subjectType: 'team', subjectId: team.id }, trx)
        return team
      })
    },

    /**
     * A new staff user. Without a password one is generated (and returned once); either way the user sets up their
     * authenticator at first sign-in. A TOTP secret may be given for the demo's known accounts.
     */
    async createUser(
      actor: Actor,
      input: {
        email: string
        displayName: string
        partnerCode: string
        teamCode?: string | undefined
        roles: readonly string[]
        password?: string | undefined
        totpSecret?: string | undefined
      },
    ): Promise<{ id: string; password: string }> {
      const roles = await validateNewUser(input)
      const password = input.password ?? randomBytes(15).toString('base64url')
      const problem = passwordProblem(password, { email: input.email })
      if (problem) throw new AccountsError('password', problem)
      const passwordHash = await hashPassword(password)
      const id = await repository.transaction(async trx => {
        const partner = await repository.partnerByCode(input.partnerCode, trx)
        if (!partner) throw new AccountsError('partner', 'accounts.errors.partnerUnknown')
        let teamId: string | null = null
        if (input.teamCode) {
          const team = await repository.teamByCode(input.teamCode, trx)
          if (team?.partner_id !== partner.id) throw new AccountsError('team', 'accounts.errors.teamUnknown')
          teamId = team.id
        }
        if (await repository.userByEmail(input.email, trx))
          throw new AccountsError('email', 'accounts.errors.emailExists')
        const userId = await repository.createUser(
          { email: input.email, displayName: input.displayName, partnerId: partner.id, teamId, passwordHash, roles },
          trx,
        )
        if (input.totpSecret) {
          await repository.setUserFields(
            userId,
            { totp_secret: encryptSecret(input.totpSecret, secret), totp_confirmed_at: clock.now() },
            trx,
          )
        }
        await audit.record(
          {
            actor,
            action: 'accounts.user-created',
            subjectType: 'staff_user',
            subjectId: userId,
            details: { roles, partner: partner.code },
          },
          trx,
        )
        return userId
      })
      return { id, password }
    },

    async updateUser(
      actor: Actor,
      id: string,
      version: number,
      input: { displayName: string; partnerCode: string; teamCode?: string | undefined; roles: readonly string[] },
    ): Promise<void> {
      if (input.displayName.trim().length === 0) throw new AccountsError('displayName', 'accounts.errors.displayName')
      const roles = input.roles.filter(isRole)
      if (roles.length === 0 || roles.length !== input.roles.length) {
        throw new AccountsError('roles', 'accounts.errors.roles')
      }
      await repository.transaction(async trx => {
        const partner = await repository.partnerByCode(input.partnerCode, trx)
        if (!partner) throw new AccountsError('partner', 'accounts.errors.partnerUnknown')
        let teamId: string | null = null
        if (input.teamCode) {
          const team = await repository.teamByCode(input.teamCode, trx)
          if (team?.partner_id !== partner.id) throw new AccountsError('team', 'accounts.errors.teamUnknown')
          teamId = team.id
        }
        await repository.updateUser(
          id,
          version,
          { displayName: input.displayName, partnerId: partner.id, teamId, roles },
          trx,
        )
        // Changed roles or partner take effect now: the user signs in again.
        await repository.deleteSessionsForUser(id, trx)
        await audit.record(
          {
            actor,
            action: 'accounts.user-updated',
            subjectType: 'staff_user',
            subjectId: id,
            details: { roles, partner: partner.code },
          },
          trx,
        )
      })
    },

    /** Disable, enable, unlock or reset the second factor of a user (administrators). */
    async administer(actor: Actor, id: string, action: 'disable' | 'enable' | 'unlock' | 'reset-two-factor') {
      const now = clock.now()
      await repository.transaction(async trx => {
        if (action === 'disable') {
          await repository.setUserFields(id, { disabled_at: now }, trx)
          await repository.deleteSessionsForUser(id, trx)
        } else if (action === 'enable') {
          await repository.setUserFields(id, { disabled_at: null }, trx)
        } else if (action === 'unlock') {
          await repository.setUserFields(id, { failed_attempts: 0, locked_until: null }, trx)
        } else {
          await repository.setUserFields(id, { totp_secret: null, totp_confirmed_at: null, last_totp_step: null }, trx)
          await repository.deleteSessionsForUser(id, trx)
        }
        await audit.record({ actor, action: `accounts.user-${action}`, subjectType: 'staff_user', subjectId: id }, trx)
      })
    },

    /** First step. Unknown emails, wrong passwords and disabled accounts answer alike, after the same work. */
    async signInWithPassword(email: string, password: string): Promise<PasswordResult> {
      const now = clock.now()
      const user = EMAIL_PATTERN.test(email.trim()) ? await repository.userByEmail(email) : undefined
      if (!user?.passwordHash) {
        await spendVerifyTime(password)
        return { kind: 'invalid' }
      }
      if (locked(user, now)) {
        await spendVerifyTime(password)
        await audit.record({
          actor: userActor(user.id),
          action: 'accounts.sign-in-refused-locked',
          subjectType: 'staff_user',
          subjectId: user.id,
        })
        return { kind: 'locked' }
      }
      const ok = await verifyPassword(user.passwordHash, password)
      if (!ok || user.disabledAt) {
        if (!ok) {
          const { locked: nowLocked } = await fail(user, now, 'password')
          if (nowLocked) return { kind: 'locked' }
        }
        return { kind: 'invalid' }
      }
      const token = newToken()
      await repository.createSession({
        id: hashToken(token),
        userId: user.id,
        stage: 'password',
        now,
        expiresAt: new Date(now.getTime() + SECOND_FACTOR_MINUTES * 60_000),
      })
      return { kind: 'ok', token, enrolled: user.totpConfirmedAt !== null && user.totpSecret !== null }
    },

    /** Second step for an enrolled user: the code from their authenticator. */
    async verifyCode(token: string, code: string): Promise<CodeResult> {
      const now = clock.now()
      const session = await repository.findSession(hashToken(token))
      if (session?.stage !== 'password' || session.expiresAt < now) return { kind: 'invalid' }
      const { user } = session
      if (locked(user, now) || user.disabledAt) return { kind: 'locked' }
      if (!user.totpSecret || !user.totpConfirmedAt) return { kind: 'invalid' }
      const step = matchTotp(decryptSecret(user.totpSecret, secret), code, now)
      if (step === undefined || (user.lastTotpStep !== null && step <= user.lastTotpStep)) {
        const { locked: nowLocked } = await fail(user, now, 'code')
        if (nowLocked) {
          await repository.deleteSession(session.id)
          return { kind: 'locked' }
        }
        return { kind: 'invalid' }
      }
      await repository.setUserFields(user.id, { last_totp_step: step })
      return { kind: 'ok', token: await completeSession(user, token, now), user }
    },

    /** Enrolment for a user without a confirmed authenticator: the secret to scan (created once, kept until confirmed). */
    async enrolmentFor(token: string) {
      const now = clock.now()
      const session = await repository.findSession(hashToken(token))
      if (session?.stage !== 'password' || session.expiresAt < now) return undefined
      const { user } = session
      if (user.totpConfirmedAt) return undefined
      let base32: string
      if (user.totpSecret) {
        base32 = decryptSecret(user.totpSecret, secret)
      } else {
        base32 = newTotpSecret()
        await repository.setUserFields(user.id, { totp_secret: encryptSecret(base32, secret) })
      }
      const { uri, qrSvg } = await enrolment(base32, user.email, issuer)
      return { uri, qrSvg, secret: groupedSecret(base32) }
    },

    async confirmEnrolment(token: string, code: string): Promise<CodeResult> {
      const now = clock.now()
      const session = await repository.findSession(hashToken(token))
      if (session?.stage !== 'password' || session.expiresAt < now) return { kind: 'invalid' }
      const { user } = session
      if (user.totpConfirmedAt || !user.totpSecret) return { kind: 'invalid' }
      if (locked(user, now)) return { kind: 'locked' }
      const step = matchTotp(decryptSecret(user.totpSecret, secret), code, now)
      if (step === undefined) {
        const { locked: nowLocked } = await fail(user, now, 'code')
        return nowLocked ? { kind: 'locked' } : { kind: 'invalid' }
      }
      await repository.setUserFields(user.id, { totp_confirmed_at: now, last_totp_step: step })
      await audit.record({
        actor: userActor(user.id),
        action: 'accounts.two-factor-enrolled',
        subjectType: 'staff_user',
        subjectId: user.id,
      })
      return { kind: 'ok', token: await completeSession(user, token, now), user }
    },

    /** The session behind a cookie, enforcing the idle and absolute timeouts. */
    async lookup(token: string | undefined): Promise<SessionLookup> {
      if (!token) return { kind: 'none' }
      const now = clock.now()
      const session = await repository.findSession(hashToken(token))
      if (!session) return { kind: 'none' }
      const idleLimit = new Date(session.lastSeenAt.getTime() + policy.idleMinutes * 60_000)
      if (session.expiresAt <= now || (session.stage === 'complete' && idleLimit <= now) || session.user.disabledAt) {
        await repository.deleteSession(session.id)
        return { kind: 'expired' }
      }
      if (session.stage !== 'complete') return { kind: 'second-factor', session }
      if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await repository.touchSession(session.id, now)
      return { kind: 'signed-in', session }
    },

    async signOut(token: string): Promise<void> {
      const session = await repository.findSession(hashToken(token))
      if (!session) return
      await repository.deleteSession(session.id)
      await audit.record({
        actor: userActor(session.user.id),
        action: 'accounts.signed-out',
        subjectType: 'staff_user',
        subjectId: session.user.id,
      })
    },

    /** Always answers the same way; sends a link only to an active account. */
    async requestPasswordReset(email: string, resetUrl: (token: string) => string): Promise<void> {
      const now = clock.now()
      const user = EMAIL_PATTERN.test(email.trim()) ? await repository.userByEmail(email) : undefined
      if (!user || user.disabledAt) return
      const token = newToken()
      await repository.transaction(async trx => {
        await repository.createReset(
          {
            tokenHash: hashToken(token),
            userId: user.id,
            now,
            expiresAt: new Date(now.getTime() + RESET_MINUTES * 60_000),
          },
          trx,
        )
        await repository.enqueueEmail(
          {
            template: 'staff-password-reset',
            recipient: user.email,
            personalisation: { name: user.displayName, link: resetUrl(token), minutes: String(RESET_MINUTES) },
            now,
          },
          trx,
        )
        await audit.record(
          {
            actor: userActor(user.id),
            action: 'accounts.reset-requested',
            subjectType: 'staff_user',
            subjectId: user.id,
          },
          trx,
        )
      })
    },

    async resetTokenValid(token: string): Promise<boolean> {
      const reset = await repository.findReset(hashToken(token))
      return reset?.used_at === null && reset.expires_at > clock.now()
    },

    async resetPassword(token: string, password: string): Promise<void> {
      const now = clock.now()
      const tokenHash = hashToken(token)
      const reset = await repository.findReset(tokenHash)
      if (reset?.used_at !== null || reset.expires_at <= now) {
        throw new AccountsError('token', 'accounts.errors.resetExpired')
      }
      const user = await repository.userById(reset.user_id)
      if (!user) throw new AccountsError('token', 'accounts.errors.resetExpired')
      const problem = passwordProblem(password, { email: user.email })
      if (problem) throw new AccountsError('password', problem)
      const passwordHash = await hashPassword(password)
      await repository.transaction(async trx => {
        if (!(await repository.useReset(tokenHash, now, trx)))
          throw new AccountsError('token', 'accounts.errors.resetExpired')
        await repository.setUserFields(
          user.id,
          { password_hash: passwordHash, failed_attempts: 0, locked_until: null },
          trx,
        )
        await repository.deleteSessionsForUser(user.id, trx)
        await audit.record(
          {
            actor: userActor(user.id),
            action: 'accounts.password-reset',
            subjectType: 'staff_user',
            subjectId: user.id,
          },
          trx,
        )
      })
    },

    async changePassword(userId: string, current: string, next: string): Promise<void> {
      const user = await repository.userById(userId)
      if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, current))) {
        throw new AccountsError('currentPassword', 'accounts.errors.currentPassword')
      }
      const problem = passwordProblem(next, { email: user.email })
      if (problem) throw new AccountsError('newPassword', problem)
      await repository.setUserFields(user.id, { password_hash: await hashPassword(next) })
      await audit.record({
        actor: userActor(user.id),
        action: 'accounts.password-changed',
        subjectType: 'staff_user',
        subjectId: user.id,
      })
    },
  }
}

export type AccountsService = ReturnType<typeof createAccountsService>
