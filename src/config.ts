/**
 * The only module that reads `process.env`. Every key has a description (printed by `safer config`) and an
 * explicit default; secrets have no default in production. `loadConfig` validates once and returns a frozen object.
 */
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import Type, { type Static, type TSchema } from 'typebox'
import Value from 'typebox/value'

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** A GOV.UK Notify template id (a UUID), optional unless NOTIFY_API_KEY is set. */
const notifyTemplate = (channel: string, what: string) =>
  Type.Optional(
    Type.String({
      pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
      description: `GOV.UK Notify ${channel} template id: ${what}.`,
    }),
  )

/** A retention period: a whole number of days, months or years ('90d', '18m', '6y'). */
const retentionPeriod = (fallback: string, what: string) =>
  Type.String({
    default: fallback,
    pattern: '^[1-9][0-9]{0,3}[dmy]$',
    description: `${what}: a number of days, months or years (for example 90d, 18m, 6y).`,
  })

export const ConfigSchema = Type.Object({
  APP_ENV: Type.Optional(
    Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
      description: 'development, test or production. Production refuses to start without its secrets.',
    }),
  ),
  HOST: Type.String({ default: '0.0.0.0', description: 'Interface the HTTP server listens on.' }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535, description: 'Port the HTTP server listens on.' }),
  PUBLIC_BASE_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description:
        'The URL residents reach Safer on, used in tracking links and Open311 discovery. Defaults to http://localhost:PORT.',
    }),
  ),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      description:
        'PostgreSQL 15+ connection string. When absent, Safer uses embedded PGlite on disk (PGLITE_DATA_DIR).',
    }),
  ),
  DATABASE_POOL_MAX: Type.Integer({
    default: 10,
    minimum: 1,
    maximum: 200,
    description: 'Largest number of PostgreSQL connections in the pool (PostgreSQL mode only).',
  }),
  PGLITE_DATA_DIR: Type.String({
    default: 'data/pglite',
    description:
      'Where embedded PGlite keeps its files, relative to the project root. "memory://" keeps nothing on disk.',
  }),
  SESSION_SECRET: Type.Optional(
    Type.String({
      minLength: 32,
      description: 'Secret (32+ characters) that signs cookies and CSRF tokens. Required in production.',
    }),
  ),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map(level => Type.Literal(level)),
    { default: 'info', description: 'pino log level.' },
  ),
  CSP_PACK: Type.Optional(
    Type.String({
      description:
        'Folder of the CSP pack: everything borough-specific (geography, plan, indicators; docs/csp-pack.md), relative to the project root. Default: reference-data/tower-hamlets. Its geography is loaded into a database that has none.',
    }),
  ),
  GEOGRAPHY_PACK: Type.Optional(
    Type.String({
      description: 'Deprecated: the old name of CSP_PACK, used only when CSP_PACK is not set.',
    }),
  ),
  DEMO_DATA: Type.Optional(
    Type.Boolean({
      description:
        'Seed the synthetic demo borough on first start. Defaults to true outside production; true is refused in production.',
    }),
  ),
  MAP_TILE_URL: Type.String({
    default: '',
    description:
      'Optional raster tile URL template for maps (for example an OS Maps API URL). Empty: maps draw our own boundaries only.',
  }),
  MAP_TILE_ATTRIBUTION: Type.String({ default: '', description: 'Attribution shown with MAP_TILE_URL tiles.' }),
  PUBLIC_SMALL_NUMBER_THRESHOLD: Type.Integer({
    default: 3,
    minimum: 2,
    maximum: 20,
    description:
      'Public counts of sensitive report types (harassment, hate, neighbour nuisance) below this are shown as "fewer than N", with secondary suppression so totals cannot give them away (docs/public-data.md).',
  }),
  RATE_LIMIT_PUBLIC_PER_MINUTE: Type.Integer({
    default: 120,
    minimum: 1,
    description: 'Requests a minute one client may make to public pages and APIs before a friendly 429.',
  }),
  RATE_LIMIT_STORE: Type.Union([Type.Literal('database'), Type.Literal('memory')], {
    default: 'database',
    description:
      'Where rate limits count requests with DATABASE_URL set: database (shared by every server behind a load balancer, ADR 0059) or memory (each server counts alone: a client gets N times the limit across N servers). PGlite always counts in memory.',
  }),
  SCHEDULE_CHECK_SECONDS: Type.Integer({
    default: 60,
    minimum: 1,
    maximum: 3600,
    description:
      'How often `safer serve` checks for due scheduled work: the staff-alert sweep runs once per period this long across all servers; the retention and digest schedules check this often whether their hour has come.',
  }),
  STAFF_DIGEST_HOUR: Type.Integer({
    default: 7,
    minimum: 0,
    maximum: 23,
    description: "The hour (0-23, UK time) from which `safer serve` sends each day's staff notification digests.",
  }),
  CHROMIUM_PATH: Type.String({
    default: '/usr/bin/chromium',
    description: 'Headless Chromium used to print reports and packs to PDF (Debian: apt-get install chromium).',
  }),
  SESSION_IDLE_MINUTES: Type.Integer({
    default: 30,
    minimum: 1,
    description: 'A staff session ends after this many minutes without a request.',
  }),
  SESSION_ABSOLUTE_HOURS: Type.Integer({
    default: 12,
    minimum: 1,
    description: 'A staff session ends this many hours after sign-in, however active.',
  }),
  RATE_LIMIT_SIGN_IN_PER_MINUTE: Type.Integer({
    default: 10,
    minimum: 1,
    description: 'Sign-in, code and password-reset attempts a minute from one client before a friendly 429.',
  }),
  SIGN_IN_MAX_FAILURES: Type.Integer({
    default: 5,
    minimum: 1,
    description:
      'Failed sign-in steps (password, code or current password) by one client on one account within SIGN_IN_WINDOW_MINUTES before that client is refused for that account (ADR 0021). Accounts are never locked.',
  }),
  SIGN_IN_ACCOUNT_MAX_FAILURES: Type.Integer({
    default: 20,
    minimum: 1,
    description:
      'Failed sign-in steps on one account from all clients within the window after which every client that has failed on it is refused; a client that has not failed still gets through.',
  }),
  SIGN_IN_CLIENT_MAX_FAILURES: Type.Integer({
    default: 50,
    minimum: 1,
    description: 'Failed sign-in steps by one client on all accounts within the window before it is refused for all.',
  }),
  SIGN_IN_WINDOW_MINUTES: Type.Integer({
    default: 15,
    minimum: 1,
    description: 'How long a failed sign-in step counts against its client and account (so how long a refusal lasts).',
  }),
  OPEN311_TEST_ENDPOINT_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description:
        'The Open311 test endpoint listed in discovery (a staging Safer, ending /open311/v2). Defaults to this server.',
    }),
  ),
  OPEN311_QUEUE_AFTER_MS: Type.Integer({
    default: 5000,
    minimum: 0,
    maximum: 60000,
    description: 'An Open311 POST not stored within this many milliseconds is answered with a token to poll.',
  }),
  CASE_REVIEW_POLICY_FILE: Type.String({
    default: '',
    description:
      'Optional JSON file (relative to the project root) changing the ASB Case Review rules and timescales: any keys of the policy (docs/case-review.md). Empty: the default policy.',
  }),
  OPEN311_KEY_RATE_PER_MINUTE: Type.Integer({
    default: 300,
    minimum: 1,
    description: 'Requests a minute one Open311 API key may make to the keyed endpoints.',
  }),
  OPEN311_LOCATION_PRECISION: Type.String({
    default: 'default=snap,personal=lsoa',
    pattern: '^[a-z_]+=(exact|snap|lsoa|ward|none)(,[a-z_]+=(exact|snap|lsoa|ward|none))*$',
    description:
      'Where reports appear in public Open311 responses: default, personal (personal, targeted or hate ASB) or a category code = exact, snap (nearest postcode centroid), lsoa, ward or none.',
  }),
  NOTIFY_API_KEY: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]+-[0-9a-fA-F-]{36}-[0-9a-fA-F-]{36}$',
      description:
        'GOV.UK Notify API key. Set: residents are emailed and texted through Notify (every NOTIFY_TEMPLATE_* is then required). Unset: messages are logged without personal data and marked sent (development), or left pending (production).',
    }),
  ),
  NOTIFY_BASE_URL: Type.String({
    default: 'https://api.notifications.service.gov.uk',
    pattern: '^https?://',
    description: 'GOV.UK Notify API address (a test double in tests).',
  }),
  NOTIFY_TEMPLATE_ACKNOWLEDGEMENT_EMAIL: notifyTemplate(
    'email',
    'the acknowledgement of a new report (reference and tracking code)',
  ),
  NOTIFY_TEMPLATE_ACKNOWLEDGEMENT_SMS: notifyTemplate(
    'text message',
    'the acknowledgement of a new report (reference and tracking code)',
  ),
  NOTIFY_TEMPLATE_ASSESSED_EMAIL: notifyTemplate('email', 'a report has been assessed'),
  NOTIFY_TEMPLATE_ASSESSED_SMS: notifyTemplate('text message', 'a report has been assessed'),
  NOTIFY_TEMPLATE_IN_PROGRESS_EMAIL: notifyTemplate('email', 'work on a report is in progress'),
  NOTIFY_TEMPLATE_IN_PROGRESS_SMS: notifyTemplate('text message', 'work on a report is in progress'),
  NOTIFY_TEMPLATE_ACTION_TAKEN_EMAIL: notifyTemplate('email', 'action has been taken on a report'),
  NOTIFY_TEMPLATE_ACTION_TAKEN_SMS: notifyTemplate('text message', 'action has been taken on a report'),
  NOTIFY_TEMPLATE_CLOSED_EMAIL: notifyTemplate('email', 'a report is closed (with the reason)'),
  NOTIFY_TEMPLATE_CLOSED_SMS: notifyTemplate('text message', 'a report is closed (with the reason)'),
  NOTIFY_TEMPLATE_CASE_CHECKIN_EMAIL: notifyTemplate(
    'email',
    'the satisfaction check-in after a case closes (reference and a link to answer)',
  ),
  NOTIFY_TEMPLATE_CASE_CHECKIN_SMS: notifyTemplate(
    'text message',
    'the satisfaction check-in after a case closes (reference and a link to answer)',
  ),
  NOTIFY_TEMPLATE_STAFF_PASSWORD_RESET_EMAIL: notifyTemplate(
    'email',
    "a staff member's password reset (name, link, minutes it lasts)",
  ),
  NOTIFY_TEMPLATE_STAFF_ALERT_EMAIL: notifyTemplate(
    'email',
    'a staff notification (name, subject, event, case reference, detail, link, settings link)',
  ),
  NOTIFY_TEMPLATE_STAFF_DIGEST_EMAIL: notifyTemplate(
    'email',
    "a staff member's daily digest of notifications (name, date, count, lines, settings link)",
  ),
  NOTIFY_DISPATCH_INTERVAL_SECONDS: Type.Integer({
    default: 30,
    minimum: 0,
    maximum: 3600,
    description:
      'How often `safer serve` sends pending notifications from the outbox. 0: never (use `safer notifications dispatch`).',
  }),
  // Secrets at rest and retention (docs/retention.md).
  OUTBOX_KEY: Type.Optional(
    Type.String({
      minLength: 32,
      description:
        'Secret (32+ characters) sealing tracking codes and links in the notification outbox (AES-256-GCM). Unset: derived from SESSION_SECRET. Changing it makes unsent messages unsendable.',
    }),
  ),
  RETENTION_CLOSED_CASES: retentionPeriod('6y', 'Closed ASB cases are anonymised this long after closure'),
  RETENTION_UNLINKED_REPORTS: retentionPeriod(
    '2y',
    'Closed reports on no case are anonymised (and their evidence files deleted) this long after their last change',
  ),
  RETENTION_SENT_NOTIFICATIONS: retentionPeriod(
    '90d',
    'Notification outbox rows are deleted this long after they were sent or failed (unsent ones: after they were written)',
  ),
  RETENTION_REPORT_DRAFTS: retentionPeriod(
    '30d',
    'Abandoned report drafts (and their files) are deleted this long after they were started',
  ),
  RETENTION_AUDIT: retentionPeriod('7y', 'Audit events are purged this long after they happened'),
  RETENTION_NIGHTLY: Type.Boolean({
    default: true,
    description: '`safer serve` runs the retention schedule once a night (false: only `safer retention run`).',
  }),
  RETENTION_RUN_HOUR: Type.Integer({
    default: 2,
    minimum: 0,
    maximum: 23,
    description: 'The hour (0-23, UK time) at which `safer serve` runs the retention schedule.',
  }),
  TRUST_PROXY: Type.String({
    default: '',
    description:
      'Which reverse proxies may set X-Forwarded-For (the client address every rate limit counts by). Empty: none, the connecting address is the client. Or a comma-separated list of proxy IPs/CIDRs (also loopback, linklocal, uniquelocal), or a number of proxy hops in front of Safer.',
  }),
  BUILD_VERSION: Type.String({ default: '0.1.0', description: 'Version shown by /health.' }),
  GIT_REF: Type.String({ default: 'unknown', description: 'Git commit shown by /health.' }),
})

