import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import {
  firstMissingStep,
  parseTime,
  toIntakeInput,
  validateImpact,
  validatePostcode,
  validateWhen,
  validateWho,
} from './journey.js'
import { categorise } from './taxonomy.js'
import {
  formatTrackingCode,
  newReference,
  newTrackingCode,
  normaliseReference,
  REFERENCE_PATTERN,
  reporterKey,
  UNAMBIGUOUS,
} from './reference.js'

const now = new Date('2026-11-20T10:00:00Z')

describe('references and tracking codes', () => {
  it('uses only unambiguous characters and the year and month received', () => {
    for (const confusable of ['0', 'O', '1', 'I', 'L', 'U', 'V', '5', 'S', '2', 'Z', '8', 'B']) {
      assert.ok(!UNAMBIGUOUS.includes(confusable), confusable)
    }
    const reference = newReference(now)
    assert.match(reference, REFERENCE_PATTERN)
    assert.ok(reference.startsWith('ASB-2611-'))
  })

  it('reads a reference as people type it', () => {
    assert.equal(normaliseReference(' asb 2611 4f7k '), 'ASB-2611-4F7K')
    assert.equal(normaliseReference('ASB26114F7K'), 'ASB-2611-4F7K')
    assert.equal(normaliseReference('ASB-2611-0000'), null)
    assert.equal(normaliseReference('nonsense'), null)
  })

  it('derives the same tracking code from the same key, and different ones otherwise', () => {
    const a = newTrackingCode({ secret: 's', key: 'draft-1' })
    assert.equal(a, newTrackingCode({ secret: 's', key: 'draft-1' }))
    assert.notEqual(a, newTrackingCode({ secret: 's', key: 'draft-2' }))
    assert.notEqual(a, newTrackingCode({ secret: 't', key: 'draft-1' }))
    assert.match(formatTrackingCode(a), /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/)
  })

  it('keys reporters by normalised contact details, never by the details themselves', () => {
    const email = reporterKey('pepper', { email: ' Ada@Example.org ' })
    assert.equal(email, reporterKey('pepper', { email: 'ada@example.org' }))
    assert.equal(reporterKey('pepper', { phone: '+44 7700 900123' }), reporterKey('pepper', { phone: '07700900123' }))
    assert.ok(!email?.includes('ada'))
    assert.equal(reporterKey('pepper', {}), null)
  })
})

describe('categorisation', () => {
  it('derives the NSIR qualifier from the type and the answers, independently', () => {
    const base = { reporterRole: 'witness', targeted: 'no', characteristics: [] } as const
    assert.equal(categorise({ ...base, category: 'fly_tipping' }).qualifier, 'environmental')
    assert.equal(categorise({ ...base, category: 'noise_music' }).qualifier, 'nuisance')
    assert.equal(categorise({ ...base, category: 'harassment' }).qualifier, 'personal')
    const targeted = categorise({ category: 'graffiti', reporterRole: 'victim', targeted: 'yes', characteristics: [] })
    assert.deepEqual([targeted.qualifier, targeted.hate], ['personal', false])
    const hate = categorise({
      category: 'graffiti',
      reporterRole: 'victim',
      targeted: 'yes',
      characteristics: ['race'],
    })
    assert.deepEqual([hate.qualifier, hate.hate], ['personal', true])
    assert.equal(categorise({ ...base, category: 'hate' }).hate, true)
  })
})

