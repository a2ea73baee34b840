/**
 * The victim risk assessment as versioned policy (docs/risk-and-powers.md, docs/domain-rules.md §3).
 *
 * Harm-centred: the same behaviour harms people differently, so the questions ask about the person (personal
 * vulnerability), where they live and who supports them (situational) and what is happening to them (incidental),
 * following the personal / situational / incidental model of the HMIC-commissioned study. The topics are Safer's own
 * synthesis, not an official instrument's wording: a CSP with a licensed matrix replaces this policy (and the copy in
 * `en.json` under `risk.questions`) and gives it a new version. Every assessment stores the version it was scored
 * under, and the policy document itself is kept in `risk_policy`.
 *
 * Scoring: each answer adds its weight; `not-known` adds nothing but is shown so the assessor can use professional
 * judgement. Red-flag questions answered yes make the level high whatever the score.
 */
import type { Period } from '../../platform/working-days.js'

export const RISK_LEVELS = ['standard', 'medium', 'high'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]

export const RISK_DOMAINS = ['personal', 'situational', 'incidental'] as const
export type RiskDomain = (typeof RISK_DOMAINS)[number]

export interface RiskQuestion {
  id: string
  domain: RiskDomain
  /** yes/no/not known, or one of a scale's options (each with its score). */
  kind: 'yes-no' | 'scale'
  /** Score of a yes (yes-no questions). */
  weight?: number
  options?: readonly { value: string; score: number }[]
  /** A yes makes the level high whatever the score. */
  redFlag?: boolean
}

export interface RepeatTrigger {
  /** This many reports linked to the case… */
  count: number
  /** …received within this many days of each other force an assessment. */
  withinDays: number
}

export interface RiskPolicy {
  version: string
  questions: readonly RiskQuestion[]
  /** Lowest score at each level. */
  thresholds: { medium: number; high: number }
  triggers: {
    /** A linked report carrying the repeat-caller flag forces an assessment. */
    repeatVictimFlag: boolean
    reports: readonly RepeatTrigger[]
  }
  /** When the assessment must be reviewed, by level. */
  review: Record<RiskLevel, Period>
}

const yesNo = (id: string, domain: RiskDomain, weight: number, redFlag = false): RiskQuestion => ({
  id,
  domain,
  kind: 'yes-no',
  weight,
  ...(redFlag ? { redFlag } : {}),
})

export const DEFAULT_RISK_POLICY: RiskPolicy = {
  version: 'safer-asb-risk-2026.1',
  questions: [
    // Incidental: what is happening to them.
    {
      id: 'frequency',
      domain: 'incidental',
      kind: 'scale',
      options: [
        { value: 'once', score: 0 },
        { value: 'occasionally', score: 1 },
        { value: 'weekly', score: 2 },
        { value: 'daily', score: 3 },
      ],
    },
    {
      id: 'duration',
      domain: 'incidental',
      kind: 'scale',
      options: [
        { value: 'under-month', score: 0 },
        { value: 'one-to-six-months', score: 1 },
        { value: 'over-six-months', score: 2 },
      ],
    },
    yesNo('targeted', 'incidental', 2),
    yesNo('hostility', 'incidental', 3),
    yesNo('violence', 'incidental', 3),
    yesNo('threatToLife', 'incidental', 3, true),
    yesNo('property', 'incidental', 2),
    yesNo('escalating', 'incidental', 2),
    yesNo('perpetratorKnown', 'incidental', 1),
    // Personal: who they are and how it affects them.
    yesNo('disability', 'personal', 3),
    yesNo('mentalHealth', 'personal', 2),
    yesNo('physicalHealth', 'personal', 2),
    yesNo('selfHarm', 'personal', 3, true),
    yesNo('age', 'personal', 2),
    yesNo('substanceUse', 'personal', 1),
    yesNo('dependants', 'personal', 2),
    // Situational: where it happens and who is around them.
    yesNo('atHome', 'situational', 2),
    yesNo('fear', 'situational', 2),
    yesNo('moving', 'situational', 2),
    yesNo('isolated', 'situational', 2),
    yesNo('reportedBefore', 'situational', 1),
    {
      id: 'worry',
      domain: 'situational',
      kind: 'scale',
      options: [
        { value: 'not', score: 0 },
        { value: 'somewhat', score: 1 },
        { value: 'very', score: 2 },
        { value: 'extremely', score: 3 },
      ],
    },
  ],
  thresholds: { medium: 12, high: 22 },
  triggers: {
    repeatVictimFlag: true,
    // Burnley's "2 in 14 days or 5 in 180 days", and the common "3 in 3 months".
    reports: [
      { count: 2, withinDays: 14 },
      { count: 3, withinDays: 90 },
      { count: 5, withinDays: 180 },
    ],
  },
  review: {
    high: { amount: 10, unit: 'working-days' },
    medium: { amount: 20, unit: 'working-days' },
    standard: { amount: 3, unit: 'months' },
  },
}

/** The greatest score the policy can give, for showing a score in context. */
export function maximumScore(policy: RiskPolicy): number {
  return policy.questions.reduce(
    (sum, question) =>
      sum +
      (question.kind === 'scale' ? Math.max(...(question.options ?? []).map(o => o.score)) : (question.weight ?? 0)),
    0,
  )
}
