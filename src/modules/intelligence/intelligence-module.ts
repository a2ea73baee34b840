/**
 * What intelligence adds: the hotspots API (/api/v1/hotspots), the intelligence section (hotspots, when, tasking,
 * imports), and imported police.uk street records as indicator sources (docs/performance-sources.md).
 */
import { bindRoutes, type IndicatorSource, type SaferModule } from '../../platform/module-contract.js'
import { t } from '../../platform/i18n.js'
import { stopSearchRoutes } from './stop-search-routes.js'
import type { StopSearchScrutinyService } from './stop-search-scrutiny.js'
import { streetCrimeIndicatorSources, type StreetCrimeCounts } from './street-crime-counts.js'
import { recordedCrimeIndicatorSources, type RecordedCrimeCounts } from './recorded-crime-counts.js'
import { intelligencePaths } from './intelligence-paths.js'
import { intelligenceApiRoutes, intelligencePageRoutes, type IntelligencePageOptions } from './intelligence-routes.js'

/** Imported police.uk street records by category, and tasking decisions (street-crime-counts.ts). */
export function intelligenceIndicatorSources(counts: StreetCrimeCounts): IndicatorSource[] {
  return streetCrimeIndicatorSources(counts)
}

export function intelligenceModule(
  options: IntelligencePageOptions & {
    counts: StreetCrimeCounts
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
