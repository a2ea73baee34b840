import { sql, type Kysely } from 'kysely'

/**
 * Open311 (module: open311): partner API keys (only a hash of each key is kept), which report each keyed POST
 * created, tokens for queued requests, and the updates partners posted in (so a repeated update is applied once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('open311_api_key')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('partner_id', 'uuid', col => col.notNull().references('partner.id'))
    .addColumn('label', 'text', col => col.notNull())
    .addColumn('key_prefix', 'text', col => col.notNull())
    .addColumn('key_hash', 'text', col => col.notNull().unique())
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('open311_api_key_partner_idx').on('open311_api_key').column('partner_id').execute()

  await db.schema
    .createTable('open311_request')
    .addColumn('report_id', 'bigint', col => col.primaryKey().references('report.id'))
    .addColumn('api_key_id', 'uuid', col => col.notNull().references('open311_api_key.id'))
    .addColumn('partner_id', 'uuid', col => col.notNull().references('partner.id'))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .execute()
  await db.schema
    .createIndex('open311_request_partner_idx')
    .on('open311_request')
    .columns(['partner_id', 'report_id'])
    .execute()

  await db.schema
    .createTable('open311_token')
    .addColumn('token', 'text', col => col.primaryKey())
    .addColumn('api_key_id', 'uuid', col => col.notNull().references('open311_api_key.id'))
    .addColumn('report_id', 'bigint', col => col.references('report.id'))
    .addColumn('failure', 'text')
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .execute()

  await db.schema
    .createTable('open311_update_in')
    .addColumn('id', 'bigint', col => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('partner_id', 'uuid', col => col.notNull().references('partner.id'))
    .addColumn('client_update_id', 'text', col => col.notNull())
    .addColumn('report_id', 'bigint', col => col.notNull().references('report.id'))
    .addColumn('report_update_id', 'bigint', col => col.notNull().references('report_update.id'))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addUniqueConstraint('open311_update_in_client_key', ['partner_id', 'client_update_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['open311_update_in', 'open311_token', 'open311_request', 'open311_api_key']) {
    await db.schema.dropTable(table).execute()
  }
}
