/**
 * The ASB Case Review rules as versioned policy (docs/domain-rules.md §2). Every eligibility assessment and
 * threshold decision stores the version it was made under, and the policy document itself is kept in
 * `case_review_policy` the first time it is used, so a decision can always be explained by the rules of its day.
 *
 * The default is Tower Hamlets' published rule (three separate incidents, hate incidents included, reported within
 * six months, the application within one month of the last report) with the statutory definition of a qualifying
 * complaint (made within one month of the behaviour, s104(11)), and the three variants other areas use switched on:
 * five reports from different people about the same problem (Cleveland, Richmond, South Tyneside), a single hate
 * incident (Merseyside, Uttlesford) and a victim assessed as high risk (South Tyneside). s104(4) allows a lower
 * local threshold, and below every threshold the application goes to the discretionary route (s104(5)), never to an
 * automatic refusal. A CSP with other rules passes its own policy with a new version (CASE_REVIEW_POLICY_FILE).
 */
import type { Kysely } from 'kysely'
import Type, { type Static } from 'typebox'

import type { Database } from '../../db/schema.js'
import {
  createPolicyStore,
  loadPolicyFile,
  withLocalChanges as withChangesTo,
} from '../../platform/versioned-policy.js'

const CalendarPeriodSchema = Type.Object({
  amount: Type.Integer({ minimum: 0, maximum: 1000 }),
  unit: Type.Union([Type.Literal('days'), Type.Literal('months')]),
})

export type CalendarPeriod = Static<typeof CalendarPeriodSchema>

const WorkingDays = Type.Integer({ minimum: 1, maximum: 260 })

export const CaseReviewPolicySchema = Type.Object({
  version: Type.String({ minLength: 1, maxLength: 80 }),
  /** A complaint qualifies when made within this period of the behaviour (s104(11)). */
  complaintWithin: CalendarPeriodSchema,
  /** Complaints count when made within this period before the application. */
  lookBack: CalendarPeriodSchema,
  /** Qualifying complaints that meet the threshold (s104(4): three, or a lower local number). */
  minimumComplaints: Type.Integer({ minimum: 1, maximum: 3 }),
  /** The application must come within this period of the last report (Tower Hamlets); null: no such rule. */
  applicationAfterLastReport: Type.Union([CalendarPeriodSchema, Type.Null()]),
  /** Hate incidents count towards the threshold. */
  countHateIncidents: Type.Boolean(),
  variants: Type.Object({
    /** This many qualifying reports about the same problem from different people (0: off). */
    differentReporters: Type.Integer({ minimum: 0, maximum: 50 }),
    /** One qualifying hate incident meets the threshold. */
    singleHateIncident: Type.Boolean(),
    /** A victim assessed as high risk within the look-back meets the threshold. */
    highRiskVictim: Type.Boolean(),
  }),
  /** Service standards, in working days (England and Wales bank holidays excluded). */
  timescales: Type.Object({
    acknowledge: WorkingDays,
    thresholdDecision: WorkingDays,
    informationRequest: WorkingDays,
    outcome: WorkingDays,
    appealWindow: WorkingDays,
    appealDecision: WorkingDays,
  }),
  /** A clock shows "due soon" this many working days or fewer before it is due. */
  warnWorkingDays: Type.Integer({ minimum: 0, maximum: 20 }),
  /** First month (1-12) of the reporting year for the statutory figures: 4 is the financial year. */
  yearStartMonth: Type.Integer({ minimum: 1, maximum: 12 }),
})

export type CaseReviewPolicy = Static<typeof CaseReviewPolicySchema>

export const DEFAULT_CASE_REVIEW_POLICY: CaseReviewPolicy = {
  version: 'safer-case-review-2026.1',
  complaintWithin: { amount: 1, unit: 'months' },
  lookBack: { amount: 6, unit: 'months' },
  minimumComplaints: 3,
  applicationAfterLastReport: { amount: 1, unit: 'months' },
  countHateIncidents: true,
  variants: { differentReporters: 5, singleHateIncident: true, highRiskVictim: true },
  timescales: {
    acknowledge: 3,
    thresholdDecision: 10,
    informationRequest: 10,
    outcome: 25,
    appealWindow: 20,
    appealDecision: 10,
  },
  warnWorkingDays: 2,
  yearStartMonth: 4,
}

/**
 * A policy with local changes keeps its own version if it names one; otherwise it gets the default's version with a
 * fingerprint of its rules, so two different rule sets never share a version.
 */
export function withLocalChanges(changes: Partial<CaseReviewPolicy>): CaseReviewPolicy {
  return withChangesTo(DEFAULT_CASE_REVIEW_POLICY, changes)
}

/**
 * The policy a deployment runs: `base` (the default, or the CSP pack's), or `base` changed by a JSON file of policy
 * keys. An invalid file stops Safer at start with a message naming it, as any invalid configuration does.
 */
export function loadCaseReviewPolicy(
  file: string,
  root: string,
  base: CaseReviewPolicy = DEFAULT_CASE_REVIEW_POLICY,
): CaseReviewPolicy {
  return loadPolicyFile(file, root, {
    setting: 'CASE_REVIEW_POLICY_FILE',
    what: 'Case Review policy',
    defaults: base,
    schema: CaseReviewPolicySchema,
  })
}

/** The Case Review policy documents by version (`case_review_policy`), as every versioned policy keeps them. */
export function createCaseReviewPolicyStore(db: Kysely<Database>) {
  return createPolicyStore<CaseReviewPolicy>(db, 'case_review_policy')
}
