// `node --import tsx test/helpers/prepare-template.ts`: run by scripts/run-tests.js before the test files, so the
// migrated PGlite template (see database.ts) is built once rather than by the first files at the same time.
import { ensureTemplate } from './database.js'

await ensureTemplate()
