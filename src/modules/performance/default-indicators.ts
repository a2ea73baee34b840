/**
 * The default Tower Hamlets indicator set, as data: the 13 indicators of the CSP performance deck (seed 002, CSP
 * priorities 2017-21) and the targets of the Community Safety Partnership Plan 2021-24 (seed 001). Partnerships
 * change these through the indicators table; this file only seeds it.
 *
 * The deck's table came to us as extracted text in which the figures are not next to their indicator names. Which
 * figure pair belongs to which indicator is therefore our reading (by magnitude and by what each figure can be):
 * ASB calls to 101 are the only plausible 14,768; the two figures without a previous year are the two "new online
 * portal" indicators; the percentage is the court conviction rate; and so on. The 13 figure pairs and their %
 * changes are the deck's own; change `DECK_FIGURES` if the original slide says otherwise.
 */
import type { IndicatorDefinition, Polarity, TargetKind, Unit } from './kpi-engine.js'

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

export interface IndicatorSeed {
  id: string
  name: string
  priorityId: string
  unit: Unit
  polarity: Polarity
  target: { kind: TargetKind; value: number } | null
  tolerancePct: number
  stableBandPct: number
  source: IndicatorSource
  description: string
  sortOrder: number
}

const PLAN_2017 = 'Community Safety Partnership priorities 2017-21'
const PLAN_2021 = 'Community Safety Partnership Plan 2021-24'

export const DEFAULT_PRIORITIES: PrioritySeed[] = [
  { id: 'asb-drugs-alcohol', name: 'ASB, drugs and alcohol', plan: PLAN_2017, sortOrder: 10 },
  { id: 'violence', name: 'Violence', plan: PLAN_2017, sortOrder: 20 },
  { id: 'reducing-reoffending', name: 'Reducing re-offending', plan: PLAN_2017, sortOrder: 30 },
  {
    id: 'hate-cohesion-extremism',
    name: 'Hate crime, community cohesion and extremism',
    plan: PLAN_2017,
    sortOrder: 40,
  },
  { id: 'p1-neighbourhood-crime-asb', name: 'Tackling neighbourhood crime and ASB', plan: PLAN_2021, sortOrder: 110 },
  {
    id: 'p2-hate-tensions-extremism',
    name: 'Tackling hate crime, community tensions and extremism',
    plan: PLAN_2021,
    sortOrder: 120,
  },
  {
    id: 'p3-reoffending-drivers',
    name: 'Reducing reoffending and tackling the drivers of crime',
    plan: PLAN_2021,
    sortOrder: 130,
  },
  {
    id: 'p4-violence-exploitation',
    name: 'Safeguarding those at risk of violence and exploitation',
    plan: PLAN_2021,
    sortOrder: 140,
  },
]

const BASE = { tolerancePct: 5, stableBandPct: 2, target: null, source: { kind: 'manual' as const } }

function indicator(
  sortOrder: number,
  id: string,
  name: string,
  priorityId: string,
  unit: Unit,
  polarity: Polarity,
  description: string,
  extra: Partial<IndicatorSeed> = {},
): IndicatorSeed {
  return { ...BASE, id, name, priorityId, unit, polarity, description, sortOrder, ...extra }
}

