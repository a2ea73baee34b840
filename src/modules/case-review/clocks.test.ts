import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { DEFAULT_CASE_REVIEW_POLICY, withLocalChanges } from './case-review-policy.js'
import { clocksFor, currentClock, lateDecisions, type ClockFacts } from './clocks.js'

const policy = DEFAULT_CASE_REVIEW_POLICY

function facts(overrides: Partial<ClockFacts>): ClockFacts {
  return {
    today: '2026-06-01',
    receivedOn: '2026-06-01',
    acknowledgedOn: null,
    thresholdDecision: null,
    thresholdDecidedOn: null,
    reviewStartedOn: null,
    outcomeOn: null,
    appealReceivedOn: null,
    appealDecidedOn: null,
    ...overrides,
  }
}

const byName = (list: ReturnType<typeof clocksFor>, name: string) => list.find(clock => clock.name === name)

describe('case review clocks in working days', () => {
  it('skips Good Friday and Easter Monday', () => {
    // Thursday 2 April 2026: Good Friday 3 April, Easter Monday 6 April.
    const clocks = clocksFor(policy, facts({ receivedOn: '2026-04-02', today: '2026-04-02' }))
    assert.equal(byName(clocks, 'acknowledge')?.dueOn, '2026-04-09')
    assert.equal(byName(clocks, 'thresholdDecision')?.dueOn, '2026-04-20')
  })

  it('skips Christmas, the Boxing Day substitute and New Year\u2019s Day', () => {
    // Friday 18 December 2026: 25 December is a Friday, Boxing Day a Saturday (substitute Monday 28), 1 January a Friday.
    const clocks = clocksFor(policy, facts({ receivedOn: '2026-12-18', today: '2026-12-18' }))
    assert.equal(byName(clocks, 'acknowledge')?.dueOn, '2026-12-23')
    assert.equal(byName(clocks, 'thresholdDecision')?.dueOn, '2027-01-06')
  })

  it('is on track, then due soon, then overdue, with warnings before the breach', () => {
    const received = '2026-06-01' // Monday; acknowledge due Thursday 4 June
    assert.equal(
      byName(clocksFor(policy, facts({ receivedOn: received, today: '2026-06-01' })), 'acknowledge')?.state,
      'on-track',
    )
    assert.equal(
      byName(clocksFor(policy, facts({ receivedOn: received, today: '2026-06-02' })), 'acknowledge')?.state,
      'due-soon',
    )
    const relaxed = withLocalChanges({ warnWorkingDays: 1 })
    assert.equal(
      byName(clocksFor(relaxed, facts({ receivedOn: received, today: '2026-06-02' })), 'acknowledge')?.state,
      'on-track',
    )
    const dueDay = byName(clocksFor(policy, facts({ receivedOn: received, today: '2026-06-04' })), 'acknowledge')
    assert.equal(dueDay?.state, 'due-soon')
    assert.equal(dueDay?.workingDaysLeft, 0)
    assert.equal(
      byName(clocksFor(policy, facts({ receivedOn: received, today: '2026-06-05' })), 'acknowledge')?.state,
      'overdue',
    )
  })

  it('marks a decision made on its due date as in time and one made the day after as late', () => {
    const onTime = clocksFor(policy, facts({ acknowledgedOn: '2026-06-04', today: '2026-06-20' }))
    assert.equal(byName(onTime, 'acknowledge')?.state, 'met')
    const late = clocksFor(policy, facts({ acknowledgedOn: '2026-06-05', today: '2026-06-20' }))
    assert.equal(byName(late, 'acknowledge')?.state, 'late')
    assert.deepEqual(
      lateDecisions(late).map(clock => clock.name),
      ['acknowledge'],
    )
  })

  it('runs the outcome clock from the threshold decision, then the appeal window and the appeal decision', () => {
    const clocks = clocksFor(
      policy,
      facts({
        today: '2026-08-03',
        acknowledgedOn: '2026-06-02',
        thresholdDecision: 'met',
        thresholdDecidedOn: '2026-06-10',
        reviewStartedOn: '2026-06-10',
        outcomeOn: '2026-07-10',
        appealReceivedOn: '2026-07-20',
      }),
    )
    const outcome = byName(clocks, 'outcome')
    assert.equal(outcome?.dueOn, '2026-07-15')
    assert.equal(outcome?.state, 'met')
    const window = byName(clocks, 'appealWindow')
    assert.equal(window?.dueOn, '2026-08-07')
    assert.equal(window?.state, 'used')
    const appeal = byName(clocks, 'appealDecision')
    assert.equal(appeal?.dueOn, '2026-08-03')
    assert.equal(appeal?.state, 'due-soon')
    assert.equal(currentClock(clocks)?.name, 'appealDecision')
  })

  it('opens the appeal window with a "threshold not met" letter and closes it after its last working day', () => {
    const base = {
      thresholdDecision: 'not-met' as const,
      thresholdDecidedOn: '2026-06-10',
      acknowledgedOn: '2026-06-02',
    }
    assert.equal(byName(clocksFor(policy, facts({ ...base, today: '2026-07-08' })), 'appealWindow')?.state, 'open')
    assert.equal(byName(clocksFor(policy, facts({ ...base, today: '2026-07-09' })), 'appealWindow')?.state, 'closed')
    assert.equal(byName(clocksFor(policy, facts({ ...base, today: '2026-07-09' })), 'outcome'), undefined)
  })

  it('uses the configured timescales', () => {
    const quick = withLocalChanges({ timescales: { ...policy.timescales, acknowledge: 2 } })
    assert.equal(byName(clocksFor(quick, facts({})), 'acknowledge')?.dueOn, '2026-06-03')
  })
})
