/**
 * The demo borough. Geography and police data are real (the geography pack); people, reports and cases are
 * invented here, deterministically from a fixed seed. Each module that owns demo data adds a seeder to `seeders`.
 */
import { sql } from 'kysely'

import type { Dependencies } from '../../dependencies.js'
import { createRandom, type Random } from './random.js'

export const DEMO_SEED = 20_250_401

/**
 * How far back the demo's dated records go: about twenty months, so the current financial year and the same part of
 * the previous one (its "previous year to date") both have records in every module, whatever the day of the year.
 */
export const DEMO_SPAN_DAYS = 600

export interface DemoSeeder {
  name: string
  seed(deps: Dependencies, random: Random): Promise<Record<string, number>>
}

const DEMO_KEY = 'demo.seeded'

/** The demo is refused in production: its staff accounts share a password and authenticator key anyone can read. */
export class DemoInProductionError extends Error {
  constructor() {
    super(
      'the demo borough is never seeded in production (APP_ENV=production): its staff accounts share a published ' +
        'password and authenticator key. Nothing was created. Add the first administrator with `safer user create` ' +
        '(docs/accounts.md).',
    )
    this.name = 'DemoInProductionError'
  }
}

/** Throws DemoInProductionError in production, before anything is opened or written. */
export function refuseDemoInProduction(env: string): void {
  if (env === 'production') throw new DemoInProductionError()
}

export async function isDemoSeeded(deps: Dependencies): Promise<boolean> {
  const row = await deps.database.db.selectFrom('setting').select('key').where('key', '=', DEMO_KEY).executeTakeFirst()
  return row !== undefined
}

export async function seedDemo(
  deps: Dependencies,
  seeders: DemoSeeder[],
): Promise<Record<string, Record<string, number>>> {
  refuseDemoInProduction(deps.config.env)
  const summary: Record<string, Record<string, number>> = {}
  for (const seeder of seeders) {
    summary[seeder.name] = await seeder.seed(deps, createRandom(DEMO_SEED + seeder.name.length))
  }
  const value = JSON.stringify({ seededAt: deps.clock.now().toISOString(), seed: DEMO_SEED, summary })
  await deps.database.db
    .insertInto('setting')
    .values({ key: DEMO_KEY, value, updated_at: sql`now()` })
    .onConflict(oc => oc.column('key').doUpdateSet({ value, updated_at: sql`now()` }))
    .execute()
  return summary
}
