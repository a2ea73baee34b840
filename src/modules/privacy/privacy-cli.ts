/**
 * `safer sar export` and `safer sar erase`: a subject access request and an erasure request, run by the data
 * protection officer (or on their instruction). Prints record references and counts, never the personal data itself.
 * Exit codes of `sar erase`: 0 when everything held was erased (or nothing is held), 3 when some records must be kept
 * (each printed with its reason); with --dry-run the same codes, and nothing changes.
 */
import { CommanderError, type Command } from 'commander'

import type { Privacy } from './privacy.js'
import { parseSubject } from './privacy-service.js'

export const ERASURE_INCOMPLETE_EXIT_CODE = 3

const operator = { type: 'system' as const, id: 'safer-cli' }

export interface PrivacyCliContext {
  withPrivacy<T>(name: string, work: (privacy: Privacy) => Promise<T>): Promise<T>
  stdout: NodeJS.WritableStream
}

interface SubjectOptions {
  email?: string
  party?: string
  request?: string
}

export function registerPrivacyCommands(program: Command, context: PrivacyCliContext): void {
  const out = (line: string) => context.stdout.write(`${line}\n`)
  const sar = program.command('sar').description('Data protection: subject access and erasure requests')

  sar
    .command('export')
    .description('Write everything Safer holds about a person (JSON, PDF, their files), third parties redacted')
    .option('--email <address>', 'the person, by the email address they used')
    .option('--party <id>', 'the person, as one case party (its id)')
    .option('--out <dir>', 'a new or empty folder to write the bundle to (default ./sar-<date>-<hash>)')
    .option('--request <reference>', "your request's reference, recorded in the audit trail")
    .action(async (options: SubjectOptions & { out?: string }) => {
      const subject = parseSubject(options)
      const result = await context.withPrivacy('sar export', privacy =>
        privacy.exportTo(subject, {
          actor: operator,
          ...(options.out ? { outDir: options.out } : {}),
          ...(options.request ? { request: options.request } : {}),
        }),
      )
      out(`Wrote the subject access bundle to ${result.outDir}:`)
      for (const file of result.files) out(`  ${file}`)
      out(
        Object.entries(result.counts)
          .map(([kind, count]) => `${kind}: ${String(count)}`)
          .join(', '),
      )
      out('Review it before you send it: see docs/subject-access.md for the exemptions to consider.')
    })

  sar
    .command('erase')
    .description('Erase or anonymise what no retention duty requires Safer to keep; say why the rest is kept')
    .option('--email <address>', 'the person, by the email address they used')
    .option('--party <id>', 'the person, as one case party (its id)')
    .option('--dry-run', 'say what would be erased and kept, and change nothing')
    .option('--request <reference>', "your request's reference, recorded in the audit trail")
    .action(async (options: SubjectOptions & { dryRun?: boolean }) => {
      const subject = parseSubject(options)
      const result = await context.withPrivacy('sar erase', privacy =>
        privacy.service.erase(subject, {
          actor: operator,
          dryRun: options.dryRun ?? false,
          ...(options.request ? { request: options.request } : {}),
        }),
      )
      if (result.decisions.length === 0) {
        out('Safer holds no records for this person. Nothing to erase.')
        return
      }
      const verb = options.dryRun ? 'would erase' : 'erased'
      for (const decision of result.decisions) {
        out(`${decision.action === 'erased' ? verb : 'kept'}  ${decision.type} ${decision.id}: ${decision.reason}`)
      }
      out(
        `${options.dryRun ? 'Dry run: would erase' : 'Erased'} ${String(result.erased)}, kept ${String(result.kept)}.` +
          (options.dryRun ? ' Nothing was changed.' : ''),
      )
      if (result.kept > 0)
        throw new CommanderError(ERASURE_INCOMPLETE_EXIT_CODE, 'safer.sar.kept', 'Some records must be kept.')
    })
}
