/**
 * Accounts data: partners, teams, staff users with their roles, sessions and password resets. Session ids and reset
 * tokens are stored only as SHA-256 hashes, so a copy of the database cannot be used to sign in.
 */
import { sql, type Kysely, type Transaction } from 'kysely'

import type { Database } from '../../db/schema.js'
import { isUuid } from '../../platform/identifiers.js'
import { VersionConflictError } from '../../platform/errors.js'
import { isRole, type Role, type StaffUser } from './roles.js'

type Db = Kysely<Database> | Transaction<Database>

export interface UserRecord extends StaffUser {
  passwordHash: string | null
  totpSecret: string | null
  totpConfirmedAt: Date | null
  lastTotpStep: number | null
  disabledAt: Date | null
  lastSignInAt: Date | null
  teamName: string | null
  createdAt: Date
  version: number
}

export interface SessionRecord {
  id: string
  stage: 'password' | 'complete'
  createdAt: Date
  lastSeenAt: Date
  expiresAt: Date
  user: UserRecord
}

export interface NewUser {
  email: string
  displayName: string
  partnerId: string
  teamId: string | null
  passwordHash: string | null
  roles: readonly Role[]
}

/** The platform's optimistic-locking refusal, re-exported where callers have always found it. */
export { VersionConflictError }

function userQuery(db: Db) {
  return db
    .selectFrom('staff_user as u')
    .innerJoin('partner as p', 'p.id', 'u.partner_id')
    .leftJoin('team as t', 't.id', 'u.team_id')
    .select([
      'u.id',
      'u.email',
      'u.display_name',
      'u.partner_id',
      'u.team_id',
      'u.password_hash',
      'u.totp_secret',
      'u.totp_confirmed_at',
      'u.last_totp_step',
      'u.disabled_at',
      'u.last_sign_in_at',
      'u.created_at',
      'u.version',
      'p.code as partner_code',
      'p.name as partner_name',
      'p.kind as partner_kind',
      't.name as team_name',
      sql<
        string[]
      >`coalesce((select json_agg(r.role order by r.role) from user_role r where r.user_id = u.id), '[]'::json)`.as(
        'roles',
      ),
    ])
}

type UserRow = Awaited<ReturnType<ReturnType<typeof userQuery>['executeTakeFirstOrThrow']>>

function toUser(row: UserRow): UserRecord {
  const roles = (typeof row.roles === 'string' ? (JSON.parse(row.roles) as unknown[]) : row.roles).filter(isRole)
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    partnerId: row.partner_id,
    partnerCode: row.partner_code,
    partnerName: row.partner_name,
    partnerKind: row.partner_kind,
    teamId: row.team_id,
    teamName: row.team_name,
    roles,
    passwordHash: row.password_hash,
    totpSecret: row.totp_secret,
    totpConfirmedAt: row.totp_confirmed_at,
    lastTotpStep: row.last_totp_step,
    disabledAt: row.disabled_at,
    lastSignInAt: row.last_sign_in_at,
    createdAt: row.created_at,
    version: row.version,
  }
}

