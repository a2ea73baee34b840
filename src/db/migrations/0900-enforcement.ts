import { sql, type Kysely } from 'kysely'

/**
 * Place-based enforcement (ADR 0065): the Public Spaces Protection Order register. An order's area is stored as
 * GeoJSON (the union of the wards chosen, as one MultiPolygon) beside the ward codes it was drawn from; its life
 * (made, varied, extended, discharged) is kept as events, never overwritten. Review reminders are raised once per
 * order, threshold (6 or 3 months before expiry) and expiry date, so a sweep run twice raises one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pspo_order (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      title text not null,
      prohibitions jsonb not null,
      requirements jsonb not null,
      ward_codes jsonb not null,
      area jsonb not null,
      signage text not null,
      consultation_start date not null,
      consultation_end date not null,
      consultees text not null,
      consultation_summary text not null,
      made_on date not null,
      in_force_from date not null,
      expires_on date not null,
      discharged_on date,
      owner_user_id uuid references staff_user(id),
      submission_id text unique,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check (consultation_end >= consultation_start),
      check (in_force_from >= made_on),
      check (expires_on > in_force_from)
    )`.execute(db)
  await sql`
    create table pspo_event (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references pspo_order(id) on delete cascade,
      kind text not null check (kind in ('made', 'varied', 'extended', 'discharged')),
      occurred_on date not null,
      reason text not null,
      details jsonb not null,
      submission_id text unique,
      recorded_by uuid references staff_user(id),
      recorded_at timestamptz not null
    )`.execute(db)
  await sql`create index pspo_event_order_idx on pspo_event (order_id, recorded_at)`.execute(db)
  await sql`
    create table pspo_review_reminder (
      order_id uuid not null references pspo_order(id) on delete cascade,
      threshold text not null check (threshold in ('6-months', '3-months')),
      expires_on date not null,
      owner_user_id uuid references staff_user(id),
      done_at timestamptz,
      created_at timestamptz not null,
      primary key (order_id, threshold, expires_on)
    )`.execute(db)
  await sql`create index pspo_review_reminder_owner_idx on pspo_review_reminder (owner_user_id) where done_at is null`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table pspo_review_reminder`.execute(db)
  await sql`drop table pspo_event`.execute(db)
  await sql`drop table pspo_order`.execute(db)
}
