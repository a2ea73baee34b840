import { sql, type Kysely } from 'kysely'

/**
 * Powers with legal care (issue 16): an action recorded late (its date well before the day it was entered) keeps the
 * officer's reason and waits for a supervisor's approval before it counts; the real time an action was recorded sorts
 * it in the chronology; an action's later variations, extensions, withdrawals and discharges are kept beside it; and
 * an action being prepared is kept as a draft between its preview and the officer's confirmation, with the exact
 * letter the preview showed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('power_action')
    .addColumn('late_reason', 'text')
    .addColumn('approval_status', 'text', col => col.notNull().defaultTo('not-needed'))
    .addColumn('approved_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('approved_at', 'timestamptz')
    .addColumn('approval_note', 'text')
    .execute()

  await db.schema
    .createTable('power_action_change')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('action_id', 'uuid', col => col.notNull().references('power_action.id').onDelete('cascade'))
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('kind', 'text', col => col.notNull())
    .addColumn('effective_date', 'date', col => col.notNull())
    .addColumn('reason', 'text', col => col.notNull())
    .addColumn('requirements', 'text')
    .addColumn('new_end_date', 'date')
    .addColumn('recorded_by', 'uuid', col => col.notNull().references('staff_user.id'))
    .addColumn('recorded_at', 'timestamptz', col => col.notNull())
    .addColumn('submission_id', 'uuid', col => col.notNull().unique())
    .execute()
  await db.schema
    .createIndex('power_action_change_action_idx')
    .on('power_action_change')
    .columns(['action_id', 'effective_date'])
    .execute()

  await db.schema
    .createTable('power_action_draft')
    .addColumn('id', 'uuid', col => col.primaryKey())
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('power', 'text', col => col.notNull())
    .addColumn('body', 'jsonb', col => col.notNull())
    .addColumn('letter_html', 'text')
    .addColumn('created_by', 'uuid', col => col.notNull().references('staff_user.id'))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('power_action_draft').execute()
  await db.schema.dropTable('power_action_change').execute()
  await db.schema
    .alterTable('power_action')
    .dropColumn('late_reason')
    .dropColumn('approval_status')
    .dropColumn('approved_by')
    .dropColumn('approved_at')
    .dropColumn('approval_note')
    .execute()
}
