/**
 * The ASB powers ladder as versioned policy (docs/domain-rules.md §5; Anti-social Behaviour, Crime and
 * Policing Act 2014 unless stated). Law changes by configuration, not code: the Crime and Policing Bill would raise
 * the fixed penalty maximum to £500 and add Respect Orders; a CSP adopting that publishes a new policy with a new
 * `version`. Each action stores the version it was taken under, and the document itself is kept in `power_policy`,
 * so any past decision can be re-read against the rules in force when it was made.
 *
 * Periods in days are calendar days (the Act's "21 days"); the informal steps' reviews are in working days (local
 * practice). Periods in hours are elapsed hours. Names, statutory references and guidance copy are in `en.json`
 * under `powers.power.<code>`.
 */
import Type, { type Static } from 'typebox'

import { withLocalChanges } from '../../platform/versioned-policy.js'
import type { Period } from '../../platform/working-days.js'

export const POWER_CODES = [
  'warning-letter',
  'abc',
  'cpw',
  'cpn',
  'pspo-fpn',
  'dispersal',
  'closure-notice',
  'closure-order',
  'civil-injunction',
  'cbo',
] as const
export type PowerCode = (typeof POWER_CODES)[number]

export function isPowerCode(value: unknown): value is PowerCode {
  return typeof value === 'string' && (POWER_CODES as readonly string[]).includes(value)
}

export interface PowerRule {
  code: PowerCode
  /** A person (a perpetrator on the case) or premises. */
  subject: 'person' | 'premises'
  /** Lowest age on the action date; null for no age gate. */
  minimumAge: number | null
  /** A CPW whose compliance period has ended (CPN); a closure notice served within `hours` (closure order). */
  prerequisite?:
    | { power: PowerCode; rule: 'compliance-ended' }
    | { power: PowerCode; rule: 'within-hours'; hours: number; disregardChristmasDay: boolean }
  /** The period the person is given to change their behaviour (CPW): officer's choice within the bounds. */
  compliance?: { minDays: number; maxDays: number; defaultDays: number }
  appealWindow?: Period
  /** A fixed penalty: the amount and the period to pay before proceedings may start. */
  penalty?: { amountPence: number; payWithin: Period }
  /** Elapsed-hour length (dispersal up to 48; closure notice 24, or 48 with senior authorisation). */
  hours?: { max: number; standard?: number; senior?: number; disregardChristmasDay: boolean }
  /** Length in months the officer chooses (ABC, closure order). */
  months?: { min: number; max: number; default: number }
  /** A review of an informal step. */
  review?: Period
  /** Needs an Inspector's s34 authorisation for the locality. */
  requiresAuthorisation?: boolean
  /** Made by a court on conviction (CBO). */
  requiresConviction?: boolean
  /** Rules for under-18s: the youth court, the youth offending team consulted, a length limit, annual reviews. */
  under18?: {
    youthCourt: boolean
    youthOffendingTeam: boolean
    maxMonths?: number
    minYears?: number
    maxYears?: number
    annualReview?: boolean
  }
  /** Adults: a minimum length in years, or indefinite (CBO). */
  adult?: { minYears: number; maxYears: number; indefinite: boolean }
  /** Remind the case owner this long before the action expires. */
  expiryReminder?: Period
  /** A breach can be recorded against it. */
  breachable: boolean
  /** A letter (HTML and PDF) is generated. */
  letter: boolean
}

export interface PowersPolicy {
  version: string
  /**
   * An action dated more than this many days before the day it is entered is "recorded late": it needs the officer's
   * reason and a supervisor's approval before it counts (as a step on the ladder, or as an active power).
   */
  lateRecordingDays: number
  rules: readonly PowerRule[]
}

