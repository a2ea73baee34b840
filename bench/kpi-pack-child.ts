/**
 * One measured process for bench/kpi-pack.bench.ts: opens the bench's PGlite data directory, computes the full KPI
 * pack at today's date (or the naive GROUP BY) once cold and `runs` times warm, and prints the times as JSON.
 * Usage: node --import tsx bench/kpi-pack-child.ts <dataDir> pack|naive <runs>
 *    or: node --import tsx bench/kpi-pack-child.ts <dataDir> values  (every figure of the pack as JSON, to check that
 *        a change to the reads leaves each indicator's value as it was: run it before and after, and compare)
 */
import { sql } from 'kysely'

import { testConfig } from '../src/config.js'
import { createDependencies } from '../src/dependencies.js'
import type { CountSource } from '../src/modules/performance/index.js'
import { prepare } from '../src/operations.js'
import { benchWindow, londonToday } from './kpi-pack.bench.js'

const [dataDir, mode, runsText] = process.argv.slice(2)
if (!dataDir || (mode !== 'pack' && mode !== 'naive' && mode !== 'values'))
  throw new Error('usage: kpi-pack-child.ts <dataDir> pack|naive|values')
const runs = Number(runsText ?? 7)

const deps = await createDependencies(testConfig({ PGLITE_DATA_DIR: dataDir }))
await prepare(deps, { seedDemo: false })
const { db } = deps.database
const today = londonToday(deps.clock.now())
const { from, to } = benchWindow(today)

/** The borough's KPI table and every ward's; the number of figures (YTD and previous YTD) it holds. */
async function pack(): Promise<number> {
  const packs = await deps.performance.kpiPacks(today)
  return packs.reduce(
    (sum, one) => sum + one.rows.filter(row => row.result.ytd !== null || row.result.previousYtd !== null).length * 2,
    0,
  )
}

/** The naive baseline: one plain GROUP BY month, ward over the same rows the pack reads. */
async function naive(): Promise<number> {
  const rows = await sql<{ month: string; ward_code: string | null; total: number }>`
    select month, ward_code, count(*)::integer as total from (
      select to_char(occurred_on, 'YYYY-MM') as month, ward_code from activity_record
        where occurred_on between ${from} and ${to}
      union all
      select to_char(received_at at time zone 'Europe/London', 'YYYY-MM'), ward_code from report
        where (received_at at time zone 'Europe/London')::date between ${from} and ${to}
      union all
      select month, ward_code from intelligence_street_crime
        where month between ${from.slice(0, 7)} and ${to.slice(0, 7)}
    ) as events
    group by month, ward_code
  `.execute(db)
  return rows.rows.length
}

if (mode === 'values') {
  const packs = await deps.performance.kpiPacks(today)
  const values = packs.flatMap(one =>
    one.rows.map(row => ({ area: one.area.code, indicator: row.indicator.id, ...row.result })),
  )
  await deps.close()
  process.stdout.write(`${JSON.stringify(values, null, 1)}\n`)
  process.exit(0)
}

const work = mode === 'pack' ? pack : naive
const time = async () => {
  const started = performance.now()
  const figures = await work()
  return { ms: performance.now() - started, figures }
}
const cold = await time()
const warmMs: number[] = []
for (let i = 0; i < runs; i++) warmMs.push((await time()).ms)

/**
 * Where a warm pack's time goes: each module's count sources that the indicators name, asked together as the pack asks
 * them (so a module's sources share their grouped read), the outputs register and the manual values, each timed warm.
 */
const parts: Record<string, number> = {}
if (mode === 'pack') {
  const timedPart = async (name: string, work: () => Promise<unknown>) => {
    await work()
    const started = performance.now()
    await work()
    parts[name] = Math.round((performance.now() - started) * 10) / 10
  }
  const indicators = await deps.performance.listIndicators()
  const byModule = new Map<string, CountSource[]>()
  for (const indicator of indicators) {
    if (indicator.source.kind !== 'count') continue
    const registered = deps.performanceSources.get(indicator.source.key)
    if (registered) byModule.set(registered.module, [...(byModule.get(registered.module) ?? []), registered])
  }
  for (const [module, sources] of byModule) {
    await timedPart(`sources.${module}`, () => Promise.all(sources.map(source => source.monthlyCounts(from, to))))
  }
  if (process.env.BENCH_KPI_EACH_SOURCE) {
    for (const sources of byModule.values())
      for (const source of sources) await timedPart(`source.${source.key}`, () => source.monthlyCounts(from, to))
  }
  // The outputs register, for the activity types the indicators use (what the pack reads).
  const types = [...new Set(indicators.flatMap(i => (i.source.kind === 'activity' ? [i.source.activityType] : [])))]
  await timedPart('activity_monthly', () => deps.activity.source.monthlyTotals(types, from, to))
}
await deps.close()
process.stdout.write(`${JSON.stringify({ coldMs: cold.ms, warmMs, figures: cold.figures, parts })}\n`)