describe('journey validation', () => {
  it('prefers a typed postcode to a pin left in the hidden fields', () => {
    assert.equal(validatePostcode({ postcode: 'E1 6AN', latitude: '51.5', longitude: '-0.05' }).point, null)
    assert.deepEqual(validatePostcode({ postcode: '', latitude: '51.5', longitude: '-0.05' }).point, {
      latitude: 51.5,
      longitude: -0.05,
    })
  })

  it('without postcodes in the pack, takes only a pin and asks for the map or the ward list', () => {
    const options = { postcodes: false }
    const none = validatePostcode({ postcode: 'E1 6AN', latitude: '', longitude: '', map: 'shown' }, options)
    assert.deepEqual(none.errors, { place: 'Put a pin on the map, or choose the ward from a list' })
    // Without JavaScript there was no map to put a pin on: only the ward list is offered.
    const noMap = validatePostcode({ latitude: '', longitude: '', map: '' }, options)
    assert.deepEqual(noMap.errors, { place: 'Choose the ward from a list' })
    assert.equal(none.values.postcode, '', 'a postcode is ignored, not stored')
    const pinned = validatePostcode({ postcode: 'E1 6AN', latitude: '51.5155', longitude: '-0.0919' }, options)
    assert.deepEqual(pinned.errors, {})
    assert.deepEqual(pinned.point, { latitude: 51.5155, longitude: -0.0919 })
  })

  it("gives the CSP pack's example postcode in its error, or none when the pack has none", () => {
    const bad = { postcode: 'not a postcode', latitude: '', longitude: '' }
    assert.deepEqual(validatePostcode(bad, { examplePostcode: 'E1 6AN' }).errors, {
      postcode: 'Enter a real postcode, like E1 6AN',
    })
    assert.deepEqual(validatePostcode(bad, { examplePostcode: 'SW1A 1AA' }).errors, {
      postcode: 'Enter a real postcode, like SW1A 1AA',
    })
    assert.deepEqual(validatePostcode(bad).errors, { postcode: 'Enter a real postcode' })
  })

  it('accepts real past dates and times in the forms people write them', () => {
    const ok = validateWhen(
      { occurredDay: '1', occurredMonth: '2', occurredYear: '2026', occurredTime: '9.05 pm', pattern: 'one_off' },
      now,
    )
    assert.deepEqual(ok.errors, {})
    assert.equal(ok.values.occurredOn, '2026-02-01')
    assert.equal(ok.values.occurredTimeNormalised, '21:05')
    const cases: [Record<string, string>, string][] = [
      [{ occurredDay: '29', occurredMonth: '2', occurredYear: '2026' }, 'occurredDay'],
      [{ occurredDay: '1', occurredMonth: '1', occurredYear: '2027' }, 'occurredDay'],
      [{ occurredDay: '1', occurredMonth: '1', occurredYear: '2020' }, 'occurredDay'],
      [{ occurredDay: '1', occurredMonth: '1', occurredYear: '2026', occurredTime: '13pm' }, 'occurredTime'],
    ]
    for (const [body, field] of cases) {
      assert.ok(validateWhen({ pattern: 'one_off', ...body }, now).errors[field], JSON.stringify(body))
    }
  })

  it('reads the times people type as the canonical 24-hour time, and refuses times that are not real', () => {
    const typed: [string, string][] = [
      ['11pm', '23:00'],
      ['11 pm', '23:00'],
      ['11.30pm', '23:30'],
      ['11:30 PM', '23:30'],
      ['11:30 p.m.', '23:30'],
      ['9.30am', '09:30'],
      ['9:30pm', '21:30'],
      ['12am', '00:00'],
      ['12pm', '12:00'],
      ['23:00', '23:00'],
      ['21.30', '21:30'],
      ['2300', '23:00'],
      ['0930', '09:30'],
      ['noon', '12:00'],
      ['Midnight', '00:00'],
    ]
    for (const [input, canonical] of typed) assert.equal(parseTime(input), canonical, input)
    for (const nonsense of ['25:00', '13pm', '0am', '24:00', '9:60', '1:60pm', '11', 'teatime', '9:3', ''])
      assert.equal(parseTime(nonsense), null, nonsense)
    const late = validateWhen(
      { occurredDay: '1', occurredMonth: '2', occurredYear: '2026', occurredTime: '11pm', pattern: 'one_off' },
      now,
    )
    assert.deepEqual(late.errors, {})
    assert.equal(late.values.occurredTimeNormalised, '23:00')
    const bad = validateWhen(
      { occurredDay: '1', occurredMonth: '2', occurredYear: '2026', occurredTime: '25:00', pattern: 'one_off' },
      now,
    )
    assert.match(bad.errors.occurredTime ?? '', /Enter a real time, like 11pm, 9:30pm or 21:30/)
  })

  it('drops the reasons for targeting unless the reporter says they were targeted', () => {
    const result = validateImpact({
      reporterRole: 'victim',
      howOften: 'first_time',
      unsafeAtHome: 'no',
      healthAffected: 'no',
      targeted: 'no',
      characteristics: ['race'],
    })
    assert.deepEqual(result.errors, {})
    assert.deepEqual(result.values.characteristics, [])
  })

  it('keeps anonymous reports free of contact details', () => {
    const result = validateWho({
      mode: 'anonymous',
      contactPreference: 'email',
      email: 'a@b.co',
      consent: 'no',
    })
    assert.ok(result.errors.contactPreference)
  })

  it('knows which step is missing and turns complete answers into intake input', () => {
    const answers: Record<string, unknown> = {
      category: 'graffiti',
      locationMode: 'ward',
      wardCode: 'E05009336',
      locationDescription: 'Market',
      occurredOn: '2026-11-01',
      pattern: 'one_off',
      description: 'Tags',
      reporterRole: 'witness',
      howOften: 'first_time',
      unsafeAtHome: 'no',
      healthAffected: 'no',
      targeted: 'no',
      characteristics: [],
      mode: 'anonymous',
      contactPreference: 'none',
      consent: 'yes',
    }
    assert.equal(firstMissingStep({ ...answers, description: '' }), 'description')
    assert.equal(firstMissingStep(answers), null)
    const input = toIntakeInput(answers, { idempotencyKey: 'web:draft-1', trackingCode: 'AAAAAAAAAAAA' })
    assert.deepEqual(input.location, { wardCode: 'E05009336', description: 'Market' })
    assert.deepEqual(input.reporter, {
      mode: 'anonymous',
      name: undefined,
      email: undefined,
      phone: undefined,
      contactPreference: 'none',
      consentToShare: true,
    })
  })
})
