import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import {
  detectMpsLayout,
  headerProblem,
  normaliseCrimeType,
  normaliseOutcome,
  parseMpsRow,
  parseStopSearchRow,
  parseStreetRow,
  STREET_HEADER,
} from './police-formats.js'

const streetRow = (changes: Record<number, string> = {}) => {
  const fields = [
    'ad90a432222310fc92f79b7f76c85c1b487872ac6731ed0f90fe2abadf33c1a2',
    '2014-09',
    'City of London Police',
    'City of London Police',
    '-0.111497',
    '51.518226',
    'On or near Pedestrian Subway',
    'E01000914',
    'Camden 028B',
    'Other theft',
    'Investigation complete; no suspect identified',
    '',
  ]
  for (const [index, value] of Object.entries(changes)) fields[Number(index)] = value
  return fields
}

describe('police formats', () => {
  it('normalises crime types from CSV names or slugs, in any case', () => {
    assert.equal(normaliseCrimeType('Violence and sexual offences'), 'violent-crime')
    assert.equal(normaliseCrimeType('anti-social behaviour'), 'anti-social-behaviour')
    assert.equal(normaliseCrimeType('criminal-damage-arson'), 'criminal-damage-arson')
    assert.equal(normaliseCrimeType('Public disorder and weapons'), 'public-disorder-weapons')
    assert.equal(normaliseCrimeType('Jaywalking'), undefined)
  })

  it('normalises the renamed outcome names to today’s, with their codes', () => {
    assert.deepEqual(normaliseOutcome('No further action'), {
      code: 'no-further-action',
      name: 'Investigation complete; no suspect identified',
    })
    assert.deepEqual(normaliseOutcome('Offender imprisoned'), { code: 'imprisoned', name: 'Offender sent to prison' })
    assert.deepEqual(normaliseOutcome('Offender sentenced as part of another case'), {
      code: 'sentenced-in-another-case',
      name: 'Suspect charged as part of another case',
    })
    assert.deepEqual(normaliseOutcome('Offender given community penalty')?.code, 'community-penalty')
    assert.deepEqual(normaliseOutcome('Suspect found not guilty')?.code, 'not-guilty')
    assert.deepEqual(normaliseOutcome('Offender given penalty notice')?.code, 'penalty-notice-issued')
    assert.deepEqual(normaliseOutcome('A brand new outcome'), { code: null, name: 'A brand new outcome' })
    assert.equal(normaliseOutcome(''), null)
  })

  it('checks the header exactly and says what differs', () => {
    assert.equal(headerProblem([...STREET_HEADER], STREET_HEADER), null)
    assert.match(headerProblem(STREET_HEADER.slice(0, 10), STREET_HEADER) ?? '', /10 columns, expected 12/)
    const swapped: string[] = [...STREET_HEADER]
    swapped[9] = 'Crime Type'
    assert.match(headerProblem(swapped, STREET_HEADER) ?? '', /column 10 is "Crime Type", expected "Crime type"/)
  })

  it('parses a street row, keeping a blank location as no location', () => {
    const parsed = parseStreetRow(streetRow())
    assert.ok(parsed.ok)
    assert.deepEqual(parsed.row.point, { latitude: 51.518226, longitude: -0.111497 })
    assert.equal(parsed.row.crimeType, 'other-theft')
    assert.equal(parsed.row.outcomeCode, 'no-further-action')
    const blank = parseStreetRow(streetRow({ 4: '', 5: '', 6: 'No Location', 7: '', 8: '' }))
    assert.ok(blank.ok)
    assert.equal(blank.row.point, null)
    assert.equal(blank.row.location, null)
    const zeroed = parseStreetRow(streetRow({ 4: '0', 5: '0' }))
    assert.ok(zeroed.ok && zeroed.row.point === null, '0,0 means no map point within 20 km')
  })

  it('rejects malformed street rows with a reason', () => {
    const reasonOf = (fields: string[]) => {
      const parsed = parseStreetRow(fields)
      return parsed.ok ? 'accepted' : parsed.reason
    }
    assert.match(reasonOf(streetRow({ 1: '2014/09' })), /Month "2014\/09" is not YYYY-MM/)
    assert.match(reasonOf(streetRow({ 9: 'Jaywalking' })), /unknown crime type "Jaywalking"/)
    assert.match(reasonOf(streetRow({ 5: '' })), /only one of latitude and longitude/)
    assert.match(reasonOf(streetRow({ 5: 'north' })), /latitude "north"/)
    assert.match(reasonOf(streetRow({ 0: 'abc' })), /Crime ID/)
    assert.match(reasonOf(streetRow({ 3: '' })), /Falls within/)
    assert.match(reasonOf(streetRow().slice(0, 11)), /has 11 fields, expected 12/)
  })

  it('parses stop and search rows, including date-only forces', () => {
    const base = [
      'Person search',
      '2022-09-01T04:05:00+00:00',
      'False',
      '',
      '51.511782',
      '-0.021215',
      'Male',
      'over 34',
      'Asian/Asian British - Any other Asian background',
      'Asian',
      'Misuse of Drugs Act 1971 (section 23)',
      'Controlled drugs',
      'A no further action disposal',
      '',
      '',
    ]
    const parsed = parseStopSearchRow(base)
    assert.ok(parsed.ok)
    assert.equal(parsed.row.occurredAt.toISOString(), '2022-09-01T04:05:00.000Z')
    assert.equal(parsed.row.partOfOperation, false)
    assert.equal(parsed.row.outcomeLinkedToObject, null)
    const dateOnly = parseStopSearchRow(base.map((field, i) => (i === 1 ? '2022-09-02' : field)))
    assert.ok(dateOnly.ok && dateOnly.row.occurredAt.toISOString() === '2022-09-02T00:00:00.000Z')
    const badType = parseStopSearchRow(base.map((field, i) => (i === 0 ? 'Dog search' : field)))
    assert.ok(!badType.ok && badType.reason.includes('unknown search type'))
    const badFlag = parseStopSearchRow(base.map((field, i) => (i === 2 ? 'maybe' : field)))
    assert.ok(!badFlag.ok && badFlag.reason.includes('Part of a policing operation'))
  })

  it('recognises every MPS layout and refuses others', () => {
    const ward = detectMpsLayout(['majortext', 'minortext', 'wardname', 'wardcode', 'lookup_boroughname', '202402'])
    assert.deepEqual(ward, { ok: true, layout: 'ward', months: ['2024-02'] })
    const historical = detectMpsLayout([
      'wardname',
      'wardcode',
      'majortext',
      'minortext',
      'lookup_boroughname',
      '201004',
    ])
    assert.ok(historical.ok && historical.layout === 'ward-historical')
    const lsoa = detectMpsLayout(['lsoa_code', 'lsoa_name', 'borough', 'major_category', 'minor_category', '202402'])
    assert.ok(lsoa.ok && lsoa.layout === 'lsoa')
    const borough = detectMpsLayout(['majortext', 'minortext', 'boroughname', '201004', '201005'])
    assert.ok(borough.ok && borough.months.length === 2)
    const badMonth = detectMpsLayout(['majortext', 'minortext', 'boroughname', '2010-04'])
    assert.ok(!badMonth.ok && badMonth.reason.includes('not a month'))
    assert.ok(!detectMpsLayout([...STREET_HEADER]).ok)
  })

  it('parses MPS rows and rejects bad counts', () => {
    const row = parseMpsRow('lsoa', ['E01004198', 'Tower Hamlets 002B', 'E09000030', 'BURGLARY', 'X', '0', '2'], 2)
    assert.ok(row.ok)
    assert.deepEqual(row.row.counts, [0, 2])
    assert.equal(row.row.areaCode, 'E01004198')
    const bad = parseMpsRow('borough', ['A', 'B', 'Tower Hamlets', '-1'], 1)
    assert.ok(!bad.ok && bad.reason.includes('not a whole number'))
    const short = parseMpsRow('borough', ['A', 'B', 'Tower Hamlets'], 1)
    assert.ok(!short.ok && short.reason.includes('has 3 fields, expected 4'))
  })
})
