#!/usr/bin/env node
// The `safer` command. Safer runs its TypeScript sources directly through tsx (see docs/adr/0002).
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli.ts')
const code = await main(process.argv.slice(2))
// `serve` keeps running; every other command ends here.
if (process.argv[2] !== 'serve' || code !== 0) process.exitCode = code
