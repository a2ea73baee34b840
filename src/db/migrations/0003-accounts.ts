import { sql, type Kysely } from 'kysely'

/**
 * Accounts: partner organisations, their teams, staff users and roles, sessions, password resets. Platform-level
 * (numbered before the modules) because every staff-facing module and the Open311 API keys refer to partners.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('partner')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('code', 'text', col => col.notNull().unique())
    .addColumn('name', 'text', col => col.notNull())
    .addColumn('kind', 'text', col => col.notNull())
    .addColumn('active', 'boolean', col => col.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', col => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('partner_code_format', sql`code ~ '^[a-z0-9][a-z0-9-]{0,39}$'`)
    .execute()

  await db.schema
    .createTable('team')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('partner_id', 'uuid', col => col.notNull().references('partner.id'))
    .addColumn('code', 'text', col => col.notNull().unique())
    .addColumn('name', 'text', col => col.notNull())
    .addColumn('created_at', 'timestamptz', col => col.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('staff_user')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', col => col.notNull())
    .addColumn('display_name', 'text', col => col.notNull())
    .addColumn('partner_id', 'uuid', col => col.notNull().references('partner.id'))
    .addColumn('team_id', 'uuid', col => col.references('team.id'))
    .addColumn('password_hash', 'text')
    .addColumn('totp_secret', 'text')
    .addColumn('totp_confirmed_at', 'timestamptz')
    .addColumn('last_totp_step', 'bigint')
    .addColumn('failed_attempts', 'integer', col => col.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('last_sign_in_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', col => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', col => col.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', col => col.notNull().defaultTo(1))
    .execute()
  await sql`create unique index staff_user_email_idx on staff_user (lower(email))`.execute(db)

  await db.schema
    .createTable('user_role')
    .addColumn('user_id', 'uuid', col => col.notNull().references('staff_user.id').onDelete('cascade'))
    .addColumn('role', 'text', col => col.notNull())
    .addPrimaryKeyConstraint('user_role_pk', ['user_id', 'role'])
    .execute()

  await db.schema
    .createTable('user_session')
    .addColumn('id', 'text', col => col.primaryKey())
    .addColumn('user_id', 'uuid', col => col.notNull().references('staff_user.id').onDelete('cascade'))
    .addColumn('stage', 'text', col => col.notNull())
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addColumn('last_seen_at', 'timestamptz', col => col.notNull())
    .addColumn('expires_at', 'timestamptz', col => col.notNull())
    .execute()
  await db.schema.createIndex('user_session_user_idx').on('user_session').column('user_id').execute()

  await db.schema
    .createTable('password_reset')
    .addColumn('token_hash', 'text', col => col.primaryKey())
    .addColumn('user_id', 'uuid', col => col.notNull().references('staff_user.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addColumn('expires_at', 'timestamptz', col => col.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['password_reset', 'user_session', 'user_role', 'staff_user', 'team', 'partner']) {
    await db.schema.dropTable(table).execute()
  }
}
