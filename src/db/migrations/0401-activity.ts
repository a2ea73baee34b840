import { sql, type Kysely } from 'kysely'

/** The outputs register: configurable activity types and one generic record of activity. Aggregates, no people. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('activity_type')
    .addColumn('code', 'text', col => col.primaryKey().check(sql`code ~ '^[a-z0-9][a-z0-9-]*$'`))
    .addColumn('name', 'text', col => col.notNull())
    .addColumn('quantity_label', 'text', col => col.notNull())
    .addColumn('description', 'text', col => col.notNull().defaultTo(''))
    .addColumn('sort_order', 'integer', col => col.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('activity_record')
    .addColumn('id', 'serial', col => col.primaryKey())
    .addColumn('type_code', 'text', col => col.notNull().references('activity_type.code'))
    .addColumn('occurred_on', 'date', col => col.notNull())
    .addColumn('ward_code', 'text')
    .addColumn('priority_id', 'text')
    .addColumn('quantity', 'integer', col => col.notNull().check(sql`quantity > 0`))
    .addColumn('operation', 'text')
    .addColumn('partner', 'text')
    .addColumn('evidence', 'text', col => col.notNull().check(sql`length(trim(evidence)) > 0`))
    .addColumn('source', 'text', col => col.notNull().check(sql`source in ('form', 'import', 'demo')`))
    .addColumn('submission_id', 'text', col => col.unique())
    .addColumn('created_at', 'timestamptz', col => col.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createIndex('activity_record_type_date')
    .on('activity_record')
    .columns(['type_code', 'occurred_on'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('activity_record').execute()
  await db.schema.dropTable('activity_type').execute()
}
