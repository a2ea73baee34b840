import { sql, type Kysely } from 'kysely'

import { upsert as wardUpsert } from './0412-report-ward-monthly.js'

/**
 * The report aggregates' triggers (module: reporting; migrations 0410 and 0412; numbered after them so that it runs after them on a new database) ended every statement on `report`
 * with a sweep of the whole aggregate for rows counted down to nothing: a scan of every month, ward and channel on
 * each resident's submission, although adding reports can empty no row. Now an INSERT sweeps nothing, and an UPDATE
 * or DELETE looks only at the aggregate rows of the months and wards its old rows were counted in (by primary key).
 * What the tables hold is unchanged.
 */
const MONTH = `date_trunc('month', received_at at time zone 'Europe/London')::date`

/** report_monthly's trigger function, ending with `sweep`. */
function reportMonthly(sweep: string): string {
  return `
    create or replace function report_monthly_apply() returns trigger language plpgsql as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        insert into report_monthly as m (month, ward_code, hate, channel, nsir_qualifier, records)
          select ${MONTH}, ward_code, hate, channel, nsir_qualifier, -count(*)
          from old_rows group by 1, 2, 3, 4, 5
        on conflict (month, ward_code, hate, channel, nsir_qualifier)
          do update set records = m.records + excluded.records;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into report_monthly as m (month, ward_code, hate, channel, nsir_qualifier, records)
          select ${MONTH}, ward_code, hate, channel, nsir_qualifier, count(*)
          from new_rows group by 1, 2, 3, 4, 5
        on conflict (month, ward_code, hate, channel, nsir_qualifier)
          do update set records = m.records + excluded.records;
      end if;
      ${sweep}
      return null;
    end
    $$`
}

/** report_ward_monthly's trigger function, ending with `sweep`. */
function reportWardMonthly(sweep: string): string {
  return `
    create or replace function report_ward_monthly_apply() returns trigger language plpgsql as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        ${wardUpsert('old_rows', '-')}
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        ${wardUpsert('new_rows', '')}
      end if;
      ${sweep}
      return null;
    end
    $$`
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      reportMonthly(`
      if tg_op in ('DELETE', 'UPDATE') then
        delete from report_monthly m
        using (select distinct ${MONTH} as month, ward_code, hate, channel, nsir_qualifier from old_rows) o
        where m.month = o.month and m.ward_code = o.ward_code and m.hate = o.hate and m.channel = o.channel
          and m.nsir_qualifier = o.nsir_qualifier and m.records = 0;
      end if;`),
    )
    .execute(db)
  await sql
    .raw(
      reportWardMonthly(`
      if tg_op in ('DELETE', 'UPDATE') then
        delete from report_ward_monthly m
        using (select distinct ${MONTH} as month, ward_code from old_rows) o
        where m.month = o.month and m.ward_code = o.ward_code and m.reports = 0;
      end if;`),
    )
    .execute(db)
}

/** The functions as migrations 0410 and 0412 made them. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(reportMonthly('delete from report_monthly where records = 0;')).execute(db)
  await sql.raw(reportWardMonthly('delete from report_ward_monthly where reports = 0;')).execute(db)
}