export const DEFAULT_POWERS_POLICY: PowersPolicy = {
  version: 'asbcpa-2014/2026.2',
  lateRecordingDays: 7,
  rules: [
    {
      code: 'warning-letter',
      subject: 'person',
      minimumAge: null,
      review: { amount: 10, unit: 'working-days' },
      breachable: true,
      letter: true,
    },
    {
      code: 'abc',
      subject: 'person',
      minimumAge: null,
      months: { min: 1, max: 12, default: 6 },
      expiryReminder: { amount: 14, unit: 'days' },
      breachable: true,
      letter: false,
    },
    {
      // s43(5): a written warning first, and enough time to change. Not an offence to breach; no appeal.
      code: 'cpw',
      subject: 'person',
      minimumAge: 16,
      compliance: { minDays: 1, maxDays: 90, defaultDays: 14 },
      breachable: true,
      letter: true,
    },
    {
      // s43-s52: warning given and its time elapsed; appeal to magistrates within 21 days (s46).
      code: 'cpn',
      subject: 'person',
      minimumAge: 16,
      prerequisite: { power: 'cpw', rule: 'compliance-ended' },
      // s43(3): the notice's requirements are met within the period it specifies.
      compliance: { minDays: 1, maxDays: 90, defaultDays: 14 },
      appealWindow: { amount: 21, unit: 'days' },
      breachable: true,
      letter: true,
    },
    {
      // s68: fixed penalty up to £100; no proceedings for 14 days. Age of criminal responsibility 10.
      code: 'pspo-fpn',
      subject: 'person',
      minimumAge: 10,
      penalty: { amountPence: 10_000, payWithin: { amount: 14, unit: 'days' } },
      breachable: false,
      letter: false,
    },
    {
      // s34 authorisation by an Inspector, s35 direction up to 48 hours; 10 and over.
      code: 'dispersal',
      subject: 'person',
      minimumAge: 10,
      requiresAuthorisation: true,
      hours: { max: 48, disregardChristmasDay: false },
      breachable: true,
      letter: false,
    },
    {
      // s76-s77: 24 hours, or 48 with a Superintendent or council chief executive; Christmas Day disregarded.
      code: 'closure-notice',
      subject: 'premises',
      minimumAge: null,
      hours: { max: 48, standard: 24, senior: 48, disregardChristmasDay: true },
      breachable: true,
      letter: false,
    },
    {
      // s80: the application heard within 48 hours of service of the notice; order up to 3 months; appeal 21 days.
      code: 'closure-order',
      subject: 'premises',
      minimumAge: null,
      prerequisite: { power: 'closure-notice', rule: 'within-hours', hours: 48, disregardChristmasDay: true },
      months: { min: 1, max: 3, default: 3 },
      appealWindow: { amount: 21, unit: 'days' },
      expiryReminder: { amount: 14, unit: 'days' },
      breachable: true,
      letter: false,
    },
    {
      // Part 1: 10 and over; under-18s in the youth court, youth offending team consulted, at most 12 months.
      code: 'civil-injunction',
      subject: 'person',
      minimumAge: 10,
      under18: { youthCourt: true, youthOffendingTeam: true, maxMonths: 12 },
      expiryReminder: { amount: 28, unit: 'days' },
      breachable: true,
      letter: false,
    },
    {
      // On conviction (Sentencing Code s330+): adults 2 years or more, or indefinite; under-18s 1 to 3 years,
      // youth offending team's views, reviewed every year while under 18.
      code: 'cbo',
      subject: 'person',
      minimumAge: 10,
      requiresConviction: true,
      under18: { youthCourt: true, youthOffendingTeam: true, minYears: 1, maxYears: 3, annualReview: true },
      adult: { minYears: 2, maxYears: 10, indefinite: true },
      expiryReminder: { amount: 28, unit: 'days' },
      breachable: true,
      letter: false,
    },
  ],
}

export function ruleFor(policy: PowersPolicy, code: PowerCode): PowerRule {
  const rule = policy.rules.find(candidate => candidate.code === code)
  if (!rule) throw new Error(`Policy ${policy.version} has no rule for ${code}`)
  return rule
}

const PeriodSchema = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: 1000 }),
    unit: Type.Union(['days', 'working-days', 'weeks', 'months', 'years'].map(value => Type.Literal(value))),
  },
  { additionalProperties: false },
)

/**
 * What a partnership may choose for each power (a CSP pack's `policies.json`, docs/csp-pack.md): local practice and
 * choices the Act leaves to the authority. Ages, prerequisites, appeal windows, statutory lengths and the fixed
 * penalty's maximum are law and cannot be changed here; a change of law is a new default policy.
 */
