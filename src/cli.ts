/**
 * `safer`: one command for every operator task. Each subcommand opens the database itself; with embedded PGlite it
 * takes the data-directory lock first, so it refuses (and changes nothing) while a server has the database open.
 */
import { Command, CommanderError } from 'commander'

import { ConfigError, describeConfig, loadConfig, processEnvironment } from './config.js'
import { createDependencies, type Dependencies } from './dependencies.js'
import { migrateToLatest, MigrationError } from './db/migrate.js'
import { DemoInProductionError, isDemoSeeded, refuseDemoInProduction, seedDemo } from './db/seeds/demo.js'
import { AccountsCliError, registerAccountsCommands } from './modules/accounts/index.js'
import { PackError } from './modules/geography/index.js'
import { registerPackCommands } from './modules/pack/index.js'
import { registerReportingCommands } from './modules/reporting/index.js'
import { EvaluationError, ImportFileError, registerIntelligenceCommands } from './modules/intelligence/index.js'
import { ApiKeyError, registerOpen311Commands } from './modules/open311/index.js'
import { registerRetentionCommands } from './modules/retention/index.js'
import { PrivacyError, registerPrivacyCommands } from './modules/privacy/index.js'
import { demoSeeders, prepare } from './operations.js'
import { DatabaseUnavailableError } from './platform/database/index.js'
import { isDomainError } from './platform/errors.js'
import { t } from './platform/i18n.js'
import { PdfUnavailableError } from './platform/pdf.js'
import { DataDirectoryLockedError } from './platform/database/data-lock.js'
import { DatabaseRoleError, grantApplicationRole } from './platform/database/roles.js'
import { AuditChainBrokenError, describeVerification } from './platform/audit.js'
import { BackupError, backupDatabase, PostgresBackupError, restoreDatabase } from './platform/database/backup.js'
import { serve } from './server.js'
import { declaredSourceKeys } from './indicator-source-keys.js'

/**
 * Where a command reads its configuration and input and writes its output: the process's own by default. Tests run
 * commands in their own process with an environment and streams of their own (test/helpers/cli.ts).
 */
export interface CliIo {
  env: Record<string, string | undefined>
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream
  stdin: AsyncIterable<Buffer | string>
}

