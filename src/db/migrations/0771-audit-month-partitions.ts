import { sql, type Kysely } from 'kysely'

/**
 * The audit trail partitioned by month of `occurred_at` (ADR 0061), so years of audit rows cost a query for a day no
 * more than a month does, and retention can later drop whole months. The table keeps its name, columns, ids, chain
 * positions and hashes: the hash covers the row's fields only (migration 0700), so every hash stays valid and the
 * chain verifies as before. What partitioning changes:
 * - the primary key is (id, occurred_at) and the index on `seq` is no longer unique: a key of a partitioned table must
 *   hold the partition key. The chain trigger still gives each row the next position under the `audit_chain` row
 *   lock, and verification still finds any gap or repeat;
 * - the row triggers (chain, append-only) are made on the partitioned table and so on every partition; the TRUNCATE
 *   trigger is made on each partition too (`safer_month_partition`, migration 0770);
 * - nothing references audit_event by a foreign key, so none had to change.
 * Partitions: every month with rows, this month and the next three; the server creates months ahead as it runs, and a
 * `_default` partition takes any row whose month is missing.
 */
const COLUMNS = `id, occurred_at, actor_type, actor_id, action, subject_type, subject_id, correlation_id, details, ip,
  session_id, seq, prev_hash, hash`

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_event rename to audit_event_unpartitioned`.execute(db)
  for (const index of [
    'audit_event_pkey',
    'audit_event_subject_idx',
    'audit_event_occurred_idx',
    'audit_event_seq_idx',
  ])
    await sql`alter index if exists ${sql.table(index)} rename to ${sql.table(`${index}_unpartitioned`)}`.execute(db)

  await sql`
    create table audit_event (
      id bigint generated always as identity,
      occurred_at timestamptz not null default now(),
      actor_type text not null,
      actor_id text,
      action text not null,
      subject_type text,
      subject_id text,
      correlation_id text,
      details jsonb not null default '{}'::jsonb,
      ip text,
      session_id text,
      seq bigint not null,
      prev_hash text not null,
      hash text not null,
      constraint audit_event_pkey primary key (id, occurred_at)
    ) partition by range (occurred_at)`.execute(db)
  await sql`create table audit_event_default partition of audit_event default`.execute(db)
  await sql`
    select safer_month_partition('audit_event'::regclass, month::date)
    from (
      select distinct date_trunc('month', occurred_at at time zone 'UTC') as month from audit_event_unpartitioned
      union
      select date_trunc('month', now() at time zone 'UTC') + make_interval(months => ahead)
      from generate_series(0, 3) as ahead
    ) months
    order by month`.execute(db)
  await sql`
    insert into audit_event (${sql.raw(COLUMNS)}) overriding system value
    select ${sql.raw(COLUMNS)} from audit_event_unpartitioned`.execute(db)
  await sql`select setval(pg_get_serial_sequence('audit_event', 'id'),
    coalesce((select max(id) from audit_event), 0) + 1, false)`.execute(db)

  // The hash function takes the table's row type: made again for the new table (the old one follows the old table).
  await sql`drop function audit_event_hash(audit_event_unpartitioned)`.execute(db)
  await sql`drop table audit_event_unpartitioned`.execute(db)
  await sql`
    create function audit_event_hash(r audit_event) returns text language sql stable as $$
      select encode(sha256(convert_to(jsonb_build_array(
        1, r.seq, r.id, (extract(epoch from r.occurred_at) * 1000000)::bigint, r.actor_type, r.actor_id, r.action,
        r.subject_type, r.subject_id, r.correlation_id, r.details, r.ip, r.session_id, r.prev_hash
      )::text, 'UTF8')), 'hex')
    $$`.execute(db)

  await sql`create index audit_event_subject_idx on audit_event (subject_type, subject_id)`.execute(db)
  await sql`create index audit_event_occurred_idx on audit_event (occurred_at)`.execute(db)
  await sql`create index audit_event_seq_idx on audit_event (seq)`.execute(db)
  await sql`
    create trigger audit_event_append_only before update or delete on audit_event
    for each row execute function audit_event_is_append_only()`.execute(db)
  await sql`
    create trigger audit_event_chain before insert on audit_event
    for each row execute function audit_event_chain()`.execute(db)
  await sql`
    create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_is_append_only()`.execute(db)
  // The partitions made above were made before the table had its TRUNCATE trigger.
  await sql`
    do $$
    declare
      part regclass;
    begin
      for part in select inhrelid::regclass from pg_inherits where inhparent = 'audit_event'::regclass loop
        execute format('create trigger audit_event_no_truncate before truncate on %s
          for each statement execute function audit_event_is_append_only()', part);
      end loop;
    end
    $$`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_event rename to audit_event_partitioned`.execute(db)
  for (const index of [
    'audit_event_pkey',
    'audit_event_subject_idx',
    'audit_event_occurred_idx',
    'audit_event_seq_idx',
  ])
    await sql`alter index ${sql.table(index)} rename to ${sql.table(`${index}_partitioned`)}`.execute(db)
  await sql`
    create table audit_event (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default now(),
      actor_type text not null,
      actor_id text,
      action text not null,
      subject_type text,
      subject_id text,
      correlation_id text,
      details jsonb not null default '{}'::jsonb,
      ip text,
      session_id text,
      seq bigint not null,
      prev_hash text not null,
      hash text not null
    )`.execute(db)
  await sql`
    insert into audit_event (${sql.raw(COLUMNS)}) overriding system value
    select ${sql.raw(COLUMNS)} from audit_event_partitioned`.execute(db)
  await sql`select setval(pg_get_serial_sequence('audit_event', 'id'),
    coalesce((select max(id) from audit_event), 0) + 1, false)`.execute(db)
  await sql`drop function audit_event_hash(audit_event_partitioned)`.execute(db)
  await sql`drop table audit_event_partitioned cascade`.execute(db)
  await sql`
    create function audit_event_hash(r audit_event) returns text language sql stable as $$
      select encode(sha256(convert_to(jsonb_build_array(
        1, r.seq, r.id, (extract(epoch from r.occurred_at) * 1000000)::bigint, r.actor_type, r.actor_id, r.action,
        r.subject_type, r.subject_id, r.correlation_id, r.details, r.ip, r.session_id, r.prev_hash
      )::text, 'UTF8')), 'hex')
    $$`.execute(db)
  await sql`create index audit_event_subject_idx on audit_event (subject_type, subject_id)`.execute(db)
  await sql`create index audit_event_occurred_idx on audit_event (occurred_at)`.execute(db)
  await sql`create unique index audit_event_seq_idx on audit_event (seq)`.execute(db)
  await sql`
    create trigger audit_event_append_only before update or delete on audit_event
    for each row execute function audit_event_is_append_only()`.execute(db)
  await sql`
    create trigger audit_event_chain before insert on audit_event
    for each row execute function audit_event_chain()`.execute(db)
  await sql`
    create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_is_append_only()`.execute(db)
}
