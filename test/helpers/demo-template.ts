// `node --import tsx test/helpers/demo-template.ts <file>`: run by scripts/run-tests.js (in the background, after
// the migrated template) when more than one unit or db file of the run seeds the demo borough, so the demo is seeded
// once per run and each of those files starts from a copy (buildTestApp, SAFER_TEST_DEMO_TEMPLATE; ADR 0063).
import { buildDemoTemplate } from './build-app.js'

const file = process.argv[2]
if (!file) throw new Error('usage: demo-template.ts <file>')
delete process.env.SAFER_TEST_DEMO_TEMPLATE
await buildDemoTemplate(file)
