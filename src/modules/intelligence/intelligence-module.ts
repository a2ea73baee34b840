/**
 * What intelligence adds: the hotspots API (/api/v1/hotspots), the intelligence section (hotspots, when, tasking,
 * imports), and imported police.uk street records as indicator sources (docs/performance-sources.md).
 */
import { bindRoutes, type IndicatorSource, type SaferModule } from '../../platform/module-contract.js'
import { t } from '../../platform/i18n.js'
import type { CrimeCounts } from './crime-counts.js'
import { stopSearchRoutes } from './stop-search-routes.js'
import type { StopSearchScrutinyService } from './stop-search-scrutiny.js'
import { recordedCrimeIndicatorSources, type RecordedCrimeCounts } from './recorded-crime-counts.js'
import { intelligencePaths } from './intelligence-paths.js'
import { intelligenceApiRoutes, intelligencePageRoutes, type IntelligencePageOptions } from './intelligence-routes.js'

/** police.uk street crime types that partnership indicators commonly count. */
const POLICE_STREET_TYPES: [string, string][] = [
  ['anti-social-behaviour', 'Anti-social behaviour recorded by the police (police.uk)'],
  ['violence-and-sexual-offences', 'Violence and sexual offences (police.uk)'],
  ['burglary', 'Burglary (police.uk)'],
  ['robbery', 'Robbery (police.uk)'],
  ['drugs', 'Drugs offences (police.uk)'],
  ['possession-of-weapons', 'Possession of weapons (police.uk)'],
]

export function intelligenceIndicatorSources(counts: CrimeCounts): IndicatorSource[] {
  return POLICE_STREET_TYPES.map(([crimeType, name]) => ({
    key: `police-street:${crimeType}`,
    name,
    module: 'intelligence',
    description: `Counted from the imported police.uk street-level records of ${crimeType.replaceAll('-', ' ')}, by the month police.uk gives and the ward the record's location lies in. Only months an imported file covers have figures.`,
    monthlyCounts: (from, to) => counts.monthlyStreet(crimeType, from, to),
    latestMonthEnd: () => counts.latestStreetMonthEnd(),
  }))
}

export function intelligenceModule(
  options: IntelligencePageOptions & {
    counts: CrimeCounts
    recordedCrime: RecordedCrimeCounts
    stopSearch: StopSearchScrutinyService
  },
): SaferModule {
  const { counts, recordedCrime, stopSearch, ...pageOptions } = options
  return {
    name: 'intelligence',
    routes: [
      bindRoutes(
        intelligenceApiRoutes,
        { intelligence: options.intelligence, geography: options.geography },
        { api: true, prefix: '/hotspots' },
      ),
      bindRoutes(intelligencePageRoutes, pageOptions),
      bindRoutes(stopSearchRoutes, { scrutiny: stopSearch, geography: options.geography }),
    ],
    navigation: [
      { href: intelligencePaths.tasking, text: t('intelligence.nav.section'), section: '/intelligence', order: 60 },
    ],
    indicatorSources: [...intelligenceIndicatorSources(counts), ...recordedCrimeIndicatorSources(recordedCrime)],
  }
}
