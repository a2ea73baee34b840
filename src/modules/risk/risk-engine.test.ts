import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import {
  assessmentTriggers,
  checkAnswers,
  decideLevel,
  levelForScore,
  reviewDue,
  scoreAnswers,
  type Answers,
} from './risk-engine.js'
import { DEFAULT_RISK_POLICY as policy, maximumScore } from './risk-policy.js'

/** Every question answered with its lowest-scoring answer. */
function baseline(): Answers {
  return Object.fromEntries(
    policy.questions.map(q => [q.id, q.kind === 'scale' ? (q.options?.[0]?.value ?? '') : 'no']),
  )
}

/** Yes to yes-no questions (never red flags) in order until the score reaches `target` exactly. */
function answersScoring(target: number): Answers {
  const answers = baseline()
  let score = 0
  for (const q of policy.questions) {
    if (q.kind !== 'yes-no' || q.redFlag) continue
    const weight = q.weight ?? 0
    if (score + weight <= target) {
      answers[q.id] = 'yes'
      score += weight
    }
  }
  assert.equal(scoreAnswers(policy, answers).score, target, `could build answers scoring ${String(target)}`)
  return answers
}

describe('risk-engine', () => {
  it('puts the level boundaries exactly at the thresholds', () => {
    const { medium, high } = policy.thresholds
    assert.equal(levelForScore(policy, 0), 'standard')
    assert.equal(scoreAnswers(policy, answersScoring(medium - 1)).computedLevel, 'standard')
    assert.equal(scoreAnswers(policy, answersScoring(medium)).computedLevel, 'medium')
    assert.equal(scoreAnswers(policy, answersScoring(high - 1)).computedLevel, 'medium')
    assert.equal(scoreAnswers(policy, answersScoring(high)).computedLevel, 'high')
    assert.ok(maximumScore(policy) > high)
  })

  it('scores scales, keeps domains apart and lists what is not known', () => {
    const answers = { ...baseline(), frequency: 'daily', worry: 'extremely', disability: 'yes', isolated: 'not-known' }
    const result = scoreAnswers(policy, answers)
    assert.equal(result.score, 3 + 3 + 3)
    assert.deepEqual(result.byDomain, { incidental: 3, situational: 3, personal: 3 })
    assert.deepEqual(result.notKnown, ['isolated'])
    assert.equal(result.computedLevel, 'standard')
  })

  it('makes a red flag high whatever the score', () => {
    const result = scoreAnswers(policy, { ...baseline(), threatToLife: 'yes' })
    assert.equal(result.score, 3)
    assert.equal(result.computedLevel, 'high')
    assert.deepEqual(result.redFlags, ['threatToLife'])
  })

  it('refuses missing and invented answers', () => {
    const answers: Answers = { ...baseline(), frequency: 'hourly' }
    delete answers.selfHarm
    assert.deepEqual(checkAnswers(policy, answers), [
      { question: 'frequency', problem: 'invalid' },
      { question: 'selfHarm', problem: 'missing' },
    ])
    assert.deepEqual(checkAnswers(policy, baseline()), [])
  })

  it('lets judgement raise with a reason, and only a supervisor lower, never below a red flag', () => {
    const medium = scoreAnswers(policy, answersScoring(policy.thresholds.medium))
    const officer = { isSupervisor: false }
    const supervisor = { isSupervisor: true }
    assert.deepEqual(decideLevel(medium, { level: null, reason: '' }, officer), {
      ok: true,
      level: 'medium',
      overridden: false,
    })
    assert.deepEqual(decideLevel(medium, { level: 'high', reason: '' }, officer), {
      ok: false,
      problem: 'reason-required',
    })
    assert.deepEqual(decideLevel(medium, { level: 'high', reason: 'Neighbour feud escalating' }, officer), {
      ok: true,
      level: 'high',
      overridden: true,
    })
    assert.deepEqual(decideLevel(medium, { level: 'standard', reason: 'Moved away' }, officer), {
      ok: false,
      problem: 'supervisor-required',
    })
    assert.deepEqual(decideLevel(medium, { level: 'standard', reason: '' }, supervisor), {
      ok: false,
      problem: 'reason-required',
    })
    assert.deepEqual(decideLevel(medium, { level: 'standard', reason: 'Moved away' }, supervisor), {
      ok: true,
      level: 'standard',
      overridden: true,
    })
    const flagged = scoreAnswers(policy, { ...baseline(), selfHarm: 'yes' })
    assert.deepEqual(decideLevel(flagged, { level: 'medium', reason: 'Has support' }, supervisor), {
      ok: false,
      problem: 'red-flag-cannot-lower',
    })
  })

  it('sets review dates by level, in working days where the policy says so', () => {
    // Friday 18 December 2026: ten working days skip Christmas, Boxing Day's substitute and New Year's Day.
    assert.equal(reviewDue(policy, 'high', '2026-12-18'), '2027-01-06')
    assert.equal(reviewDue(policy, 'medium', '2026-11-20'), '2026-12-18')
    assert.equal(reviewDue(policy, 'standard', '2026-11-30'), '2027-02-28')
  })

  describe('repeat triggers', () => {
    const none = { repeatVictimFlag: false, latest: null }
    it('forces an assessment at 2 reports within 14 days, not 15', () => {
      assert.deepEqual(assessmentTriggers(policy, { ...none, today: '2026-11-20', reportDates: ['2026-11-01'] }), [])
      assert.deepEqual(
        assessmentTriggers(policy, { ...none, today: '2026-11-20', reportDates: ['2026-11-01', '2026-11-14'] }),
        [{ kind: 'reports', count: 2, withinDays: 14 }],
      )
      assert.deepEqual(
        assessmentTriggers(policy, { ...none, today: '2026-11-20', reportDates: ['2026-11-01', '2026-11-15'] }),
        [],
      )
    })

    it('forces one at 3 reports in 90 days', () => {
      const reportDates = ['2026-08-25', '2026-10-01', '2026-11-20']
      assert.deepEqual(assessmentTriggers(policy, { ...none, today: '2026-11-20', reportDates }), [
        { kind: 'reports', count: 3, withinDays: 90 },
      ])
      assert.deepEqual(
        assessmentTriggers(policy, {
          ...none,
          today: '2026-11-20',
          reportDates: ['2026-08-22', ...reportDates.slice(1)],
        }),
        [],
        '91 days apart',
      )
    })

    it('forces one for a flagged repeat victim, and again only after a new report', () => {
      const latest = { assessedOn: '2026-11-10', reviewDue: '2026-12-08' }
      assert.deepEqual(
        assessmentTriggers(policy, {
          today: '2026-11-20',
          reportDates: ['2026-11-01'],
          repeatVictimFlag: true,
          latest: null,
        }),
        [{ kind: 'repeat-victim' }],
      )
      assert.deepEqual(
        assessmentTriggers(policy, {
          today: '2026-11-20',
          reportDates: ['2026-11-01', '2026-11-05'],
          repeatVictimFlag: true,
          latest,
        }),
        [],
        'everything was reported before the assessment',
      )
      assert.deepEqual(
        assessmentTriggers(policy, {
          today: '2026-11-20',
          reportDates: ['2026-11-05', '2026-11-12'],
          repeatVictimFlag: true,
          latest,
        }),
        [{ kind: 'repeat-victim' }, { kind: 'reports', count: 2, withinDays: 14 }],
      )
    })

    it('forces a review once the review date has passed', () => {
      const latest = { assessedOn: '2026-10-01', reviewDue: '2026-11-19' }
      assert.deepEqual(assessmentTriggers(policy, { ...none, latest, today: '2026-11-19', reportDates: [] }), [])
      assert.deepEqual(assessmentTriggers(policy, { ...none, latest, today: '2026-11-20', reportDates: [] }), [
        { kind: 'review-due', due: '2026-11-19' },
      ])
    })
  })
})
