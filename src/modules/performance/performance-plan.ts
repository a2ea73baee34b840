/**
 * What a partnership's plan gives performance: its priorities, indicator definitions, outcomes, demo actions and
 * historic manual values. The data lives in the CSP pack (`plan.json`, `indicators.json`, `historic-values.json`;
 * docs/csp-pack.md); the pack module reads and validates it, and these are the shapes it hands over. Partnerships
 * then change indicators through the indicators table: the pack only seeds what is missing.
 */
import type { ValidIndicator } from './indicator-validation.js'
import type { ActionStatus } from './plan-status.js'
import type { IndicatorDefinition } from './kpi-engine.js'

export interface PrioritySeed {
  id: string
  name: string
  plan: string
  sortOrder: number
}

/** Where an indicator's figures come from: manual periodic values with evidence, the outputs register (activity
 * type), a registered count source over another module's records (`reports:all`), or an imported resident survey
 * measure (respondents and how many agreed). */
export type IndicatorSource =
  | { kind: 'manual' }
  | { kind: 'activity'; activityType: string }
  | { kind: 'count'; key: string }
  | { kind: 'survey'; measure: string }

/** An indicator as a pack defines it: a valid indicator with its id and place in the list. */
export interface IndicatorSeed extends ValidIndicator {
  id: string
  sortOrder: number
}

export interface OutcomeSeed {
  id: string
  priorityId: string
  text: string
  indicatorIds: string[]
}

export interface ActionSeed {
  outcomeId: string
  title: string
  owner: string
  partner: string | null
  dueDate: string | null
  status: ActionStatus
  narrative: string
}

/** Figures published before Safer (for Tower Hamlets, the 2019 deck's KPI table), with where they came from. */
export interface HistoricValueSet {
  id: string
  /** The last day of the year-to-date the figures describe. */
  asAt: string
  /** Stored with each value as its evidence. */
  evidence: string
  source: string
  /** How the figures were matched to indicators, in plain words. */
  pairing: string
  figures: { indicatorId: string; ytd: number; previousYtd: number | null; printedChangePct: string | null }[]
}

export interface PerformancePlan {
  priorities: PrioritySeed[]
  indicators: IndicatorSeed[]
  outcomes: OutcomeSeed[]
  /** Loaded with the demo only: owners, dates and statuses are invented. */
  demoActions: ActionSeed[]
  historicValues: HistoricValueSet[]
}

export const EMPTY_PLAN: PerformancePlan = {
  priorities: [],
  indicators: [],
  outcomes: [],
  demoActions: [],
  historicValues: [],
}

export function definitionOf(seed: IndicatorSeed): IndicatorDefinition {
  return {
    unit: seed.unit,
    polarity: seed.polarity,
    target: seed.target,
    tolerancePct: seed.tolerancePct,
    stableBandPct: seed.stableBandPct,
  }
}