export type RawConfig = Static<typeof ConfigSchema>

/** The resident notifications that have a GOV.UK Notify template of their own. */
export type NotifyEvent =
  | 'acknowledgement'
  | 'assessed'
  | 'inProgress'
  | 'actionTaken'
  | 'closed'
  | 'caseCheckin'
  | 'staffPasswordReset'
  | 'staffAlert'
  | 'staffDigest'

export interface Config {
  readonly env: 'development' | 'test' | 'production'
  readonly host: string
  readonly port: number
  readonly publicBaseUrl: string
  readonly database:
    | { readonly kind: 'postgres'; readonly url: string; readonly poolMax: number }
    | { readonly kind: 'pglite'; readonly dataDir: string | undefined }
  readonly sessionSecret: string
  readonly logLevel: string
  /** The CSP pack folder (CSP_PACK, or the deprecated GEOGRAPHY_PACK), absolute. */
  readonly cspPack: string
  /** The same folder: the pack's geography is its pack.json and the files it names. */
  readonly geographyPack: string
  readonly demoData: boolean
  readonly map: { readonly tileUrl: string; readonly tileAttribution: string }
  readonly publicSmallNumberThreshold: number
  readonly rateLimitPublicPerMinute: number
  /** Where rate limits count with DATABASE_URL set (PGlite: always memory). */
  readonly rateLimitStore: 'database' | 'memory'
  /** How often `safer serve`'s schedules check for due work, and the staff-alert sweep's period (seconds). */
  readonly scheduleCheckSeconds: number
  /** London hour from which the day's staff digests are sent. */
  readonly staffDigestHour: number
  readonly notify: {
    readonly apiKey: string | undefined
    readonly baseUrl: string
    readonly templates: Readonly<Record<NotifyEvent, { readonly email?: string; readonly sms?: string }>>
    readonly dispatchIntervalSeconds: number
  }
  readonly build: { readonly version: string; readonly gitRef: string }
  /** Fastify's `trustProxy`: false (no proxy trusted), the proxies' addresses, or a hop count. */
  readonly trustProxy: false | number | readonly string[]
  readonly chromiumPath: string
  readonly open311: {
    readonly testEndpointUrl: string
    readonly queueAfterMs: number
    readonly keyRatePerMinute: number
    readonly locationPrecision: string
  }
  readonly caseReview: { readonly policyFile: string }
  readonly accounts: {
    readonly idleMinutes: number
    readonly absoluteHours: number
    readonly signInPerMinute: number
    readonly throttle: {
      readonly windowMinutes: number
      readonly clientOnAccount: number
      readonly account: number
      readonly client: number
    }
  }
  /** Seals secrets in the notification outbox: OUTBOX_KEY, or SESSION_SECRET (a key is derived per purpose). */
  readonly outboxSecret: string
  readonly retention: {
    readonly periods: Readonly<Record<RetentionType, RetentionPeriod>>
    readonly nightly: boolean
    readonly runHour: number
  }
}

