import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import {
  defaultExpiry,
  latestExpiry,
  orderStatus,
  reviewDue,
  validateDischarge,
  validateExtension,
  validateOrder,
  type OrderAnswers,
} from './pspo-rules.js'

const WARDS = new Set(['W1', 'W2'])
const answers: OrderAnswers = {
  title: 'Nitrous oxide',
  prohibitions: 'Inhaling nitrous oxide\n\n  Discarding canisters  ',
  requirements: '',
  wards: ['W1', 'W2', 'W1'],
  signage: 'No nitrous oxide',
  consultationStart: '2026-01-05',
  consultationEnd: '2026-03-01',
  consultees: 'Police, PCC',
  consultationSummary: 'Supported',
  madeOn: '2026-04-01',
  inForceFrom: '2026-04-15',
  expiresOn: '',
}
const codes = (result: { ok: boolean; errors?: { code: string }[] }) =>
  result.ok ? [] : (result.errors ?? []).map(e => e.code)

describe('PSPO rules (ASBCPA 2014 ss.59–75)', () => {
  it('defaults the expiry to the day before the third anniversary and allows no later than 3 years', () => {
    assert.equal(defaultExpiry('2026-04-01'), '2029-03-31')
    assert.equal(latestExpiry('2024-02-29'), '2027-02-28')
    const result = validateOrder(answers, WARDS)
    assert.ok(result.ok)
    assert.equal(result.value.expiresOn, '2029-03-31')
    assert.deepEqual(result.value.prohibitions, ['Inhaling nitrous oxide', 'Discarding canisters'])
    assert.deepEqual(result.value.wardCodes, ['W1', 'W2'])
    assert.ok(validateOrder({ ...answers, expiresOn: '2029-04-01' }, WARDS).ok)
    assert.deepEqual(codes(validateOrder({ ...answers, expiresOn: '2029-04-02' }, WARDS)), ['expiry-too-late'])
  })

  it('refuses an order with no wards, unknown wards, dates out of order or missing', () => {
    assert.deepEqual(codes(validateOrder({ ...answers, wards: [] }, WARDS)), ['wards-missing'])
    assert.deepEqual(codes(validateOrder({ ...answers, wards: ['X'] }, WARDS)), ['wards-unknown'])
    assert.deepEqual(codes(validateOrder({ ...answers, title: 'a\u0000b' }, WARDS)), ['invalid-characters'])
    assert.deepEqual(codes(validateOrder({ ...answers, inForceFrom: '2026-03-31' }, WARDS)), ['in-force-before-made'])
    assert.deepEqual(codes(validateOrder({ ...answers, consultationEnd: '2026-04-02' }, WARDS)), [
      'consultation-after-made',
    ])
    assert.deepEqual(codes(validateOrder({ ...answers, madeOn: undefined, prohibitions: ' ' }, WARDS)), [
      'prohibitions-missing',
      'madeOn-invalid',
    ])
  })

  it('extends before expiry by at most 3 years from the extension, and discharges on or after the making', () => {
    const order = { madeOn: '2023-05-01', inForceFrom: '2023-05-01', expiresOn: '2026-04-30', dischargedOn: null }
    const extend = (occurredOn: string, newExpiry: string) =>
      codes(validateExtension(order, { occurredOn, newExpiry, reason: 'Reviewed' }))
    assert.deepEqual(extend('2026-04-01', '2029-04-01'), [])
    assert.deepEqual(extend('2026-04-01', '2029-04-02'), ['new-expiry-too-late'])
    assert.deepEqual(extend('2026-05-01', '2029-04-01'), ['extension-after-expiry'])
    assert.deepEqual(extend('2026-04-01', '2026-04-30'), ['new-expiry-not-later'])
    assert.deepEqual(codes(validateDischarge(order, { occurredOn: '2023-04-30', reason: 'x' })), ['event-before-made'])
    assert.deepEqual(codes(validateDischarge(order, { occurredOn: '2025-01-01', reason: '' })), ['reason-missing'])
    assert.deepEqual(
      codes(validateDischarge({ ...order, dischargedOn: '2025-01-01' }, { occurredOn: '2025-02-01', reason: 'x' })),
      ['already-discharged'],
    )
  })

  it('is review due within 6 months and 3 months of expiry, and reads its status on a day', () => {
    const order = { inForceFrom: '2024-01-01', expiresOn: '2027-01-31', dischargedOn: null }
    assert.equal(reviewDue(order, '2026-07-30'), null)
    assert.equal(reviewDue(order, '2026-07-31'), '6-months')
    assert.equal(reviewDue(order, '2026-10-31'), '3-months')
    assert.equal(reviewDue(order, '2027-02-01'), null)
    assert.equal(reviewDue({ ...order, dischargedOn: '2026-01-01' }, '2026-12-01'), null)
    assert.equal(orderStatus(order, '2023-12-31'), 'not-yet-in-force')
    assert.equal(orderStatus(order, '2027-01-31'), 'in-force')
    assert.equal(orderStatus(order, '2027-02-01'), 'expired')
    assert.equal(orderStatus({ ...order, dischargedOn: '2026-01-01' }, '2026-01-01'), 'discharged')
  })
})
