import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import Fastify from 'fastify'
import fp from 'fastify-plugin'

import { formSession, buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import { authPlugin } from './auth-plugin.js'
import { verifyPassword } from './passwords.js'
import { totpCode } from './totp.js'

const clock = fixedClock('2026-11-20T10:00:00Z')

function form(values: Record<string, string>): string {
  return new URLSearchParams(values).toString()
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

function setCookies(response: { headers: Record<string, unknown> }): string[] {
  const raw = response.headers['set-cookie']
  return Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : []
}

function cookieValue(lines: string[], name: string): string | undefined {
  const line = lines.find(l => l.startsWith(`${name}=`))
  return line?.split(';')[0]?.slice(name.length + 1)
}

describe('staff sign-in', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ clock })
  })
  after(() => t.close())

  it('sends an anonymous visitor to sign in, and an API client gets 401', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/admin/users' })
    assert.equal(page.statusCode, 303)
    assert.equal(page.headers.location, '/sign-in?next=%2Fadmin%2Fusers')
    const account = await t.app.inject({ method: 'GET', url: '/account' })
    assert.equal(account.statusCode, 303)
  })

  it('signs in with a password then a code, and issues a fresh session id', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    clock.advance(30_000)
    const { token, cookie } = await formSession(t.app, '/sign-in')
    const planted = 'safer_session=attacker-chosen-value'
    const password = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { ...FORM, cookie: `${cookie}; ${planted}` },
      payload: form({ _csrf: token, email: staff.email.toUpperCase(), password: staff.password, next: '/account' }),
    })
    assert.equal(password.statusCode, 303)
    assert.equal(password.headers.location, '/sign-in/code?next=%2Faccount')
    const pending = cookieValue(setCookies(password), 'safer_sign_in')
    assert.ok(pending)
    // Half signed in is not signed in.
    const early = await t.app.inject({
      method: 'GET',
      url: '/account',
      headers: { cookie: `safer_session=${pending}` },
    })
    assert.equal(early.statusCode, 303)

    const code = await t.app.inject({
      method: 'POST',
      url: '/sign-in/code',
      headers: { ...FORM, cookie: `${cookie}; safer_sign_in=${pending}` },
      payload: form({ _csrf: token, code: totpCode(staff.totpSecret, clock.now()), next: '/account' }),
    })
    assert.equal(code.statusCode, 303)
    assert.equal(code.headers.location, '/account')
    const session = cookieValue(setCookies(code), 'safer_session')
    assert.ok(session && session !== pending && session !== 'attacker-chosen-value')
    const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: `safer_session=${session}` } })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Signed in as/)

    const events = await t.deps.audit.forSubject('staff_user', staff.id)
    assert.ok(events.some(e => e.action === 'accounts.signed-in'))
  })

  it('refuses a sign-in without the CSRF token', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: FORM,
      payload: form({ email: 'x@example.org', password: 'whatever' }),
    })
    assert.equal(response.statusCode, 403)
  })

  it('answers a wrong password and an unknown email alike, with a GOV.UK error summary', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    const { token, cookie } = await formSession(t.app, '/sign-in')
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { ...FORM, cookie },
      payload: form({ _csrf: token, email: staff.email, password: 'not the password' }),
    })
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { ...FORM, cookie },
      payload: form({ _csrf: token, email: 'nobody@example.org', password: 'not the password' }),
    })
    assert.equal(wrong.statusCode, 400)
    assert.equal(unknown.statusCode, 400)
    for (const response of [wrong, unknown]) {
      assert.match(response.body, /govuk-error-summary/)
      assert.match(response.body, /Enter a correct email address and password/)
    }
    const empty = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { ...FORM, cookie },
      payload: form({ _csrf: token, email: '', password: '' }),
    })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /Enter your email address/)
    assert.match(empty.body, /Enter a password/)
  })

  it('refuses a code used twice and a wrong code', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    await signIn(t.app, t.deps, staff)
    // Same moment, same code: the replay is refused.
    const first = await t.deps.accounts.signInWithPassword(staff.email, staff.password, '192.0.2.1')
    assert.equal(first.kind, 'ok')
    if (first.kind !== 'ok') return
    const replay = await t.deps.accounts.verifyCode(first.token, totpCode(staff.totpSecret, clock.now()), '192.0.2.1')
    assert.equal(replay.kind, 'invalid')
    const wrong = await t.deps.accounts.verifyCode(first.token, '000000', '192.0.2.1')
    assert.equal(wrong.kind, 'invalid')
  })

  it('ends a session after the idle timeout and after the absolute timeout', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    const session = await signIn(t.app, t.deps, staff)
    const account = () => t.app.inject({ method: 'GET', url: '/account', headers: { cookie: session.cookie } })
    clock.advance(29 * 60_000)
    assert.equal((await account()).statusCode, 200)
    clock.advance(31 * 60_000)
    const idle = await account()
    assert.equal(idle.statusCode, 303)
    assert.equal(idle.headers.location, '/sign-in?next=%2Faccount&expired=1')

    const again = await signIn(t.app, t.deps, staff)
    for (let hour = 0; hour < 12; hour++) {
      clock.advance(25 * 60_000)
      const response = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: again.cookie } })
      if (hour < 11) assert.equal(response.statusCode, 200, `still signed in after ${String((hour + 1) * 25)} minutes`)
    }
    clock.advance(60 * 60_000)
    const absolute = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: again.cookie } })
    assert.equal(absolute.statusCode, 303)
  })

  it('signs out: the old session cookie no longer works', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    const session = await signIn(t.app, t.deps, staff)
    const out = await t.app.inject({
      method: 'POST',
      url: '/sign-out',
      headers: { ...FORM, cookie: session.cookie },
      payload: form({ _csrf: session.token }),
    })
    assert.equal(out.statusCode, 303)
    const after = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: session.cookie } })
    assert.equal(after.statusCode, 303)
  })

  it('enrols an authenticator at first sign-in', async () => {
    const { password } = await t.deps.accounts.createUser(
      { type: 'system', id: null },
      {
        email: 'new.starter@council.test.example',
        displayName: 'New Starter',
        partnerCode: 'council',
        roles: ['officer'],
      },
    )
    const { token, cookie } = await formSession(t.app, '/sign-in')
    const first = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { ...FORM, cookie },
      payload: form({ _csrf: token, email: 'new.starter@council.test.example', password }),
    })
    assert.equal(first.headers.location, '/sign-in/set-up-authenticator')
    const pending = cookieValue(setCookies(first), 'safer_sign_in')
    const setUp = await t.app.inject({
      method: 'GET',
      url: '/sign-in/set-up-authenticator',
      headers: { cookie: `${cookie}; safer_sign_in=${String(pending)}` },
    })
    assert.equal(setUp.statusCode, 200)
    assert.match(setUp.body, /<svg/)
    const secret = /data-qa="totp-secret">([A-Z2-7 ]+)</.exec(setUp.body)?.[1]?.replace(/ /g, '')
    assert.ok(secret)
    const bad = await t.app.inject({
      method: 'POST',
      url: '/sign-in/set-up-authenticator',
      headers: { ...FORM, cookie: `${cookie}; safer_sign_in=${String(pending)}` },
      payload: form({ _csrf: token, code: '12' }),
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /6 digits/)
    const done = await t.app.inject({
      method: 'POST',
      url: '/sign-in/set-up-authenticator',
      headers: { ...FORM, cookie: `${cookie}; safer_sign_in=${String(pending)}` },
      payload: form({ _csrf: token, code: totpCode(secret, clock.now()) }),
    })
    assert.equal(done.statusCode, 303)
    assert.ok(cookieValue(setCookies(done), 'safer_session'))
  })

  it('resets a forgotten password through an emailed link that works once', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    const { token, cookie } = await formSession(t.app, '/sign-in/forgotten-password')
    const sent = await t.app.inject({
      method: 'POST',
      url: '/sign-in/forgotten-password',
      headers: { ...FORM, cookie },
      payload: form({ _csrf: token, email: staff.email }),
    })
    assert.equal(sent.statusCode, 200)
    const outbox = await t.deps.database.db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('template', '=', 'staff-password-reset')
      .where('recipient', '=', staff.email)
      .execute()
    assert.equal(outbox.length, 1)
    // The link is sealed at rest (it carries the reset token); the dispatcher opens it as it sends.
    assert.doesNotMatch(JSON.stringify(outbox), /token=|reset-password/)
    const link = t.deps.reporting.personalisation.open(outbox[0]?.personalisation ?? {}).link ?? ''
    const resetToken = new URL(link).searchParams.get('token') ?? ''
    const resetPage = await t.app.inject({ method: 'GET', url: `/sign-in/reset-password?token=${resetToken}` })
    assert.equal(resetPage.statusCode, 200)
    const short = await t.app.inject({
      method: 'POST',
      url: '/sign-in/reset-password',
      headers: { ...FORM, cookie },
      payload: form({ _csrf: token, token: resetToken, password: 'short', confirmPassword: 'short' }),
    })
    assert.equal(short.statusCode, 400)
    assert.match(short.body, /12 characters or more/)
    const newPassword = 'a much longer pass phrase'
    const ok = await t.app.inject({
      method: 'POST',
      url: '/sign-in/reset-password',
      headers: { ...FORM, cookie },
      payload: form({ _csrf: token, token: resetToken, password: newPassword, confirmPassword: newPassword }),
    })
    assert.equal(ok.statusCode, 303)
    await signIn(t.app, t.deps, { ...staff, password: newPassword })
    const reused = await t.app.inject({ method: 'GET', url: `/sign-in/reset-password?token=${resetToken}` })
    assert.equal(reused.statusCode, 400)

    // An unknown address gets the same page and no email.
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/sign-in/forgotten-password',
      headers: { ...FORM, cookie },
      payload: form({ _csrf: token, email: 'nobody@example.org' }),
    })
    assert.equal(unknown.statusCode, 200)
    const page = (body: string) => body.replace(/(nonce|value)="[^"]+"/g, '')
    assert.ok(page(unknown.body) === page(sent.body), 'the same page whether or not the address has an account')
  })

  it('refuses to start when a route does not declare who may use it', async () => {
    const app = Fastify()
    // Stand-ins named as the plugins auth runs after; this test is only about route registration.
    const named = (name: string) => fp(() => Promise.resolve(), { name })
    await app.register(named('security'))
    await app.register(named('audit'))
    await app.register(authPlugin, {
      accounts: t.deps.accounts,
      secure: false,
      staffNavigation: [],
    })
    assert.throws(() => app.get('/undeclared', async () => 'x'), /does not declare config.access/)
  })
})

