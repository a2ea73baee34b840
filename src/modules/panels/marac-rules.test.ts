import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { fixedClock } from '../../platform/clock.js'
import { londonDate } from '../../platform/working-days.js'
import { summariseWeek, tensionTier, weekStart } from './community-service.js'
import {
  calloutsInWindow,
  DASH_TOPICS,
  decideMaracReferral,
  DEFAULT_MARAC_POLICY,
  isRepeat,
  scoreDash,
  type MaracFacts,
} from './marac-rules.js'
import { parseDateLines } from './panels-forms.js'
import type { TensionRow } from './panels-repository.js'

const policy = DEFAULT_MARAC_POLICY

/** Answers with the first `yes` topics yes and the rest no. */
function answers(yes: number): Record<string, string> {
  return Object.fromEntries(DASH_TOPICS.map((topic, index) => [topic, index < yes ? 'yes' : 'no']))
}

function facts(overrides: Partial<MaracFacts> = {}): MaracFacts {
  return {
    answers: answers(0),
    assessedOn: '2026-11-20',
    incidentOn: '2026-11-18',
    calloutDates: [],
    lastMaracOn: null,
    refer: false,
    judgementReasons: '',
    ...overrides,
  }
}

describe('DA MARAC rules: the DASH threshold', () => {
  it('lists the 24 SafeLives topics by key', () => {
    assert.equal(DASH_TOPICS.length, 24)
    assert.equal(new Set(DASH_TOPICS).size, 24)
  })

  it('scores 13 yes as medium and 14 as visible high risk', () => {
    assert.deepEqual(scoreDash(policy, answers(13)), { score: 13, level: 'medium', missing: [] })
    assert.equal(scoreDash(policy, answers(14)).level, 'high')
    assert.equal(scoreDash(policy, answers(9)).level, 'standard')
    assert.equal(scoreDash(policy, answers(10)).level, 'medium')
  })

  it('counts not known as no, and reports unanswered topics', () => {
    const partial: Record<string, string> = { ...answers(14), injury: 'not-known' }
    delete partial.breaches
    const scored = scoreDash(policy, partial)
    assert.equal(scored.score, 13)
    assert.deepEqual(scored.missing, ['breaches'])
  })

  it('refers 14 as visible high risk, and does not at 13 without another criterion', () => {
    const high = decideMaracReferral(policy, facts({ answers: answers(14), refer: true }))
    assert.ok(high.ok)
    assert.deepEqual(high.criteria, ['visible-high-risk'])
    const medium = decideMaracReferral(policy, facts({ answers: answers(13), refer: false }))
    assert.ok(medium.ok)
    assert.equal(medium.refer, false)
    assert.deepEqual(medium.criteria, [])
  })

  it('never lets professional judgement downgrade 14 or more', () => {
    const decision = decideMaracReferral(policy, facts({ answers: answers(14), refer: false, judgementReasons: 'x' }))
    assert.deepEqual(decision, { ok: false, problem: 'cannot-downgrade', criteria: ['visible-high-risk'] })
    const all = decideMaracReferral(policy, facts({ answers: answers(24), refer: false }))
    assert.equal(all.ok, false)
  })

  it('lets professional judgement refer below 14, but only with reasons', () => {
    const without = decideMaracReferral(policy, facts({ answers: answers(13), refer: true }))
    assert.deepEqual(without, { ok: false, problem: 'reasons-required', criteria: [] })
    const blank = decideMaracReferral(policy, facts({ answers: answers(5), refer: true, judgementReasons: '   ' }))
    assert.equal(blank.ok, false)
    const withReasons = decideMaracReferral(
      policy,
      facts({ answers: answers(5), refer: true, judgementReasons: 'Threats to kill; victim very frightened' }),
    )
    assert.ok(withReasons.ok)
    assert.deepEqual(withReasons.criteria, ['professional-judgement'])
    assert.equal(withReasons.level, 'high')
  })

  it('follows a configured threshold', () => {
    const strict = { ...policy, version: 'test', highThreshold: 10 }
    assert.equal(scoreDash(strict, answers(10)).level, 'high')
    assert.equal(decideMaracReferral(strict, facts({ answers: answers(10), refer: false })).ok, false)
  })
})

