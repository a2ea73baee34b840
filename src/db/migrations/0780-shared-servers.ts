import { sql, type Kysely } from 'kysely'

/**
 * Several Safer servers on one database (ADR 0059). `job_run` is the ledger of scheduled work: one row per job and
 * period (the day of a retention run, the minute of a staff-alert sweep), written by the server that claims it, so a
 * job runs once across every server, and a run that died is taken over once its lease has passed. `rate_limit_hit`
 * holds the request counters every server shares: one row per limiter, client and window, upserted on each request;
 * it is UNLOGGED (not written to the WAL nor copied to a replica: after a crash it starts empty, which only forgives
 * a minute's requests).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('job_run')
    .addColumn('job', 'text', col => col.notNull())
    .addColumn('period', 'text', col => col.notNull())
    .addColumn('holder', 'text', col => col.notNull())
    .addColumn('started_at', 'timestamptz', col => col.notNull())
    .addColumn('lease_until', 'timestamptz', col => col.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('attempts', 'integer', col => col.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('job_run_pkey', ['job', 'period'])
    .execute()
  await db.schema.createIndex('job_run_started_at_idx').on('job_run').column('started_at').execute()
  await sql`
    create unlogged table rate_limit_hit (
      key text primary key,
      hits integer not null,
      window_ends timestamptz not null
    )`.execute(db)
  await db.schema.createIndex('rate_limit_hit_window_ends_idx').on('rate_limit_hit').column('window_ends').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit_hit').execute()
  await db.schema.dropTable('job_run').execute()
}
