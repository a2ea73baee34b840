import { sql, type Kysely } from 'kysely'

/**
 * Indexes for the KPI pack's reads of large tables (ADR 0062).
 * - `reports:repeat-callers` and `reports:repeat-locations` count the reports intake flagged as repeats, which only a
 *   raw-row query can do (a person or a place counts once a month, in the ward of its latest flagged report). Without
 *   an index they read every report of the period. A partial index holds only the flagged reports, by time of
 *   receipt, with exactly the conditions the two queries use, so they read the flagged reports of the two years and
 *   nothing else.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index report_repeat_caller_idx on report (received_at)
      where jsonb_array_length(coalesce(flags -> 'repeatCaller', '[]'::jsonb)) > 0 and reporter_key is not null
  `.execute(db)
  await sql`
    create index report_repeat_location_idx on report (received_at)
      where jsonb_array_length(coalesce(flags -> 'repeatLocation', '[]'::jsonb)) > 0 and latitude is not null
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists report_repeat_location_idx`.execute(db)
  await sql`drop index if exists report_repeat_caller_idx`.execute(db)
}
