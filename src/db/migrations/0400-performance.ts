import { sql, type Kysely } from 'kysely'

/** Partnership performance: priorities, indicators (definitions) and periodic values (figures with evidence). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('performance_priority')
    .addColumn('id', 'text', col => col.primaryKey())
    .addColumn('name', 'text', col => col.notNull())
    .addColumn('plan', 'text', col => col.notNull())
    .addColumn('sort_order', 'integer', col => col.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('performance_indicator')
    .addColumn('id', 'text', col => col.primaryKey().check(sql`id ~ '^[a-z0-9][a-z0-9-]*$'`))
    .addColumn('name', 'text', col => col.notNull().check(sql`length(trim(name)) > 0`))
    .addColumn('priority_id', 'text', col => col.notNull().references('performance_priority.id'))
    .addColumn('unit', 'text', col => col.notNull().check(sql`unit in ('count', 'percent', 'rate-per-1000')`))
    // An indicator without polarity cannot be saved: direction of travel means nothing without it.
    .addColumn('polarity', 'text', col =>
      col.notNull().check(sql`polarity in ('lower-better', 'higher-better', 'awareness')`),
    )
    .addColumn('target_kind', 'text', col => col.check(sql`target_kind in ('value', 'change-pct')`))
    .addColumn('target_value', 'double precision')
    .addColumn('tolerance_pct', 'double precision', col =>
      col
        .notNull()
        .defaultTo(5)
        .check(sql`tolerance_pct >= 0`),
    )
    .addColumn('stable_band_pct', 'double precision', col =>
      col
        .notNull()
        .defaultTo(2)
        .check(sql`stable_band_pct >= 0`),
    )
    .addColumn('source_kind', 'text', col => col.notNull().check(sql`source_kind in ('manual', 'activity')`))
    .addColumn('source_activity_type', 'text')
    .addColumn('description', 'text', col => col.notNull().defaultTo(''))
    .addColumn('sort_order', 'integer', col => col.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', col => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', col => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('performance_indicator_target', sql`(target_kind is null) = (target_value is null)`)
    .addCheckConstraint(
      'performance_indicator_source',
      sql`(source_kind = 'activity') = (source_activity_type is not null)`,
    )
    .execute()

  await db.schema
    .createTable('performance_value')
    .addColumn('id', 'serial', col => col.primaryKey())
    .addColumn('indicator_id', 'text', col => col.notNull().references('performance_indicator.id').onDelete('cascade'))
    .addColumn('area_code', 'text', col => col.notNull())
    .addColumn('period_start', 'date', col => col.notNull())
    .addColumn('period_end', 'date', col => col.notNull())
    .addColumn('value', 'double precision', col => col.notNull())
    .addColumn('denominator', 'double precision', col => col.check(sql`denominator >= 0`))
    .addColumn('evidence', 'text', col => col.notNull().check(sql`length(trim(evidence)) > 0`))
    .addColumn('recorded_at', 'timestamptz', col => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('performance_value_period', sql`period_end >= period_start`)
    .addUniqueConstraint('performance_value_unique', ['indicator_id', 'area_code', 'period_start', 'period_end'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('performance_value').execute()
  await db.schema.dropTable('performance_indicator').execute()
  await db.schema.dropTable('performance_priority').execute()
}
