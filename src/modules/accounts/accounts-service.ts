/**
 * Staff accounts: creating partners, teams and users; signing in with a password then a one-time code (TOTP
 * enrolment on first sign-in); throttling of failed attempts by client and account, never locking an account (ADR
 * 0021); idle and absolute session timeouts; password reset by email through the notifications outbox. Every sign-in
 * event, refusal and account change is an audit event.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'

import type { Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { DomainError } from '../../platform/errors.js'
import { createPersonalisationSealer } from '../../platform/sealing.js'
import { createStaffAlerts } from './staff-alerts.js'
import {
  createAccountsRepository,
  type AccountsRepository,
  type SessionRecord,
  type UserRecord,
} from './accounts-repository.js'
import { hashPassword, passwordProblem, spendVerifyTime, verifyPassword } from './passwords.js'
import { isRole, type Role } from './roles.js'
import { decryptSecret, encryptSecret, enrolment, groupedSecret, matchTotp, newTotpSecret } from './totp.js'

/** ADR 0021: failures counted over `windowMinutes`; the limits at which a client is refused. */
export interface ThrottlePolicy {
  windowMinutes: number
  /** Failures by one client on one account. */
  clientOnAccount: number
  /** Failures on one account from every client: above it, only clients that have not failed on it get through. */
  account: number
  /** Failures by one client on every account. */
  client: number
}

export interface AccountsPolicy {
  idleMinutes: number
  absoluteHours: number
  throttle: ThrottlePolicy
}

type FailedStage = 'password' | 'code' | 'current-password'

/** Minutes a half-signed-in session (password accepted, code not yet) lives. */
const SECOND_FACTOR_MINUTES = 10
const RESET_MINUTES = 60
/** Last-seen is written at most this often, so reading pages does not write on every request. */
const TOUCH_EVERY_MS = 60_000

/**
 * A form input the accounts service refuses: a platform `DomainError` whose code is the locale key's last part
 * (`email`, `partnerExists`), with the field at fault and the locale key the route shows beside it.
 */
export class AccountsError extends DomainError {
  declare readonly field: string
  declare readonly messageKey: string

  constructor(field: string, messageKey: string) {
    super(messageKey.slice(messageKey.lastIndexOf('.') + 1), {
      field,
      messageKey,
      status: messageKey.endsWith('Exists') ? 409 : 400,
    })
    this.name = 'AccountsError'
  }
}

/** `throttled`: too many recent failures from this client (ADR 0021); the same answer whether the email exists. */
export type PasswordResult =
  { kind: 'ok'; token: string; enrolled: boolean } | { kind: 'invalid' } | { kind: 'throttled' }

