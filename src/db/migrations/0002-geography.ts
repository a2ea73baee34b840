import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('area')
    .addColumn('code', 'text', col => col.notNull())
    .addColumn('kind', 'text', col =>
      col.notNull().check(sql`kind in ('borough', 'ward', 'lsoa2021', 'lsoa2011', 'neighbour')`),
    )
    .addColumn('name', 'text', col => col.notNull())
    .addColumn('alt_name', 'text')
    .addColumn('geometry', 'jsonb', col => col.notNull())
    .addColumn('min_lng', 'double precision', col => col.notNull())
    .addColumn('min_lat', 'double precision', col => col.notNull())
    .addColumn('max_lng', 'double precision', col => col.notNull())
    .addColumn('max_lat', 'double precision', col => col.notNull())
    .addColumn('population', 'integer')
    .addColumn('details', 'jsonb', col => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addPrimaryKeyConstraint('area_pk', ['kind', 'code'])
    .execute()

  await db.schema
    .createTable('postcode')
    .addColumn('postcode', 'text', col => col.primaryKey())
    .addColumn('display', 'text', col => col.notNull())
    .addColumn('latitude', 'double precision', col => col.notNull())
    .addColumn('longitude', 'double precision', col => col.notNull())
    .addColumn('ward_code', 'text')
    .addColumn('lsoa2021_code', 'text')
    .addColumn('lsoa2011_code', 'text')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('postcode').execute()
  await db.schema.dropTable('area').execute()
}
