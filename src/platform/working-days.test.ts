import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import {
  addDays,
  addHours,
  addMonths,
  addWorkingDays,
  ageOn,
  isBankHoliday,
  isIsoDate,
  isWorkingDay,
  londonDate,
  londonInstant,
  londonTime,
  workingDaysBetween,
} from './working-days.js'

describe('working-days', () => {
  it('knows the England and Wales bank holidays, substitute and one-off days included', () => {
    assert.equal(isBankHoliday('2026-12-25'), true)
    assert.equal(isBankHoliday('2026-12-28'), true, 'Boxing Day substitute (26th is a Saturday)')
    assert.equal(isBankHoliday('2026-04-03'), true, 'Good Friday')
    assert.equal(isBankHoliday('2026-04-06'), true, 'Easter Monday')
    assert.equal(isBankHoliday('2023-05-08'), true, 'the Coronation')
    assert.equal(isBankHoliday('2022-09-19'), true, 'the State Funeral')
    assert.equal(isBankHoliday('2026-03-17'), false, 'St Patrick’s Day is Northern Ireland only')
    assert.equal(isBankHoliday('2026-11-30'), false, 'St Andrew’s Day is Scotland only')
    assert.equal(isWorkingDay('2026-12-24'), true)
    assert.equal(isWorkingDay('2026-12-26'), false)
  })

  it('counts working days over weekends and bank holidays', () => {
    // Thursday 24 December 2026: 25 (Fri, holiday), 26-27 weekend, 28 (Mon, substitute) are skipped.
    assert.equal(addWorkingDays('2026-12-24', 1), '2026-12-29')
    assert.equal(addWorkingDays('2026-12-24', 3), '2026-12-31')
    assert.equal(addWorkingDays('2026-12-24', 4), '2027-01-04', 'New Year’s Day skipped')
    // Easter 2026: Thursday 2 April + 1 working day is Tuesday 7 April.
    assert.equal(addWorkingDays('2026-04-02', 1), '2026-04-07')
    assert.equal(addWorkingDays('2026-11-20', 10), '2026-12-04')
    assert.equal(addWorkingDays('2026-11-21', 0), '2026-11-23', 'a Saturday moves to Monday')
    assert.equal(workingDaysBetween('2026-12-24', '2027-01-04'), 4)
    assert.equal(workingDaysBetween('2026-12-24', '2026-12-24'), 0)
    assert.throws(() => addWorkingDays('2026-12-24', -1), RangeError)
  })

  it('adds calendar days and months the way the courts count them', () => {
    assert.equal(addDays('2026-02-20', 21), '2026-03-13')
    assert.equal(addDays('2028-02-28', 1), '2028-02-29')
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28')
    assert.equal(addMonths('2027-11-30', 3), '2028-02-29')
    assert.equal(addMonths('2026-11-20', 12), '2027-11-20')
    assert.equal(isIsoDate('2026-02-30'), false)
    assert.equal(isIsoDate('2026-2-3'), false)
  })

  it('computes age on the day, a birthday counting from its first moment', () => {
    assert.equal(ageOn('2010-11-20', '2026-11-19'), 15)
    assert.equal(ageOn('2010-11-20', '2026-11-20'), 16)
    assert.equal(ageOn('2008-02-29', '2026-02-28'), 17, 'a leap-day birthday falls on 1 March in other years')
    assert.equal(ageOn('2008-02-29', '2026-03-01'), 18)
  })

  it('turns London wall-clock times into instants across the clock changes', () => {
    // Winter: London is UTC.
    assert.equal(londonInstant('2026-01-10', '09:30')?.toISOString(), '2026-01-10T09:30:00.000Z')
    // Summer: London is UTC+1.
    assert.equal(londonInstant('2026-07-10', '09:30')?.toISOString(), '2026-07-10T08:30:00.000Z')
    // 29 March 2026, 01:30 does not exist (clocks go from 01:00 to 02:00).
    assert.equal(londonInstant('2026-03-29', '01:30'), null)
    // 25 October 2026, 01:30 happens twice: the first (summer time) is meant.
    assert.equal(londonInstant('2026-10-25', '01:30')?.toISOString(), '2026-10-25T00:30:00.000Z')
    assert.equal(londonInstant('2026-01-10', '24:00'), null)
  })

  it('keeps 48 hours as 48 elapsed hours when the clocks change', () => {
    const start = londonInstant('2026-03-28', '20:00')
    assert.ok(start)
    const end = addHours(start, 48)
    assert.equal(londonDate(end), '2026-03-30')
    assert.equal(londonTime(end), '21:00', 'one hour later on the wall clock after the clocks go forward')
    const autumn = londonInstant('2026-10-24', '20:00')
    assert.ok(autumn)
    assert.equal(londonTime(addHours(autumn, 48)), '19:00', 'one hour earlier after the clocks go back')
    assert.equal(londonDate(new Date('2026-06-30T23:30:00Z')), '2026-07-01', 'late evening UTC is tomorrow in BST')
  })
})
