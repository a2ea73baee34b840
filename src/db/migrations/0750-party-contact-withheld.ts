import { sql, type Kysely } from 'kysely'

/**
 * A confidential reporter who asked not to share their details keeps that choice when they become a party to a case:
 * partners the case is shared with see the party as withheld (ADR 0019). Parties already made from such reporters are
 * marked from their linked report.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table case_party add column contact_withheld boolean not null default false`.execute(db)
  await sql`
    update case_party p set contact_withheld = true
    from case_report cr join report r on r.id = cr.report_id
    where cr.case_id = p.case_id
      and r.reporter_mode = 'confidential' and not r.consent_to_share
      and p.name = r.reporter_name and p.email is not distinct from r.reporter_email`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table case_party drop column contact_withheld`.execute(db)
}
