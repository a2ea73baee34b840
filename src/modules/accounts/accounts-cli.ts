/**
 * `safer user create` (the first administrator, or anyone, from the server's shell) and `safer partner create`.
 * A generated password is printed once; the user changes it and sets up their authenticator at first sign-in.
 */
import { InvalidArgumentError, type Command } from 'commander'

import { systemActor } from '../../platform/audit.js'
import { t } from '../../platform/i18n.js'
import { AccountsError, type AccountsService } from './accounts-service.js'
import { isRole, PARTNER_KINDS, ROLES } from './roles.js'

export interface AccountsCliContext {
  withAccounts<T>(name: string, work: (accounts: AccountsService) => Promise<T>): Promise<T>
  stdout: { write(text: string): unknown }
}

export class AccountsCliError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AccountsCliError'
  }
}

function roleList(value: string, previous: string[] = []): string[] {
  const roles = value.split(',').map(role => role.trim())
  for (const role of roles) {
    if (!isRole(role)) throw new InvalidArgumentError(`unknown role "${role}"; roles are ${ROLES.join(', ')}`)
  }
  return [...previous, ...roles]
}

function explain(error: unknown): never {
  if (error instanceof AccountsError) throw new AccountsCliError(`${error.field}: ${t(error.messageKey)}`)
  throw error
}

export function registerAccountsCommands(program: Command, context: AccountsCliContext): void {
  const out = (line: string) => context.stdout.write(`${line}\n`)

  const user = program.command('user').description('Staff accounts')
  user
    .command('create')
    .description(
      'Create a staff user; prints a one-time password (the user sets up two-factor sign-in at first sign-in)',
    )
    .requiredOption('--email <email>', 'work email address (the sign-in name)')
    .requiredOption('--name <name>', 'the person’s name')
    .requiredOption('--partner <code>', 'their organisation’s partner code (created with `safer partner create`)')
    .option('--team <code>', 'their team’s code')
    .option('--role <roles>', `one or more of ${ROLES.join(', ')} (repeat or comma-separate)`, roleList)
    .action(async (options: { email: string; name: string; partner: string; team?: string; role?: string[] }) => {
      await context.withAccounts('user create', async accounts => {
        const roles = options.role && options.role.length > 0 ? options.role : ['administrator']
        const created = await accounts
          .createUser(systemActor, {
            email: options.email,
            displayName: options.name,
            partnerCode: options.partner,
            teamCode: options.team,
            roles,
          })
          .catch(explain)
        out(`Created ${options.email} (${roles.join(', ')}), id ${created.id}.`)
        out('Give them this one-time password securely; they set up their authenticator app when they first sign in:')
        out(created.password)
      })
    })

  const partner = program.command('partner').description('Partner organisations')
  partner
    .command('create')
    .description('Add a partner organisation')
    .requiredOption('--code <code>', 'short code: lower-case letters, numbers and hyphens (for example police)')
    .requiredOption('--name <name>', 'the organisation’s name')
    .option('--kind <kind>', `kind of organisation: ${PARTNER_KINDS.join(', ')}, or your own`, 'other')
    .action(async (options: { code: string; name: string; kind: string }) => {
      await context.withAccounts('partner create', async accounts => {
        const created = await accounts.createPartner(systemActor, options).catch(explain)
        out(`Created partner ${created.code}: ${created.name} (${created.kind}).`)
      })
    })
  partner
    .command('list')
    .description('List partner organisations')
    .action(async () => {
      await context.withAccounts('partner list', async accounts => {
        for (const row of await accounts.repository.listPartners()) {
          out(`${row.code}\t${row.kind}\t${row.active ? 'active' : 'inactive'}\t${row.name}`)
        }
      })
    })
}
