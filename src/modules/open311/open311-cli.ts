/**
 * `safer api-key create|revoke|list`: partner keys for the Open311 API. `create` prints the new key as the last line
 * of its output (it is shown once; only its hash is kept).
 */
import type { Command } from 'commander'

import type { ApiKeyService } from './api-keys.js'
import type { KeyRecord } from './open311-repository.js'

export interface Open311CliContext {
  withKeys<T>(name: string, work: (keys: ApiKeyService) => Promise<T>): Promise<T>
  stdout: { write(text: string): unknown }
}

const operator = { type: 'system' as const, id: 'safer-cli' }

function describe(record: KeyRecord): string {
  const state = record.revokedAt ? `revoked ${record.revokedAt.toISOString()}` : 'active'
  const used = record.lastUsedAt ? record.lastUsedAt.toISOString() : 'never'
  return `${record.id}  ${record.partnerCode}  ${record.keyPrefix}…  "${record.label}"  created ${record.createdAt.toISOString()}  last used ${used}  ${state}`
}

export function registerOpen311Commands(program: Command, context: Open311CliContext): void {
  const out = (line: string) => context.stdout.write(`${line}\n`)
  const apiKey = program.command('api-key').description('Open311 API keys for partner systems')

  apiKey
    .command('create')
    .description('Create a key for a partner; the key is printed once, as the last line')
    .requiredOption('--partner <code>', 'the partner the key belongs to (e.g. police)')
    .requiredOption('--name <label>', 'what the key is for (e.g. "FixMyStreet production")')
    .action(async (options: { partner: string; name: string }) => {
      const { key, record } = await context.withKeys('api-key create', keys =>
        keys.create(options.partner, options.name, operator),
      )
      out(`Created API key ${record.id} for ${record.partnerName} (${record.partnerCode}): "${record.label}".`)
      out('Give the key below to the partner now: Safer keeps only its hash and cannot show it again.')
      out(key)
    })

  apiKey
    .command('revoke')
    .argument('<id>', 'the key id (see safer api-key list)')
    .description('Revoke a key: requests with it are refused from now on')
    .action(async (id: string) => {
      const record = await context.withKeys('api-key revoke', keys => keys.revoke(id, operator))
      out(`Revoked API key ${record.id} (${record.partnerCode}, "${record.label}").`)
    })

  apiKey
    .command('list')
    .description('List every key: id, partner, prefix, name, created, last used, state')
    .action(async () => {
      const records = await context.withKeys('api-key list', keys => keys.list())
      if (records.length === 0) out('No API keys.')
      for (const record of records) out(describe(record))
    })
}
