import { sql, type Kysely } from 'kysely'

/** Police and MPS crime data imported for hotspot analysis (module: intelligence). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('intelligence_street_crime')
    .addColumn('id', 'bigint', col => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('force', 'text', col => col.notNull())
    .addColumn('month', 'text', col => col.notNull())
    .addColumn('crime_id', 'text')
    .addColumn('reported_by', 'text', col => col.notNull())
    .addColumn('crime_type', 'text', col => col.notNull())
    .addColumn('outcome_code', 'text')
    .addColumn('outcome_name', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('location', 'text')
    .addColumn('location_missing', 'boolean', col => col.notNull())
    .addColumn('outside_area', 'boolean', col => col.notNull())
    .addColumn('police_lsoa_code', 'text')
    .addColumn('police_lsoa_name', 'text')
    .addColumn('ward_code', 'text')
    .addColumn('lsoa2021_code', 'text')
    .addColumn('lsoa2011_code', 'text')
    .addColumn('source_file', 'text', col => col.notNull())
    .addColumn('source_line', 'integer', col => col.notNull())
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

  await db.schema
    .createTable('intelligence_stop_search')
    .addColumn('id', 'bigint', col => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('force', 'text', col => col.notNull())
    .addColumn('month', 'text', col => col.notNull())
    .addColumn('search_type', 'text', col => col.notNull())
    .addColumn('occurred_at', 'timestamptz', col => col.notNull())
    .addColumn('part_of_operation', 'boolean')
    .addColumn('operation', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('location_missing', 'boolean', col => col.notNull())
    .addColumn('outside_area', 'boolean', col => col.notNull())
    .addColumn('gender', 'text')
    .addColumn('age_range', 'text')
    .addColumn('self_defined_ethnicity', 'text')
    .addColumn('officer_defined_ethnicity', 'text')
    .addColumn('legislation', 'text')
    .addColumn('object_of_search', 'text')
    .addColumn('outcome', 'text')
    .addColumn('outcome_linked_to_object', 'boolean')
    .addColumn('removal_of_more_than_outer_clothing', 'boolean')
    .addColumn('ward_code', 'text')
    .addColumn('lsoa2021_code', 'text')
    .addColumn('lsoa2011_code', 'text')
    .addColumn('source_file', 'text', col => col.notNull())
    .addColumn('source_line', 'integer', col => col.notNull())
    .execute()
  await db.schema
    .createIndex('intelligence_stop_search_force_month')
    .on('intelligence_stop_search')
    .columns(['force', 'month'])
    .execute()

  await db.schema
    .createTable('intelligence_recorded_crime')
    .addColumn('level', 'text', col => col.notNull().check(sql`level in ('borough', 'ward', 'lsoa')`))
    .addColumn('area_code', 'text', col => col.notNull())
    .addColumn('area_name', 'text', col => col.notNull())
    .addColumn('ward_code', 'text')
    .addColumn('major_category', 'text', col => col.notNull())
    .addColumn('minor_category', 'text', col => col.notNull())
    .addColumn('month', 'text', col => col.notNull())
    .addColumn('count', 'integer', col => col.notNull())
    .addPrimaryKeyConstraint('intelligence_recorded_crime_pk', [
      'level',
      'month',
      'area_code',
      'major_category',
      'minor_category',
    ])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('intelligence_recorded_crime').execute()
  await db.schema.dropTable('intelligence_stop_search').execute()
  await db.schema.dropTable('intelligence_street_crime').execute()
}
