import { sql, type Kysely } from 'kysely'

/**
 * Staff notifications (accounts, ADR 0053): each user's choice per event (an email at once, in a daily digest, or
 * none), and the alerts raised for them, one per user and event (`dedupe_key`), so a sweep run twice emails once.
 * An alert holds the case reference, the event and a link, never a name: the email says no more than that.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table staff_notification_preference (
      user_id uuid not null references staff_user(id) on delete cascade,
      event text not null,
      delivery text not null check (delivery in ('immediate', 'digest', 'off')),
      updated_at timestamptz not null,
      primary key (user_id, event)
    )`.execute(db)
  await sql`
    create table staff_notification (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references staff_user(id) on delete cascade,
      event text not null,
      dedupe_key text not null,
      case_reference text,
      detail text,
      link text not null,
      delivery text not null check (delivery in ('immediate', 'digest')),
      created_at timestamptz not null,
      emailed_at timestamptz,
      unique (user_id, dedupe_key)
    )`.execute(db)
  await sql`create index staff_notification_digest_idx on staff_notification (user_id) where emailed_at is null`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table staff_notification`.execute(db)
  await sql`drop table staff_notification_preference`.execute(db)
}