/** The record types with a retention period of their own (evidence files go with their report). */
export type RetentionType = 'closedCases' | 'unlinkedReports' | 'sentNotifications' | 'reportDrafts' | 'audit'
export interface RetentionPeriod {
  readonly amount: number
  readonly unit: 'd' | 'm' | 'y'
}

function parsePeriod(value: string): RetentionPeriod {
  return { amount: Number(value.slice(0, -1)), unit: value.slice(-1) as RetentionPeriod['unit'] }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map(problem => `  - ${problem}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

export const DEFAULT_CSP_PACK = 'reference-data/tower-hamlets'

const DEVELOPMENT_SECRET = 'development-only-secret-do-not-use-in-production-0000'

function keyFromPath(instancePath: string): string {
  return instancePath.replace(/^\//, '') || 'configuration'
}

/** Reads the known keys only, coerces strings to their types and reports every problem by variable name. */
/** The process's environment, for code that hands it on (the `safer` command's input); read it with loadConfig. */
export function processEnvironment(): Record<string, string | undefined> {
  return process.env
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(ConfigSchema.properties)
  const raw: Record<string, unknown> = {}
  for (const key of known) {
    const value = env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const converted = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, raw))
  const problems = [...Value.Errors(ConfigSchema, converted)].map(
    error => `${keyFromPath(error.instancePath)}: ${error.message}${describe(keyFromPath(error.instancePath))}`,
  )
  if (problems.length > 0) throw new ConfigError(problems)
  const config = converted as RawConfig
  const appEnv = config.APP_ENV ?? (env.NODE_ENV === 'production' ? 'production' : 'development')
  if (appEnv === 'production' && config.SESSION_SECRET === undefined) {
    throw new ConfigError([`SESSION_SECRET: required in production${describe('SESSION_SECRET')}`])
  }
  if (appEnv === 'production' && config.DEMO_DATA === true) {
    throw new ConfigError([
      `DEMO_DATA: must not be true in production: the demo accounts' password and authenticator key are published (docs/accounts.md)`,
    ])
  }
  if (config.NOTIFY_API_KEY !== undefined) {
    const missing = Object.keys(ConfigSchema.properties).filter(
      key => key.startsWith('NOTIFY_TEMPLATE_') && (config as Record<string, unknown>)[key] === undefined,
    )
    if (missing.length > 0)
      throw new ConfigError(missing.map(key => `${key}: required when NOTIFY_API_KEY is set${describe(key)}`))
  }
  const trustProxy = parseTrustProxy(config.TRUST_PROXY)
  const dataDir = config.PGLITE_DATA_DIR === 'memory://' ? undefined : path.resolve(projectRoot, config.PGLITE_DATA_DIR)
  return Object.freeze({
    env: appEnv,
    host: config.HOST,
    port: config.PORT,
    publicBaseUrl: (config.PUBLIC_BASE_URL ?? `http://localhost:${String(config.PORT)}`).replace(/\/$/, ''),
    database:
      config.DATABASE_URL === undefined
        ? { kind: 'pglite' as const, dataDir }
        : { kind: 'postgres' as const, url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX },
    sessionSecret: config.SESSION_SECRET ?? DEVELOPMENT_SECRET,
    logLevel: config.LOG_LEVEL,
    cspPack: path.resolve(projectRoot, config.CSP_PACK ?? config.GEOGRAPHY_PACK ?? DEFAULT_CSP_PACK),
    geographyPack: path.resolve(projectRoot, config.CSP_PACK ?? config.GEOGRAPHY_PACK ?? DEFAULT_CSP_PACK),
    demoData: config.DEMO_DATA ?? appEnv !== 'production',
    map: { tileUrl: config.MAP_TILE_URL, tileAttribution: config.MAP_TILE_ATTRIBUTION },
    publicSmallNumberThreshold: config.PUBLIC_SMALL_NUMBER_THRESHOLD,
    rateLimitPublicPerMinute: config.RATE_LIMIT_PUBLIC_PER_MINUTE,
    rateLimitStore: config.RATE_LIMIT_STORE,
    scheduleCheckSeconds: config.SCHEDULE_CHECK_SECONDS,
    staffDigestHour: config.STAFF_DIGEST_HOUR,
    build: { version: config.BUILD_VERSION, gitRef: config.GIT_REF },
    trustProxy,
    notify: {
      apiKey: config.NOTIFY_API_KEY,
      baseUrl: config.NOTIFY_BASE_URL.replace(/\/$/, ''),
      templates: {
        acknowledgement: {
          email: config.NOTIFY_TEMPLATE_ACKNOWLEDGEMENT_EMAIL,
          sms: config.NOTIFY_TEMPLATE_ACKNOWLEDGEMENT_SMS,
        },
        assessed: { email: config.NOTIFY_TEMPLATE_ASSESSED_EMAIL, sms: config.NOTIFY_TEMPLATE_ASSESSED_SMS },
        inProgress: { email: config.NOTIFY_TEMPLATE_IN_PROGRESS_EMAIL, sms: config.NOTIFY_TEMPLATE_IN_PROGRESS_SMS },
        actionTaken: { email: config.NOTIFY_TEMPLATE_ACTION_TAKEN_EMAIL, sms: config.NOTIFY_TEMPLATE_ACTION_TAKEN_SMS },
        closed: { email: config.NOTIFY_TEMPLATE_CLOSED_EMAIL, sms: config.NOTIFY_TEMPLATE_CLOSED_SMS },
        caseCheckin: { email: config.NOTIFY_TEMPLATE_CASE_CHECKIN_EMAIL, sms: config.NOTIFY_TEMPLATE_CASE_CHECKIN_SMS },
        staffPasswordReset: { email: config.NOTIFY_TEMPLATE_STAFF_PASSWORD_RESET_EMAIL },
        staffAlert: { email: config.NOTIFY_TEMPLATE_STAFF_ALERT_EMAIL },
        staffDigest: { email: config.NOTIFY_TEMPLATE_STAFF_DIGEST_EMAIL },
      },
      dispatchIntervalSeconds: config.NOTIFY_DISPATCH_INTERVAL_SECONDS,
    },
    chromiumPath: config.CHROMIUM_PATH,
    open311: {
      testEndpointUrl: (
        config.OPEN311_TEST_ENDPOINT_URL ??
        `${(config.PUBLIC_BASE_URL ?? `http://localhost:${String(config.PORT)}`).replace(/\/$/, '')}/open311/v2`
      ).replace(/\/$/, ''),
      queueAfterMs: config.OPEN311_QUEUE_AFTER_MS,
      keyRatePerMinute: config.OPEN311_KEY_RATE_PER_MINUTE,
      locationPrecision: config.OPEN311_LOCATION_PRECISION,
    },
    caseReview: { policyFile: config.CASE_REVIEW_POLICY_FILE },
    accounts: {
      idleMinutes: config.SESSION_IDLE_MINUTES,
      absoluteHours: config.SESSION_ABSOLUTE_HOURS,
      signInPerMinute: config.RATE_LIMIT_SIGN_IN_PER_MINUTE,
      throttle: {
        windowMinutes: config.SIGN_IN_WINDOW_MINUTES,
        clientOnAccount: config.SIGN_IN_MAX_FAILURES,
        account: config.SIGN_IN_ACCOUNT_MAX_FAILURES,
        client: config.SIGN_IN_CLIENT_MAX_FAILURES,
      },
    },
    outboxSecret: config.OUTBOX_KEY ?? config.SESSION_SECRET ?? DEVELOPMENT_SECRET,
    retention: {
      periods: {
        closedCases: parsePeriod(config.RETENTION_CLOSED_CASES),
        unlinkedReports: parsePeriod(config.RETENTION_UNLINKED_REPORTS),
        sentNotifications: parsePeriod(config.RETENTION_SENT_NOTIFICATIONS),
        reportDrafts: parsePeriod(config.RETENTION_REPORT_DRAFTS),
        audit: parsePeriod(config.RETENTION_AUDIT),
      },
      nightly: config.RETENTION_NIGHTLY,
      runHour: config.RETENTION_RUN_HOUR,
    },
  })
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/** An IP address, or an address with a prefix length (CIDR) that fits its family. */
function isAddressOrCidr(value: string): boolean {
  if (PROXY_NAMES.has(value)) return true
  const [address = '', prefix, extra] = value.split('/')
  const family = net.isIP(address)
  if (family === 0 || extra !== undefined) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)
}