const processIo: CliIo = {
  env: processEnvironment(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
}

export function buildCli(io: CliIo = processIo): Command {
  const out = (line: string): void => {
    io.stdout.write(`${line}\n`)
  }
  const config = () => loadConfig(io.env)
  async function withDependencies<T>(name: string, work: (deps: Dependencies) => Promise<T>): Promise<T> {
    const deps = await createDependencies(config(), { holder: `safer ${name}` })
    try {
      return await work(deps)
    } finally {
      await deps.close()
    }
  }
  async function readStdin(): Promise<string> {
    const chunks: Buffer[] = []
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk))
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '')
  }

  const program = new Command('safer')
    .description('Safer: software for a Community Safety Partnership')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: text => io.stdout.write(text), writeErr: text => io.stderr.write(text) })

  program
    .command('serve')
    .description('Migrate, load the geography, seed the demo on first run, and serve HTTP (PORT, default 3000)')
    .action(async () => {
      await serve(config())
    })

  program
    .command('config')
    .description('List every configuration variable with its meaning and default')
    .action(() => {
      describeConfig().forEach(out)
    })

  const db = program.command('db').description('Database tasks')
  db.command('migrate')
    .description('Apply every pending migration')
    .action(async () => {
      await withDependencies('db migrate', async deps => {
        const applied = await migrateToLatest(deps.database.db)
        out(
          applied.length === 0
            ? 'The database is up to date.'
            : `Applied ${String(applied.length)} migrations: ${applied.join(', ')}`,
        )
      })
    })
  db.command('seed')
    .description(
      'Migrate, load the geography pack if none is loaded, and seed the synthetic demo borough (refused in production)',
    )
    .option('--force', 'seed the demo again even if it has been seeded before')
    .action(async (options: { force?: boolean }) => {
      // Before the database is even opened: in production nothing at all is created.
      refuseDemoInProduction(config().env)
      await withDependencies('db seed', async deps => {
        const prepared = await prepare(deps, { seedDemo: false })
        if (prepared.geographyImported) out('Loaded the geography pack.')
        if ((await isDemoSeeded(deps)) && !options.force) {
          out('The demo has already been seeded (use --force to add another set).')
          return
        }
        const summary = await seedDemo(deps, demoSeeders)
        out(`Seeded the demo borough: ${JSON.stringify(summary)}`)
      })
    })

  db.command('roles')
    .description('PostgreSQL only, as the owner: create or update the least-privilege application role (docs/audit.md)')
    .requiredOption('--app-role <name>', 'the role the application connects as (DATABASE_URL of `safer serve`)')
    .option('--password-stdin', 'read the role’s password from standard input (sent as a SCRAM verifier)')
    .action(async (options: { appRole: string; passwordStdin?: boolean }) => {
      const password = options.passwordStdin ? await readStdin() : undefined
      if (options.passwordStdin && !password) throw new DatabaseRoleError('No password on standard input.')
      await withDependencies('db roles', async deps => {
        await migrateToLatest(deps.database.db)
        const result = await grantApplicationRole(deps.database.db, deps.database.engine, {
          role: options.appRole,
          ...(password ? { password } : {}),
        })
        out(
          `${result.created ? 'Created' : 'Updated'} the application role ${result.role} in schema ${result.schema}` +
            `${result.passwordSet ? ' with a new password' : ''}: it may read and change the application's tables, ` +
            'only read and add to the audit trail, and owns nothing.',
        )
      })
    })

  program
    .command('audit')
    .description('The audit trail')
    .command('verify')
    .description('Walk the audit hash chain and report the first broken link (exit 1) or how many rows verified')
    .option('--batch-size <rows>', 'rows read at a time', '5000')
    .action(async (options: { batchSize: string }) => {
      const batchSize = Number.parseInt(options.batchSize, 10)
      if (!Number.isInteger(batchSize) || batchSize < 1)
        throw new AuditChainBrokenError('--batch-size must be a whole number above 0.')
      await withDependencies('audit verify', async deps => {
        await migrateToLatest(deps.database.db)
        const result = await deps.audit.verify({ batchSize })
        if (!result.ok) throw new AuditChainBrokenError(describeVerification(result).join('\n'))
        describeVerification(result).forEach(out)
      })
    })

  db.command('backup')
    .argument('<file>', 'where to write the backup (a .tar.gz of the embedded data directory)')
    .description('Back up the embedded database (PGlite) to one file; refused while a server has it open')
    .option('--force', 'replace the file if it exists')
    .action(async (file: string, options: { force?: boolean }) => {
      const result = await backupDatabase(config(), file, options)
      out(
        `Backed up the embedded database to ${result.file} (${String(result.bytes)} bytes, ` +
          `${String(result.migrations)} migrations applied).`,
      )
    })
  db.command('restore')
    .argument('<file>', 'a file written by `safer db backup`')
    .description('Restore the embedded database (PGlite) from a backup into PGLITE_DATA_DIR')
    .option('--force', 'replace a data directory that already holds a database (it is moved aside, not deleted)')
    .action(async (file: string, options: { force?: boolean }) => {
      const result = await restoreDatabase(config(), file, options)
      if (result.previous) out(`Moved the database that was there to ${result.previous}.`)
      out(
        `Restored ${file} into ${result.dataDir} (${String(result.migrations)} migrations applied); ` +
          '`safer serve` applies any newer ones when it starts.',
      )
    })

  const geo = program.command('geo').description('Geography: boundaries and postcodes')
  geo
    .command('import')
    .argument('<folder>', 'a geography pack folder with pack.json (see docs/geography-packs.md)')
    .description("Load a CSP's boundaries and postcodes, replacing the current geography in one transaction")
    .action(async (folder: string) => {
      await withDependencies('geo import', async deps => {
        await migrateToLatest(deps.database.db)
        const summary = await deps.geography.importPack(folder)
        out(
          `Imported ${summary.borough}: ${String(summary.wards)} wards, ${String(summary.lsoa2021)} LSOAs (2021), ` +
            `${String(summary.lsoa2011)} LSOAs (2011), ${String(summary.neighbours)} neighbouring authorities, ` +
            `${String(summary.postcodes)} postcodes (${String(summary.postcodesOutsideBorough)} outside the borough, ` +
            `${String(summary.postcodesRejected)} rejected).`,
        )
      })
    })

  registerPackCommands(program, { stdout: io.stdout, stderr: io.stderr, sourceKeys: declaredSourceKeys })

  registerAccountsCommands(program, {
    withAccounts: (name, work) =>
      withDependencies(name, async deps => {
        await prepare(deps, { seedDemo: false })
        return work(deps.accounts)
      }),
    stdout: io.stdout,
  })

  registerOpen311Commands(program, {
    withKeys: (name, work) =>
      withDependencies(name, async deps => {
        await prepare(deps, { seedDemo: false })
        return work(deps.open311.keys)
      }),
    stdout: io.stdout,
  })

  registerReportingCommands(program, {
    withNotifications: (name, work) =>
      withDependencies(name, async deps => {
        await prepare(deps, { seedDemo: false })
        return work(deps.reporting.notifications)
      }),
    stdout: io.stdout,
  })

  registerIntelligenceCommands(program, {
    withImports: (name, work) =>
      withDependencies(name, async deps => {
        await prepare(deps, { seedDemo: false })
        return work(deps.intelligenceImports)
      }),
    geographyPack: () => config().cspPack,
    stdout: io.stdout,
    stderr: io.stderr,
  })

  registerRetentionCommands(program, {
    withRetention: (name, work) =>
      withDependencies(name, async deps => {
        await prepare(deps, { seedDemo: false })
        return work(deps.retention)
      }),
    stdout: io.stdout,
  })

  registerPrivacyCommands(program, {
    withPrivacy: (name, work) =>
      withDependencies(name, async deps => {
        await prepare(deps, { seedDemo: false })
        return work(deps.privacy)
      }),
    stdout: io.stdout,
  })

  return program
}

const KNOWN_ERRORS = [
  ConfigError,
  DatabaseUnavailableError,
  DataDirectoryLockedError,
  MigrationError,
  PackError,
  ImportFileError,
  EvaluationError,
  ApiKeyError,
  AccountsCliError,
  DemoInProductionError,
  AuditChainBrokenError,
  DatabaseRoleError,
  BackupError,
  PrivacyError,
  PdfUnavailableError,
]

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    await buildCli(io).parseAsync(argv, { from: 'user' })
    return 0
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode
    // On PostgreSQL the backup commands do nothing but explain: exit 2 so no script mistakes that for a backup.
    if (error instanceof PostgresBackupError) {
      io.stdout.write(`${error.message}\n`)
      return 2
    }
    if (KNOWN_ERRORS.some(type => error instanceof type)) {
      // A refusal (a domain error) is printed in the locale's words; other known errors carry their own message.
      const message =
        isDomainError(error) && error.messageKey ? t(error.messageKey, error.params) : (error as Error).message
      io.stderr.write(`safer: ${message}\n`)
      return error instanceof ConfigError ? 78 : 1
    }
    throw error
  }
}
