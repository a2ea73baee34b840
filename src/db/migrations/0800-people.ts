import { sql, type Kysely } from 'kysely'

/**
 * People and places across cases (ADR 0052). The index holds no personal data of its own: a `person` is an identity
 * that case parties and report reporters are linked to (`person_link`, one row per source record, with the
 * matching key derived from the name), so names, dates of birth and addresses stay where they were recorded and are
 * read through each record's own access policy. Merges the index proposes are decided by a person and kept
 * (`person_merge`, with the links a merge moved, so it can be undone). A `place` is an address or premises (UPRN when
 * known) that cases, reports and address parties are linked to (`place_link`), for a place's repeat history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('person')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addColumn('merged_into', 'uuid', col => col.references('person.id'))
    .addColumn('merged_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('person_link')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid', col => col.notNull().references('person.id'))
    .addColumn('source_type', 'text', col => col.notNull().check(sql`source_type in ('case-party', 'reporter')`))
    .addColumn('source_id', 'text', col => col.notNull())
    .addColumn('name_key', 'text', col => col.notNull())
    .addColumn('linked_at', 'timestamptz', col => col.notNull())
    .addColumn('linked_by', 'uuid', col => col.references('staff_user.id'))
    .addUniqueConstraint('person_link_source_unique', ['source_type', 'source_id'])
    .execute()
  await sql`create index person_link_person_idx on person_link (person_id)`.execute(db)

  await db.schema
    .createTable('person_merge')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kept_person_id', 'uuid', col => col.notNull().references('person.id'))
    .addColumn('merged_person_id', 'uuid', col => col.notNull().references('person.id'))
    .addColumn('reason', 'text', col =>
      col.notNull().check(sql`reason in ('similar-name-same-birth', 'same-name-same-postcode')`),
    )
    .addColumn('status', 'text', col =>
      col.notNull().check(sql`status in ('proposed', 'merged', 'rejected', 'undone')`),
    )
    .addColumn('proposed_at', 'timestamptz', col => col.notNull())
    .addColumn('decided_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('note', 'text')
    .addColumn('moved_link_ids', 'jsonb', col => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addUniqueConstraint('person_merge_pair_unique', ['kept_person_id', 'merged_person_id'])
    .addCheckConstraint('person_merge_two_people', sql`kept_person_id <> merged_person_id`)
    .execute()

  await db.schema
    .createTable('place')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('place_key', 'text', col => col.notNull().unique())
    .addColumn('uprn', 'text')
    .addColumn('address', 'text')
    .addColumn('postcode', 'text')
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .execute()
  await sql`create unique index place_uprn_unique on place (uprn) where uprn is not null`.execute(db)
  await sql`create index place_postcode_idx on place (postcode)`.execute(db)

  await db.schema
    .createTable('place_link')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('place_id', 'uuid', col => col.notNull().references('place.id'))
    .addColumn('source_type', 'text', col => col.notNull().check(sql`source_type in ('case', 'report', 'case-party')`))
    .addColumn('source_id', 'text', col => col.notNull())
    .addColumn('linked_at', 'timestamptz', col => col.notNull())
    .addUniqueConstraint('place_link_source_unique', ['source_type', 'source_id'])
    .execute()
  await sql`create index place_link_place_idx on place_link (place_id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('place_link').execute()
  await db.schema.dropTable('place').execute()
  await db.schema.dropTable('person_merge').execute()
  await db.schema.dropTable('person_link').execute()
  await db.schema.dropTable('person').execute()
}
