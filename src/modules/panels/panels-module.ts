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
  ]
}

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
