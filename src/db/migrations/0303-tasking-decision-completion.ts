import type { Kysely } from 'kysely'

/**
 * When a tasking decision was carried out (module: intelligence): the date the owner reported it done at a later
 * meeting, and who recorded it. A decision not yet done has none, and the pack carries it forward until it is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('intelligence_tasking_decision')
    .addColumn('completed_on', 'date')
    .addColumn('completed_by', 'text')
    .addColumn('completed_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('intelligence_tasking_decision_open')
    .on('intelligence_tasking_decision')
    .columns(['completed_on', 'week_start'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('intelligence_tasking_decision_open').execute()
  await db.schema
    .alterTable('intelligence_tasking_decision')
    .dropColumn('completed_at')
    .dropColumn('completed_by')
    .dropColumn('completed_on')
    .execute()
}
