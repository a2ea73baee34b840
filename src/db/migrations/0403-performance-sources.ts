import { sql, type Kysely } from 'kysely'

/**
 * Indicator sources and the figures behind them:
 * - `activity_monthly`: the outputs register summed by type, ward and month, kept up to date incrementally by
 *   statement-level triggers (one aggregate upsert per INSERT/UPDATE/DELETE statement, not per row), so the KPI pack
 *   reads a few thousand monthly rows instead of every record. '' stands for "no ward".
 * - indicators may now take their figures from a registered count source (`count`, e.g. `reports:all`) or from an
 *   imported resident survey measure (`survey`), named by `source_key`.
 * - `performance_survey_import` / `performance_survey_result`: resident survey perception measures (respondents and
 *   how many agreed) by area and fieldwork period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('activity_monthly')
    .addColumn('type_code', 'text', col => col.notNull())
    .addColumn('ward_code', 'text', col => col.notNull())
    .addColumn('month', 'date', col => col.notNull())
    .addColumn('total', 'bigint', col => col.notNull())
    .addColumn('records', 'bigint', col => col.notNull())
    .addPrimaryKeyConstraint('activity_monthly_pk', ['type_code', 'month', 'ward_code'])
    .execute()

  await sql`
    create function activity_monthly_apply() returns trigger language plpgsql as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        insert into activity_monthly as m (type_code, ward_code, month, total, records)
          select type_code, coalesce(ward_code, ''), date_trunc('month', occurred_on)::date,
                 -sum(quantity), -count(*)
          from old_rows group by 1, 2, 3
        on conflict (type_code, month, ward_code)
          do update set total = m.total + excluded.total, records = m.records + excluded.records;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into activity_monthly as m (type_code, ward_code, month, total, records)
          select type_code, coalesce(ward_code, ''), date_trunc('month', occurred_on)::date,
                 sum(quantity), count(*)
          from new_rows group by 1, 2, 3
        on conflict (type_code, month, ward_code)
          do update set total = m.total + excluded.total, records = m.records + excluded.records;
      end if;
      delete from activity_monthly where records = 0;
      return null;
    end
    $$
  `.execute(db)
  await sql`create trigger activity_monthly_insert after insert on activity_record
    referencing new table as new_rows for each statement execute function activity_monthly_apply()`.execute(db)
  await sql`create trigger activity_monthly_update after update on activity_record
    referencing old table as old_rows new table as new_rows
    for each statement execute function activity_monthly_apply()`.execute(db)
  await sql`create trigger activity_monthly_delete after delete on activity_record
    referencing old table as old_rows for each statement execute function activity_monthly_apply()`.execute(db)
  await sql`
    insert into activity_monthly (type_code, ward_code, month, total, records)
    select type_code, coalesce(ward_code, ''), date_trunc('month', occurred_on)::date, sum(quantity), count(*)
    from activity_record group by 1, 2, 3
  `.execute(db)

  await sql`alter table performance_indicator drop constraint performance_indicator_source`.execute(db)
  await sql`alter table performance_indicator drop constraint performance_indicator_source_kind_check`.execute(db)
  await db.schema.alterTable('performance_indicator').addColumn('source_key', 'text').execute()
  await sql`alter table performance_indicator add constraint performance_indicator_source_kind_check
    check (source_kind in ('manual', 'activity', 'count', 'survey'))`.execute(db)
  await sql`alter table performance_indicator add constraint performance_indicator_source check (
    ((source_kind = 'activity') = (source_activity_type is not null))
    and ((source_kind in ('count', 'survey')) = (source_key is not null)))`.execute(db)

  await db.schema
    .createTable('performance_survey_import')
    .addColumn('id', 'serial', col => col.primaryKey())
    .addColumn('survey', 'text', col => col.notNull())
    .addColumn('file_name', 'text', col => col.notNull())
    .addColumn('rows', 'integer', col => col.notNull())
    .addColumn('imported_at', 'timestamptz', col => col.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('performance_survey_result')
    .addColumn('id', 'serial', col => col.primaryKey())
    .addColumn('import_id', 'integer', col => col.notNull().references('performance_survey_import.id'))
    .addColumn('survey', 'text', col => col.notNull())
    .addColumn('measure', 'text', col => col.notNull().check(sql`measure ~ '^[a-z0-9][a-z0-9-]*$'`))
    .addColumn('area_code', 'text', col => col.notNull())
    .addColumn('period_start', 'date', col => col.notNull())
    .addColumn('period_end', 'date', col => col.notNull())
    .addColumn('respondents', 'integer', col => col.notNull().check(sql`respondents > 0`))
    .addColumn('agreeing', 'integer', col => col.notNull().check(sql`agreeing >= 0`))
    .addCheckConstraint('performance_survey_result_agreeing', sql`agreeing <= respondents`)
    .addCheckConstraint('performance_survey_result_period', sql`period_end >= period_start`)
    .addUniqueConstraint('performance_survey_result_unique', ['measure', 'area_code', 'period_start', 'period_end'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('performance_survey_result').execute()
  await db.schema.dropTable('performance_survey_import').execute()
  await sql`alter table performance_indicator drop constraint performance_indicator_source`.execute(db)
  await sql`alter table performance_indicator drop constraint performance_indicator_source_kind_check`.execute(db)
  await db.schema.alterTable('performance_indicator').dropColumn('source_key').execute()
  await sql`drop trigger activity_monthly_insert on activity_record`.execute(db)
  await sql`drop trigger activity_monthly_update on activity_record`.execute(db)
  await sql`drop trigger activity_monthly_delete on activity_record`.execute(db)
  await sql`drop function activity_monthly_apply()`.execute(db)
  await db.schema.dropTable('activity_monthly').execute()
}
