import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_event')
    .addColumn('id', 'bigint', col => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('occurred_at', 'timestamptz', col => col.notNull().defaultTo(sql`now()`))
    .addColumn('actor_type', 'text', col => col.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', col => col.notNull())
    .addColumn('subject_type', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('correlation_id', 'text')
    .addColumn('details', 'jsonb', col => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute()
  await db.schema
    .createIndex('audit_event_subject_idx')
    .on('audit_event')
    .columns(['subject_type', 'subject_id'])
    .execute()
  await db.schema.createIndex('audit_event_occurred_idx').on('audit_event').column('occurred_at').execute()
  // Append-only: the audit trail can be added to, never edited or deleted through the application's connection.
  await sql`
    create function audit_event_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event is append-only';
    end;
    $$`.execute(db)
  await sql`
    create trigger audit_event_append_only before update or delete on audit_event
    for each row execute function audit_event_is_append_only()`.execute(db)

  await db.schema
    .createTable('setting')
    .addColumn('key', 'text', col => col.primaryKey())
    .addColumn('value', 'jsonb', col => col.notNull())
    .addColumn('updated_at', 'timestamptz', col => col.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('setting').execute()
  await db.schema.dropTable('audit_event').execute()
  await sql`drop function audit_event_is_append_only`.execute(db)
}
