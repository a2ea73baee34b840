import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import {
  createLocationGeneraliser,
  parsePrecisionPolicy,
  PrecisionConfigError,
  precisionFor,
} from './location-privacy.js'
import { readSubmission, submissionKey, toIntakeInput } from './request-form.js'
import { extendedStatus, georeportStatus, incomingChange, parseIncomingStatus } from './status-map.js'

const CODES = ['noise_music', 'harassment', 'hate']

describe('open311 status map', () => {
  it('maps our lifecycle to open/closed and to FixMyStreet extended statuses', () => {
    assert.equal(georeportStatus('action_taken'), 'open')
    assert.equal(georeportStatus('closed'), 'closed')
    assert.equal(extendedStatus('assessed', null), 'investigating')
    assert.equal(extendedStatus('action_taken', null), 'action_scheduled')
    assert.equal(extendedStatus('closed', 'resolved'), 'fixed')
    assert.equal(extendedStatus('closed', 'referred'), 'not_councils_responsibility')
    assert.equal(extendedStatus('closed', 'no_further_action'), 'no_further_action')
    assert.equal(extendedStatus('closed', 'not_asb'), 'closed')
  })

  it('maps FixMyStreet statuses onto our changes', () => {
    const context = {
      note: '',
      partnerName: 'Police',
      referredTo: 'another organisation',
      defaultNote: () => 'Default.',
    }
    assert.equal(parseIncomingStatus('in progress'), 'IN_PROGRESS')
    assert.equal(parseIncomingStatus('MAYBE'), undefined)
    assert.deepEqual(incomingChange('IN_PROGRESS', 'received', context), {
      status: 'in_progress',
      publicNote: undefined,
    })
    assert.equal(incomingChange('IN_PROGRESS', 'in_progress', context), null, 'same status: a note only')
    assert.equal(incomingChange('OPEN', 'assessed', context), null)
    assert.deepEqual(incomingChange('REOPEN', 'closed', context), { status: 'assessed', publicNote: undefined })
    assert.deepEqual(incomingChange('DUPLICATE', 'received', context), {
      status: 'closed',
      closureReason: 'no_further_action',
      publicNote: 'Default.',
    })
    assert.deepEqual(incomingChange('INTERNAL_REFERRAL', 'received', context), {
      status: 'closed',
      closureReason: 'referred',
      referredAgency: 'Police',
      publicNote: undefined,
    })
    assert.equal(incomingChange('FIXED', 'closed', context), null, 'closing a closed report adds a note')
  })
})

describe('open311 location privacy', () => {
  const postcodes = [
    { display: 'E1 6AA', latitude: 51.52, longitude: -0.07, wardCode: 'W1', lsoaCode: 'L1' },
    { display: 'E1 6BB', latitude: 51.522, longitude: -0.072, wardCode: 'W1', lsoaCode: 'L1' },
    { display: 'E2 7CC', latitude: 51.53, longitude: -0.06, wardCode: 'W2', lsoaCode: 'L2' },
  ]
  const place = {
    category: 'noise_music',
    nsirQualifier: 'nuisance',
    hate: false,
    targeted: false,
    latitude: 51.5203,
    longitude: -0.0702,
    wardCode: 'W1',
    lsoaCode: 'L1',
  }

  it('reads the policy and refuses levels and keys it does not know', () => {
    const policy = parsePrecisionPolicy('default=exact,personal=ward,hate=none', CODES)
    assert.equal(policy.default, 'exact')
    assert.equal(policy.categories.get('hate'), 'none')
    assert.throws(() => parsePrecisionPolicy('default=street', CODES), PrecisionConfigError)
    assert.throws(() => parsePrecisionPolicy('potholes=ward', CODES), PrecisionConfigError)
  })

  it('never shows personal ASB finer than the personal level, whatever its category says', () => {
    const policy = parsePrecisionPolicy('default=snap,personal=lsoa,harassment=exact', CODES)
    assert.equal(precisionFor(policy, { ...place, category: 'harassment', nsirQualifier: 'personal' }), 'lsoa')
    assert.equal(precisionFor(policy, { ...place, targeted: true }), 'lsoa')
    assert.equal(precisionFor(policy, place), 'snap')
  })

  it('snaps to the nearest postcode centroid, or to the LSOA or ward centre, or hides the point', () => {
    const at = (text: string) =>
      createLocationGeneraliser(postcodes, parsePrecisionPolicy(text, CODES)).generalise(place)
    assert.deepEqual(at('default=snap'), {
      precision: 'snap',
      latitude: 51.52,
      longitude: -0.07,
      zipcode: 'E1',
      wardCode: 'W1',
    })
    assert.deepEqual(at('default=lsoa'), {
      precision: 'lsoa',
      latitude: 51.521,
      longitude: -0.071,
      zipcode: null,
      wardCode: 'W1',
    })
    assert.equal(at('default=ward').latitude, 51.521)
    assert.deepEqual(at('default=none'), {
      precision: 'none',
      latitude: null,
      longitude: null,
      zipcode: null,
      wardCode: null,
    })
    assert.equal(at('default=exact').latitude, 51.5203)
  })
})

