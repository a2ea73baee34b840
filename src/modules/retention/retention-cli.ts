/**
 * `safer retention run [--dry-run]`: applies the retention schedule now (the same run `safer serve` makes nightly) and
 * prints, per record type, how many records were (or, with --dry-run, would be) anonymised or deleted.
 */
import type { Command } from 'commander'

import type { RetentionResult, RetentionService } from './retention-service.js'

export interface RetentionCliContext {
  withRetention<T>(name: string, work: (service: RetentionService) => Promise<T>): Promise<T>
  stdout: NodeJS.WritableStream
}

const LABELS: Record<string, string> = {
  closedCases: 'closed ASB cases',
  unlinkedReports: 'closed reports on no case',
  evidenceFiles: 'evidence files (with their report or draft)',
  sentNotifications: 'notification outbox rows',
  reportDrafts: 'abandoned report drafts',
  audit: 'audit events',
}

const VERBS = {
  anonymise: { done: 'anonymised', due: 'would anonymise' },
  delete: { done: 'deleted', due: 'would delete' },
  purge: { done: 'purged', due: 'would purge' },
} as const

/** One line per record type: `anonymised 3 closed ASB cases (closed before 2020-12-07)`. */
export function describeRun(result: RetentionResult): string[] {
  const lines = result.lines.map(line => {
    const verb = VERBS[line.action][result.dryRun ? 'due' : 'done']
    const before = line.cutoff ? ` (before ${line.cutoff.toISOString().slice(0, 10)})` : ''
    const skipped = line.skipped ? `; not done: ${line.skipped}` : ''
    return `${line.type}: ${verb} ${String(line.count)} ${LABELS[line.type] ?? line.type}${before}${skipped}`
  })
  return [result.dryRun ? 'Dry run: nothing has been changed.' : 'Retention run complete (audited).', ...lines]
}

export function registerRetentionCommands(program: Command, context: RetentionCliContext): void {
  const retention = program.command('retention').description('The retention schedule (docs/retention.md)')
  retention
    .command('run')
    .description('Anonymise or delete every record past its retention period, in batches; audited')
    .option('--dry-run', 'only count what is due, change nothing')
    .action(async (options: { dryRun?: boolean }) => {
      const result = await context.withRetention('retention run', service =>
        service.run({ dryRun: options.dryRun === true }),
      )
      for (const line of describeRun(result)) context.stdout.write(`${line}\n`)
    })
}
