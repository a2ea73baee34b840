import { sql, type Kysely } from 'kysely'

/**
 * Monthly aggregates behind the two count sources the KPI pack reads from large tables (ADR 0047), kept up to date
 * incrementally by statement-level triggers exactly as `activity_monthly` is (migration 0403, ADR 0013): one
 * aggregate upsert per INSERT/UPDATE/DELETE statement (a COPY counts as one INSERT), not per row.
 * - `report_monthly` (module: reporting): reports by London month of receipt, ward, hate, channel and NSIR qualifier,
 *   what `reports:*` count.
 * - `intelligence_street_monthly` (module: intelligence): police.uk street records by month, crime type, ward ('' for
 *   none) and whether outside the area, what `police-street:*` count.
 * With 10 million rows the pack read every row of the two financial years on each request; now a few thousand.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_monthly')
    .addColumn('month', 'date', col => col.notNull())
    .addColumn('ward_code', 'text', col => col.notNull())
    .addColumn('hate', 'boolean', col => col.notNull())
    .addColumn('channel', 'text', col => col.notNull())
    .addColumn('nsir_qualifier', 'text', col => col.notNull())
    .addColumn('records', 'bigint', col => col.notNull())
    .addPrimaryKeyConstraint('report_monthly_pk', ['month', 'ward_code', 'hate', 'channel', 'nsir_qualifier'])
    .execute()
  await sql`
    create function report_monthly_apply() returns trigger language plpgsql as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        insert into report_monthly as m (month, ward_code, hate, channel, nsir_qualifier, records)
          select date_trunc('month', received_at at time zone 'Europe/London')::date, ward_code, hate, channel,
                 nsir_qualifier, -count(*)
          from old_rows group by 1, 2, 3, 4, 5
        on conflict (month, ward_code, hate, channel, nsir_qualifier)
          do update set records = m.records + excluded.records;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into report_monthly as m (month, ward_code, hate, channel, nsir_qualifier, records)
          select date_trunc('month', received_at at time zone 'Europe/London')::date, ward_code, hate, channel,
                 nsir_qualifier, count(*)
          from new_rows group by 1, 2, 3, 4, 5
        on conflict (month, ward_code, hate, channel, nsir_qualifier)
          do update set records = m.records + excluded.records;
      end if;
      delete from report_monthly where records = 0;
      return null;
    end
    $$
  `.execute(db)
  await sql`create trigger report_monthly_insert after insert on report
    referencing new table as new_rows for each statement execute function report_monthly_apply()`.execute(db)
  await sql`create trigger report_monthly_update after update on report
    referencing old table as old_rows new table as new_rows
    for each statement execute function report_monthly_apply()`.execute(db)
  await sql`create trigger report_monthly_delete after delete on report
    referencing old table as old_rows for each statement execute function report_monthly_apply()`.execute(db)
  await sql`
    insert into report_monthly (month, ward_code, hate, channel, nsir_qualifier, records)
    select date_trunc('month', received_at at time zone 'Europe/London')::date, ward_code, hate, channel,
           nsir_qualifier, count(*)
    from report group by 1, 2, 3, 4, 5
  `.execute(db)

  await db.schema
    .createTable('intelligence_street_monthly')
    .addColumn('month', 'text', col => col.notNull())
    .addColumn('crime_type', 'text', col => col.notNull())
    .addColumn('ward_code', 'text', col => col.notNull())
    .addColumn('outside_area', 'boolean', col => col.notNull())
    .addColumn('records', 'bigint', col => col.notNull())
    .addPrimaryKeyConstraint('intelligence_street_monthly_pk', ['crime_type', 'month', 'ward_code', 'outside_area'])
    .execute()
  await sql`
    create function intelligence_street_monthly_apply() returns trigger language plpgsql as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        insert into intelligence_street_monthly as m (month, crime_type, ward_code, outside_area, records)
          select month, crime_type, coalesce(ward_code, ''), outside_area, -count(*)
          from old_rows group by 1, 2, 3, 4
        on conflict (crime_type, month, ward_code, outside_area)
          do update set records = m.records + excluded.records;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into intelligence_street_monthly as m (month, crime_type, ward_code, outside_area, records)
          select month, crime_type, coalesce(ward_code, ''), outside_area, count(*)
          from new_rows group by 1, 2, 3, 4
        on conflict (crime_type, month, ward_code, outside_area)
          do update set records = m.records + excluded.records;
      end if;
      delete from intelligence_street_monthly where records = 0;
      return null;
    end
    $$
  `.execute(db)
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
  await sql`
    insert into intelligence_street_monthly (month, crime_type, ward_code, outside_area, records)
    select month, crime_type, coalesce(ward_code, ''), outside_area, count(*)
    from intelligence_street_crime group by 1, 2, 3, 4
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('intelligence_street_monthly').execute()
  await sql`drop function intelligence_street_monthly_apply() cascade`.execute(db)
  await db.schema.dropTable('report_monthly').execute()
  await sql`drop function report_monthly_apply() cascade`.execute(db)
}
