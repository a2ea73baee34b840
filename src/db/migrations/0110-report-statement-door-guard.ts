import { sql, type Kysely } from 'kysely'

/**
 * A door's guard in the report's statement (module: reporting; ADR 0060). `safer_refuse_unless(holds, refusal)`
 * returns true when `holds` is true and otherwise raises SQLSTATE SR001 with `refusal` as the message, which fails the
 * whole statement: the report and every row written with it are undone. Open311 uses it so that a report sent with a
 * key revoked since the server last read it is refused in the statement that writes it, instead of in a transaction
 * around it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function safer_refuse_unless(holds boolean, refusal text) returns boolean language plpgsql volatile as $$
    begin
      if holds is not true then
        raise exception using errcode = 'SR001', message = refusal;
      end if;
      return true;
    end
    $$`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function safer_refuse_unless(boolean, text)`.execute(db)
}
