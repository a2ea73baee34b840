/**
 * DA MARAC referral rules (docs/domain-rules.md §4; SafeLives' Dash risk checklist and MARAC referral criteria):
 * pure functions over a versioned, configurable policy.
 *
 * - The risk indicator form lists the 24 SafeLives DASH topics by key only, never the copyrighted question wording
 *   (the form carries `formVersion`); each is answered yes, no or not known. The score is the number of yes answers.
 * - Visible high risk: a score at or above `highThreshold` (14). 10 to 13 is medium, below is standard.
 * - Professional judgement may refer below the threshold, with reasons; it can never lower a decision the actuarial
 *   criteria (visible high risk, potential escalation, repeat) have already made: "do not refer" is then refused.
 * - Potential escalation: `escalationCallouts` (3) or more police call-outs in the `escalationWindowMonths` (12)
 *   before the assessment date. A call-out on the same calendar date 12 months earlier is inside the window.
 * - Repeat: a new incident on a date after the victim was last heard at a MARAC and no later than the same calendar
 *   date 12 months on (inclusive).
 *
 * Dates are London calendar dates (`YYYY-MM-DD`), so a window never moves when the clocks change.
 */
import { addMonths, isIsoDate } from '../../platform/working-days.js'

export const DASH_TOPICS = [
  'injury',
  'frightened',
  'fears',
  'isolated',
  'depressed',
  'separation',
  'child-contact',
  'stalking',
  'pregnancy',
  'more-often',
  'getting-worse',
  'controlling',
  'weapons',
  'threats-to-kill',
  'strangulation',
  'sexual-abuse',
  'other-threat',
  'hurt-others',
  'animals',
  'financial',
  'substance-mental-health',
  'suicide-threats',
  'breaches',
  'criminal-history',
] as const
export type DashTopic = (typeof DASH_TOPICS)[number]

export const DASH_ANSWERS = ['yes', 'no', 'not-known'] as const
export type DashAnswer = (typeof DASH_ANSWERS)[number]

export const MARAC_CRITERIA = ['visible-high-risk', 'professional-judgement', 'potential-escalation', 'repeat'] as const
export type MaracCriterion = (typeof MARAC_CRITERIA)[number]

export interface MaracPolicy {
  version: string
  formVersion: string
  highThreshold: number
  mediumThreshold: number
  escalationCallouts: number
  escalationWindowMonths: number
  repeatWindowMonths: number
}

export const DEFAULT_MARAC_POLICY: MaracPolicy = {
  version: 'marac-2026.1',
  formVersion: 'safelives-dash-ric-24-topics',
  highThreshold: 14,
  mediumThreshold: 10,
  escalationCallouts: 3,
  escalationWindowMonths: 12,
  repeatWindowMonths: 12,
}

export type DashLevel = 'standard' | 'medium' | 'high'

export function scoreDash(policy: MaracPolicy, answers: Partial<Record<string, string>>) {
  const missing = DASH_TOPICS.filter(topic => !(DASH_ANSWERS as readonly string[]).includes(answers[topic] ?? ''))
  const score = DASH_TOPICS.filter(topic => answers[topic] === 'yes').length
  const level: DashLevel =
    score >= policy.highThreshold ? 'high' : score >= policy.mediumThreshold ? 'medium' : 'standard'
  return { score, level, missing }
}

/** Call-outs on dates inside the window that ends on `on` (both ends inclusive). */
export function calloutsInWindow(policy: MaracPolicy, callouts: readonly string[], on: string): number {
  const from = addMonths(on, -policy.escalationWindowMonths)
  return callouts.filter(date => isIsoDate(date) && date >= from && date <= on).length
}

/** True when the incident falls after the last MARAC hearing and within the repeat window of it. */
export function isRepeat(policy: MaracPolicy, incidentOn: string, lastMaracOn: string | null): boolean {
  if (!lastMaracOn) return false
  return incidentOn > lastMaracOn && incidentOn <= addMonths(lastMaracOn, policy.repeatWindowMonths)
}

export interface MaracFacts {
  answers: Partial<Record<string, string>>
  /** Assessment date (London). */
  assessedOn: string
  incidentOn: string
  calloutDates: readonly string[]
  /** The last date the victim was heard at a DA MARAC, if ever. */
  lastMaracOn: string | null
  /** The practitioner's decision. */
  refer: boolean
  /** Professional judgement reasons (required to refer when no other criterion is met). */
  judgementReasons: string
}

export type MaracDecision =
  | {
      ok: true
      score: number
      level: DashLevel
      callouts: number
      repeat: boolean
      criteria: MaracCriterion[]
      refer: boolean
    }
  | { ok: false; problem: 'cannot-downgrade' | 'reasons-required'; criteria: MaracCriterion[] }

export function decideMaracReferral(policy: MaracPolicy, facts: MaracFacts): MaracDecision {
  const { score, level } = scoreDash(policy, facts.answers)
  const callouts = calloutsInWindow(policy, facts.calloutDates, facts.assessedOn)
  const repeat = isRepeat(policy, facts.incidentOn, facts.lastMaracOn)
  const actuarial: MaracCriterion[] = []
  if (score >= policy.highThreshold) actuarial.push('visible-high-risk')
  if (callouts >= policy.escalationCallouts) actuarial.push('potential-escalation')
  if (repeat) actuarial.push('repeat')
  if (!facts.refer) {
    if (actuarial.length > 0) return { ok: false, problem: 'cannot-downgrade', criteria: actuarial }
    return { ok: true, score, level, callouts, repeat, criteria: [], refer: false }
  }
  const criteria = [...actuarial]
  if (facts.judgementReasons.trim() !== '') criteria.push('professional-judgement')
  if (criteria.length === 0) return { ok: false, problem: 'reasons-required', criteria }
  return { ok: true, score, level: 'high', callouts, repeat, criteria, refer: true }
}
