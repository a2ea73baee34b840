// `node --import tsx e2e/support/build-demo-template.ts <file>`: run by scripts/run-tests.js before the e2e files,
// so that every file's server starts from one migrated and seeded database (see startServer).
import { buildDemoTemplate } from './server.js'

const file = process.argv[2]
if (!file) throw new Error('usage: build-demo-template.ts <file>')
await buildDemoTemplate(file)
