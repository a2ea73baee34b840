import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { meetsOn, nextMeetingOn, parseCadence, previousMeetingOn } from './cadence.js'

const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay()

describe('panel meeting cadence', () => {
  it('reads the packs’ wording', () => {
    assert.deepEqual(parseCadence('Monthly, second Thursday'), { every: 'month', weekday: 4, nth: 2 })
    assert.deepEqual(parseCadence('Monthly, first Tuesday'), { every: 'month', weekday: 2, nth: 1 })
    assert.deepEqual(parseCadence('Fortnightly, Tuesday'), { every: 'fortnight', weekday: 2, nth: null })
    assert.deepEqual(parseCadence('Weekly, Monday'), { every: 'week', weekday: 1, nth: null })
    assert.deepEqual(parseCadence('Every two months, last Friday'), { every: 'two-months', weekday: 5, nth: -1 })
    assert.equal(parseCadence('As needed, within the outcome time limit'), null)
    assert.equal(parseCadence('Every two months'), null)
  })

  it('dates the Community MARAC on the second Thursday of each month, never on a Monday', () => {
    assert.equal(nextMeetingOn('Monthly, second Thursday', '2026-11-20'), '2026-12-10')
    assert.equal(nextMeetingOn('Monthly, second Thursday', '2026-12-10'), '2026-12-10')
    assert.equal(previousMeetingOn('Monthly, second Thursday', '2026-11-23'), '2026-11-12')
    for (let month = 1; month <= 12; month += 1) {
      const date = nextMeetingOn('Monthly, second Thursday', `2027-${String(month).padStart(2, '0')}-01`)!
      assert.equal(weekday(date), 4)
      const day = Number(date.slice(8))
      assert.ok(day >= 8 && day <= 14, date)
    }
  })

  it('keeps a fortnightly panel to every other week and a last-weekday panel to the month’s end', () => {
    const first = nextMeetingOn('Fortnightly, Tuesday', '2026-11-20')!
    const second = nextMeetingOn(
      'Fortnightly, Tuesday',
      `${first.slice(0, 8)}${String(Number(first.slice(8)) + 1).padStart(2, '0')}`,
    )!
    assert.equal(weekday(first), 2)
    assert.equal((Date.parse(second) - Date.parse(first)) / 86_400_000, 14)
    assert.equal(nextMeetingOn('Monthly, last Wednesday', '2026-12-01'), '2026-12-30')
    assert.equal(meetsOn(parseCadence('Weekly, Monday')!, '2026-12-07'), true)
    assert.equal(nextMeetingOn('As needed', '2026-12-01'), null)
  })
})
