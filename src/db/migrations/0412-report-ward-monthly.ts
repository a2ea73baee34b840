import { sql, type Kysely } from 'kysely'

/**
 * `report_ward_monthly` (module: reporting): one row per London month of receipt and ward, with a column for every
 * figure the `reports:*` sources of one condition count (every report, hate or not, each channel, each NSIR
 * qualifier). The KPI pack read them from `report_monthly` with a `sum … filter (where …)` per figure over one row per
 * month, ward, hate, channel and qualifier (up to 24 rows a ward and month); this table holds the sums themselves, so
 * the pack reads a few hundred rows and adds nothing up (ADR 0062). `report_monthly` stays for the other combinations.
 * Kept by statement-level triggers on `report` exactly as `report_monthly` is (migration 0410): one upsert per
 * INSERT, UPDATE or DELETE statement, whatever its size.
 */
export const FIGURES = `
  count(*) as reports,
  count(*) filter (where hate) as hate,
  count(*) filter (where not hate) as not_hate,
  count(*) filter (where channel = 'web') as channel_web,
  count(*) filter (where channel = 'open311') as channel_open311,
  count(*) filter (where channel = 'phone') as channel_phone,
  count(*) filter (where channel = 'partner') as channel_partner,
  count(*) filter (where nsir_qualifier = 'personal') as qualifier_personal,
  count(*) filter (where nsir_qualifier = 'nuisance') as qualifier_nuisance,
  count(*) filter (where nsir_qualifier = 'environmental') as qualifier_environmental`
export const COLUMNS = [
  'reports',
  'hate',
  'not_hate',
  'channel_web',
  'channel_open311',
  'channel_phone',
  'channel_partner',
  'qualifier_personal',
  'qualifier_nuisance',
  'qualifier_environmental',
] as const

export function upsert(rows: 'old_rows' | 'new_rows', sign: '' | '-'): string {
  const negated = sign === '-' ? COLUMNS.map(column => `-${column}`).join(', ') : COLUMNS.join(', ')
  return `
    insert into report_ward_monthly as m (month, ward_code, ${COLUMNS.join(', ')})
      select month, ward_code, ${negated} from (
        select date_trunc('month', received_at at time zone 'Europe/London')::date as month, ward_code, ${FIGURES}
        from ${rows} group by 1, 2
      ) as figures
    on conflict (month, ward_code)
      do update set ${COLUMNS.map(column => `${column} = m.${column} + excluded.${column}`).join(', ')};`
}

export async function up(db: Kysely<unknown>): Promise<void> {
  let table = db.schema
    .createTable('report_ward_monthly')
    .addColumn('month', 'date', col => col.notNull())
    .addColumn('ward_code', 'text', col => col.notNull())
  for (const column of COLUMNS) table = table.addColumn(column, 'bigint', col => col.notNull())
  await table.addPrimaryKeyConstraint('report_ward_monthly_pk', ['month', 'ward_code']).execute()
  await sql
    .raw(
      `
    create function report_ward_monthly_apply() returns trigger language plpgsql as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        ${upsert('old_rows', '-')}
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        ${upsert('new_rows', '')}
      end if;
      delete from report_ward_monthly where reports = 0;
      return null;
    end
    $$
  `,
    )
    .execute(db)
  await sql`create trigger report_ward_monthly_insert after insert on report
    referencing new table as new_rows for each statement execute function report_ward_monthly_apply()`.execute(db)
  await sql`create trigger report_ward_monthly_update after update on report
    referencing old table as old_rows new table as new_rows
    for each statement execute function report_ward_monthly_apply()`.execute(db)
  await sql`create trigger report_ward_monthly_delete after delete on report
    referencing old table as old_rows for each statement execute function report_ward_monthly_apply()`.execute(db)
  await sql
    .raw(
      `insert into report_ward_monthly (month, ward_code, ${COLUMNS.join(', ')})
       select date_trunc('month', received_at at time zone 'Europe/London')::date, ward_code, ${FIGURES}
       from report group by 1, 2`,
    )
    .execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('report_ward_monthly').execute()
  await sql`drop function report_ward_monthly_apply() cascade`.execute(db)
}
