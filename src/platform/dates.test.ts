import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { formatLongDate, LONG_MONTHS } from './dates.js'

describe('dates in words', () => {
  it('writes a calendar date as day, month name and year, without a leading zero', () => {
    assert.equal(formatLongDate('2026-11-30'), '30 November 2026')
    assert.equal(formatLongDate('2019-01-05'), '5 January 2019')
    assert.equal(formatLongDate('2024-12-31'), '31 December 2024')
    assert.equal(LONG_MONTHS.length, 12)
  })
})
