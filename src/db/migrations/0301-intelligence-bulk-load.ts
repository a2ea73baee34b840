import { sql, type Kysely } from 'kysely'

/**
 * Police.uk point tables for bulk loading (module: intelligence). A month is replaced whole and read by month, so
 * rows need no surrogate key, and a BRIN index over (month, force, …) finds a month's pages at a fraction of the cost
 * of B-trees on every COPY (see docs/adr/0011-police-imports-use-copy-on-postgresql.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('intelligence_street_crime_force_month').execute()
  await db.schema.dropIndex('intelligence_street_crime_type_month').execute()
  await db.schema.alterTable('intelligence_street_crime').dropColumn('id').execute()
  await sql`create index intelligence_street_crime_month_brin on intelligence_street_crime
    using brin (month, force, crime_type)`.execute(db)

  await db.schema.dropIndex('intelligence_stop_search_force_month').execute()
  await db.schema.alterTable('intelligence_stop_search').dropColumn('id').execute()
  await sql`create index intelligence_stop_search_month_brin on intelligence_stop_search
    using brin (month, force)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('intelligence_stop_search_month_brin').execute()
  await db.schema
    .alterTable('intelligence_stop_search')
    .addColumn('id', 'bigint', col => col.generatedAlwaysAsIdentity().primaryKey())
    .execute()
  await db.schema
    .createIndex('intelligence_stop_search_force_month')
    .on('intelligence_stop_search')
    .columns(['force', 'month'])
    .execute()

  await db.schema.dropIndex('intelligence_street_crime_month_brin').execute()
  await db.schema
    .alterTable('intelligence_street_crime')
    .addColumn('id', 'bigint', col => col.generatedAlwaysAsIdentity().primaryKey())
    .execute()
  await db.schema
    .createIndex('intelligence_street_crime_force_month')
    .on('intelligence_street_crime')
    .columns(['force', 'month'])
    .execute()
  await db.schema
    .createIndex('intelligence_street_crime_type_month')
    .on('intelligence_street_crime')
    .columns(['crime_type', 'month'])
    .execute()
}