describe('administering users', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ clock })
  })
  after(() => t.close())

  it('lets only administrators manage users', async () => {
    const officer = await createStaff(t.deps, { roles: ['officer'] })
    const session = await signIn(t.app, t.deps, officer)
    const response = await t.app.inject({ method: 'GET', url: '/admin/users', headers: { cookie: session.cookie } })
    assert.equal(response.statusCode, 403)
  })

  it('creates a user, validates the form, and refuses an edit made over someone else’s', async () => {
    const admin = await createStaff(t.deps, { roles: ['administrator'] })
    const session = await signIn(t.app, t.deps, admin)
    const headers = { ...FORM, cookie: session.cookie }
    const invalid = await t.app.inject({
      method: 'POST',
      url: '/admin/users/new',
      headers,
      payload: form({ _csrf: session.token, displayName: '', email: 'not-an-email', partner: 'council' }),
    })
    assert.equal(invalid.statusCode, 400)
    assert.match(invalid.body, /Enter the person/)
    assert.match(invalid.body, /Select at least one role/)
    assert.match(invalid.body, /value="not-an-email"/)

    const created = await t.app.inject({
      method: 'POST',
      url: '/admin/users/new',
      headers,
      payload: `${form({ _csrf: session.token, displayName: 'Nadia Begum', email: 'nadia@council.test.example', partner: 'council', team: '' })}&roles=officer&roles=supervisor`,
    })
    assert.equal(created.statusCode, 303)
    const href = String(created.headers.location).split('?')[0] ?? ''
    const page = await t.app.inject({ method: 'GET', url: href, headers: { cookie: session.cookie } })
    assert.equal(page.statusCode, 200)
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? ''
    const save = (name: string) =>
      t.app.inject({
        method: 'POST',
        url: href,
        headers,
        payload: `${form({ _csrf: session.token, displayName: name, partner: 'council', team: '', version })}&roles=officer`,
      })
    assert.equal((await save('Nadia Begum-Ali')).statusCode, 303)
    const conflict = await save('Someone Else')
    assert.equal(conflict.statusCode, 409)
    assert.match(conflict.body, /Someone else changed this record/)
    const user = await t.deps.accounts.repository.userByEmail('nadia@council.test.example')
    assert.equal(user?.displayName, 'Nadia Begum-Ali')
    assert.deepEqual(user.roles, ['officer'])
    // The new user was sent a link to set their password.
    const outbox = await t.deps.database.db
      .selectFrom('notification_outbox')
      .select('template')
      .where('recipient', '=', 'nadia@council.test.example')
      .execute()
    assert.deepEqual(
      outbox.map(row => row.template),
      ['staff-password-reset'],
    )
  })
})