export type CodeResult = { kind: 'ok'; token: string; user: UserRecord } | { kind: 'invalid' } | { kind: 'throttled' }

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
  /** Seals the reset link in the notification outbox (config.outboxSecret); defaults to `secret`. */
  outboxSecret?: string
  /** The address links in staff emails start with (config.publicBaseUrl). */
  publicBaseUrl?: string
}) {
  const { audit, clock, secret, policy } = deps
  const outbox = createPersonalisationSealer(deps.outboxSecret ?? secret)
  const repository: AccountsRepository = createAccountsRepository(deps.db)
  const issuer = deps.serviceName ?? 'Safer'

  const throttle = policy.throttle

  /** A keyed hash: the failures table holds neither the email typed nor the client's address. */
  function keyed(kind: 'account' | 'client', value: string): string {
    return createHmac('sha256', secret).update(`sign-in-throttle:${kind}:${value}`).digest('hex').slice(0, 40)
  }

  /** The throttle keys of an email address as typed (whether or not it has an account) and a client address. */
  function throttleKeys(email: string, client: string): { accountKey: string; clientKey: string } {
    return { accountKey: keyed('account', email.trim().toLowerCase()), clientKey: keyed('client', client) }
  }

  /** Whether this client is refused on this account now (ADR 0021). */
  async function throttled(keys: { accountKey: string; clientKey: string }, now: Date): Promise<boolean> {
    const since = new Date(now.getTime() - throttle.windowMinutes * 60_000)
    const counts = await repository.signInFailureCounts({ ...keys, since })
    return (
      counts.clientOnAccount >= throttle.clientOnAccount ||
      counts.client >= throttle.client ||
      (counts.account >= throttle.account && counts.clientOnAccount > 0)
    )
  }

  async function fail(
    keys: { accountKey: string; clientKey: string },
    user: UserRecord | undefined,
    now: Date,
    stage: FailedStage,
  ): Promise<void> {
    await repository.recordSignInFailure({
      ...keys,
      stage,
      now,
      forgetBefore: new Date(now.getTime() - throttle.windowMinutes * 60_000),
    })
    if (!user) return
    await audit.record({
      actor: userActor(user.id),
      action: 'accounts.sign-in-failed',
      subjectType: 'staff_user',
      subjectId: user.id,
      details: { stage },
    })
  }

  async function refused(user: UserRecord | undefined, stage: FailedStage): Promise<void> {
    if (!user) return
    await audit.record({
      actor: userActor(user.id),
      action: 'accounts.sign-in-throttled',
      subjectType: 'staff_user',
      subjectId: user.id,
      details: { stage },
    })
  }

  async function completeSession(user: UserRecord, previousToken: string, client: string, now: Date): Promise<string> {
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
      await repository.setUserFields(user.id, { last_sign_in_at: now }, trx)
      // This client's own failures are forgiven; other clients' still count.
      await repository.clearSignInFailures(throttleKeys(user.email, client), trx)
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
    /** Staff notifications: preferences, the sweep of registered alert sources, the daily digest (ADR 0053). */
    staffAlerts: createStaffAlerts({
      db: deps.db,
      audit,
      clock,
      secret: deps.outboxSecret ?? secret,
      publicBaseUrl: deps.publicBaseUrl,
    }),

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

    /** Disable, enable, unlock (forget its failed sign-ins) or reset the second factor of a user (administrators). */
    async administer(actor: Actor, id: string, action: 'disable' | 'enable' | 'unlock' | 'reset-two-factor') {
      const now = clock.now()
      await repository.transaction(async trx => {
        if (action === 'disable') {
          await repository.setUserFields(id, { disabled_at: now }, trx)
          await repository.deleteSessionsForUser(id, trx)
        } else if (action === 'enable') {
          await repository.setUserFields(id, { disabled_at: null }, trx)
        } else if (action === 'unlock') {
          const user = await repository.userById(id, trx)
          if (user) await repository.clearSignInFailures({ accountKey: throttleKeys(user.email, '').accountKey }, trx)
        } else {
          await repository.setUserFields(id, { totp_secret: null, totp_confirmed_at: null, last_totp_step: null }, trx)
          await repository.deleteSessionsForUser(id, trx)
        }
        await audit.record({ actor, action: `accounts.user-${action}`, subjectType: 'staff_user', subjectId: id }, trx)
      })
    },

    /**
     * First step. Unknown emails, wrong passwords and disabled accounts answer alike, after the same work; so does a
     * refusal for too many failures, which counts by the email typed whether or not it has an account. `client` is
     * the client's address (request.ip).
     */
    async signInWithPassword(email: string, password: string, client: string): Promise<PasswordResult> {
      const now = clock.now()
      const keys = throttleKeys(email, client)
      const user = EMAIL_PATTERN.test(email.trim()) ? await repository.userByEmail(email) : undefined
      if (await throttled(keys, now)) {
        await spendVerifyTime(password)
        await refused(user, 'password')
        return { kind: 'throttled' }
      }
      if (!user?.passwordHash) {
        await spendVerifyTime(password)
        await fail(keys, user, now, 'password')
        return { kind: 'invalid' }
      }
      const ok = await verifyPassword(user.passwordHash, password)
      if (!ok) {
        await fail(keys, user, now, 'password')
        return { kind: 'invalid' }
      }
      if (user.disabledAt) return { kind: 'invalid' }
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
    async verifyCode(token: string, code: string, client: string): Promise<CodeResult> {
      const now = clock.now()
      const session = await repository.findSession(hashToken(token))
      if (session?.stage !== 'password' || session.expiresAt < now) return { kind: 'invalid' }
      const { user } = session
      const keys = throttleKeys(user.email, client)
      if (user.disabledAt || (await throttled(keys, now))) {
        await repository.deleteSession(session.id)
        if (!user.disabledAt) await refused(user, 'code')
        return { kind: 'throttled' }
      }
      if (!user.totpSecret || !user.totpConfirmedAt) return { kind: 'invalid' }
      const step = matchTotp(decryptSecret(user.totpSecret, secret), code, now)
      if (step === undefined || (user.lastTotpStep !== null && step <= user.lastTotpStep)) {
        await fail(keys, user, now, 'code')
        return { kind: 'invalid' }
      }
      await repository.setUserFields(user.id, { last_totp_step: step })
      return { kind: 'ok', token: await completeSession(user, token, client, now), user }
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

    async confirmEnrolment(token: string, code: string, client: string): Promise<CodeResult> {
      const now = clock.now()
      const session = await repository.findSession(hashToken(token))
      if (session?.stage !== 'password' || session.expiresAt < now) return { kind: 'invalid' }
      const { user } = session
      if (user.totpConfirmedAt || !user.totpSecret) return { kind: 'invalid' }
      const keys = throttleKeys(user.email, client)
      if (await throttled(keys, now)) {
        await repository.deleteSession(session.id)
        await refused(user, 'code')
        return { kind: 'throttled' }
      }
      const step = matchTotp(decryptSecret(user.totpSecret, secret), code, now)
      if (step === undefined) {
        await fail(keys, user, now, 'code')
        return { kind: 'invalid' }
      }
      await repository.setUserFields(user.id, { totp_confirmed_at: now, last_totp_step: step })
      await audit.record({
        actor: userActor(user.id),
        action: 'accounts.two-factor-enrolled',
        subjectType: 'staff_user',
        subjectId: user.id,
      })
      return { kind: 'ok', token: await completeSession(user, token, client, now), user }
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
            // The link carries the token: sealed at rest, opened only by the dispatcher as it sends.
            personalisation: outbox.seal({
              name: user.displayName,
              link: resetUrl(token),
              minutes: String(RESET_MINUTES),
            }),
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
        await repository.setUserFields(user.id, { password_hash: passwordHash }, trx)
        // Whoever else was signed in as this user is signed out; whoever held it up with failures is forgiven with
        // the owner, who has just proved they read the account's email.
        const sessionsEnded = await repository.deleteSessionsForUser(user.id, trx)
        await repository.clearSignInFailures({ accountKey: throttleKeys(user.email, '').accountKey }, trx)
        await audit.record(
          {
            actor: userActor(user.id),
            action: 'accounts.password-reset',
            subjectType: 'staff_user',
            subjectId: user.id,
            details: { sessionsEnded },
          },
          trx,
        )
      })
    },

    /**
     * The signed-in user changes their password. A wrong current password is a failed sign-in step (throttled the
     * same way). On success every other session of the user ends and this one continues under a new id (returned),
     * with the same absolute timeout.
     */
    async changePassword(sessionToken: string, current: string, next: string, client: string): Promise<string> {
      const now = clock.now()
      const session = await repository.findSession(hashToken(sessionToken))
      if (session?.stage !== 'complete') throw new AccountsError('currentPassword', 'accounts.errors.currentPassword')
      const { user } = session
      const keys = throttleKeys(user.email, client)
      if (await throttled(keys, now)) {
        await spendVerifyTime(current)
        await refused(user, 'current-password')
        throw new AccountsError('currentPassword', 'accounts.errors.throttled')
      }
      if (!user.passwordHash || !(await verifyPassword(user.passwordHash, current))) {
        await fail(keys, user, now, 'current-password')
        throw new AccountsError('currentPassword', 'accounts.errors.currentPassword')
      }
      const problem = passwordProblem(next, { email: user.email })
      if (problem) throw new AccountsError('newPassword', problem)
      const passwordHash = await hashPassword(next)
      const token = newToken()
      await repository.transaction(async trx => {
        await repository.setUserFields(user.id, { password_hash: passwordHash }, trx)
        const sessionsEnded = await repository.deleteSessionsForUser(user.id, trx)
        await repository.createSession(
          { id: hashToken(token), userId: user.id, stage: 'complete', now, expiresAt: session.expiresAt },
          trx,
        )
        await repository.clearSignInFailures(keys, trx)
        await audit.record(
          {
            actor: userActor(user.id),
            action: 'accounts.password-changed',
            subjectType: 'staff_user',
            subjectId: user.id,
            // This session is among those ended, and continues under its new id.
            details: { otherSessionsEnded: Math.max(0, sessionsEnded - 1) },
          },
          trx,
        )
      })
      return token
    },
  }
}

export type AccountsService = ReturnType<typeof createAccountsService>
