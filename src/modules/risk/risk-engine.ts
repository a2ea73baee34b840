/**
 * The pure rules of the victim risk assessment: scoring, the professional-judgement override, the repeat triggers
 * that force an assessment, and the review date. No I/O: the service feeds it facts and stores what it decides.
 */
import { addPeriod, daysBetween } from '../../platform/working-days.js'
import { RISK_LEVELS, type RiskLevel, type RiskPolicy } from './risk-policy.js'

export type Answers = Record<string, string>

export interface RiskScore {
  score: number
  computedLevel: RiskLevel
  /** Red-flag questions answered yes. */
  redFlags: string[]
  notKnown: string[]
  byDomain: Record<string, number>
}

export interface AnswerProblem {
  question: string
  problem: 'missing' | 'invalid'
}

/** The answers a policy's questions accept: yes, no, not-known; or a scale's options plus not-known. */
export function allowedAnswers(policy: RiskPolicy, questionId: string): string[] {
  const question = policy.questions.find(q => q.id === questionId)
  if (!question) return []
  return question.kind === 'scale'
    ? [...(question.options ?? []).map(o => o.value), 'not-known']
    : ['yes', 'no', 'not-known']
}

export function checkAnswers(policy: RiskPolicy, answers: Answers): AnswerProblem[] {
  const problems: AnswerProblem[] = []
  for (const question of policy.questions) {
    const answer = answers[question.id]
    if (answer === undefined || answer === '') problems.push({ question: question.id, problem: 'missing' })
    else if (!allowedAnswers(policy, question.id).includes(answer)) {
      problems.push({ question: question.id, problem: 'invalid' })
    }
  }
  return problems
}

export function levelForScore(policy: RiskPolicy, score: number): RiskLevel {
  if (score >= policy.thresholds.high) return 'high'
  if (score >= policy.thresholds.medium) return 'medium'
  return 'standard'
}

/** Scores complete, valid answers (check them first with `checkAnswers`). */
export function scoreAnswers(policy: RiskPolicy, answers: Answers): RiskScore {
  let score = 0
  const redFlags: string[] = []
  const notKnown: string[] = []
  const byDomain: Record<string, number> = { personal: 0, situational: 0, incidental: 0 }
  for (const question of policy.questions) {
    const answer = answers[question.id]
    if (answer === 'not-known') {
      notKnown.push(question.id)
      continue
    }
    const points =
      question.kind === 'scale'
        ? (question.options?.find(option => option.value === answer)?.score ?? 0)
        : answer === 'yes'
          ? (question.weight ?? 0)
          : 0
    if (question.redFlag && answer === 'yes') redFlags.push(question.id)
    score += points
    byDomain[question.domain] = (byDomain[question.domain] ?? 0) + points
  }
  const computedLevel = redFlags.length > 0 ? 'high' : levelForScore(policy, score)
  return { score, computedLevel, redFlags, notKnown, byDomain }
}

const rank = (level: RiskLevel) => RISK_LEVELS.indexOf(level)

export type OverrideDecision =
  | { ok: true; level: RiskLevel; overridden: boolean }
  | { ok: false; problem: 'reason-required' | 'supervisor-required' | 'red-flag-cannot-lower' }

/**
 * Professional judgement. Any assessor may raise the level, giving a reason. Lowering it needs a supervisor and a
 * reason, and a level made high by a red flag (a believed threat to life, thoughts of self-harm) cannot be lowered
 * at all: as with DASH, judgement may raise an actuarial result but must not downgrade it.
 */
export function decideLevel(
  computed: RiskScore,
  override: { level: RiskLevel | null; reason: string },
  assessor: { isSupervisor: boolean },
): OverrideDecision {
  if (override.level === null || override.level === computed.computedLevel) {
    return { ok: true, level: computed.computedLevel, overridden: false }
  }
  if (override.reason.trim() === '') return { ok: false, problem: 'reason-required' }
  if (rank(override.level) < rank(computed.computedLevel)) {
    if (computed.redFlags.length > 0) return { ok: false, problem: 'red-flag-cannot-lower' }
    if (!assessor.isSupervisor) return { ok: false, problem: 'supervisor-required' }
  }
  return { ok: true, level: override.level, overridden: true }
}

export function reviewDue(policy: RiskPolicy, level: RiskLevel, assessedOn: string): string {
  return addPeriod(assessedOn, policy.review[level])
}

export type TriggerReason =
  | { kind: 'repeat-victim' }
  | { kind: 'reports'; count: number; withinDays: number }
  | { kind: 'review-due'; due: string }

export interface TriggerFacts {
  today: string
  /** Received dates (London calendar dates) of the reports linked to the case. */
  reportDates: readonly string[]
  repeatVictimFlag: boolean
  /** The victim's latest assessment, if any. */
  latest: { assessedOn: string; reviewDue: string } | null
}

/** Reports received in the `withinDays` days up to and including `date`. */
function reportsUpTo(dates: readonly string[], date: string, withinDays: number): number {
  return dates.filter(other => other <= date && daysBetween(other, date) < withinDays).length
}

/**
 * Why a victim must be (re)assessed now. With no assessment yet, any repeat trigger forces one. After an
 * assessment, a repeat trigger forces a new one only when a report arrived after it, and a passed review date
 * always does.
 */
export function assessmentTriggers(policy: RiskPolicy, facts: TriggerFacts): TriggerReason[] {
  const reasons: TriggerReason[] = []
  const since = facts.latest?.assessedOn
  const newReports = since ? facts.reportDates.filter(date => date > since) : facts.reportDates
  if (facts.latest && facts.today > facts.latest.reviewDue) {
    reasons.push({ kind: 'review-due', due: facts.latest.reviewDue })
  }
  if (newReports.length === 0) return reasons
  if (policy.triggers.repeatVictimFlag && facts.repeatVictimFlag) reasons.push({ kind: 'repeat-victim' })
  // A window counts only if it ends on a report newer than the assessment: old reports were already assessed.
  for (const trigger of policy.triggers.reports) {
    if (newReports.some(date => reportsUpTo(facts.reportDates, date, trigger.withinDays) >= trigger.count)) {
      reasons.push({ kind: 'reports', count: trigger.count, withinDays: trigger.withinDays })
      break
    }
  }
  return reasons
}