describe('sign-in throttling', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ clock, config: { RATE_LIMIT_SIGN_IN_PER_MINUTE: '3' } })
  })
  after(() => t.close())

  it('slows a client that keeps trying with a friendly 429 page', async () => {
    const { token, cookie } = await formSession(t.app, '/sign-in')
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { ...FORM, cookie },
        payload: form({ _csrf: token, email: 'someone@example.org', password: 'guess number one' }),
      })
      statuses.push(response.statusCode)
      if (response.statusCode === 429) {
        assert.match(response.body, /Too many requests|try again/i)
        assert.match(String(response.headers['retry-after']), /^\d+$/, 'Retry-After in seconds')
      }
    }
    assert.deepEqual(statuses, [400, 400, 400, 429])
  })
})

describe('sign-in throttling by client and account (ADR 0021)', () => {
  let t: TestApp
  const throttleClock = fixedClock('2026-11-21T09:00:00Z')
  before(async () => {
    t = await buildTestApp({ clock: throttleClock })
  })
  after(() => t.close())

  const STRANGER = '203.0.113.9'
  const THROTTLED = /too many failed attempts to sign in from this device/

  async function attempt(email: string, password: string, remoteAddress = '127.0.0.1') {
    const { token, cookie } = await formSession(t.app, '/sign-in')
    return t.app.inject({
      method: 'POST',
      url: '/sign-in',
      remoteAddress,
      headers: { ...FORM, cookie },
      payload: form({ _csrf: token, email, password }),
    })
  }

  it("does not let a stranger's 50 wrong passwords stop the real user signing in from another client", async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    const statuses: number[] = []
    for (let i = 0; i < 50; i++)
      statuses.push((await attempt(staff.email, `wrong guess ${String(i)}`, STRANGER)).statusCode)
    assert.deepEqual(statuses.slice(0, 5), [400, 400, 400, 400, 400])
    assert.ok(
      statuses.slice(5).every(status => status === 429),
      'the stranger is refused after 5 failures',
    )
    // Even the right password is refused from the stranger's client for now...
    const fromStranger = await attempt(staff.email, staff.password, STRANGER)
    assert.equal(fromStranger.statusCode, 429)
    assert.match(fromStranger.body, THROTTLED)
    // ...but the real user, from their own client, signs in with password and code.
    const session = await signIn(t.app, t.deps, staff)
    assert.match(session.cookie, /safer_session=/)
    const events = await t.deps.audit.forSubject('staff_user', staff.id)
    assert.equal(events.filter(e => e.action === 'accounts.sign-in-failed').length, 5)
    assert.ok(events.some(e => e.action === 'accounts.sign-in-throttled'))
    assert.ok(!events.some(e => e.action === 'accounts.locked'))
  })

  it('refuses a client hammering one account, with the generic message, until the window passes', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    const hammer = '203.0.113.20'
    for (let i = 0; i < 5; i++)
      assert.equal((await attempt(staff.email, 'wrong password here', hammer)).statusCode, 400)
    const refused = await attempt(staff.email, staff.password, hammer)
    assert.equal(refused.statusCode, 429)
    assert.match(refused.body, /govuk-error-summary/)
    assert.match(refused.body, THROTTLED)
    assert.doesNotMatch(refused.body, /locked/i)
    throttleClock.advance(15 * 60_000 + 1_000)
    assert.equal((await attempt(staff.email, staff.password, hammer)).statusCode, 303, 'failures expire')
  })

  it('refuses, once an account has many failures, every client that failed on it, but not a fresh one', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    // Four clients, five failures each: 20, the account-wide ceiling.
    for (let client = 1; client <= 4; client++) {
      for (let i = 0; i < 5; i++) await attempt(staff.email, 'a wrong password', `198.51.100.${String(client)}`)
    }
    const another = '198.51.100.50'
    assert.equal((await attempt(staff.email, 'one wrong guess', another)).statusCode, 400)
    // One failure is enough to be refused on an account under attack, even with the right password.
    assert.equal((await attempt(staff.email, staff.password, another)).statusCode, 429)
    // A client that has not failed on it gets through with the right password.
    assert.equal((await attempt(staff.email, staff.password, '198.51.100.99')).statusCode, 303)
  })

  it('refuses a client failing across many accounts', async () => {
    const sprayer = '203.0.113.30'
    for (let i = 0; i < 50; i++) {
      assert.equal((await attempt(`person${String(i)}@example.org`, 'Summer2026!!', sprayer)).statusCode, 400)
    }
    assert.equal((await attempt('person-next@example.org', 'Summer2026!!', sprayer)).statusCode, 429)
    assert.equal((await attempt('person-next@example.org', 'Summer2026!!', '203.0.113.31')).statusCode, 400)
  })

  it('answers a known and an unknown email identically, refusals included', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    const unknown = `nobody-${staff.email}`
    const normalise = (body: string, email: string) =>
      body.replaceAll(email, 'EMAIL').replace(/(nonce|value)="[^"]+"/g, '')
    for (let i = 0; i < 6; i++) {
      const known = await attempt(staff.email, 'not the password', '192.0.2.40')
      const missing = await attempt(unknown, 'not the password', '192.0.2.41')
      assert.equal(known.statusCode, missing.statusCode, `attempt ${String(i + 1)}`)
      assert.equal(known.statusCode, i < 5 ? 400 : 429)
      assert.equal(normalise(known.body, staff.email), normalise(missing.body, unknown), `attempt ${String(i + 1)}`)
      assert.equal(known.headers['content-type'], missing.headers['content-type'])
    }
  })

  it('counts wrong security codes against the same throttle', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    const client = '192.0.2.60'
    const { accounts } = t.deps
    const first = await accounts.signInWithPassword(staff.email, staff.password, client)
    assert.equal(first.kind, 'ok')
    if (first.kind !== 'ok') return
    for (let i = 0; i < 5; i++) assert.equal((await accounts.verifyCode(first.token, '000000', client)).kind, 'invalid')
    throttleClock.advance(30_000)
    const right = await accounts.verifyCode(first.token, totpCode(staff.totpSecret, throttleClock.now()), client)
    assert.equal(right.kind, 'throttled')
    assert.equal((await accounts.signInWithPassword(staff.email, staff.password, client)).kind, 'throttled')
    assert.equal((await accounts.signInWithPassword(staff.email, staff.password, '192.0.2.61')).kind, 'ok')
  })
})

