/**
 * Staff users for tests: `createStaff` makes a user with a known password and authenticator key; `signIn` goes
 * through the real sign-in pages (password, then the code) and returns the session cookie and a CSRF token for
 * forms, as a browser would hold them. A fixed clock is moved on 30 seconds before each sign-in, because a code
 * cannot be used twice.
 */
import { randomUUID } from 'node:crypto'

import type { FastifyInstance } from 'fastify'

import type { Dependencies } from '../../src/dependencies.js'
import { DEMO_TOTP_SECRET, totpCode, type Role } from '../../src/modules/accounts/index.js'
import { systemActor } from '../../src/platform/audit.js'

export interface StaffCredentials {
  id: string
  email: string
  password: string
  totpSecret: string
  roles: Role[]
  partnerCode: string
}

export interface StaffSession {
  /** The Cookie header to send. */
  cookie: string
  /** A CSRF token for form posts with that cookie. */
  token: string
}

const PASSWORD = 'correct horse battery staple'

/** Creates the partner (and team) when missing, then a user holding the roles. */
export async function createStaff(
  deps: Dependencies,
  options: { roles: Role[]; partnerCode?: string; partnerKind?: string; teamCode?: string; name?: string },
): Promise<StaffCredentials> {
  const partnerCode = options.partnerCode ?? 'council'
  const { accounts } = deps
  if (!(await accounts.repository.partnerByCode(partnerCode))) {
    await accounts.createPartner(systemActor, {
      code: partnerCode,
      name: `Test ${partnerCode}`,
      kind: options.partnerKind ?? (partnerCode === 'police' ? 'police' : 'council'),
    })
  }
  if (options.teamCode) {
    await accounts.createTeam(systemActor, { partnerCode, code: options.teamCode, name: `Team ${options.teamCode}` })
  }
  const email = `staff-${randomUUID().slice(0, 8)}@${partnerCode}.test.example`
  const { id } = await accounts.createUser(systemActor, {
    email,
    displayName: options.name ?? `Test ${options.roles.join(' ')}`,
    partnerCode,
    teamCode: options.teamCode,
    roles: options.roles,
    password: PASSWORD,
    totpSecret: DEMO_TOTP_SECRET,
  })
  return { id, email, password: PASSWORD, totpSecret: DEMO_TOTP_SECRET, roles: options.roles, partnerCode }
}

function cookiesOf(setCookie: string | string[] | undefined): Map<string, string> {
  const jar = new Map<string, string>()
  for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
    const [pair] = line.split(';')
    const index = pair?.indexOf('=') ?? -1
    if (pair && index > 0) jar.set(pair.slice(0, index), pair.slice(index + 1))
  }
  return jar
}

function header(jar: Map<string, string>): string {
  return [...jar.entries()]
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join('; ')
}

function csrfOf(body: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(body)
  if (!match?.[1]) throw new Error('No CSRF token on the page')
  return match[1]
}

/** Signs in through the real pages; throws with the page's status if any step is refused. */
export async function signIn(
  app: FastifyInstance,
  deps: Pick<Dependencies, 'clock'>,
  staff: Pick<StaffCredentials, 'email' | 'password' | 'totpSecret'>,
): Promise<StaffSession> {
  const clock = deps.clock as { advance?: (ms: number) => void }
  clock.advance?.(30_000)
  const jar = new Map<string, string>()
  const page = await app.inject({ method: 'GET', url: '/sign-in' })
  for (const [name, value] of cookiesOf(page.headers['set-cookie'])) jar.set(name, value)
  const password = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie: header(jar), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfOf(page.body), email: staff.email, password: staff.password }).toString(),
  })
  if (password.statusCode !== 303) throw new Error(`Password step answered ${String(password.statusCode)}`)
  for (const [name, value] of cookiesOf(password.headers['set-cookie'])) jar.set(name, value)
  const codePage = await app.inject({ method: 'GET', url: '/sign-in/code', headers: { cookie: header(jar) } })
  const code = await app.inject({
    method: 'POST',
    url: '/sign-in/code',
    headers: { cookie: header(jar), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      _csrf: csrfOf(codePage.body),
      code: totpCode(staff.totpSecret, deps.clock.now()),
    }).toString(),
  })
  if (code.statusCode !== 303) throw new Error(`Code step answered ${String(code.statusCode)}`)
  for (const [name, value] of cookiesOf(code.headers['set-cookie'])) jar.set(name, value)
  jar.delete('safer_sign_in')
  const account = await app.inject({ method: 'GET', url: '/account', headers: { cookie: header(jar) } })
  if (account.statusCode !== 200) throw new Error(`Signed-in page answered ${String(account.statusCode)}`)
  return { cookie: header(jar), token: csrfOf(account.body) }
}
