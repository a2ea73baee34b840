import { sql, type Kysely } from 'kysely'

/**
 * The triage queue reads open reports in its own order (risk, then age). A partial index on exactly that order over
 * exactly those reports lets a page be read from the index instead of sorting every open report: the reports in
 * cases and closed ones, the great majority in a busy borough, are not in it at all.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // It replaces 0500's index over the same reports by date alone.
  await sql`drop index if exists report_triage_queue_idx`.execute(db)
  await sql`
    create index report_triage_idx on report
      ((case priority when 'high' then 0 when 'medium' then 1 else 2 end), received_at, id)
      where status in ('received', 'assessed')`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists report_triage_idx`.execute(db)
  await sql`create index report_triage_queue_idx on report (received_at) where status in ('received', 'assessed')`.execute(
    db,
  )
}
