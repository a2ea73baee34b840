import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { ReportRow } from './reporting-repository.js'
import {
  flagsText,
  presentStaffReportDetails,
  priorityReasonText,
  priorityText,
  qualifierText,
  whenText,
} from './reporting-presenters.js'

const report: ReportRow = {
  id: 1,
  reference: 'ASB-2612-ABCD',
  tracking_hash: 'x',
  idempotency_key: null,
  channel: 'web',
  received_at: new Date('2026-12-06T09:15:00Z'),
  category: 'noise_music',
  nsir_qualifier: 'personal',
  hate: false,
  occurred_on: '2026-12-05',
  occurred_time: '23:00',
  pattern: 'ongoing',
  frequency: 'several_times_a_week',
  description: 'Loud music every night.',
  latitude: null,
  longitude: null,
  postcode: 'E1 6AN',
  location_description: 'Flat 3',
  ward_code: 'E05000001',
  lsoa_code: null,
  impact: {},
  reporter_mode: 'confidential',
  reporter_name: 'Pat Example',
  reporter_email: null,
  reporter_phone: null,
  reporter_key: null,
  contact_preference: 'none',
  consent_to_share: false,
  priority: 'high',
  flags: {
    repeatCaller: [],
    repeatLocation: [
      { count: 2, days: 14 },
      { count: 3, days: 91 },
    ],
    duplicateCandidates: [],
    priorityReasons: ['unsafe_at_home', 'health_affected_repeatedly'],
  },
  linked_report_id: null,
  status: 'received',
  closure_reason: null,
  closure_note: null,
  referred_agency: null,
  updated_at: new Date('2026-12-06T09:15:00Z'),
  anonymised_at: null,
}

const codes = /\b[a-z]+(?:_[a-z]+)+\b|window\(s\)|\b0:\d\d [ap]m/

describe('staff report presenters: words, not codes', () => {
  it('says why intake set the priority in the words of the questions', () => {
    assert.equal(priorityReasonText('unsafe_at_home'), 'they feel unsafe at home')
    assert.equal(
      priorityText('high', ['unsafe_at_home', 'health_affected_repeatedly']),
      'High: they feel unsafe at home; it is affecting their health, and has happened regularly',
    )
    assert.equal(priorityText('standard'), 'Standard')
    // A reason with no wording yet still reads as words, never as a code.
    assert.equal(priorityReasonText('late_at_night'), 'late at night')
  })

  it('says when it happened as one sentence with the one date-and-time format', () => {
    assert.equal(whenText(report), 'Last happened on 5 December 2026 at 11:00 pm. Ongoing, several times a week.')
    assert.equal(
      whenText({ ...report, occurred_time: '12:05', pattern: 'one_off', frequency: null }),
      'Happened on 5 December 2026 at 12:05 pm. A one-off.',
    )
    assert.equal(
      whenText({ ...report, occurred_time: null, frequency: null }),
      'Last happened on 5 December 2026. Ongoing.',
    )
  })

  it('puts the repeat and duplicate flags in words, never "0 window(s)"', () => {
    assert.equal(
      flagsText(report.flags),
      'Not a repeat caller. Repeat location: at least 3 reports from this place in 91 days. No possible duplicates',
    )
    assert.equal(
      flagsText({ repeatCaller: [{ count: 2, days: 14 }], duplicateCandidates: ['ASB-2612-WXYZ'] }),
      'Repeat caller: at least 2 reports from this reporter in 14 days. Not a repeat location. Possible duplicates: ASB-2612-WXYZ',
    )
    assert.equal(qualifierText('environmental'), 'Environmental')
  })

  it('gives every row of the staff page in words', () => {
    const rows = presentStaffReportDetails(report, {
      ward: 'Spitalfields',
      statusText: 'Received',
      reporterWithheld: false,
    })
    const text = rows.map(row => `${row.key.text}: ${row.value.text}`).join('\n')
    assert.doesNotMatch(text, codes)
    assert.match(text, /Received: 6 December 2026 at 9:15 am/)
    assert.match(text, /Reporter: Confidential: Pat Example/)
    assert.match(text, /Share with partners: No, not shared unless the law requires/)
    const withheld = presentStaffReportDetails(report, {
      ward: 'Spitalfields',
      statusText: 'Received',
      reporterWithheld: true,
    })
    assert.doesNotMatch(withheld.map(row => row.value.text).join(' '), /Pat Example/)
  })
})
