/**
 * The Community Safety Partnership Plan 2021-24 (seed 001): its four priorities' outcomes, as written, with the
 * indicators that measure them. Demo actions are taken from the plan's "how will we" commitments; their owners,
 * due dates and statuses are invented for the demonstration borough.
 */
import type { ActionStatus } from './plan-status.js'

export interface OutcomeSeed {
  id: string
  priorityId: string
  text: string
  indicatorIds: string[]
}

export const PLAN_OUTCOMES: OutcomeSeed[] = [
  ['p1-repeat-victimisation', 'p1-neighbourhood-crime-asb', 'Reduce repeat victimisation', ['asb-repeat-callers']],
  [
    'p1-asb-profile',
    'p1-neighbourhood-crime-asb',
    'Comprehensive ASB profile for Tower Hamlets to inform operational tactics',
    [],
  ],
  [
    'p1-night-time-economy',
    'p1-neighbourhood-crime-asb',
    'Reduce the impact of the night time economy',
    ['unlicensed-events-closed'],
  ],
  [
    'p1-report-channels',
    'p1-neighbourhood-crime-asb',
    'Residents report ASB via the correct channels',
    ['asb-portal-reports', 'drug-asb-portal-reports'],
  ],
  ['p1-deliberate-fires', 'p1-neighbourhood-crime-asb', 'Fewer deliberate fire incidents', []],
  [
    'p2-confidence-to-report',
    'p2-hate-tensions-extremism',
    'Improved confidence to report hate crime',
    ['hate-crime-offences'],
  ],
  ['p2-victim-support', 'p2-hate-tensions-extremism', 'Increased support and protection for victims of hate crime', []],
  [
    'p2-training',
    'p2-hate-tensions-extremism',
    'Increased training and awareness of hate crime within communities',
    ['people-trained'],
  ],
  ['p2-cohesion', 'p2-hate-tensions-extremism', 'Build cohesion and resilience within local communities', []],
  [
    'p2-treated-fairly',
    'p2-hate-tensions-extremism',
    'Improved public perception of feeling the police treat everybody fairly regardless of who they are',
    ['police-treat-fairly'],
  ],
  [
    'p2-radicalisation',
    'p2-hate-tensions-extremism',
    'Ensure people know what to do if concerned about someone who is vulnerable to radicalisation',
    [],
  ],
  [
    'p2-sanction-detection',
    'p2-hate-tensions-extremism',
    'Achieve a 10 per cent sanction detection rate for hate crime offences',
    ['hate-crime-sanction-detection'],
  ],
  [
    'p3-visible-drugs',
    'p3-reoffending-drivers',
    'Visible drug and alcohol use and dealing reduced',
    ['drug-operation-arrests', 'drug-supply-charges'],
  ],
  ['p3-reoffending-rate', 'p3-reoffending-drivers', 'Reduction in the reoffending rate for adults and juveniles', []],
  ['p3-iom', 'p3-reoffending-drivers', 'Reduce reoffending behaviour through Integrated Offender Management', []],
  [
    'p3-first-time-entrants',
    'p3-reoffending-drivers',
    'Fewer first time entrants into the criminal justice system',
    [],
  ],
  ['p3-rough-sleeping', 'p3-reoffending-drivers', "Fewer people 'sleeping rough' in Tower Hamlets", []],
  [
    'p3-treatment',
    'p3-reoffending-drivers',
    'More people successfully completing treatment and not returning within six months',
    [],
  ],
  [
    'p4-fewer-victims',
    'p4-violence-exploitation',
    'Fewer victims of violence',
    ['serious-youth-violence', 'knife-crime', 'personal-robbery'],
  ],
  [
    'p4-vawg-confidence',
    'p4-violence-exploitation',
    'Victims of VAWG feel confident in reporting',
    ['domestic-abuse-offences'],
  ],
  [
    'p4-nrm-referrals',
    'p4-violence-exploitation',
    'Increase in referrals via the National Referral Mechanism (NRM)',
    [],
  ],
  [
    'p4-rape-sanction-detection',
    'p4-violence-exploitation',
    'Achieve a 15 per cent sanction detection rate for rape offences',
    ['rape-sanction-detection'],
  ],
].map(([id, priorityId, text, indicatorIds]) => ({
  id: id as string,
  priorityId: priorityId as string,
  text: text as string,
  indicatorIds: indicatorIds as string[],
}))

export interface ActionSeed {
  outcomeId: string
  title: string
  owner: string
  partner: string | null
  dueDate: string | null
  status: ActionStatus
  narrative: string
}

export const DEMO_ACTIONS: ActionSeed[] = [
  {
    outcomeId: 'p1-night-time-economy',
    title: 'Introduce a borough-wide Public Spaces Protection Order banning the recreational use of nitrous oxide',
    owner: 'Head of Community Safety',
    partner: 'Metropolitan Police',
    dueDate: '2021-12-31',
    status: 'complete',
    narrative: 'Demo: order made after consultation; enforcement by THEOs and police.',
  },
  {
    outcomeId: 'p1-repeat-victimisation',
    title: 'Address cases with vulnerable victims and perpetrators of ASB through a multi-agency risk panel',
    owner: 'ASB Manager',
    partner: 'Safeguarding Adults Board',
    dueDate: '2022-03-31',
    status: 'on-track',
    narrative: 'Demo: panel meets monthly; referral criteria agreed.',
  },
  {
    outcomeId: 'p1-asb-profile',
    title: 'Upgrade the CCTV system to deter and detect crime and ASB',
    owner: 'CCTV Manager',
    partner: null,
    dueDate: '2022-06-30',
    status: 'at-risk',
    narrative: 'Demo: supplier delays on the control room upgrade; revised plan to the next board.',
  },
  {
    outcomeId: 'p2-sanction-detection',
    title: 'Hate crime case review with the police to improve sanction detections',
    owner: 'Hate Crime Lead',
    partner: 'Metropolitan Police',
    dueDate: '2022-03-31',
    status: 'off-track',
    narrative: 'Demo: review not yet scheduled; escalated to the CSP board.',
  },
  {
    outcomeId: 'p2-treated-fairly',
    title: 'Community Monitoring Group to monitor stop and search and intrusive police tactics',
    owner: 'Community Safety Partnership Manager',
    partner: 'Metropolitan Police',
    dueDate: '2021-09-30',
    status: 'complete',
    narrative: 'Demo: group established and meeting quarterly.',
  },
  {
    outcomeId: 'p3-iom',
    title: 'Implement the refreshed Integrated Offender Management framework',
    owner: 'Reducing Reoffending Lead',
    partner: 'Probation Service',
    dueDate: '2021-04-30',
    status: 'complete',
    narrative: 'Demo: framework live from April 2021.',
  },
  {
    outcomeId: 'p4-rape-sanction-detection',
    title: 'Develop a local Predatory Offender Unit to target the highest-risk perpetrators',
    owner: 'VAWG Lead',
    partner: 'Metropolitan Police',
    dueDate: '2022-09-30',
    status: 'not-started',
    narrative: '',
  },
]
