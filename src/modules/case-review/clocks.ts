/**
 * Service-standard clocks for a Case Review, in working days (England and Wales bank holidays excluded), from London
 * calendar dates. Pure: the dashboard, the application page and the tests all ask `clocksFor`.
 *
 * - acknowledge: from receipt; threshold decision: from receipt; outcome: from the threshold decision (met);
 *   appeal decision: from the appeal's receipt. Each is met, late (done after its due date), on track, due soon
 *   (within `warnWorkingDays` working days) or overdue.
 * - The appeal window is the applicant's, not a staff deadline: it is open until its last day, then closed (or used).
 */
import { addWorkingDays, daysBetween, workingDaysBetween } from '../../platform/working-days.js'
import type { CaseReviewPolicy } from './case-review-policy.js'

export const CLOCKS = ['acknowledge', 'thresholdDecision', 'outcome', 'appealWindow', 'appealDecision'] as const
export type ClockName = (typeof CLOCKS)[number]

export type ClockState = 'on-track' | 'due-soon' | 'overdue' | 'met' | 'late' | 'open' | 'closed' | 'used'

export interface Clock {
  name: ClockName
  startedOn: string
  dueOn: string
  doneOn: string | null
  state: ClockState
  /** Working days from today to the due date (negative when overdue), while running. */
  workingDaysLeft: number | null
}

export interface ClockFacts {
  today: string
  receivedOn: string
  acknowledgedOn: string | null
  thresholdDecision: 'met' | 'not-met' | null
  thresholdDecidedOn: string | null
  /** When the review began: the threshold met, or an appeal against "not met" upheld. */
  reviewStartedOn: string | null
  outcomeOn: string | null
  appealReceivedOn: string | null
  appealDecidedOn: string | null
}

function signedWorkingDays(from: string, to: string): number {
  return daysBetween(from, to) >= 0 ? workingDaysBetween(from, to) : -workingDaysBetween(to, from)
}

function staffClock(
  policy: CaseReviewPolicy,
  name: ClockName,
  startedOn: string,
  days: number,
  doneOn: string | null,
  today: string,
): Clock {
  const dueOn = addWorkingDays(startedOn, days)
  if (doneOn !== null) {
    return {
      name,
      startedOn,
      dueOn,
      doneOn,
      state: daysBetween(doneOn, dueOn) >= 0 ? 'met' : 'late',
      workingDaysLeft: null,
    }
  }
  const left = signedWorkingDays(today, dueOn)
  const state = daysBetween(today, dueOn) < 0 ? 'overdue' : left <= policy.warnWorkingDays ? 'due-soon' : 'on-track'
  return { name, startedOn, dueOn, doneOn, state, workingDaysLeft: left }
}

export function clocksFor(policy: CaseReviewPolicy, facts: ClockFacts): Clock[] {
  const { timescales } = policy
  const clocks: Clock[] = [
    staffClock(policy, 'acknowledge', facts.receivedOn, timescales.acknowledge, facts.acknowledgedOn, facts.today),
    staffClock(
      policy,
      'thresholdDecision',
      facts.receivedOn,
      timescales.thresholdDecision,
      facts.thresholdDecidedOn,
      facts.today,
    ),
  ]
  if (facts.reviewStartedOn) {
    clocks.push(staffClock(policy, 'outcome', facts.reviewStartedOn, timescales.outcome, facts.outcomeOn, facts.today))
  }
  // The window opens with the letter the applicant may appeal against: the outcome, or "threshold not met".
  const appealableOn = facts.outcomeOn ?? (facts.thresholdDecision === 'not-met' ? facts.thresholdDecidedOn : null)
  if (appealableOn) {
    const dueOn = addWorkingDays(appealableOn, timescales.appealWindow)
    const used = facts.appealReceivedOn
    clocks.push({
      name: 'appealWindow',
      startedOn: appealableOn,
      dueOn,
      doneOn: used,
      state: used ? 'used' : daysBetween(facts.today, dueOn) >= 0 ? 'open' : 'closed',
      workingDaysLeft: used ? null : signedWorkingDays(facts.today, dueOn),
    })
  }
  if (facts.appealReceivedOn) {
    clocks.push(
      staffClock(
        policy,
        'appealDecision',
        facts.appealReceivedOn,
        timescales.appealDecision,
        facts.appealDecidedOn,
        facts.today,
      ),
    )
  }
  return clocks
}

/** The clock that needs attention now: the running staff clock due first, if any. */
export function currentClock(clocks: readonly Clock[]): Clock | undefined {
  return clocks
    .filter(clock => clock.doneOn === null && clock.name !== 'appealWindow')
    .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0))[0]
}

/** Decisions made after their due date. */
export function lateDecisions(clocks: readonly Clock[]): Clock[] {
  return clocks.filter(clock => clock.state === 'late')
}
