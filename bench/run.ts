/**
 * `npm run bench`: every benchmark, printing `name: value unit` lines. `npm run bench -- <name>` runs one group.
 */
import { caseworkBench } from './casework.bench.js'
import { foundationBench } from './foundation.bench.js'
import { intakeBench } from './intake.bench.js'
import { intelligenceBench } from './intelligence.bench.js'
import { kpiPackBench } from './kpi-pack.bench.js'
import { open311Bench } from './open311.bench.js'
import { performanceBench } from './performance.bench.js'
import { policeImportBench } from './police-import.bench.js'
import { reportingBench } from './reporting.bench.js'

const groups: Record<string, () => Promise<void>> = {
  casework: caseworkBench,
  foundation: foundationBench,
  intake: intakeBench,
  intelligence: intelligenceBench,
  'intake-service': reportingBench,
  'kpi-pack': kpiPackBench,
  open311: open311Bench,
  performance: performanceBench,
  police_import: policeImportBench,
}

const only = process.argv[2]
for (const [name, run] of Object.entries(groups)) {
  if (only && only !== name) continue
  process.stdout.write(`# ${name}\n`)
  await run()
}
