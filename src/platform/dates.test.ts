import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { formatDateAndTime, formatDateTime, formatLongDate, formatTime, LONG_MONTHS } from './dates.js'

describe('dates in words', () => {
  it('writes a calendar date as day, month name and year, without a leading zero', () => {
    assert.equal(formatLongDate('2026-11-30'), '30 November 2026')
    assert.equal(formatLongDate('2019-01-05'), '5 January 2019')
    assert.equal(formatLongDate('2024-12-31'), '31 December 2024')
    assert.equal(LONG_MONTHS.length, 12)
  })

  it('writes a moment in UK time with a 12-hour clock that never prints 0 for noon or midnight', () => {
    assert.equal(formatDateTime('2026-06-01T11:00:00Z'), '1 June 2026 at 12:00 pm')
    assert.equal(formatDateTime('2026-12-01T00:30:00Z'), '1 December 2026 at 12:30 am')
    assert.equal(formatDateTime('2026-12-01T17:05:00Z'), '1 December 2026 at 5:05 pm')
    // British Summer Time: 23:05 UTC on 1 June is five past midnight on 2 June in London.
    assert.equal(formatDateTime(new Date('2026-06-01T23:05:00Z')), '2 June 2026 at 12:05 am')
    assert.equal(formatDateTime('not a date'), '')
  })

  it('writes a time of day and a date with a time in the same 12-hour words', () => {
    assert.equal(formatTime('23:00'), '11:00 pm')
    assert.equal(formatTime('12:00'), '12:00 pm')
    assert.equal(formatTime('00:30'), '12:30 am')
    assert.equal(formatTime('9:05'), '9:05 am')
    assert.equal(formatTime('25:00'), '')
    assert.equal(formatTime(null), '')
    assert.equal(formatDateAndTime('2026-12-05', '23:00'), '5 December 2026 at 11:00 pm')
    assert.equal(formatDateAndTime('2026-12-05', '12:15'), '5 December 2026 at 12:15 pm')
    assert.equal(formatDateAndTime('2026-12-05', null), '5 December 2026')
    // The moment and the typed time read alike.
    assert.equal(formatDateTime('2026-12-05T23:00:00Z'), formatDateAndTime('2026-12-05', '23:00'))
  })
})
