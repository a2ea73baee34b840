/** What the powers module adds: the ASB powers ladder and its letters, linked from every case page. */
import { bindRoutes, type SaferModule } from '../../platform/module-contract.js'
import { t } from '../../platform/i18n.js'
import type { PdfRenderer } from '../../platform/pdf.js'
import type { Casework } from '../casework/index.js'
import { powersIndicatorSources, type PowersCounts } from './powers-counts.js'
import { powersPaths } from './powers-paths.js'
import { powersRoutes } from './powers-routes.js'
import type { PowersService } from './powers-service.js'

export function powersModule(options: {
  powers: PowersService
  casework: Casework
  pdf: PdfRenderer
  counts: PowersCounts
}): SaferModule {
  const { counts, ...routeOptions } = options
  return {
    name: 'powers',
    routes: [bindRoutes(powersRoutes, routeOptions)],
    indicatorSources: powersIndicatorSources(counts),
    casePanels: [{ text: t('powers.ladder.title'), href: caseId => powersPaths.ladder(caseId), order: 20 }],
  }
}
