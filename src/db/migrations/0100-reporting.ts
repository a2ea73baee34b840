import { sql, type Kysely } from 'kysely'

/** Reporting: resident reports of ASB, their public updates timeline, journey drafts and the notification outbox. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report')
    .addColumn('id', 'bigint', col => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('reference', 'text', col => col.notNull().unique())
    .addColumn('tracking_hash', 'text', col => col.notNull())
    .addColumn('idempotency_key', 'text', col => col.unique())
    .addColumn('channel', 'text', col => col.notNull().check(sql`channel in ('web', 'open311', 'phone', 'partner')`))
    .addColumn('received_at', 'timestamptz', col => col.notNull())
    .addColumn('category', 'text', col => col.notNull())
    .addColumn('nsir_qualifier', 'text', col =>
      col.notNull().check(sql`nsir_qualifier in ('personal', 'nuisance', 'environmental')`),
    )
    .addColumn('hate', 'boolean', col => col.notNull().defaultTo(false))
    .addColumn('occurred_on', 'date', col => col.notNull())
    .addColumn('occurred_time', 'text')
    .addColumn('pattern', 'text', col => col.notNull().check(sql`pattern in ('one_off', 'ongoing')`))
    .addColumn('frequency', 'text')
    .addColumn('description', 'text', col => col.notNull())
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('postcode', 'text')
    .addColumn('location_description', 'text')
    .addColumn('ward_code', 'text', col => col.notNull())
    .addColumn('lsoa_code', 'text')
    .addColumn('impact', 'jsonb', col => col.notNull())
    .addColumn('reporter_mode', 'text', col =>
      col.notNull().check(sql`reporter_mode in ('named', 'confidential', 'anonymous')`),
    )
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_email', 'text')
    .addColumn('reporter_phone', 'text')
    .addColumn('reporter_key', 'text')
    .addColumn('contact_preference', 'text', col =>
      col.notNull().check(sql`contact_preference in ('email', 'phone', 'none')`),
    )
    .addColumn('consent_to_share', 'boolean', col => col.notNull())
    .addColumn('priority', 'text', col => col.notNull().check(sql`priority in ('high', 'medium', 'standard')`))
    .addColumn('flags', 'jsonb', col => col.notNull())
    .addColumn('linked_report_id', 'bigint', col => col.references('report.id'))
    .addColumn('status', 'text', col =>
      col.notNull().check(sql`status in ('received', 'assessed', 'in_progress', 'action_taken', 'closed')`),
    )
    .addColumn('closure_reason', 'text', col =>
      col.check(sql`closure_reason in ('resolved', 'no_further_action', 'not_asb', 'referred')`),
    )
    .addColumn('closure_note', 'text')
    .addColumn('referred_agency', 'text')
    .addColumn('updated_at', 'timestamptz', col => col.notNull())
    .addCheckConstraint(
      'report_closed_has_reason',
      sql`(status = 'closed') = (closure_reason is not null) and (closure_reason <> 'referred' or referred_agency is not null)`,
    )
    .execute()
  await db.schema.createIndex('report_received_idx').on('report').column('received_at').execute()
  await db.schema.createIndex('report_reporter_idx').on('report').columns(['reporter_key', 'received_at']).execute()
  await db.schema.createIndex('report_point_idx').on('report').columns(['latitude', 'longitude']).execute()
  await db.schema.createIndex('report_ward_idx').on('report').columns(['ward_code', 'received_at']).execute()

  await db.schema
    .createTable('report_update')
    .addColumn('id', 'bigint', col => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('report_id', 'bigint', col => col.notNull().references('report.id'))
    .addColumn('occurred_at', 'timestamptz', col => col.notNull())
    .addColumn('status', 'text', col => col.notNull())
    .addColumn('closure_reason', 'text')
    .addColumn('referred_agency', 'text')
    .addColumn('public_note', 'text')
    .addColumn('actor_type', 'text', col => col.notNull())
    .addColumn('actor_id', 'text')
    .execute()
  await db.schema.createIndex('report_update_report_idx').on('report_update').columns(['report_id', 'id']).execute()

  await db.schema
    .createTable('report_draft')
    .addColumn('id', 'text', col => col.primaryKey())
    .addColumn('answers', 'jsonb', col => col.notNull())
    .addColumn('report_id', 'bigint', col => col.references('report.id'))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addColumn('expires_at', 'timestamptz', col => col.notNull())
    .execute()
  await db.schema.createIndex('report_draft_expires_idx').on('report_draft').column('expires_at').execute()

  await db.schema
    .createTable('notification_outbox')
    .addColumn('id', 'bigint', col => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addColumn('report_id', 'bigint', col => col.references('report.id'))
    .addColumn('template', 'text', col => col.notNull())
    .addColumn('channel', 'text', col => col.notNull().check(sql`channel in ('email', 'sms')`))
    .addColumn('recipient', 'text', col => col.notNull())
    .addColumn('personalisation', 'jsonb', col => col.notNull())
    .addColumn('status', 'text', col => col.notNull().check(sql`status in ('pending', 'sent', 'failed')`))
    .addColumn('attempts', 'integer', col => col.notNull().defaultTo(0))
    .addColumn('provider_id', 'text')
    .addColumn('sent_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('notification_outbox_pending_idx')
    .on('notification_outbox')
    .columns(['status', 'id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notification_outbox').execute()
  await db.schema.dropTable('report_draft').execute()
  await db.schema.dropTable('report_update').execute()
  await db.schema.dropTable('report').execute()
}
