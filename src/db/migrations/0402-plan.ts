import { sql, type Kysely } from 'kysely'

/** The plan tracker: outcomes under each CSP priority (with the indicators that measure them) and the actions or
 * deliverables that deliver them, each with an owner, partner, due date, RAG status and narrative. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('performance_outcome')
    .addColumn('id', 'text', col => col.primaryKey())
    .addColumn('priority_id', 'text', col => col.notNull().references('performance_priority.id'))
    .addColumn('text', 'text', col => col.notNull())
    .addColumn('indicator_ids', 'jsonb', col => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('sort_order', 'integer', col => col.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('performance_action')
    .addColumn('id', 'serial', col => col.primaryKey())
    .addColumn('outcome_id', 'text', col => col.notNull().references('performance_outcome.id').onDelete('cascade'))
    .addColumn('title', 'text', col => col.notNull().check(sql`length(trim(title)) > 0`))
    .addColumn('owner', 'text', col => col.notNull())
    .addColumn('partner', 'text')
    .addColumn('due_date', 'date')
    .addColumn('status', 'text', col =>
      col.notNull().check(sql`status in ('not-started', 'on-track', 'at-risk', 'off-track', 'complete')`),
    )
    .addColumn('narrative', 'text', col => col.notNull().defaultTo(''))
    .addColumn('updated_at', 'timestamptz', col => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('performance_action_unique', ['outcome_id', 'title'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('performance_action').execute()
  await db.schema.dropTable('performance_outcome').execute()
}
