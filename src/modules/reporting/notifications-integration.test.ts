import assert from 'node:assert/strict'
import { createHmac, randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, beforeEach, describe, it } from 'node:test'

import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js'
import { fixedClock } from '../../platform/clock.js'
import { createPersonalisationSealer } from '../../platform/sealing.js'
import {
  backoffMs,
  createGovukNotifyClient,
  createLogNotifyClient,
  createNotificationDispatcher,
  LEASE_MS,
  MAX_ATTEMPTS,
  NOTIFICATION_TEMPLATES,
  type NotifyClient,
} from './notifications.js'
import { createReportingRepository, type ReportingRepository } from './reporting-repository.js'

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506'
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0'
const API_KEY = `safer_test-${SERVICE_ID}-${SECRET}`
const EMAIL_TEMPLATE = 'f33517ff-2a88-4f6e-b855-c550268ce08a'
const SMS_TEMPLATE = 'a1b2c3d4-0000-4000-8000-000000000001'

interface Received {
  path: string
  body: Record<string, unknown>
  issuer: string
}

/** GOV.UK Notify as far as sending goes: real HTTP, checks the JWT as Notify does, answers as Notify does. */
class FakeNotify {
  received: Received[] = []
  /** Status codes to answer with, one per request, before answering 201. */
  failures: number[] = []
  server = http.createServer((request, response) => {
    let raw = ''
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()))
    request.on('end', () => {
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' })
        response.end(JSON.stringify(body))
      }
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? ''
      const [header, payload, signature] = token.split('.')
      const expected = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url')
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString() || '{}') as {
        iss?: string
        iat?: number
      }
      if (signature !== expected || claims.iss !== SERVICE_ID || Math.abs((claims.iat ?? 0) - Date.now() / 1000) > 30)
        return send(403, { status_code: 403, errors: [{ error: 'AuthError', message: 'Invalid token' }] })
      const failure = this.failures.shift()
      if (failure === 400)
        return send(400, {
          status_code: 400,
          errors: [{ error: 'ValidationError', message: 'phone_number Not a UK mobile number' }],
        })
      if (failure) return send(failure, { status_code: failure, errors: [{ error: 'Exception', message: 'boom' }] })
      const body = JSON.parse(raw) as Record<string, unknown>
      this.received.push({ path: request.url ?? '', body, issuer: claims.iss })
      send(201, { id: randomUUID(), reference: body.reference, content: {}, template: { id: body.template_id } })
    })
  })
  url = ''
  async start() {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${String((this.server.address() as AddressInfo).port)}`
  }
  async stop() {
    await new Promise(resolve => this.server.close(resolve))
  }
}

describe('Integration: notifications through GOV.UK Notify', () => {
  let database: TestDatabase
  let repository: ReportingRepository
  const notify = new FakeNotify()
  const clock = fixedClock('2026-11-20T10:00:00Z')
  let client: NotifyClient
  const personalisation = createPersonalisationSealer('a-test-outbox-secret-of-32-characters-at-least')

  before(async () => {
    database = await createTestDatabase()
    repository = createReportingRepository(database.database.db, { personalisation })
    await notify.start()
    client = createGovukNotifyClient({
      apiKey: API_KEY,
      baseUrl: notify.url,
      templateIds: {
        [NOTIFICATION_TEMPLATES.acknowledgement]: { email: EMAIL_TEMPLATE, sms: SMS_TEMPLATE },
        [NOTIFICATION_TEMPLATES.status.closed]: { email: EMAIL_TEMPLATE },
      },
      timeoutMs: 2000,
    })
  })
  after(async () => {
    await notify.stop()
    await database.drop()
  })
  beforeEach(async () => {
    notify.received = []
    notify.failures = []
    clock.set('2026-11-20T10:00:00Z')
    await database.database.db.deleteFrom('notification_outbox').execute()
  })

  const enqueue = (
    channel: 'email' | 'sms',
    recipient: string,
    template: string = NOTIFICATION_TEMPLATES.acknowledgement,
  ) =>
    repository.enqueueNotification(
      {
        reportId: null,
        template,
        channel,
        recipient,
        personalisation: { reference: 'ASB-2611-4F7K', tracking_code: 'ACDE-FGHJ-KMNP' },
        at: clock.now(),
      },
      database.database.db,
    )
  const outbox = () => database.database.db.selectFrom('notification_outbox').selectAll().orderBy('id').execute()

  it('sends email and SMS with the signed JWT, the template ids and personalisation, and records Notify ids', async () => {
    await enqueue('email', 'ada@example.org')
    await enqueue('sms', '07700900123')
    // At rest, before sending: every value sealed, the field names readable, no tracking code in plaintext.
    for (const row of await outbox()) {
      assert.deepEqual(Object.keys(row.personalisation).sort(), ['reference', 'tracking_code'])
      assert.ok(Object.values(row.personalisation).every(value => String(value).startsWith('sealed:v1:')))
      assert.doesNotMatch(JSON.stringify(row), /ACDE|ASB-2611/)
    }
    const dispatcher = createNotificationDispatcher({ repository, personalisation, client, clock })
    assert.deepEqual(await dispatcher.drain(), { sent: 2, retrying: 0, failed: 0 })
    assert.deepEqual(
      notify.received.map(request => request.path),
      ['/v2/notifications/email', '/v2/notifications/sms'],
    )
    const [email, sms] = notify.received
    assert.equal(email?.issuer, SERVICE_ID)
    assert.equal(email?.body.template_id, EMAIL_TEMPLATE)
    assert.equal(email?.body.email_address, 'ada@example.org')
    assert.deepEqual(email?.body.personalisation, { reference: 'ASB-2611-4F7K', tracking_code: 'ACDE-FGHJ-KMNP' })
    assert.match(String(email?.body.reference), /^outbox-\d+$/)
    assert.equal(sms?.body.template_id, SMS_TEMPLATE)
    assert.equal(sms?.body.phone_number, '07700900123')
    const rows = await outbox()
    assert.deepEqual(
      rows.map(row => row.status),
      ['sent', 'sent'],
    )
    assert.ok(rows.every(row => /^[0-9a-f-]{36}$/.test(row.provider_id ?? '')))
    assert.ok(rows.every(row => row.attempts === 1 && row.sent_at !== null))
    // After sending: the personalisation keeps its field names only.
    assert.ok(
      rows.every(
        row => JSON.stringify(row.personalisation) === '{"reference":"[redacted]","tracking_code":"[redacted]"}',
      ),
    )
    assert.deepEqual(await dispatcher.drain(), { sent: 0, retrying: 0, failed: 0 }, 'nothing is sent twice')
  })

  it('sends a message written before sealing (plaintext), then redacts it', async () => {
    await database.database.db
      .insertInto('notification_outbox')
      .values({
        created_at: clock.now(),
        report_id: null,
        template: NOTIFICATION_TEMPLATES.acknowledgement,
        channel: 'email',
        recipient: 'old@example.org',
        personalisation: JSON.stringify({ reference: 'ASB-2611-4F7K', tracking_code: 'ACDE-FGHJ-KMNP' }),
        status: 'pending',
        provider_id: null,
        sent_at: null,
        next_attempt_at: clock.now(),
      })
      .execute()
    const dispatcher = createNotificationDispatcher({ repository, personalisation, client, clock })
    assert.deepEqual(await dispatcher.drain(), { sent: 1, retrying: 0, failed: 0 })
    assert.deepEqual(notify.received[0]?.body.personalisation, {
      reference: 'ASB-2611-4F7K',
      tracking_code: 'ACDE-FGHJ-KMNP',
    })
    assert.doesNotMatch(JSON.stringify(await outbox()), /ACDE|ASB-2611/)
  })

  it('fails, without calling Notify, a message sealed under another key (OUTBOX_KEY changed)', async () => {
    await enqueue('email', 'ada@example.org')
    const otherKey = createPersonalisationSealer('another-outbox-secret-of-32-characters-or-more')
    const dispatcher = createNotificationDispatcher({ repository, personalisation: otherKey, client, clock })
    assert.deepEqual(await dispatcher.dispatchDue(), { sent: 0, retrying: 0, failed: 1 })
    assert.equal(notify.received.length, 0)
    const [row] = await outbox()
    assert.equal(row?.status, 'failed')
    assert.match(row?.last_error ?? '', /cannot be opened/)
    assert.deepEqual(row?.personalisation, { reference: '[redacted]', tracking_code: '[redacted]' })
  })

  it('retries a server error after a backoff, and then sends', async () => {
    await enqueue('email', 'ada@example.org')
    notify.failures = [500]
    const dispatcher = createNotificationDispatcher({ repository, personalisation, client, clock })
    assert.deepEqual(await dispatcher.dispatchDue(), { sent: 0, retrying: 1, failed: 0 })
    const [waiting] = await outbox()
    assert.equal(waiting?.status, 'pending')
    assert.equal(waiting?.attempts, 1)
    assert.match(waiting?.last_error ?? '', /500/)
    assert.doesNotMatch(waiting?.last_error ?? '', /ada@example\.org/)
    assert.equal(new Date(waiting?.next_attempt_at ?? 0).getTime(), clock.now().getTime() + backoffMs(1))

    assert.deepEqual(await dispatcher.dispatchDue(), { sent: 0, retrying: 0, failed: 0 }, 'not due before the backoff')
    clock.advance(backoffMs(1))
    assert.deepEqual(await dispatcher.dispatchDue(), { sent: 1, retrying: 0, failed: 0 })
    assert.equal((await outbox())[0]?.status, 'sent')
  })

  it('gives up at once on a validation error, and after the attempt limit on repeated failures', async () => {
    await enqueue('sms', '01234')
    notify.failures = [400]
    const dispatcher = createNotificationDispatcher({ repository, personalisation, client, clock })
    assert.deepEqual(await dispatcher.dispatchDue(), { sent: 0, retrying: 0, failed: 1 })
    const [invalid] = await outbox()
    assert.equal(invalid?.status, 'failed')
    assert.match(invalid?.last_error ?? '', /ValidationError \(400\)/)
    assert.deepEqual(invalid?.personalisation, { reference: '[redacted]', tracking_code: '[redacted]' })
    assert.doesNotMatch(invalid?.last_error ?? '', /01234|mobile/)

    await database.database.db.deleteFrom('notification_outbox').execute()
    await enqueue('email', 'bo@example.org')
    notify.failures = Array.from({ length: MAX_ATTEMPTS }, () => 503)
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await dispatcher.dispatchDue()
      assert.equal(result.failed, attempt === MAX_ATTEMPTS ? 1 : 0, `attempt ${String(attempt)}`)
      clock.advance(backoffMs(attempt))
    }
    const [exhausted] = await outbox()
    assert.equal(exhausted?.status, 'failed')
    assert.equal(exhausted?.attempts, MAX_ATTEMPTS)
    assert.equal(notify.received.length, 0)
  })

  it('fails a message whose template has no id for its channel without calling Notify', async () => {
    await enqueue('sms', '07700900123', NOTIFICATION_TEMPLATES.status.closed)
    const dispatcher = createNotificationDispatcher({ repository, personalisation, client, clock })
    assert.deepEqual(await dispatcher.dispatchDue(), { sent: 0, retrying: 0, failed: 1 })
    assert.equal(notify.received.length, 0)
  })

  it('lets two dispatchers run at once without sending a message twice, and takes back a lapsed lease', async () => {
    for (let i = 0; i < 6; i++) await enqueue('email', `person${String(i)}@example.org`)
    const first = createNotificationDispatcher({ repository, personalisation, client, clock })
    const second = createNotificationDispatcher({ repository, personalisation, client, clock })
    const [a, b] = await Promise.all([first.drain({ batchSize: 2 }), second.drain({ batchSize: 2 })])
    assert.equal(a.sent + b.sent, 6)
    assert.equal(new Set(notify.received.map(request => request.body.email_address)).size, 6)
    assert.equal(notify.received.length, 6)

    // A dispatcher that claimed a message and died: the message comes back when its lease ends.
    await enqueue('email', 'late@example.org')
    const claimed = await repository.claimDueNotifications(10, clock.now(), new Date(clock.now().getTime() + LEASE_MS))
    assert.equal(claimed.length, 1)
    assert.deepEqual(await first.dispatchDue(), { sent: 0, retrying: 0, failed: 0 })
    clock.advance(LEASE_MS)
    assert.deepEqual(await first.dispatchDue(), { sent: 1, retrying: 0, failed: 0 })
  })

  it('in development keeps messages in the outbox, marked sent, and logs no personal data', async () => {
    await enqueue('email', 'ada@example.org')
    await enqueue('sms', '07700900123')
    const lines: Record<string, unknown>[] = []
    const logger = { info: (object: Record<string, unknown>) => lines.push(object), warn: () => undefined }
    const dispatcher = createNotificationDispatcher({
      repository,
      personalisation,
      client: createLogNotifyClient(logger),
      clock,
      logger,
    })
    assert.deepEqual(await dispatcher.drain(), { sent: 2, retrying: 0, failed: 0 })
    assert.equal(lines.length, 2)
    assert.ok(lines.every(line => typeof line.templateId === 'string' && /^outbox-\d+$/.test(String(line.reference))))
    assert.doesNotMatch(JSON.stringify(lines), /ada@example\.org|07700900123|ASB-2611|ACDE/)
    assert.equal(notify.received.length, 0)
    assert.deepEqual(
      (await outbox()).map(row => [row.status, row.recipient]),
      [
        ['sent', 'ada@example.org'],
        ['sent', '07700900123'],
      ],
    )
  })

  it('sends nothing when switched off (production without a key): messages wait', async () => {
    await enqueue('email', 'ada@example.org')
    const dispatcher = createNotificationDispatcher({ repository, personalisation, client: undefined, clock })
    assert.equal(dispatcher.enabled, false)
    assert.deepEqual(await dispatcher.drain(), { sent: 0, retrying: 0, failed: 0 })
    assert.equal((await outbox())[0]?.status, 'pending')
  })
})