export const PowerRuleChangesSchema = Type.Object(
  {
    /** When an informal step (a warning letter) is reviewed. */
    review: Type.Optional(PeriodSchema),
    /** How long before an order ends the case owner is reminded. */
    expiryReminder: Type.Optional(PeriodSchema),
    /** The compliance period a Community Protection Warning offers by default, within the rule's bounds. */
    complianceDefaultDays: Type.Optional(Type.Integer({ minimum: 1 })),
    /** The length in months an officer is offered by default (ABC, closure order), within the rule's bounds. */
    defaultMonths: Type.Optional(Type.Integer({ minimum: 1 })),
    /** The fixed penalty the authority has set, in pence, up to the statutory maximum of the default policy. */
    penaltyPence: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)
export type PowerRuleChanges = Static<typeof PowerRuleChangesSchema>

export const PowersPolicyChangesSchema = Type.Object(
  {
    version: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    /** How many days after an action's date it may be entered before it needs a reason and a supervisor's approval. */
    lateRecordingDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
    rules: Type.Optional(Type.Record(Type.String(), PowerRuleChangesSchema)),
  },
  { additionalProperties: false },
)
export type PowersPolicyChanges = Static<typeof PowersPolicyChangesSchema>

/** A problem with local changes, at a JSON pointer into them (`/rules/cpw/complianceDefaultDays`). */
export interface PolicyChangeProblem {
  pointer: string
  message: string
}

/** What is wrong with changes that pass the schema: an unknown power, or a choice outside the law's bounds. */
export function powersPolicyChangeProblems(
  changes: PowersPolicyChanges,
  base: PowersPolicy = DEFAULT_POWERS_POLICY,
): PolicyChangeProblem[] {
  const problems: PolicyChangeProblem[] = []
  for (const [code, change] of Object.entries(changes.rules ?? {})) {
    const at = `/rules/${code}`
    const rule = base.rules.find(candidate => candidate.code === code)
    if (!rule) {
      problems.push({ pointer: at, message: `there is no power "${code}" (powers are ${POWER_CODES.join(', ')})` })
      continue
    }
    const notFor = (field: string) =>
      problems.push({ pointer: `${at}/${field}`, message: `${field} does not apply to ${code}` })
    if (change.review && !rule.review) notFor('review')
    if (change.expiryReminder && !rule.expiryReminder) notFor('expiryReminder')
    if (change.complianceDefaultDays !== undefined) {
      if (!rule.compliance) notFor('complianceDefaultDays')
      else if (
        change.complianceDefaultDays < rule.compliance.minDays ||
        change.complianceDefaultDays > rule.compliance.maxDays
      )
        problems.push({
          pointer: `${at}/complianceDefaultDays`,
          message: `complianceDefaultDays must be from ${String(rule.compliance.minDays)} to ${String(rule.compliance.maxDays)}`,
        })
    }
    if (change.defaultMonths !== undefined) {
      if (!rule.months) notFor('defaultMonths')
      else if (change.defaultMonths < rule.months.min || change.defaultMonths > rule.months.max)
        problems.push({
          pointer: `${at}/defaultMonths`,
          message: `defaultMonths must be from ${String(rule.months.min)} to ${String(rule.months.max)}`,
        })
    }
    if (change.penaltyPence !== undefined) {
      if (!rule.penalty) notFor('penaltyPence')
      else if (change.penaltyPence > rule.penalty.amountPence)
        problems.push({
          pointer: `${at}/penaltyPence`,
          message: `penaltyPence must be at most ${String(rule.penalty.amountPence)} (the statutory maximum)`,
        })
    }
  }
  return problems
}

/**
 * The powers policy with a partnership's choices applied (changes already checked by `powersPolicyChangeProblems`).
 * Its version is the changes' own, or the default's with a fingerprint of the rules (platform/versioned-policy).
 */
export function withLocalPowersChanges(
  changes: PowersPolicyChanges,
  base: PowersPolicy = DEFAULT_POWERS_POLICY,
): PowersPolicy {
  const rules = base.rules.map(rule => {
    const change = changes.rules?.[rule.code]
    if (!change) return rule
    return {
      ...rule,
      ...(change.review && rule.review ? { review: change.review } : {}),
      ...(change.expiryReminder && rule.expiryReminder ? { expiryReminder: change.expiryReminder } : {}),
      ...(change.complianceDefaultDays !== undefined && rule.compliance
        ? { compliance: { ...rule.compliance, defaultDays: change.complianceDefaultDays } }
        : {}),
      ...(change.defaultMonths !== undefined && rule.months
        ? { months: { ...rule.months, default: change.defaultMonths } }
        : {}),
      ...(change.penaltyPence !== undefined && rule.penalty
        ? { penalty: { ...rule.penalty, amountPence: change.penaltyPence } }
        : {}),
    }
  })
  return withLocalChanges(base, {
    rules,
    ...(changes.lateRecordingDays !== undefined ? { lateRecordingDays: changes.lateRecordingDays } : {}),
    ...(changes.version ? { version: changes.version } : {}),
  })
}
