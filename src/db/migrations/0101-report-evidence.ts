import { sql, type Kysely } from 'kysely'

/**
 * Reporting: photo and audio evidence a resident attaches to a report. The bytes live in the database (bytea), already
 * stripped of metadata, so a backup of the database is a backup of the evidence (ADR 0008). A file belongs to a
 * journey draft until the report is submitted, then to the report; a draft's files go when the draft expires.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_evidence')
    .addColumn('id', 'uuid', col => col.primaryKey())
    .addColumn('draft_id', 'text', col => col.references('report_draft.id').onDelete('cascade'))
    .addColumn('report_id', 'bigint', col => col.references('report.id'))
    .addColumn('kind', 'text', col => col.notNull().check(sql`kind in ('photo', 'audio')`))
    .addColumn('content_type', 'text', col => col.notNull())
    .addColumn('file_name', 'text', col => col.notNull())
    .addColumn('size_bytes', 'integer', col => col.notNull())
    .addColumn('sha256', 'text', col => col.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('content', 'bytea', col => col.notNull())
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addCheckConstraint('report_evidence_owner', sql`draft_id is not null or report_id is not null`)
    .execute()
  await db.schema.createIndex('report_evidence_draft_idx').on('report_evidence').column('draft_id').execute()
  await db.schema.createIndex('report_evidence_report_idx').on('report_evidence').column('report_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('report_evidence').execute()
}
