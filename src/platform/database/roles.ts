/**
 * The least-privilege application role on PostgreSQL (docs/audit.md). The role that owns the schema (and runs the
 * migrations) creates or updates a login role that may read and change the application's tables but only read and
 * add to the audit trail: it cannot UPDATE, DELETE or TRUNCATE audit_event, change audit_chain, ALTER any table or
 * disable a trigger, because it owns nothing. Default privileges give it the same rights on tables later migrations
 * create. PGlite has one embedded user, so none of this applies there.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'

import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { Engine } from './index.js'

export class DatabaseRoleError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DatabaseRoleError'
  }
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** Tables the application role may only read (and add to, for the audit trail). */
const AUDIT_TABLE = 'audit_event'
const READ_ONLY_TABLES = ['audit_chain', 'schema_migration', 'schema_migration_lock']

/**
 * A SCRAM-SHA-256 verifier for the password, so the password itself is never sent to the server (where a statement
 * log could keep it). The format PostgreSQL stores: SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>.
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256')
  const clientKey = createHmac('sha256', salted).update('Client Key').digest()
  const storedKey = createHash('sha256').update(clientKey).digest()
  const serverKey = createHmac('sha256', salted).update('Server Key').digest()
  return `SCRAM-SHA-256$${String(iterations)}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`
}

export interface ApplicationRoleResult {
  role: string
  schema: string
  created: boolean
  passwordSet: boolean
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

export async function grantApplicationRole(
  db: Kysely<Database>,
  engine: Engine,
  options: { role: string; password?: string },
): Promise<ApplicationRoleResult> {
  if (engine !== 'postgres') {
    throw new DatabaseRoleError(
      'Database roles apply to PostgreSQL only: embedded PGlite has a single user inside the Safer process, so there is no separate application role to create.',
    )
  }
  if (!ROLE_NAME.test(options.role)) {
    throw new DatabaseRoleError(
      `"${options.role}" is not a role name Safer creates: use lower-case letters, digits and underscores.`,
    )
  }
  const role = sql.raw(ident(options.role))
  return db.transaction().execute(async trx => {
    const { rows: context } = await sql<{ schema: string; me: string; owner: string | null }>`
      select current_schema() as schema, current_user as me,
        (select tableowner from pg_catalog.pg_tables where schemaname = current_schema() and tablename = ${AUDIT_TABLE})
          as owner`.execute(trx)
    const { schema, me, owner } = context[0] ?? { schema: 'public', me: '', owner: null }
    if (!owner) throw new DatabaseRoleError('The database is not migrated: run `safer db migrate` as the owner first.')
    if (options.role === me || options.role === owner) {
      throw new DatabaseRoleError(`"${options.role}" owns the schema: the application role must be another role.`)
    }
    const { rows: existing } = await sql<{ rolsuper: boolean; member: boolean }>`
      select rolsuper, pg_has_role(oid, ${owner}, 'MEMBER') as member
      from pg_catalog.pg_roles where rolname = ${options.role}`.execute(trx)
    const found = existing[0]
    if (found && (found.rolsuper || found.member)) {
      throw new DatabaseRoleError(
        `"${options.role}" is a superuser or a member of the owner "${owner}": it could change the audit trail. Use a role of its own.`,
      )
    }
    const password = options.password ? sql` password ${sql.lit(scramVerifier(options.password))}` : sql``
    if (found) await sql`alter role ${role} with login nosuperuser nocreatedb nocreaterole${password}`.execute(trx)
    else await sql`create role ${role} with login nosuperuser nocreatedb nocreaterole${password}`.execute(trx)

    const inSchema = sql.raw(ident(schema))
    await sql`grant usage on schema ${inSchema} to ${role}`.execute(trx)
    await sql`revoke create on schema ${inSchema} from ${role}`.execute(trx)
    await sql`revoke all on all tables in schema ${inSchema} from ${role}`.execute(trx)
    await sql`grant select, insert, update, delete on all tables in schema ${inSchema} to ${role}`.execute(trx)
    await sql`grant usage, select on all sequences in schema ${inSchema} to ${role}`.execute(trx)
    await sql`revoke update, delete on ${sql.raw(ident(AUDIT_TABLE))} from ${role}`.execute(trx)
    for (const table of READ_ONLY_TABLES) {
      await sql`revoke insert, update, delete on ${sql.raw(ident(table))} from ${role}`.execute(trx)
    }
    // Partitions of tables partitioned by month (ADR 0061) are reached through their table only: a right on an audit
    // partition would be a way round the revoke above. Partitions made later come without rights (0770).
    const { rows: partitions } = await sql<{ name: string }>`
      select relname as name from pg_catalog.pg_class
      where relispartition and relkind in ('r', 'p') and relnamespace = current_schema()::regnamespace`.execute(trx)
    for (const { name } of partitions) await sql`revoke all on ${sql.raw(ident(name))} from ${role}`.execute(trx)
    // Tables and sequences the owner creates later (new migrations) come with the same rights.
    await sql`alter default privileges in schema ${inSchema}
      grant select, insert, update, delete on tables to ${role}`.execute(trx)
    await sql`alter default privileges in schema ${inSchema} grant usage, select on sequences to ${role}`.execute(trx)
    return { role: options.role, schema, created: !found, passwordSet: Boolean(options.password) }
  })
}

/** Drops the role and what it was granted (tests). */
export async function dropApplicationRole(db: Kysely<Database>, role: string): Promise<void> {
  if (!ROLE_NAME.test(role)) throw new DatabaseRoleError(`"${role}" is not a role name Safer creates.`)
  await sql`drop owned by ${sql.raw(ident(role))}`.execute(db)
  await sql`drop role if exists ${sql.raw(ident(role))}`.execute(db)
}
