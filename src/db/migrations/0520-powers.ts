import { sql, type Kysely } from 'kysely'

/**
 * The powers ladder (src/modules/powers): each action taken on a case (warning letter to Criminal Behaviour Order),
 * against a perpetrator or premises, with the policy version it was taken under, the subject's age on the day, what
 * the officer entered and the deadlines the policy computed; breaches recorded against an action; and each policy
 * document the first time it is used.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('power_policy')
    .addColumn('version', 'text', col => col.primaryKey())
    .addColumn('document', 'jsonb', col => col.notNull())
    .addColumn('first_used_at', 'timestamptz', col => col.notNull())
    .execute()

  await db.schema
    .createTable('power_action')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('party_id', 'uuid', col => col.references('case_party.id').onDelete('cascade'))
    .addColumn('premises', 'text')
    .addColumn('power', 'text', col => col.notNull())
    .addColumn('policy_version', 'text', col => col.notNull().references('power_policy.version'))
    .addColumn('action_date', 'date', col => col.notNull())
    .addColumn('starts_at', 'timestamptz')
    .addColumn('subject_age', 'integer')
    .addColumn('details', 'jsonb', col => col.notNull())
    .addColumn('deadlines', 'jsonb', col => col.notNull())
    .addColumn('prior_action_id', 'uuid', col => col.references('power_action.id'))
    .addColumn('issued_by', 'uuid', col => col.notNull().references('staff_user.id'))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addColumn('submission_id', 'uuid', col => col.notNull().unique())
    .addCheckConstraint('power_action_subject', sql`party_id is not null or premises is not null`)
    .execute()
  await db.schema.createIndex('power_action_case_idx').on('power_action').columns(['case_id', 'action_date']).execute()

  await db.schema
    .createTable('power_breach')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('action_id', 'uuid', col => col.notNull().references('power_action.id').onDelete('cascade'))
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('occurred_on', 'date', col => col.notNull())
    .addColumn('description', 'text', col => col.notNull())
    .addColumn('response', 'text', col => col.notNull())
    .addColumn('recorded_by', 'uuid', col => col.notNull().references('staff_user.id'))
    .addColumn('recorded_at', 'timestamptz', col => col.notNull())
    .addColumn('submission_id', 'uuid', col => col.notNull().unique())
    .execute()
  await db.schema
    .createIndex('power_breach_action_idx')
    .on('power_breach')
    .columns(['action_id', 'occurred_on'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['power_breach', 'power_action', 'power_policy']) {
    await db.schema.dropTable(table).execute()
  }
}
