import { sql, type Kysely } from 'kysely'

/**
 * Retention (docs/retention.md): reports and cases past their retention period are anonymised in place, so each
 * remembers when (`anonymised_at`) and is never anonymised twice; partial indexes find the ones that are due.
 *
 * Secrets at rest: outbox personalisation is sealed from now on. Messages already sent or failed keep their field
 * names only; pending ones are sent as they are (the dispatcher passes unsealed values through) and then redacted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('report').addColumn('anonymised_at', 'timestamptz').execute()
  await db.schema.alterTable('asb_case').addColumn('anonymised_at', 'timestamptz').execute()
  await db.schema
    .createIndex('report_retention_idx')
    .on('report')
    .column('updated_at')
    .where(sql.ref('anonymised_at'), 'is', null)
    .execute()
  await db.schema
    .createIndex('asb_case_retention_idx')
    .on('asb_case')
    .column('closed_at')
    .where(sql.ref('anonymised_at'), 'is', null)
    .execute()
  await db.schema
    .createIndex('notification_outbox_created_idx')
    .on('notification_outbox')
    .column('created_at')
    .execute()
  await db.schema.createIndex('report_draft_created_idx').on('report_draft').column('created_at').execute()
  await sql`
    update notification_outbox
    set personalisation = (select coalesce(jsonb_object_agg(key, '[redacted]'), '{}'::jsonb)
      from jsonb_object_keys(notification_outbox.personalisation) as key)
    where status in ('sent', 'failed')`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('report_draft_created_idx').execute()
  await db.schema.dropIndex('notification_outbox_created_idx').execute()
  await db.schema.dropIndex('asb_case_retention_idx').execute()
  await db.schema.dropIndex('report_retention_idx').execute()
  await db.schema.alterTable('asb_case').dropColumn('anonymised_at').execute()
  await db.schema.alterTable('report').dropColumn('anonymised_at').execute()
}
