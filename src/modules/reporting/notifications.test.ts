import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import {
  createLogNotifyClient,
  createNotificationDispatcher,
  MAX_ATTEMPTS,
  type NotifyClient,
} from './notifications.js'
import type { ReportingRepository } from './reporting-repository.js'

interface Message {
  id: number
  channel: 'email' | 'sms'
  template: string
  recipient: string
  personalisation: object
  attempts: number
  status: string
}

function fakeRepository(messages: Message[]) {
  const repository = {
    transaction: async <T>(work: (trx: never) => Promise<T>) => work(undefined as never),
    claimPending: async () => messages.filter(message => message.status === 'pending'),
    markNotification: async (id: number, result: { status: string }) => {
      const message = messages.find(item => item.id === id)
      if (message) {
        message.status = result.status
        message.attempts += 1
      }
    },
  }
  return repository as unknown as ReportingRepository
}

describe('notification outbox dispatcher', () => {
  it('sends through the Notify-shaped client and logs ids only', async () => {
    const lines: unknown[] = []
    const client = createLogNotifyClient({ info: (object: unknown) => lines.push(object), warn: () => undefined })
    const messages: Message[] = [
      {
        id: 1,
        channel: 'email',
        template: 'report-acknowledgement',
        recipient: 'ada@example.org',
        personalisation: { reference: 'ASB-2611-4F7K' },
        attempts: 0,
        status: 'pending',
      },
      {
        id: 2,
        channel: 'sms',
        template: 'report-status-closed',
        recipient: '07700900123',
        personalisation: {},
        attempts: 0,
        status: 'pending',
      },
    ]
    const dispatcher = createNotificationDispatcher({
      repository: fakeRepository(messages),
      client,
      clock: { now: () => new Date() },
    })
    assert.deepEqual(await dispatcher.dispatchPending(), { sent: 2, failed: 0 })
    assert.deepEqual(
      messages.map(message => message.status),
      ['sent', 'sent'],
    )
    assert.doesNotMatch(JSON.stringify(lines), /ada@example.org|07700900123/)
  })

  it('retries a failing message until the attempt limit, then marks it failed', async () => {
    const failing: NotifyClient = {
      sendEmail: async () => Promise.reject(new Error('down')),
      sendSms: async () => Promise.reject(new Error('down')),
    }
    const messages: Message[] = [
      {
        id: 1,
        channel: 'email',
        template: 't',
        recipient: 'x@example.org',
        personalisation: {},
        attempts: 0,
        status: 'pending',
      },
    ]
    const dispatcher = createNotificationDispatcher({
      repository: fakeRepository(messages),
      client: failing,
      clock: { now: () => new Date() },
    })
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      await dispatcher.dispatchPending()
      assert.equal(messages[0]?.status, 'pending')
    }
    await dispatcher.dispatchPending()
    assert.equal(messages[0]?.status, 'failed')
    assert.equal(messages[0]?.attempts, MAX_ATTEMPTS)
  })
})
