import { sql, type Kysely } from 'kysely'

/** Decisions recorded at the weekly tasking meeting, against the pack for that week (module: intelligence). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('intelligence_tasking_decision')
    .addColumn('id', 'uuid', col => col.primaryKey())
    .addColumn('week_start', 'date', col => col.notNull())
    .addColumn('decision', 'text', col => col.notNull())
    .addColumn('owner', 'text', col => col.notNull())
    .addColumn('due_on', 'date', col => col.notNull())
    .addColumn('activity_record_id', 'integer')
    .addColumn('created_by', 'text', col => col.notNull())
    .addColumn('created_at', 'timestamptz', col => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('intelligence_tasking_decision_week')
    .on('intelligence_tasking_decision')
    .columns(['week_start', 'created_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('intelligence_tasking_decision').execute()
}
