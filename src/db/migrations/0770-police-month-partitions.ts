import { sql, type Kysely } from 'kysely'

/**
 * Police.uk point tables partitioned by month (module: intelligence, ADR 0061). Ten years of a London-sized force is
 * about ten million street records; every read is by a range of months, so each month is a partition of its own and
 * a query for a year reads that year's partitions only. The tables keep their names and columns, so no query changes.
 *
 * `safer_month_partition(parent, month)` creates the partition of a month-partitioned table for one month (the server
 * calls it ahead of time for the coming months, and an import for the months it covers). A `_default` partition takes
 * any row no month partition holds, so an insert never fails; creating the month later moves those rows into it.
 * SECURITY DEFINER: the least-privilege application role may not create tables, but may ask for a month.
 */
function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

const STREET_COLUMNS = `force, month, crime_id, reported_by, crime_type, outcome_code, outcome_name, latitude, longitude,
  location, location_missing, outside_area, police_lsoa_code, police_lsoa_name, ward_code, lsoa2021_code,
  lsoa2011_code, source_file, source_line`

const STOP_SEARCH_COLUMNS = `force, month, search_type, occurred_at, part_of_operation, operation, latitude, longitude,
  location_missing, outside_area, gender, age_range, self_defined_ethnicity, officer_defined_ethnicity, legislation,
  object_of_search, outcome, outcome_linked_to_object, removal_of_more_than_outer_clothing, ward_code, lsoa2021_code,
  lsoa2011_code, source_file, source_line`

export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  const schema = rows[0]?.schema ?? 'public'
  const searchPath = sql.raw(`${quoteIdent(schema)}, pg_temp`)

  // The partition key is the first column of the key: text `YYYY-MM` (police months) or timestamptz (bounds at UTC
  // midnight on the 1st). Rows waiting in the default partition for this month are moved into the new partition
  // before it is attached. Statement-level grants are not inherited: the partition gets the parent's TRUNCATE
  // triggers, and no rights for anyone but the owner (the application reads and writes through the parent).
  await sql`
    create function safer_month_partition(parent regclass, month date) returns boolean
    language plpgsql security definer set search_path = ${searchPath} as $$
    declare
      key_name name;
      key_type regtype;
      parent_name name;
      part_name text;
      lo text;
      hi text;
      default_part regclass;
      waiting boolean := false;
      trig record;
      grantee oid;
      first_day date := date_trunc('month', month)::date;
    begin
      select c.relname, a.attname, a.atttypid::regtype, nullif(p.partdefid, 0)::regclass
        into parent_name, key_name, key_type, default_part
      from pg_partitioned_table p
      join pg_class c on c.oid = p.partrelid
      join pg_attribute a on a.attrelid = p.partrelid and a.attnum = p.partattrs[0]
      where p.partrelid = parent and p.partstrat = 'r' and c.relowner = (select oid from pg_roles where rolname = current_user);
      if key_name is null then
        raise exception '% is not a table partitioned by month', parent;
      end if;
      part_name := parent_name || '_' || to_char(first_day, 'YYYYMM');
      -- Several servers may ask for the same month at once: one creates it, the others then find it.
      perform pg_advisory_xact_lock(hashtext('safer_month_partition'));
      if to_regclass(quote_ident(part_name)) is not null then
        return false;
      end if;
      if key_type = 'text'::regtype then
        lo := to_char(first_day, 'YYYY-MM');
        hi := to_char(first_day + interval '1 month', 'YYYY-MM');
      else
        lo := to_char(first_day, 'YYYY-MM-DD') || ' 00:00:00+00';
        hi := to_char(first_day + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00';
      end if;
      if default_part is not null then
        execute format('select exists (select from %s where %I >= %L and %I < %L)', default_part, key_name, lo,
          key_name, hi) into waiting;
      end if;
      if waiting then
        execute format('create table %I (like %s including defaults including constraints)', part_name, parent);
        perform set_config('safer.audit_purge', 'on', true);
        execute format('with moved as (delete from %s where %I >= %L and %I < %L returning *) insert into %I select * from moved',
          default_part, key_name, lo, key_name, hi, part_name);
        perform set_config('safer.audit_purge', 'off', true);
        execute format('alter table %s attach partition %I for values from (%L) to (%L)', parent, part_name, lo, hi);
      else
        execute format('create table %I partition of %s for values from (%L) to (%L)', part_name, parent, lo, hi);
      end if;
      for trig in
        select t.tgname, t.tgfoid::regproc as fn from pg_trigger t
        where t.tgrelid = parent and not t.tgisinternal and (t.tgtype & 32) <> 0
      loop
        execute format('create trigger %I before truncate on %I for each statement execute function %s()',
          trig.tgname, part_name, trig.fn);
      end loop;
      for grantee in
        select distinct a.grantee from pg_class c, aclexplode(c.relacl) a
        where c.oid = to_regclass(quote_ident(part_name)) and a.grantee <> c.relowner
      loop
        execute format('revoke all on %I from %s', part_name,
          case when grantee = 0 then 'public' else quote_ident(pg_get_userbyid(grantee)) end);
      end loop;
      return true;
    end
    $$`.execute(db)

  await partitionByMonth(db, 'intelligence_street_crime', STREET_COLUMNS, [
    'create index intelligence_street_crime_month_brin on intelligence_street_crime using brin (month, force, crime_type)',
    // The hotspot page and the map read the months' records located in the borough: a small share of a force's.
    `create index intelligence_street_crime_inside on intelligence_street_crime (month, crime_type)
      where not outside_area and not location_missing`,
  ])
  await partitionByMonth(db, 'intelligence_stop_search', STOP_SEARCH_COLUMNS, [
    'create index intelligence_stop_search_month_brin on intelligence_stop_search using brin (month, force)',
  ])

  // The monthly aggregate (migration 0410) is kept by statement triggers on the table: made again on the new one
  // after the copy, so copying does not count the rows twice.
  await sql`create trigger intelligence_street_monthly_insert after insert on intelligence_street_crime
    referencing new table as new_rows for each statement execute function intelligence_street_monthly_apply()`.execute(
    db,
  )
  await sql`create trigger intelligence_street_monthly_update after update on intelligence_street_crime
    referencing old table as old_rows new table as new_rows
    for each statement execute function intelligence_street_monthly_apply()`.execute(db)
  await sql`create trigger intelligence_street_monthly_delete after delete on intelligence_street_crime
    referencing old table as old_rows for each statement execute function intelligence_street_monthly_apply()`.execute(
    db,
  )
}

