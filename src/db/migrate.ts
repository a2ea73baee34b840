import { Migrator, sql, type Kysely, type MigrationResult } from 'kysely'

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
 * The migration tables live in the connection's current schema, named explicitly: Kysely otherwise looks for them in
 * every schema, and a server holding several Safer schemas (one per test file in CI) would find another's.
 */
async function migrator(db: AnyKysely): Promise<Migrator> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
    migrationTableSchema: rows[0]?.schema ?? 'public',
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