export const DEFAULT_INDICATORS: IndicatorSeed[] = [
  indicator(
    10,
    'asb-calls-101',
    'ASB calls to 101 to report ASB',
    'asb-drugs-alcohol',
    'count',
    'lower-better',
    'Calls to the police non-emergency number reporting anti-social behaviour.',
  ),
  indicator(
    20,
    'asb-repeat-callers',
    'Number of ASB repeat callers to police',
    'asb-drugs-alcohol',
    'count',
    'lower-better',
    'People calling the police about ASB more than once in the period.',
  ),
  indicator(
    30,
    'asb-portal-reports',
    'ASB reports via new online reporting portal',
    'asb-drugs-alcohol',
    'count',
    'awareness',
    'Reports made through the online ASB portal. A rise means more residents use the right channel.',
  ),
  indicator(
    40,
    'drug-asb-portal-reports',
    'Drug related ASB reports via new online reporting portal',
    'asb-drugs-alcohol',
    'count',
    'awareness',
    'Drug-related reports made through the online ASB portal.',
  ),
  indicator(
    50,
    'drug-operation-arrests',
    'Number of arrests on drug specific operations (e.g. Op Continuum)',
    'asb-drugs-alcohol',
    'count',
    'higher-better',
    'Arrests made on drug-specific operations such as Operation Continuum.',
  ),
  indicator(
    60,
    'drug-supply-charges',
    'Number of charges for drug supply following drug specific operations',
    'asb-drugs-alcohol',
    'count',
    'higher-better',
    'Charges for drug supply following drug-specific operations.',
  ),
  indicator(
    110,
    'domestic-abuse-offences',
    'Number of Domestic Abuse Offences',
    'violence',
    'count',
    'lower-better',
    'Domestic abuse offences recorded by the police.',
  ),
  indicator(
    120,
    'sdvc-conviction-rate',
    'Specialist Domestic Violence court conviction rate',
    'violence',
    'percent',
    'higher-better',
    'Convictions as a share of cases finalised at the Specialist Domestic Violence Court.',
  ),
  indicator(
    130,
    'serious-youth-violence',
    'Number of serious youth violence offences',
    'violence',
    'count',
    'lower-better',
    'Serious youth violence offences (victims aged 1 to 19) recorded by the police.',
  ),
  indicator(
    140,
    'personal-robbery',
    'Number of personal robberies',
    'violence',
    'count',
    'lower-better',
    'Robbery of personal property recorded by the police.',
  ),
  indicator(
    150,
    'knife-crime',
    'Number of knife crimes',
    'violence',
    'count',
    'lower-better',
    'Knife crime offences recorded by the police.',
  ),
  indicator(
    210,
    'total-burglary',
    'Total burglary',
    'reducing-reoffending',
    'count',
    'lower-better',
    'Residential and business burglary recorded by the police.',
  ),
  indicator(
    310,
    'hate-crime-offences',
    'Hate crime: number of offences reported to police',
    'hate-cohesion-extremism',
    'count',
    'awareness',
    'Hate crime offences reported to the police. The partnership works to improve confidence to report.',
  ),
  // Sums over the outputs register (the activity module): what the partnership did.
  indicator(
    70,
    'cctv-arrests',
    "Arrests from the council's CCTV",
    'asb-drugs-alcohol',
    'count',
    'higher-better',
    'Arrests that followed an incident picked up by the CCTV control room.',
    { source: { kind: 'activity', activityType: 'cctv-arrest' } },
  ),
  indicator(
    80,
    'unlicensed-events-closed',
    'Unlicensed music events closed',
    'asb-drugs-alcohol',
    'count',
    'higher-better',
    'Unlicensed music events closed down.',
    { source: { kind: 'activity', activityType: 'unlicensed-event-closed' } },
  ),
  indicator(
    160,
    'sanctuary-installations',
    'Sanctuary installations for victims of domestic abuse',
    'violence',
    'count',
    'higher-better',
    'Homes of domestic abuse victims made secure.',
    { source: { kind: 'activity', activityType: 'sanctuary-installation' } },
  ),
  indicator(
    170,
    'knife-test-purchase-failures',
    'Knife test purchase failures',
    'violence',
    'count',
    'lower-better',
    'Test purchases of knives where the retailer sold.',
    { source: { kind: 'activity', activityType: 'test-purchase-failure' } },
  ),
  indicator(
    320,
    'people-trained',
    'People trained (Prevent/WRAP, VAWG champions, Ask for Angela)',
    'hate-cohesion-extremism',
    'count',
    'higher-better',
    'People who attended partnership training.',
    { source: { kind: 'activity', activityType: 'people-trained' } },
  ),
  // Counts over Safer's own records and imported police data (registered count sources), and a resident survey.
  indicator(
    1010,
    'safer-asb-reports',
    'ASB reports received by Safer',
    'p1-neighbourhood-crime-asb',
    'count',
    'awareness',
    'Reports of anti-social behaviour made to Safer online or by phone. A rise means more residents report.',
    { source: { kind: 'count', key: 'reports:all' } },
  ),
  indicator(
    1020,
    'police-recorded-asb',
    'ASB incidents recorded by the police (police.uk)',
    'p1-neighbourhood-crime-asb',
    'count',
    'lower-better',
    'Anti-social behaviour records in the imported police.uk street-level data.',
    { source: { kind: 'count', key: 'police-street:anti-social-behaviour' } },
  ),
  indicator(
    1030,
    'feel-safe-after-dark',
    'Residents who feel safe outside in their area after dark (% agree)',
    'p1-neighbourhood-crime-asb',
    'percent',
    'higher-better',
    'Resident survey: respondents who feel fairly or very safe outside in their local area after dark.',
    { source: { kind: 'survey', measure: 'safe-after-dark' } },
  ),
  // The 2021-24 plan's measurable targets.
  indicator(
    1110,
    'police-treat-fairly',
    '"Police treat everyone fairly regardless of who they are" (% agree)',
    'p2-hate-tensions-extremism',
    'percent',
    'higher-better',
    'Public Attitudes Survey. The plan aims to increase perceptions of fair treatment by at least 5 per cent.',
    { target: { kind: 'change-pct', value: 5 } },
  ),
  indicator(
    1120,
    'hate-crime-sanction-detection',
    'Hate crime sanction detection rate',
    'p2-hate-tensions-extremism',
    'percent',
    'higher-better',
    'Hate crime offences resulting in a sanction detection. Plan target: 10 per cent.',
    { target: { kind: 'value', value: 10 } },
  ),
  indicator(
    1410,
    'rape-sanction-detection',
    'Rape sanction detection rate',
    'p4-violence-exploitation',
    'percent',
    'higher-better',
    'Rape offences resulting in a sanction detection. Plan target: 15 per cent.',
    { target: { kind: 'value', value: 15 } },
  ),
]

