import { sql, type Kysely } from 'kysely'

/**
 * Report writes take the audit chain's lock first (module: reporting; found by the three-server test, ADR 0059).
 *
 * Two locks meet in every transaction that changes a report: the one-row `audit_chain` (taken by each audit insert,
 * ADR 0020) and the rows of the monthly aggregates (`report_monthly`, `report_ward_monthly`, taken by the report's
 * statement triggers, which run on every update too). A resident's submission writes its audit row in the report's
 * own statement, so it takes the chain first and the aggregate second; an officer's update of a report takes the
 * aggregate first and the chain when it audits. Two such transactions at once deadlock, and PostgreSQL aborts one
 * (seen as a 500 on an Open311 POST while an officer worked). A statement trigger that runs before any row of
 * `report` changes now takes the chain's lock, so every such transaction takes the two in the same order. They were
 * serialised on the chain already (each of them audits), so this costs one lock it would take anyway. SECURITY
 * DEFINER: the application's role has no right to lock `audit_chain` itself.
 */
function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  const searchPath = sql.raw(`${quoteIdent(rows[0]?.schema ?? 'public')}, pg_temp`)
  await sql`
    create function audit_chain_lock_first() returns trigger language plpgsql security definer
    set search_path = ${searchPath} as $$
    begin
      perform 1 from audit_chain for update;
      return null;
    end
    $$`.execute(db)
  await sql`create trigger report_audit_chain_first before insert or update or delete on report
    for each statement execute function audit_chain_lock_first()`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger report_audit_chain_first on report`.execute(db)
  await sql`drop function audit_chain_lock_first()`.execute(db)
}
