import type { Kysely } from 'kysely'

/**
 * Notifications: the dispatcher retries with backoff. `next_attempt_at` is when a pending message is next due (a
 * dispatcher that claims a message pushes it forward as a lease, so a crashed dispatcher's messages come back);
 * `last_error` is the provider's error class and status, never the message or the recipient.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('notification_outbox').addColumn('next_attempt_at', 'timestamptz').execute()
  await db.schema.alterTable('notification_outbox').addColumn('last_error', 'text').execute()
  await db.schema.alterTable('notification_outbox').addColumn('failed_at', 'timestamptz').execute()
  await db.schema
    .createIndex('notification_outbox_due_idx')
    .on('notification_outbox')
    .columns(['status', 'next_attempt_at', 'id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('notification_outbox_due_idx').execute()
  await db.schema.alterTable('notification_outbox').dropColumn('failed_at').execute()
  await db.schema.alterTable('notification_outbox').dropColumn('last_error').execute()
  await db.schema.alterTable('notification_outbox').dropColumn('next_attempt_at').execute()
}
