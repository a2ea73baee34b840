import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { londonInstant } from '../../platform/working-days.js'
import {
  computeDeadlines,
  guardrails,
  hoursLater,
  ladder,
  reminders,
  type ActionFacts,
  type PriorAction,
  type Subject,
} from './powers-engine.js'
import { DEFAULT_POWERS_POLICY as policy } from './powers-policy.js'

const at = (date: string, time: string) => {
  const instant = londonInstant(date, time)
  assert.ok(instant, `${date} ${time} exists in London`)
  return instant
}
const person = (dateOfBirth: string | null): Subject => ({ id: 'p1', name: 'Sam Perp', dateOfBirth })
const facts = (power: ActionFacts['power'], actionDate: string, extra: Partial<ActionFacts> = {}): ActionFacts => ({
  power,
  actionDate,
  startsAt: null,
  ...extra,
})
function cpw(actionDate: string, complianceDays: number): PriorAction {
  const input = facts('cpw', actionDate, { complianceDays })
  return {
    id: `cpw-${actionDate}`,
    power: 'cpw',
    partyId: 'p1',
    actionDate,
    startsAt: null,
    deadlines: computeDeadlines(policy, input, 30),
  }
}

describe('powers-engine guardrails', () => {
  it('refuses an action dated before the case was opened, so a warning cannot be backdated ahead of its notice', () => {
    const subject = person('1990-01-01')
    assert.deepEqual(
      guardrails(policy, facts('cpw', '2026-09-20', { complianceDays: 14 }), subject, [], '2026-11-20').blocks,
      [{ code: 'before-case-opened', opened: '2026-11-20', field: 'actionDate' }],
    )
    assert.deepEqual(
      guardrails(policy, facts('cpw', '2026-11-20', { complianceDays: 14 }), subject, [], '2026-11-20').blocks,
      [],
    )
    // A warning given the day the case opened: its notice waits for the whole time to comply, never the same minute.
    assert.deepEqual(
      guardrails(
        policy,
        facts('cpn', '2026-11-20', { complianceDays: 7 }),
        subject,
        [cpw('2026-11-20', 14)],
        '2026-11-20',
      ).blocks,
      [{ code: 'compliance-not-ended', ends: '2026-12-04', from: '2026-12-05', field: 'actionDate' }],
    )
  })

  it("gives a notice its own time to comply, and no 'next step' date (nothing waits for it)", () => {
    const deadlines = computeDeadlines(policy, facts('cpn', '2026-11-20', { complianceDays: 7 }), 30)
    assert.equal(deadlines.complianceEnds, '2026-11-27')
    assert.equal(deadlines.nextStepFrom, undefined)
    assert.equal(deadlines.appealBy, '2026-12-11')
  })

  it('lets a person aged exactly 16 on the day receive a CPW, and not the day before', () => {
    const subject = person('2010-11-20')
    assert.deepEqual(guardrails(policy, facts('cpw', '2026-11-20', { complianceDays: 14 }), subject, []), {
      age: 16,
      blocks: [],
    })
    assert.deepEqual(guardrails(policy, facts('cpw', '2026-11-19', { complianceDays: 14 }), subject, []).blocks, [
      { code: 'too-young', age: 15, minimumAge: 16, field: 'party' },
    ])
  })

  it('blocks age-gated powers when the date of birth is unknown, and not the informal ones', () => {
    assert.deepEqual(guardrails(policy, facts('cpw', '2026-11-20'), person(null), []).blocks, [
      { code: 'dob-unknown', minimumAge: 16, field: 'party' },
    ])
    assert.deepEqual(guardrails(policy, facts('civil-injunction', '2026-11-20'), person(null), []).blocks, [
      { code: 'dob-unknown', minimumAge: 10, field: 'party' },
    ])
    assert.deepEqual(guardrails(policy, facts('warning-letter', '2026-11-20'), person(null), []).blocks, [])
  })

  it('refuses a CPN without a CPW, and before the CPW’s compliance period has ended', () => {
    const subject = person('1990-01-01')
    assert.deepEqual(guardrails(policy, facts('cpn', '2026-11-20'), subject, []).blocks, [
      { code: 'needs-prior', prior: 'cpw', field: 'party' },
    ])
    const warning = cpw('2026-11-02', 14)
    assert.equal(warning.deadlines.complianceEnds, '2026-11-16')
    assert.equal(warning.deadlines.nextStepFrom, '2026-11-17')
    assert.deepEqual(guardrails(policy, facts('cpn', '2026-11-16'), subject, [warning]).blocks, [
      { code: 'compliance-not-ended', ends: '2026-11-16', from: '2026-11-17', field: 'actionDate' },
    ])
    assert.deepEqual(guardrails(policy, facts('cpn', '2026-11-17'), subject, [warning]).blocks, [])
    // A CPW given to somebody else does not count.
    assert.deepEqual(guardrails(policy, facts('cpn', '2026-11-20'), { ...subject, id: 'p2' }, [warning]).blocks, [
      { code: 'needs-prior', prior: 'cpw', field: 'party' },
    ])
    // A CPN dated before the CPW does not count it.
    assert.deepEqual(guardrails(policy, facts('cpn', '2026-11-01'), subject, [warning]).blocks, [
      { code: 'needs-prior', prior: 'cpw', field: 'party' },
    ])
  })

  it('sets the CPN appeal window at 21 days and the PSPO fixed penalty at 14 days to pay', () => {
    assert.equal(computeDeadlines(policy, facts('cpn', '2026-12-10'), 30).appealBy, '2026-12-31')
    assert.equal(computeDeadlines(policy, facts('cpn', '2026-02-20'), 30).appealBy, '2026-03-13')
    assert.equal(computeDeadlines(policy, facts('pspo-fpn', '2026-11-20'), 30).payBy, '2026-12-04')
    assert.equal(
      computeDeadlines(policy, facts('closure-order', '2026-11-20', { months: 3 }), null).appealBy,
      '2026-12-11',
    )
  })

  it('requires a closure order hearing within 48 hours of the notice, Christmas Day disregarded', () => {
    const served = at('2026-11-20', '10:00')
    const notice: PriorAction = {
      id: 'n1',
      power: 'closure-notice',
      partyId: null,
      actionDate: '2026-11-20',
      startsAt: served,
      deadlines: computeDeadlines(policy, facts('closure-notice', '2026-11-20', { startsAt: served }), null),
    }
    assert.equal(notice.deadlines.hearingBy, at('2026-11-22', '10:00').toISOString())
    assert.equal(notice.deadlines.expiresAt, at('2026-11-21', '10:00').toISOString(), '24 hours by default')
    const order = (date: string, time: string) =>
      facts('closure-order', date, { startsAt: at(date, time), priorId: 'n1', months: 3 })
    assert.deepEqual(guardrails(policy, order('2026-11-22', '10:00'), null, [notice]).blocks, [])
    assert.deepEqual(guardrails(policy, order('2026-11-22', '10:01'), null, [notice]).blocks, [
      { code: 'notice-window-passed', deadline: notice.deadlines.hearingBy, field: 'actionDate' },
    ])
    assert.deepEqual(guardrails(policy, order('2026-11-20', '09:00'), null, [notice]).blocks, [
      { code: 'before-notice', field: 'actionDate' },
    ])
    assert.deepEqual(guardrails(policy, facts('closure-order', '2026-11-21', { months: 3 }), null, []).blocks, [
      { code: 'needs-prior', prior: 'closure-notice', field: 'prior' },
    ])
    // Served on Christmas Eve: Christmas Day does not count, so 72 hours on the clock.
    const eve = at('2026-12-24', '12:00')
    assert.equal(hoursLater(eve, 48, true).toISOString(), at('2026-12-27', '12:00').toISOString())
    assert.equal(hoursLater(eve, 48, false).toISOString(), at('2026-12-26', '12:00').toISOString())
    // A senior-authorised notice lasts 48 hours.
    const senior = computeDeadlines(
      policy,
      facts('closure-notice', '2026-11-20', { startsAt: served, authorisationLevel: 'senior' }),
      null,
    )
    assert.equal(senior.expiresAt, at('2026-11-22', '10:00').toISOString())
  })

  it('ends a 48-hour dispersal one wall-clock hour later across the spring clock change', () => {
    const start = at('2026-03-28', '20:00')
    const deadlines = computeDeadlines(policy, facts('dispersal', '2026-03-28', { startsAt: start, hours: 48 }), 20)
    assert.equal(deadlines.expiresAt, '2026-03-30T20:00:00.000Z')
    assert.equal(deadlines.expiresAt, at('2026-03-30', '21:00').toISOString())
  })

  it('holds under-18 civil injunctions to the youth rules', () => {
    const youth = person('2012-06-01')
    const base = { endDate: '2027-11-20', yotConsulted: true }
    assert.deepEqual(guardrails(policy, facts('civil-injunction', '2026-11-20', base), youth, []).blocks, [])
    assert.deepEqual(
      guardrails(policy, facts('civil-injunction', '2026-11-20', { ...base, endDate: '2027-11-21' }), youth, []).blocks,
      [{ code: 'under18-too-long', maxMonths: 12, field: 'endDate' }],
    )
    assert.deepEqual(
      guardrails(policy, facts('civil-injunction', '2026-11-20', { ...base, yotConsulted: false }), youth, []).blocks,
      [{ code: 'needs-yot', field: 'yotConsulted' }],
    )
    assert.deepEqual(
      guardrails(policy, facts('civil-injunction', '2026-11-20', { yotConsulted: false }), person('1990-01-01'), [])
        .blocks,
      [],
      'adults: until further order, no youth offending team',
    )
    assert.deepEqual(
      guardrails(policy, facts('civil-injunction', '2026-11-20', base), person('2016-11-21'), []).blocks,
      [{ code: 'too-young', age: 9, minimumAge: 10, field: 'party' }],
    )
  })

  it('holds criminal behaviour orders to their lengths and schedules the yearly youth reviews', () => {
    const youth = person('2011-01-01')
    const cbo = (extra: Partial<ActionFacts>) =>
      facts('cbo', '2026-11-20', { convictionDate: '2026-11-20', yotConsulted: true, ...extra })
    assert.deepEqual(guardrails(policy, cbo({ durationYears: 3 }), youth, []).blocks, [])
    assert.deepEqual(guardrails(policy, cbo({ durationYears: 'indefinite' }), youth, []).blocks, [
      { code: 'under18-years', minYears: 1, maxYears: 3, field: 'durationYears' },
    ])
    assert.deepEqual(guardrails(policy, cbo({ durationYears: 1 }), person('1990-01-01'), []).blocks, [
      { code: 'adult-years', minYears: 2, field: 'durationYears' },
    ])
    assert.deepEqual(
      guardrails(policy, cbo({ durationYears: 2, convictionDate: '2026-11-21' }), person('1990-01-01'), []).blocks,
      [{ code: 'conviction-after-order', field: 'convictionDate' }],
    )
    // 15 on the day, 3 years: reviews at 16 and 17, none at 18.
    const deadlines = computeDeadlines(policy, cbo({ durationYears: 3 }), 15)
    assert.deepEqual(deadlines.annualReviews, ['2027-11-20', '2028-11-20'])
    assert.equal(deadlines.expiresOn, '2029-11-20')
  })

  it('turns deadlines into reminder tasks, expiry reminders ahead of the date', () => {
    const warningLetter = computeDeadlines(policy, facts('warning-letter', '2026-12-18'), null)
    assert.deepEqual(reminders(policy, 'warning-letter', '2026-12-18', warningLetter), [
      { kind: 'review', on: '2027-01-06', due: '2027-01-06' },
    ])
    const abc = computeDeadlines(policy, facts('abc', '2026-11-20', { months: 6 }), 30)
    assert.deepEqual(reminders(policy, 'abc', '2026-11-20', abc), [
      { kind: 'expiry', on: '2027-05-20', due: '2027-05-06' },
    ])
    const cpn = computeDeadlines(policy, facts('cpn', '2026-11-20'), 30)
    assert.deepEqual(reminders(policy, 'cpn', '2026-11-20', cpn), [
      { kind: 'appeal', on: '2026-12-11', due: '2026-12-11' },
    ])
  })

  it('shows the ladder with what is available and what is blocked', () => {
    const subject = person('1990-01-01')
    const now = at('2026-11-20', '10:00')
    const steps = ladder(policy, '2026-11-20', now, subject, [cpw('2026-11-10', 14)])
    const byCode = Object.fromEntries(steps.map(step => [step.rule.code, step]))
    assert.equal(byCode.cpw?.available, true)
    assert.deepEqual(byCode.cpn?.blocks, [
      { code: 'compliance-not-ended', ends: '2026-11-24', from: '2026-11-25', field: 'actionDate' },
    ])
    assert.deepEqual(byCode['closure-order']?.blocks, [
      { code: 'needs-prior', prior: 'closure-notice', field: 'prior' },
    ])
    assert.equal(byCode['closure-notice']?.available, true)
    const none = ladder(policy, '2026-11-20', now, null, [])
    assert.deepEqual(none.find(step => step.rule.code === 'cpw')?.blocks, [{ code: 'no-subject' }])
  })
})
