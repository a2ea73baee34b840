import { sql, type Kysely } from 'kysely'

/**
 * A tamper-evident audit trail (docs/audit.md, ADR 0020). Every audit_event row gets a place in one chain (`seq`),
 * the hash of the row before it (`prev_hash`) and its own hash (`hash`: sha256 over a canonical jsonb array of its
 * fields and prev_hash). A BEFORE INSERT trigger computes them, so every way of inserting is covered; it takes the
 * row lock of the one-row `audit_chain` table, which orders concurrent inserts (held until the inserting transaction
 * commits). `audit_chain` also keeps the anchor: where the chain starts after `audit_event_purge` removed the oldest
 * rows for retention. TRUNCATE is refused by a statement trigger; DELETE only from within `audit_event_purge`.
 * Audit rows also carry the client's IP address and a non-secret identifier of the staff session.
 */
const GENESIS = '0'.repeat(64)

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  // SECURITY DEFINER functions get a fixed search path: the schema they were created in, then pg_temp last.
  const searchPath = sql.raw(`${quoteIdent(rows[0]?.schema ?? 'public')}, pg_temp`)

  await db.schema
    .alterTable('audit_event')
    .addColumn('ip', 'text')
    .addColumn('session_id', 'text')
    .addColumn('seq', 'bigint')
    .addColumn('prev_hash', 'text')
    .addColumn('hash', 'text')
    .execute()

  // The canonical form of a row: a jsonb array (its text output is deterministic on every engine), the time as
  // epoch microseconds, the details as jsonb. The leading 1 is the format's version.
  await sql`
    create function audit_event_hash(r audit_event) returns text language sql stable as $$
      select encode(sha256(convert_to(jsonb_build_array(
        1, r.seq, r.id, (extract(epoch from r.occurred_at) * 1000000)::bigint, r.actor_type, r.actor_id, r.action,
        r.subject_type, r.subject_id, r.correlation_id, r.details, r.ip, r.session_id, r.prev_hash
      )::text, 'UTF8')), 'hex')
    $$`.execute(db)

  await sql`
    create table audit_chain (
      singleton boolean primary key default true check (singleton),
      head_seq bigint not null,
      head_hash text not null,
      anchor_seq bigint not null default 0,
      anchor_hash text not null,
      anchored_at timestamptz,
      purged bigint not null default 0
    )`.execute(db)

  // Chain the rows already there, in id order.
  await sql`alter table audit_event disable trigger audit_event_append_only`.execute(db)
  await sql`
    update audit_event set seq = numbered.n
    from (select id, row_number() over (order by id) as n from audit_event) numbered
    where audit_event.id = numbered.id`.execute(db)
  await sql`
    do $$
    declare
      r audit_event;
      h text := ${sql.lit(GENESIS)};
    begin
      for r in select * from audit_event order by seq loop
        r.prev_hash := h;
        h := audit_event_hash(r);
        update audit_event set prev_hash = r.prev_hash, hash = h where id = r.id;
      end loop;
      insert into audit_chain (head_seq, head_hash, anchor_seq, anchor_hash)
      values ((select coalesce(max(seq), 0) from audit_event), h, 0, ${sql.lit(GENESIS)});
    end
    $$`.execute(db)
  await sql`alter table audit_event enable trigger audit_event_append_only`.execute(db)
  await sql`alter table audit_event alter column seq set not null`.execute(db)
  await sql`alter table audit_event alter column prev_hash set not null`.execute(db)
  await sql`alter table audit_event alter column hash set not null`.execute(db)
  await sql`create unique index audit_event_seq_idx on audit_event (seq)`.execute(db)

  // Every insert takes the next place in the chain. SECURITY DEFINER: the application's role needs no right to
  // change audit_chain. The row lock on audit_chain is held until the inserting transaction commits.
  await sql`
    create function audit_event_chain() returns trigger language plpgsql security definer
    set search_path = ${searchPath} as $$
    declare
      chain audit_chain;
    begin
      select * into strict chain from audit_chain for update;
      new.seq := chain.head_seq + 1;
      new.prev_hash := chain.head_hash;
      new.hash := audit_event_hash(new);
      update audit_chain set head_seq = new.seq, head_hash = new.hash;
      return new;
    end
    $$`.execute(db)
  await sql`
    create trigger audit_event_chain before insert on audit_event
    for each row execute function audit_event_chain()`.execute(db)

  // Append-only, TRUNCATE included; DELETE only inside audit_event_purge, which sets safer.audit_purge for itself.
  await sql`
    create or replace function audit_event_is_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and current_setting('safer.audit_purge', true) = 'on' then
        return old;
      end if;
      raise exception 'audit_event is append-only';
    end
    $$`.execute(db)
  await sql`
    create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_is_append_only()`.execute(db)
  await sql`
    create function audit_chain_is_kept() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_chain cannot be deleted or truncated';
    end
    $$`.execute(db)
  await sql`
    create trigger audit_chain_kept before delete on audit_chain
    for each row execute function audit_chain_is_kept()`.execute(db)
  await sql`
    create trigger audit_chain_no_truncate before truncate on audit_chain
    for each statement execute function audit_chain_is_kept()`.execute(db)

  // Retention: deletes the oldest rows, in chain order, up to the first row at or after the cutoff, and records the
  // last deleted row as the anchor the chain now starts from. Returns the number of rows deleted.
  await sql`
    create function audit_event_purge(cutoff timestamptz) returns bigint language plpgsql security definer
    set search_path = ${searchPath} as $$
    declare
      keep_from bigint;
      last_seq bigint;
      last_hash text;
      deleted bigint;
    begin
      if cutoff is null then
        raise exception 'audit_event_purge needs a cutoff';
      end if;
      select min(seq) into keep_from from audit_event where occurred_at >= cutoff;
      select seq, hash into last_seq, last_hash from audit_event
      where keep_from is null or seq < keep_from order by seq desc limit 1;
      if last_seq is null then
        return 0;
      end if;
      perform set_config('safer.audit_purge', 'on', true);
      delete from audit_event where seq <= last_seq;
      get diagnostics deleted = row_count;
      perform set_config('safer.audit_purge', 'off', true);
      update audit_chain set anchor_seq = last_seq, anchor_hash = last_hash, anchored_at = now(),
        purged = purged + deleted
      where anchor_seq < last_seq;
      return deleted;
    end
    $$`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function audit_event_purge(timestamptz)`.execute(db)
  await sql`drop trigger audit_event_no_truncate on audit_event`.execute(db)
  await sql`drop trigger audit_event_chain on audit_event`.execute(db)
  await sql`drop function audit_event_chain()`.execute(db)
  await sql`drop table audit_chain`.execute(db)
  await sql`drop function audit_chain_is_kept()`.execute(db)
  await sql`drop function audit_event_hash(audit_event)`.execute(db)
  await sql`
    create or replace function audit_event_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event is append-only';
    end;
    $$`.execute(db)
  await db.schema
    .alterTable('audit_event')
    .dropColumn('ip')
    .dropColumn('session_id')
    .dropColumn('seq')
    .dropColumn('prev_hash')
    .dropColumn('hash')
    .execute()
}
