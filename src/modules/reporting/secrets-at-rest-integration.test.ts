/**
 * Secrets at rest (issue 13): after a resident submits a report and a member of staff asks for a password reset, no
 * table holds the tracking code or the reset token (or link) in plaintext; the messages still carry them when sent,
 * and sent messages keep their field names only.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { sql } from 'kysely'

import { buildTestApp, formSession, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import { createNotificationDispatcher, type NotifyClient } from './notifications.js'

const clock = fixedClock('2026-11-20T10:00:00Z')
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

/** Every table (of this database's schema) whose rows, as text, contain `needle`, with how many rows. */
async function tablesContaining(t: TestApp, needle: string): Promise<Record<string, number>> {
  const db = t.deps.database.db
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)
  const found: Record<string, number> = {}
  for (const { name } of tables) {
    const { rows } = await sql<{ n: string | number }>`
      select count(*) as n from ${sql.table(name)} as t where position(${needle} in t::text) > 0`.execute(db)
    if (Number(rows[0]?.n) > 0) found[name] = Number(rows[0]?.n)
  }
  return found
}

describe('Integration: no tracking code or reset token in plaintext at rest', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ clock })
  })
  after(async () => {
    await t.close()
  })

  it('keeps the tracking code out of every table, tracks with it, and sends it in the acknowledgement', async () => {
    const submitted = await t.deps.reporting.intake.submit(
      {
        channel: 'web',
        category: 'noise_music',
        location: { postcode: 'E1 0AA' },
        occurredOn: '2026-11-19',
        pattern: 'one_off',
        description: 'Music until four in the morning',
        impact: {
          reporterRole: 'victim',
          howOften: 'first_time',
          unsafeAtHome: 'no',
          healthAffected: 'no',
          targeted: 'no',
          characteristics: [],
        },
        reporter: {
          mode: 'named',
          name: 'Ada Resident',
          email: 'ada@example.org',
          contactPreference: 'email',
          consentToShare: true,
        },
      },
      { type: 'anonymous', id: null },
    )
    const code = submitted.trackingCode ?? ''
    assert.match(code, /^[0-9A-Z]{12}$/)
    const formatted = `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`

    const tracked = await t.app.inject({ method: 'GET', url: `/track/${submitted.report.reference}/${code}` })
    assert.equal(tracked.statusCode, 200, 'tracking still works (the report keeps a hash of the code)')

    assert.deepEqual(await tablesContaining(t, code), {}, 'the tracking code is in no table')
    assert.deepEqual(await tablesContaining(t, formatted), {}, 'nor in its printed form')

    // The dispatcher opens the sealed personalisation at the moment of sending.
    const sent: Record<string, string>[] = []
    const capture: NotifyClient = {
      sendEmail: async (_template, _to, options) => {
        sent.push(options.personalisation)
        return { id: 'captured' }
      },
      sendSms: async () => ({ id: 'captured' }),
    }
    const dispatcher = createNotificationDispatcher({
      repository: t.deps.reporting.repository,
      personalisation: t.deps.reporting.personalisation,
      client: capture,
      clock,
    })
    assert.equal((await dispatcher.drain()).sent, 1)
    assert.deepEqual(sent, [{ reference: submitted.report.reference, tracking_code: code }])
    const [row] = await t.deps.reporting.repository.outboxFor(submitted.report.id)
    assert.equal(row?.status, 'sent')
    assert.deepEqual(row?.personalisation, { reference: '[redacted]', tracking_code: '[redacted]' })
  })

  it('keeps the password reset token and link out of every table', async () => {
    const staff = await createStaff(t.deps, { roles: ['officer'] })
    const { token, cookie } = await formSession(t.app, '/sign-in/forgotten-password')
    const asked = await t.app.inject({
      method: 'POST',
      url: '/sign-in/forgotten-password',
      headers: { ...FORM, cookie },
      payload: new URLSearchParams({ _csrf: token, email: staff.email }).toString(),
    })
    assert.equal(asked.statusCode, 200)
    const [message] = await t.deps.database.db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('template', '=', 'staff-password-reset')
      .where('recipient', '=', staff.email)
      .execute()
    assert.ok(message)
    const link = t.deps.reporting.personalisation.open(message.personalisation).link ?? ''
    const resetToken = new URL(link).searchParams.get('token') ?? ''
    assert.ok(resetToken.length >= 20)
    assert.deepEqual(await tablesContaining(t, resetToken), {}, 'the reset token is in no table')
    assert.deepEqual(await tablesContaining(t, 'reset-password'), {}, 'nor is the link')
    // The reset itself still works with the token from the message.
    const page = await t.app.inject({ method: 'GET', url: `/sign-in/reset-password?token=${resetToken}` })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /name="password"/)
  })
})
