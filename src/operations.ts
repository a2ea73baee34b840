/**
 * The steps every way of starting Safer shares: migrate, make sure the CSP pack's geography is loaded (and is the
 * geography of the configured pack), make the panels the partnership runs those the pack names, seed the demo.
 * On PostgreSQL the whole of it runs under a session-level advisory lock, so several servers starting together take
 * turns: the first does the work, the others wait and then find it done (ADR 0059).
 */
import type { Dependencies } from './dependencies.js'
import { migrateToLatest } from './db/migrate.js'
import { createPartitionsAhead } from './platform/database/partitions.js'
import { PackError } from './modules/geography/index.js'
import { isDemoSeeded, seedDemo, type DemoSeeder } from './db/seeds/demo.js'
import { accountsDemoSeeder } from './modules/accounts/index.js'
import { reportingDemoSeeder } from './modules/reporting/index.js'
import { activityDemoSeeder, activityYearDemoSeeder } from './modules/activity/index.js'
import { performanceDemoSeeder } from './modules/performance/index.js'
import { caseReviewDemoSeeder } from './modules/case-review/index.js'
import { panelsDemoSeeder } from './modules/panels/index.js'
import { caseworkDemoSeeder } from './modules/casework/index.js'
import { retentionDemoSeeder } from './modules/retention/index.js'
import { intelligenceDemoSeeder, taskingDemoSeeder } from './modules/intelligence/index.js'
import { riskDemoSeeder } from './modules/risk/index.js'
import { powersDemoSeeder } from './modules/powers/index.js'
import { peopleDemoSeeder } from './modules/people/index.js'
import { enforcementDemoSeeder } from './modules/enforcement/index.js'

// Accounts first: other seeders refer to partners, teams and staff.
export const demoSeeders: DemoSeeder[] = [accountsDemoSeeder]
demoSeeders.push(reportingDemoSeeder)
// Casework after reporting: demo cases are opened from the demo reports.
demoSeeders.push(caseworkDemoSeeder)
// The year's risk assessments and powers on the demo cases (dated relative to today).
demoSeeders.push(riskDemoSeeder, powersDemoSeeder)
demoSeeders.push(performanceDemoSeeder, activityDemoSeeder)
// The outputs register's recent two years, dated relative to today (the deck years above stay as they were).
demoSeeders.push(activityYearDemoSeeder)
// Public Spaces Protection Orders in force, one due for review (issue 19).
demoSeeders.push(enforcementDemoSeeder)
// After activity (its output types): the year's tasking decisions.
demoSeeders.push(taskingDemoSeeder)
demoSeeders.push(caseReviewDemoSeeder)
// Panels after casework and accounts: the demo meeting's actions are tasks on cases.
demoSeeders.push(panelsDemoSeeder)
// After every module that records people and places: the index links them all.
demoSeeders.push(peopleDemoSeeder)
// The pack's shipped police data (real dates), through the importers: hotspots and crime indicators need no import.
demoSeeders.push(intelligenceDemoSeeder)
// Last, so the rest of the demo is unchanged: a few records old enough for the retention schedule to find.
demoSeeders.push(retentionDemoSeeder)

export interface PrepareResult {
  migrationsApplied: string[]
  geographyImported: boolean
  demoSeeded: boolean
}

/** The advisory lock's first key (the second is the schema's hash: test schemas on one server do not queue). */
export const PREPARE_LOCK_KEY = 0x5afe7

export async function prepare(deps: Dependencies, options: { seedDemo?: boolean } = {}): Promise<PrepareResult> {
  const { connectClient } = deps.database
  if (!connectClient) return prepareUnlocked(deps, options)
  // A connection of its own holds the lock for the whole prepare (the work uses the pool's other connections);
  // if this process dies, PostgreSQL ends the session and the lock goes with it.
  const client = await connectClient()
  const key = [PREPARE_LOCK_KEY, 'safer.prepare']
  try {
    await client.query('select pg_advisory_lock($1::int4, hashtext($2 || current_schema()))', key)
    try {
      return await prepareUnlocked(deps, options)
    } finally {
      await client.query('select pg_advisory_unlock($1::int4, hashtext($2 || current_schema()))', key)
    }
  } finally {
    client.release()
  }
}

async function prepareUnlocked(deps: Dependencies, options: { seedDemo?: boolean }): Promise<PrepareResult> {
  const migrationsApplied = await migrateToLatest(deps.database.db)
  // This month and the next three of every month-partitioned table (ADR 0061).
  await createPartitionsAhead(deps.database.db)
  let geographyImported = false
  if (!(await deps.geography.load())) {
    await deps.geography.importPack(deps.pack.dir)
    geographyImported = true
  }
  const loaded = deps.geography.borough()
  if (loaded.code !== deps.pack.manifest.borough.code) {
    throw new PackError(
      `The database holds the geography of ${loaded.name} (${loaded.code}) but the CSP pack in ${deps.pack.dir} is ` +
        `for ${deps.pack.manifest.borough.name} (${deps.pack.manifest.borough.code}). Use a fresh database for the ` +
        `new pack, or replace the geography with \`safer geo import ${deps.pack.dir}\`.`,
    )
  }
  // The panels the partnership runs, from the pack (added where missing; the partnership's own edits kept).
  if (deps.pack.panels) await deps.panels.service.applyPackPanels(deps.pack.panels)
  let demoSeeded = false
  if ((options.seedDemo ?? deps.config.demoData) && !(await isDemoSeeded(deps))) {
    await seedDemo(deps, demoSeeders)
    demoSeeded = true
  }
  return { migrationsApplied, geographyImported, demoSeeded }
}
