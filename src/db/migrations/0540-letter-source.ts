import { type Kysely } from 'kysely'

/**
 * Letters are produced by the action they belong to (a warning letter or Community Protection Warning on the powers
 * ladder) and kept on the case exactly as generated. The letter remembers that action (module and id) and its title,
 * so the case lists it by name and the action finds the very letter it sent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('case_letter')
    .addColumn('title', 'text')
    .addColumn('source_module', 'text')
    .addColumn('source_id', 'text')
    .execute()
  await db.schema
    .createIndex('case_letter_source_idx')
    .on('case_letter')
    .columns(['source_module', 'source_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('case_letter_source_idx').execute()
  await db.schema
    .alterTable('case_letter')
    .dropColumn('title')
    .dropColumn('source_module')
    .dropColumn('source_id')
    .execute()
}
