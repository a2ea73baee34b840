/**
 * What the panels module adds: the panels section (meetings, agendas, actions), each case's panel page, the
 * community pages, and its counts as indicator sources (docs/performance-sources.md).
 */
import { bindRoutes, type IndicatorSource, type SaferModule } from '../../platform/module-contract.js'
import { t } from '../../platform/i18n.js'
import type { PdfRenderer } from '../../platform/pdf.js'
import type { Casework } from '../casework/index.js'
import type { GeographyService } from '../geography/index.js'
import type { Panels } from './panels.js'
import { panelsPaths } from './panels-presenters.js'
import { panelsPlugin } from './panels-plugin.js'
import { TENSION_LEVELS, tensionTier } from './community-service.js'

/** Hate incident and panel referral counts: aggregates only. */
export function panelIndicatorSources(counts: Panels['counts']): IndicatorSource[] {
  const referralSources = (
    [
      ['community-marac', 'Referrals to the Community MARAC'],
      ['da-marac', 'Referrals to the domestic abuse MARAC'],
      ['hate-incident', 'Referrals to the Hate Incident Panel'],
      ['case-review', 'Referrals to the ASB Case Review panel'],
    ] as const
  ).map(([kind, name]) => ({
    key: `panels:${kind}-referrals`,
    name,
    module: 'panels',
    description: `Counted from Safer's panels: ${name.charAt(0).toLowerCase()}${name.slice(1)} made in the month, by the ward of the referral.`,
    recordedInSafer: true,
    monthlyCounts: (from: string, to: string) => counts.referrals(kind, from, to),
  }))
  return [
    {
      key: 'hate-incidents:recorded',
      name: 'Hate incidents recorded by the partnership',
      module: 'panels',
      description:
        "Counted from Safer's hate incident log: hate incidents recorded in the month, by the ward of the incident.",
      recordedInSafer: true,
      monthlyCounts: (from, to) => counts.hateIncidents(from, to),
    },
    {
      key: 'panels:referrals',
      name: 'Referrals to multi-agency panels',
      module: 'panels',
      description:
        "Counted from Safer's panels: referrals to any multi-agency panel made in the month, by the ward of the referral.",
      recordedInSafer: true,
      monthlyCounts: (from, to) => counts.referrals(null, from, to),
    },
    ...referralSources,
    {
      key: 'panels:actions-completed',
      recordedInSafer: true,
      name: 'Panel actions completed',
      description:
        'Actions agreed at a panel meeting whose task on the case was marked done, by the date it was done and the ' +
        "referral's ward. Actions on a referral with no case have no task and are not counted.",
      module: 'panels',
      monthlyCounts: (from, to) => counts.actionsCompleted(from, to),
    },
    {
      key: 'panels:actions-on-time',
      name: 'Panel actions completed by their due date (%)',
      description:
        'Of the panel actions due in the month that are done or past their due date, the share done on or before ' +
        "the due date. By the month due and the referral's ward. An action not yet due and not done waits; " +
        'cancelled tasks and actions with no case task are not counted.',
      unit: 'percent',
      module: 'panels',
      monthlyCounts: (from, to) => counts.actionsOnTime(from, to),
    },
    {
      key: 'tension:entries',
      recordedInSafer: true,
      name: 'Community tension log entries',
      description:
        "Entries in the Tension Monitoring Group's log (evidenced, experienced or potential), by the date reported " +
        'and the ward the entry is about.',
      module: 'panels',
      monthlyCounts: (from, to) => counts.tensionEntries(null, from, to),
    },
    ...TENSION_TIERS.map(([tier, levels]) => ({
      key: `tension:${tier}`,
      recordedInSafer: true,
      name: `Community tension log entries at ${tier} tension (levels ${levels.join(' and ')})`,
      description: `Tension log entries assessed at level ${levels.join(' or ')} of the six-level scale, by the date reported and the ward.`,
      module: 'panels',
      monthlyCounts: (from: string, to: string) => counts.tensionEntries(levels, from, to),
    })),
    ...TENSION_LEVELS.map(level => ({
      key: `tension:level-${String(level)}`,
      recordedInSafer: true,
      name: `Community tension log entries at level ${String(level)}`,
      description: `Tension log entries assessed at level ${String(level)} of the six-level scale, by the date reported and the ward.`,
      module: 'panels',
      monthlyCounts: (from: string, to: string) => counts.tensionEntries([level], from, to),
    })),
  ]
}

/** The three tiers of the six-level tension scale, with their levels (`tensionTier`). */
const TENSION_TIERS = (['low', 'medium', 'high'] as const).map(
  tier => [tier, TENSION_LEVELS.filter(level => tensionTier(level) === tier)] as const,
)

export function panelsModule(options: {
  panels: Panels
  casework: Casework
  geography: GeographyService
  pdf: PdfRenderer
}): SaferModule {
  const { panels, casework, geography } = options
  return {
    name: 'panels',
    routes: [bindRoutes(panelsPlugin, { panels, casework, geography, pdf: options.pdf })],
    navigation: [
      {
        href: panelsPaths.home,
        text: t('panels.nav'),
        roles: ['officer', 'supervisor', 'panel-coordinator', 'partner-read-only', 'administrator'],
        order: 40,
      },
    ],
    casePanels: [
      {
        text: t('panels.caseLink'),
        href: panelsPaths.caseHome,
        roles: ['officer', 'supervisor', 'panel-coordinator'],
        order: 30,
      },
    ],
    indicatorSources: panelIndicatorSources(panels.counts),
  }
}