describe('open311 request form', () => {
  const base = {
    service_code: 'noise_music',
    lat: '51.52',
    long: '-0.07',
    description: 'Loud music',
    'attribute[pattern]': 'one_off',
    'attribute[reporter_role]': 'witness',
    'attribute[unsafe_at_home]': 'no',
    'attribute[health_affected]': 'no',
    'attribute[targeted]': 'yes',
    'attribute[characteristics][]': ['race', 'religion'],
    'attribute[uprn]': '12345',
  }

  it('reads attribute[] values, ignores attributes it does not define, and keeps reporters private by default', () => {
    const read = readSubmission(base)
    assert.ok(read.ok)
    const input = toIntakeInput(read.value, new Date('2026-11-20T10:00:00Z'), 'open311:key')
    assert.deepEqual(input.impact.characteristics, ['race', 'religion'])
    assert.equal(input.reporter.mode, 'anonymous')
    assert.equal(input.reporter.consentToShare, false)
    assert.equal(input.occurredOn, '2026-11-20')
    const named = readSubmission({ ...base, email: 'a@example.com', first_name: 'Ann', last_name: '-' })
    assert.ok(named.ok)
    const person = toIntakeInput(named.value, new Date('2026-11-20T10:00:00Z'), 'k').reporter
    assert.deepEqual(person, {
      mode: 'confidential',
      name: 'Ann',
      email: 'a@example.com',
      contactPreference: 'email',
      consentToShare: false,
    })
  })

  it('finds a postcode inside address_string and reads an occurred datetime in London time', () => {
    const read = readSubmission({
      ...base,
      lat: '',
      long: '',
      address_string: '12 Brick Lane, London e1 6rf',
      'attribute[occurred_datetime]': '2026-07-01T22:30:00Z',
    })
    assert.ok(read.ok)
    assert.equal(read.value.postcode, 'E1 6RF')
    const input = toIntakeInput(read.value, new Date('2026-07-02T10:00:00Z'), 'k')
    assert.equal(input.occurredOn, '2026-07-01')
    assert.equal(input.occurredTime, '23:30')
  })

  it('names every problem in the spec’s error shape', () => {
    const read = readSubmission({ lat: '51.5', description: '', 'attribute[pattern]': 'sometimes' })
    assert.ok(!read.ok)
    assert.ok(read.errors.every(error => error.code === 400))
    assert.ok(read.errors.length >= 3)
    const unknown = readSubmission({ ...base, service_code: 'potholes' })
    assert.ok(!unknown.ok && unknown.errors[0]?.code === 404)
  })

  it('gives a retry the same idempotency key, and a changed form or another day a new one', () => {
    const day = new Date('2026-11-20T10:00:00Z')
    assert.equal(
      submissionKey('k1', { ...base, api_key: 'a' }, day),
      submissionKey('k1', { ...base, api_key: 'b' }, day),
    )
    assert.notEqual(submissionKey('k1', base, day), submissionKey('k1', { ...base, description: 'x' }, day))
    assert.notEqual(submissionKey('k1', base, day), submissionKey('k1', base, new Date('2026-11-21T10:00:00Z')))
    assert.notEqual(submissionKey('k1', base, day), submissionKey('k2', base, day))
  })
})