/** Replaces `table` by a table of the same name and columns partitioned by range of `month`, with its rows. */
async function partitionByMonth(db: Kysely<unknown>, table: string, columns: string, indexes: string[]) {
  const old = `${table}_unpartitioned`
  await sql`alter table ${sql.table(table)} rename to ${sql.table(old)}`.execute(db)
  const { rows: oldIndexes } = await sql<{ name: string }>`
    select indexname as name from pg_indexes where schemaname = current_schema() and tablename = ${old}`.execute(db)
  for (const index of oldIndexes) await sql`drop index ${sql.table(index.name)}`.execute(db)
  await sql`create table ${sql.table(table)} (like ${sql.table(old)} including defaults including constraints)
    partition by range (month)`.execute(db)
  await sql`create table ${sql.table(`${table}_default`)} partition of ${sql.table(table)} default`.execute(db)
  const { rows: months } = await sql<{ month: string }>`
    select distinct month from ${sql.table(old)} where month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$' order by month`.execute(db)
  for (const { month } of months)
    await sql`select safer_month_partition(${table}::regclass, ${`${month}-01`}::date)`.execute(db)
  await sql`insert into ${sql.table(table)} (${sql.raw(columns)}) select ${sql.raw(columns)} from ${sql.table(old)}`.execute(
    db,
  )
  await sql`drop table ${sql.table(old)}`.execute(db)
  for (const index of indexes) await sql.raw(index).execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table, columns] of [
    ['intelligence_street_crime', STREET_COLUMNS],
    ['intelligence_stop_search', STOP_SEARCH_COLUMNS],
  ] as const) {
    const old = `${table}_partitioned`
    await sql`alter table ${sql.table(table)} rename to ${sql.table(old)}`.execute(db)
    await sql`create table ${sql.table(table)} (like ${sql.table(old)} including defaults including constraints)`.execute(
      db,
    )
    await sql`insert into ${sql.table(table)} (${sql.raw(columns)}) select ${sql.raw(columns)} from ${sql.table(old)}`.execute(
      db,
    )
    await sql`drop table ${sql.table(old)} cascade`.execute(db)
  }
  await sql`create index intelligence_street_crime_month_brin on intelligence_street_crime
    using brin (month, force, crime_type)`.execute(db)
  await sql`create index intelligence_stop_search_month_brin on intelligence_stop_search
    using brin (month, force)`.execute(db)
  await sql`create trigger intelligence_street_monthly_insert after insert on intelligence_street_crime
    referencing new table as new_rows for each statement execute function intelligence_street_monthly_apply()`.execute(
    db,
  )
  await sql`create trigger intelligence_street_monthly_update after update on intelligence_street_crime
    referencing old table as old_rows new table as new_rows
    for each statement execute function intelligence_street_monthly_apply()`.execute(db)
  await sql`create trigger intelligence_street_monthly_delete after delete on intelligence_street_crime
    referencing old table as old_rows for each statement execute function intelligence_street_monthly_apply()`.execute(
    db,
  )
  await sql`drop function safer_month_partition(regclass, date)`.execute(db)
}