describe('changing and resetting a password', () => {
  let t: TestApp
  const passwordClock = fixedClock('2026-11-22T09:00:00Z')
  before(async () => {
    t = await buildTestApp({ clock: passwordClock })
  })
  after(() => t.close())

  const account = (cookie: string) => t.app.inject({ method: 'GET', url: '/account', headers: { cookie } })

  function change(session: { cookie: string; token: string }, current: string, next: string) {
    return t.app.inject({
      method: 'POST',
      url: '/account/password',
      headers: { ...FORM, cookie: session.cookie },
      payload: form({ _csrf: session.token, currentPassword: current, newPassword: next, confirmPassword: next }),
    })
  }

  it('ends every other session and keeps this one under a new id', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    const here = await signIn(t.app, t.deps, staff)
    const elsewhere = await signIn(t.app, t.deps, staff)
    const newPassword = 'a brand new pass phrase'
    const changed = await change(here, staff.password, newPassword)
    assert.equal(changed.statusCode, 303)
    const rotated = cookieValue(setCookies(changed), 'safer_session')
    assert.ok(rotated && !here.cookie.includes(rotated), 'a new session id')
    assert.equal((await account(`safer_session=${rotated}`)).statusCode, 200, 'this browser stays signed in')
    assert.equal((await account(here.cookie)).statusCode, 303, 'the old id no longer works')
    assert.equal((await account(elsewhere.cookie)).statusCode, 303, 'the other session has ended')
    await signIn(t.app, t.deps, { ...staff, password: newPassword })
    const events = await t.deps.audit.forSubject('staff_user', staff.id)
    const event = events.find(e => e.action === 'accounts.password-changed')
    assert.deepEqual(event?.details, { otherSessionsEnded: 1 })
  })

  it('counts wrong current passwords towards the sign-in throttle', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    const session = await signIn(t.app, t.deps, staff)
    for (let i = 0; i < 5; i++) {
      const wrong = await change(session, 'not my password', 'another new pass phrase')
      assert.equal(wrong.statusCode, 400)
      assert.match(wrong.body, /Your current password is not correct/)
    }
    const refused = await change(session, staff.password, 'another new pass phrase')
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /too many failed attempts/)
    // The same throttle: this client cannot sign in to the account either, for now.
    const signInAgain = await t.deps.accounts.signInWithPassword(staff.email, staff.password, '127.0.0.1')
    assert.equal(signInAgain.kind, 'throttled')
    const user = await t.deps.accounts.repository.userByEmail(staff.email)
    assert.ok(user?.passwordHash && (await verifyPassword(user.passwordHash, staff.password)), 'unchanged')
  })

  it('ends every session of the user when a password is reset', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    const session = await signIn(t.app, t.deps, staff)
    await t.deps.accounts.requestPasswordReset(staff.email, token => `http://localhost/reset?token=${token}`)
    const outbox = await t.deps.database.db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('recipient', '=', staff.email)
      .executeTakeFirstOrThrow()
    // The outbox holds the link sealed (secrets at rest); only the dispatcher opens it.
    const { link } = t.deps.reporting.personalisation.open(outbox.personalisation)
    const resetToken = new URL(String(link)).searchParams.get('token') ?? ''
    await t.deps.accounts.resetPassword(resetToken, 'a reset pass phrase here')
    assert.equal((await account(session.cookie)).statusCode, 303)
    await signIn(t.app, t.deps, { ...staff, password: 'a reset pass phrase here' })
  })
})
