import {
  Migrator,
  sql,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Kysely,
  type MigrationResult,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely'

import { migrations } from './migrations/index.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before and beside any schema type
type AnyKysely = Kysely<any>

export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'MigrationError'
  }
}

/**
 * Kysely's introspector reads every column of every schema on the server (and calls pg_get_serial_sequence on each).
 * On a server shared with other schemas, one dropped meanwhile fails the whole query with "schema does not exist";
 * that is what happened in CI, where each test file has a schema of its own and drops it when done. The migrator only
 * asks whether its own schema and two tables exist, so it gets an introspector that looks at that schema alone.
 */
function currentSchemaIntrospector(db: AnyKysely, schema: string): DatabaseIntrospector {
  const getSchemas = async (): Promise<SchemaMetadata[]> => {
    const { rows } = await sql<{ name: string }>`
      select nspname as name from pg_catalog.pg_namespace where nspname = ${schema}`.execute(db)
    return rows
  }
  const getTables = async (): Promise<TableMetadata[]> => {
    const { rows } = await sql<{ name: string; kind: string }>`
      select c.relname as name, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
      where ns.nspname = ${schema} and c.relkind in ('r', 'v', 'p')`.execute(db)
    return rows.map(row => ({ name: row.name, schema, isView: row.kind === 'v', columns: [] }))
  }
  return {
    getSchemas,
    getTables,
    // Still part of the interface Kysely asks for; the migrator never calls it.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    getMetadata: async (): Promise<DatabaseMetadata> => ({ tables: await getTables() }),
  }
}

/** The same database handle, answering `introspection` from the current schema only (see above). */
function scopedToSchema(db: AnyKysely, schema: string): AnyKysely {
  const introspection = currentSchemaIntrospector(db, schema)
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspection
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

/**
 * The migration tables live in the connection's current schema, named explicitly: Kysely otherwise looks for them in
 * every schema, and a server holding several Safer schemas (one per test file in CI) would find another's.
 */
async function migrator(db: AnyKysely): Promise<Migrator> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  const schema = rows[0]?.schema ?? 'public'
  return new Migrator({
    db: scopedToSchema(db, schema),
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
    migrationTableSchema: schema,
    allowUnorderedMigrations: true,
  })
}

/** Runs every pending migration in one go; returns the names applied. */
export async function migrateToLatest(db: AnyKysely): Promise<string[]> {
  const { error, results } = await (await migrator(db)).migrateToLatest()
  if (error) {
    const failed = results?.find(result => result.status === 'Error')
    throw new MigrationError(
      `Migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      {
        cause: error,
      },
    )
  }
  return (results ?? []).filter((result: MigrationResult) => result.status === 'Success').map(r => r.migrationName)
}

export async function pendingMigrations(db: AnyKysely): Promise<string[]> {
  const all = await (await migrator(db)).getMigrations()
  return all.filter(migration => migration.executedAt === undefined).map(migration => migration.name)
}