/** The deck's reporting period: the financial year 2018/19 against 2017/18 (the deck was presented in 2019). */
export const DECK_AS_AT = '2019-03-31'
export const DECK_EVIDENCE =
  'Tower Hamlets Community Safety Partnership performance deck (2019), KPI table: YTD and previous YTD.'

/** [indicator id, YTD, previous YTD or null, the deck's printed % change or null]. */
export const DECK_FIGURES: [string, number, number | null, string | null][] = [
  ['asb-calls-101', 14768, 14909, '-0.95'],
  ['asb-repeat-callers', 522, 574, '-9.06'],
  ['asb-portal-reports', 190, null, null],
  ['drug-asb-portal-reports', 148, null, null],
  ['drug-operation-arrests', 1563, 257, '+508.17'],
  ['drug-supply-charges', 1041, 776, '+34.15'],
  ['domestic-abuse-offences', 3393, 3013, '+12.61'],
  ['sdvc-conviction-rate', 69, 72, '-4.2'],
  ['serious-youth-violence', 320, 309, '+3.56'],
  ['personal-robbery', 1472, 1448, '+1.66'],
  ['knife-crime', 830, 889, '-6.64'],
  ['total-burglary', 3293, 2928, '+12.47'],
  ['hate-crime-offences', 741, 683, '+8.49'],
]

export function definitionOf(seed: IndicatorSeed): IndicatorDefinition {
  return {
    unit: seed.unit,
    polarity: seed.polarity,
    target: seed.target,
    tolerancePct: seed.tolerancePct,
    stableBandPct: seed.stableBandPct,
  }
}