/**
 * TRUST_PROXY: empty (trust no proxy), a hop count, or the proxies' addresses. "true" (trust any sender) is refused:
 * it would let every client choose the address its rate limits count by.
 */
export function parseTrustProxy(value: string): false | number | readonly string[] {
  const trimmed = value.trim()
  if (trimmed === '' || trimmed === 'false' || trimmed === '0') return false
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed)
    if (hops <= 10) return hops
    throw new ConfigError([
      `TRUST_PROXY: ${trimmed} proxy hops is not plausible (at most 10)${describe('TRUST_PROXY')}`,
    ])
  }
  const entries = trimmed.split(',').map(entry => entry.trim())
  const bad = entries.filter(entry => !isAddressOrCidr(entry))
  if (bad.length > 0)
    throw new ConfigError([
      `TRUST_PROXY: not an IP address or CIDR: ${bad.map(entry => JSON.stringify(entry)).join(', ')}${describe('TRUST_PROXY')}`,
    ])
  return Object.freeze(entries)
}

function describe(key: string): string {
  const schema = (ConfigSchema.properties as Record<string, TSchema & { description?: string }>)[key]
  return schema?.description ? ` (${schema.description})` : ''
}

/** Lines for `safer config`: every key with its description and default. */
export function describeConfig(): string[] {
  return Object.entries(
    ConfigSchema.properties as Record<string, TSchema & { description?: string; default?: unknown }>,
  ).map(
    ([key, schema]) =>
      `${key}${schema.default === undefined ? '' : ` (default: ${JSON.stringify(schema.default)})`}: ${schema.description ?? ''}`,
  )
}

/** A configuration for tests: in-memory PGlite, quiet logs. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ APP_ENV: 'test', PGLITE_DATA_DIR: 'memory://', LOG_LEVEL: 'silent', PORT: '0', ...overrides })
}
