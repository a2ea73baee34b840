/**
 * `safer pack validate <folder>`: checks a CSP pack (the manifest, every file it names, the references between them
 * and the geography files) and prints every problem as `folder/file:line: problem`. Exits non-zero if there is one.
 * Needs no database.
 */
import path from 'node:path'

import type { Command } from 'commander'

import { PackError } from '../geography/index.js'
import { describeProblem, validatePack } from './pack-validate.js'

export interface PackCliContext {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  /** The count source keys Safer's modules register: an indicator naming another is a problem. */
  sourceKeys?: () => ReadonlySet<string>
}

export function registerPackCommands(program: Command, context: PackCliContext): void {
  const pack = program.command('pack').description('CSP packs: everything borough-specific (docs/csp-pack.md)')
  pack
    .command('validate')
    .argument('<folder>', 'a CSP pack folder with pack.json')
    .description('Check a CSP pack and name every problem with its file and line; exits 1 if there is any')
    .action((folder: string) => {
      const sourceKeys = context.sourceKeys?.()
      const { problems, pack: valid } = validatePack(path.resolve(folder), sourceKeys ? { sourceKeys } : {})
      if (valid) {
        const counts = [
          `${String(valid.plan?.priorities.length ?? 0)} priorities`,
          `${String(valid.plan?.outcomes.length ?? 0)} outcomes`,
          `${String(valid.indicators?.indicators.length ?? 0)} indicators`,
          `${String(valid.historicValues?.sets.length ?? 0)} sets of historic values`,
          valid.manifest.postcodes ? 'postcodes' : 'no postcodes (residents choose a ward or use the map)',
        ]
        context.stdout.write(`${folder}: a valid CSP pack for ${valid.manifest.borough.name}: ${counts.join(', ')}.\n`)
        return
      }
      for (const problem of problems) {
        const file = problem.file === path.resolve(folder) ? folder : path.join(folder, problem.file)
        context.stderr.write(`${describeProblem({ ...problem, file })}\n`)
      }
      throw new PackError(
        `${String(problems.length)} ${problems.length === 1 ? 'problem' : 'problems'} in the CSP pack ${folder}`,
      )
    })
}