describe('DA MARAC rules: potential escalation (3 call-outs in 12 months)', () => {
  it('counts a call-out exactly 12 months before the assessment, and not the day before that', () => {
    assert.equal(calloutsInWindow(policy, ['2025-11-20', '2026-03-01', '2026-11-20'], '2026-11-20'), 3)
    assert.equal(calloutsInWindow(policy, ['2025-11-19', '2026-03-01', '2026-11-20'], '2026-11-20'), 2)
  })

  it('makes 3 in the window an escalation that must be referred, and 2 not', () => {
    const three = decideMaracReferral(
      policy,
      facts({ calloutDates: ['2025-11-20', '2026-03-01', '2026-10-01'], refer: false }),
    )
    assert.deepEqual(three, { ok: false, problem: 'cannot-downgrade', criteria: ['potential-escalation'] })
    const two = decideMaracReferral(policy, facts({ calloutDates: ['2025-11-19', '2026-03-01', '2026-10-01'] }))
    assert.ok(two.ok)
    assert.equal(two.callouts, 2)
    const referred = decideMaracReferral(
      policy,
      facts({ calloutDates: ['2025-11-20', '2026-03-01', '2026-10-01'], refer: true }),
    )
    assert.ok(referred.ok)
    assert.deepEqual(referred.criteria, ['potential-escalation'])
  })

  it('uses a configured count (5 between the same parties)', () => {
    const five = { ...policy, escalationCallouts: 5 }
    const dates = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01']
    assert.ok(decideMaracReferral(five, facts({ calloutDates: dates })).ok)
    assert.equal(decideMaracReferral(five, facts({ calloutDates: [...dates, '2026-05-01'] })).ok, false)
  })

  it('takes 29 February back to 28 February a year earlier', () => {
    assert.equal(calloutsInWindow(policy, ['2027-02-28', '2027-02-27'], '2028-02-29'), 1)
  })

  it('uses the London date: 00:30 on the day the clocks go back is that day, not the UTC day before', () => {
    // 2026-10-24T23:30Z is 00:30 BST on Sunday 25 October 2026, the night the clocks go back.
    const clock = fixedClock('2026-10-24T23:30:00Z')
    const today = londonDate(clock.now())
    assert.equal(today, '2026-10-25')
    const utcDate = clock.now().toISOString().slice(0, 10)
    // A call-out earlier that night (London date 25 October) is today's, inside the window…
    const tonight = ['2026-10-25', '2026-02-01', '2026-09-30']
    assert.equal(calloutsInWindow(policy, tonight, today), 3)
    assert.equal(calloutsInWindow(policy, tonight, utcDate), 2)
    // …and the window starts on 25 October 2025, so a call-out on 24 October 2025 is outside it.
    const yearAgo = ['2025-10-24', '2026-02-01', '2026-09-30']
    assert.equal(calloutsInWindow(policy, yearAgo, today), 2)
    assert.equal(calloutsInWindow(policy, yearAgo, utcDate), 3)
    // And in spring: 00:30 on 29 March 2026 is still GMT, the same date as UTC.
    assert.equal(londonDate(fixedClock('2026-03-29T00:30:00Z').now()), '2026-03-29')
    assert.equal(londonDate(fixedClock('2026-03-29T23:30:00Z').now()), '2026-03-30')
  })
})

describe('DA MARAC rules: repeat within 12 months of the last MARAC', () => {
  it('is a repeat up to and including the same date 12 months on', () => {
    assert.equal(isRepeat(policy, '2026-11-20', '2025-11-20'), true)
    assert.equal(isRepeat(policy, '2026-11-21', '2025-11-20'), false)
    assert.equal(isRepeat(policy, '2025-11-21', '2025-11-20'), true)
  })

  it('is not a repeat on the day of the hearing, before it, or with no earlier MARAC', () => {
    assert.equal(isRepeat(policy, '2025-11-20', '2025-11-20'), false)
    assert.equal(isRepeat(policy, '2025-10-01', '2025-11-20'), false)
    assert.equal(isRepeat(policy, '2026-11-20', null), false)
  })

  it('must be referred again, whatever the score', () => {
    const decision = decideMaracReferral(
      policy,
      facts({ answers: answers(2), incidentOn: '2026-11-18', lastMaracOn: '2025-11-18' }),
    )
    assert.deepEqual(decision, { ok: false, problem: 'cannot-downgrade', criteria: ['repeat'] })
    const outside = decideMaracReferral(
      policy,
      facts({ answers: answers(2), incidentOn: '2026-11-18', lastMaracOn: '2025-11-17' }),
    )
    assert.ok(outside.ok)
    assert.equal(outside.repeat, false)
  })
})

describe('call-out dates typed one per line', () => {
  it('reads UK and ISO dates, drops blanks and duplicates, and returns what it cannot read', () => {
    assert.deepEqual(parseDateLines('14/3/2026\n\n2026-01-02\n 14/03/2026 \n31/2/2026\nyesterday'), {
      dates: ['2026-01-02', '2026-03-14'],
      invalid: ['31/2/2026', 'yesterday'],
    })
  })
})

describe('tension log', () => {
  const row = (ward: string, reportedOn: string, level: number, category: TensionRow['category']) =>
    ({ ward_code: ward, reported_on: reportedOn, level, category }) as TensionRow

  it('starts weeks on Monday', () => {
    assert.equal(weekStart('2026-11-20'), '2026-11-16')
    assert.equal(weekStart('2026-11-16'), '2026-11-16')
    assert.equal(weekStart('2026-11-22'), '2026-11-16')
  })

  it('puts levels in three tiers', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(tensionTier), ['low', 'low', 'medium', 'medium', 'high', 'high'])
  })

  it('summarises a week by ward, highest level first, against the previous week', () => {
    const summary = summariseWeek(
      [
        row('E1', '2026-11-16', 2, 'potential'),
        row('E2', '2026-11-17', 5, 'evidenced'),
        row('E1', '2026-11-18', 4, 'experienced'),
      ],
      [row('E1', '2026-11-10', 4, 'evidenced'), row('E3', '2026-11-11', 6, 'evidenced')],
    )
    assert.deepEqual(
      summary.map(ward => [ward.wardCode, ward.entries, ward.highest, ward.previousHighest]),
      [
        ['E2', 1, 5, null],
        ['E1', 2, 4, 4],
      ],
    )
    assert.deepEqual(summary[1]?.categories, { evidenced: 0, experienced: 1, potential: 1 })
  })
})
