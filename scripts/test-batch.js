// Runs several test files in one process, each inside a suite named after it, so the file's `before` and `after`
// hooks stay its own: the hooks and tests of one file run, and its `after` closes what it opened, before the next
// file's start. Loading the application's module graph through tsx costs about 3 s of CPU in every process; a
// batch pays it once. `scripts/run-tests.js` forms the batches (ADR 0049): node --import tsx scripts/test-batch.js
// <file>...
import path from 'node:path'
import { describe } from 'node:test'
import { pathToFileURL } from 'node:url'

for (const file of process.argv.slice(2)) {
  describe(file, async () => {
    await import(pathToFileURL(path.resolve(file)).href)
  })
}
