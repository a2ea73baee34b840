import { Migrator, type Kysely, type MigrationResult } from 'kysely'

import { migrations } from './migrations/index.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before and beside any schema type
type AnyKysely = Kysely<any>

export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'MigrationError'
  }
}

function migrator(db: AnyKysely): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
  })
}

/** Runs every pending migration in one go; returns the names applied. */
export async function migrateToLatest(db: AnyKysely): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest()
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
  const all = await migrator(db).getMigrations()
  return all.filter(migration => migration.executedAt === undefined).map(migration => migration.name)
}