export function createAccountsRepository(db: Kysely<Database>) {
  return {
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work)
    },

    // partners and teams
    async listPartners() {
      return db.selectFrom('partner').selectAll().orderBy('name').execute()
    },
    async partnerByCode(code: string, trx: Db = db) {
      return trx.selectFrom('partner').selectAll().where('code', '=', code).executeTakeFirst()
    },
    async partnerById(id: string) {
      if (!isUuid(id)) return undefined
      return db.selectFrom('partner').selectAll().where('id', '=', id).executeTakeFirst()
    },
    async createPartner(values: { code: string; name: string; kind: string }, trx: Db = db) {
      return trx.insertInto('partner').values(values).returningAll().executeTakeFirstOrThrow()
    },
    async updatePartner(id: string, values: { name: string; kind: string; active: boolean }, trx: Db = db) {
      return trx.updateTable('partner').set(values).where('id', '=', id).returningAll().executeTakeFirst()
    },
    async listTeams() {
      return db
        .selectFrom('team as t')
        .innerJoin('partner as p', 'p.id', 't.partner_id')
        .select(['t.id', 't.code', 't.name', 't.partner_id', 'p.name as partner_name'])
        .orderBy('p.name')
        .orderBy('t.name')
        .execute()
    },
    async teamByCode(code: string, trx: Db = db) {
      return trx.selectFrom('team').selectAll().where('code', '=', code).executeTakeFirst()
    },
    async createTeam(values: { partnerId: string; code: string; name: string }, trx: Db = db) {
      return trx
        .insertInto('team')
        .values({ partner_id: values.partnerId, code: values.code, name: values.name })
        .returningAll()
        .executeTakeFirstOrThrow()
    },

    // users
    async listUsers(): Promise<UserRecord[]> {
      const rows = await userQuery(db).orderBy('p.name').orderBy('u.display_name').execute()
      return rows.map(toUser)
    },
    async userById(id: string, trx: Db = db): Promise<UserRecord | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
      const row = await userQuery(trx).where('u.id', '=', id).executeTakeFirst()
      return row ? toUser(row) : undefined
    },
    async userByEmail(email: string, trx: Db = db): Promise<UserRecord | undefined> {
      const row = await userQuery(trx)
        .where(sql`lower(u.email)`, '=', email.trim().toLowerCase())
        .executeTakeFirst()
      return row ? toUser(row) : undefined
    },
    async createUser(user: NewUser, trx: Db): Promise<string> {
      const { id } = await trx
        .insertInto('staff_user')
        .values({
          email: user.email.trim(),
          display_name: user.displayName.trim(),
          partner_id: user.partnerId,
          team_id: user.teamId,
          password_hash: user.passwordHash,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      if (user.roles.length > 0) {
        await trx
          .insertInto('user_role')
          .values(user.roles.map(role => ({ user_id: id, role })))
          .execute()
      }
      return id
    },
    /** Optimistic locking: the update applies only to the version the editor saw. */
    async updateUser(
      id: string,
      version: number,
      values: { displayName: string; partnerId: string; teamId: string | null; roles: readonly Role[] },
      trx: Db,
    ): Promise<void> {
      const result = await trx
        .updateTable('staff_user')
        .set({
          display_name: values.displayName.trim(),
          partner_id: values.partnerId,
          team_id: values.teamId,
          updated_at: sql`now()`,
          version: sql`version + 1`,
        })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) throw new VersionConflictError('staff user')
      await trx.deleteFrom('user_role').where('user_id', '=', id).execute()
      if (values.roles.length > 0) {
        await trx
          .insertInto('user_role')
          .values(values.roles.map(role => ({ user_id: id, role })))
          .execute()
      }
    },
    async setUserFields(
      id: string,
      values: Partial<{
        password_hash: string | null
        totp_secret: string | null
        totp_confirmed_at: Date | null
        last_totp_step: number | null
        disabled_at: Date | null
        last_sign_in_at: Date | null
      }>,
      trx: Db = db,
    ): Promise<void> {
      await trx
        .updateTable('staff_user')
        .set({ ...values, updated_at: sql`now()` })
        .where('id', '=', id)
        .execute()
    },
    // sign-in throttling (ADR 0021): keys are keyed hashes, never an address
    /** Records one failed step, and forgets failures older than `forgetBefore` (nothing counts them any more). */
    async recordSignInFailure(values: {
      accountKey: string
      clientKey: string
      stage: 'password' | 'code' | 'current-password'
      now: Date
      forgetBefore: Date
    }): Promise<void> {
      await db.deleteFrom('sign_in_failure').where('failed_at', '<', values.forgetBefore).execute()
      await db
        .insertInto('sign_in_failure')
        .values({
          account_key: values.accountKey,
          client_key: values.clientKey,
          stage: values.stage,
          failed_at: values.now,
        })
        .execute()
    },
    /** Failures since `since`: by this client on this account, on this account from anywhere, by this client. */
    async signInFailureCounts(keys: {
      accountKey: string
      clientKey: string
      since: Date
    }): Promise<{ clientOnAccount: number; account: number; client: number }> {
      const row = await db
        .selectFrom('sign_in_failure')
        .select([
          sql<string>`count(*) filter (where account_key = ${keys.accountKey} and client_key = ${keys.clientKey})`.as(
            'client_on_account',
          ),
          sql<string>`count(*) filter (where account_key = ${keys.accountKey})`.as('account'),
          sql<string>`count(*) filter (where client_key = ${keys.clientKey})`.as('client'),
        ])
        .where('failed_at', '>', keys.since)
        .where(eb => eb.or([eb('account_key', '=', keys.accountKey), eb('client_key', '=', keys.clientKey)]))
        .executeTakeFirstOrThrow()
      return {
        clientOnAccount: Number(row.client_on_account),
        account: Number(row.account),
        client: Number(row.client),
      }
    },
    /** Forgets the failures on an account: all of them, or only one client's. */
    async clearSignInFailures(keys: { accountKey: string; clientKey?: string }, trx: Db = db): Promise<void> {
      let query = trx.deleteFrom('sign_in_failure').where('account_key', '=', keys.accountKey)
      if (keys.clientKey !== undefined) query = query.where('client_key', '=', keys.clientKey)
      await query.execute()
    },

    // sessions
    async createSession(
      values: { id: string; userId: string; stage: 'password' | 'complete'; now: Date; expiresAt: Date },
      trx: Db = db,
    ): Promise<void> {
      await trx
        .insertInto('user_session')
        .values({
          id: values.id,
          user_id: values.userId,
          stage: values.stage,
          created_at: values.now,
          last_seen_at: values.now,
          expires_at: values.expiresAt,
        })
        .execute()
    },
    async findSession(id: string): Promise<SessionRecord | undefined> {
      const session = await db.selectFrom('user_session').selectAll().where('id', '=', id).executeTakeFirst()
      if (!session) return undefined
      const user = await this.userById(session.user_id)
      if (!user) return undefined
      return {
        id: session.id,
        stage: session.stage === 'complete' ? 'complete' : 'password',
        createdAt: session.created_at,
        lastSeenAt: session.last_seen_at,
        expiresAt: session.expires_at,
        user,
      }
    },
    async touchSession(id: string, now: Date): Promise<void> {
      await db.updateTable('user_session').set({ last_seen_at: now }).where('id', '=', id).execute()
    },
    async deleteSession(id: string, trx: Db = db): Promise<void> {
      await trx.deleteFrom('user_session').where('id', '=', id).execute()
    },
    /** Ends every session of a user; returns how many ended. */
    async deleteSessionsForUser(userId: string, trx: Db = db): Promise<number> {
      const result = await trx.deleteFrom('user_session').where('user_id', '=', userId).executeTakeFirst()
      return Number(result.numDeletedRows)
    },
    async deleteExpiredSessions(now: Date): Promise<number> {
      const result = await db.deleteFrom('user_session').where('expires_at', '<', now).executeTakeFirst()
      return Number(result.numDeletedRows)
    },

    // password resets
    async createReset(values: { tokenHash: string; userId: string; now: Date; expiresAt: Date }, trx: Db = db) {
      await trx
        .insertInto('password_reset')
        .values({
          token_hash: values.tokenHash,
          user_id: values.userId,
          created_at: values.now,
          expires_at: values.expiresAt,
        })
        .execute()
    },
    async findReset(tokenHash: string, trx: Db = db) {
      return trx.selectFrom('password_reset').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()
    },
    async useReset(tokenHash: string, now: Date, trx: Db): Promise<boolean> {
      const result = await trx
        .updateTable('password_reset')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    /** The shared notifications outbox (sent by the notifications dispatcher, whatever wrote the message). */
    async enqueueEmail(
      values: { template: string; recipient: string; personalisation: Record<string, string>; now: Date },
      trx: Db = db,
    ): Promise<void> {
      await trx
        .insertInto('notification_outbox')
        .values({
          created_at: values.now,
          report_id: null,
          template: values.template,
          channel: 'email',
          recipient: values.recipient,
          personalisation: JSON.stringify(values.personalisation),
          status: 'pending',
          provider_id: null,
          sent_at: null,
        })
        .execute()
    },
  }
}

export type AccountsRepository = ReturnType<typeof createAccountsRepository>
