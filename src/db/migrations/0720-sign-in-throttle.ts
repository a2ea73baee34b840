import { sql, type Kysely } from 'kysely'

/**
 * Sign-in throttling (ADR 0021) replaces the account lockout: each failed sign-in step (password, code, or the
 * current password when changing it) is one row, keyed by a keyed hash of the email address typed (known or not)
 * and of the client's address, so the table holds neither. Counts over a recent window decide whether a client may
 * try again; a stranger can no longer lock an account, so `failed_attempts` and `locked_until` go.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sign_in_failure')
    .addColumn('id', 'bigserial', col => col.primaryKey())
    .addColumn('account_key', 'text', col => col.notNull())
    .addColumn('client_key', 'text', col => col.notNull())
    .addColumn('stage', 'text', col => col.notNull().check(sql`stage in ('password', 'code', 'current-password')`))
    .addColumn('failed_at', 'timestamptz', col => col.notNull())
    .execute()
  await db.schema
    .createIndex('sign_in_failure_account_idx')
    .on('sign_in_failure')
    .columns(['account_key', 'failed_at'])
    .execute()
  await db.schema
    .createIndex('sign_in_failure_client_idx')
    .on('sign_in_failure')
    .columns(['client_key', 'failed_at'])
    .execute()
  await db.schema.createIndex('sign_in_failure_failed_at_idx').on('sign_in_failure').column('failed_at').execute()
  await db.schema.alterTable('staff_user').dropColumn('failed_attempts').execute()
  await db.schema.alterTable('staff_user').dropColumn('locked_until').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_failure').execute()
  await db.schema
    .alterTable('staff_user')
    .addColumn('failed_attempts', 'integer', col => col.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('staff_user').addColumn('locked_until', 'timestamptz').execute()
}
