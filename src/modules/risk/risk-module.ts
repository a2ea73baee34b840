/** What the risk module adds: the victim risk assessment pages, linked from every case page. */
import { bindRoutes, type SaferModule } from '../../platform/module-contract.js'
import { t } from '../../platform/i18n.js'
import type { Casework } from '../casework/index.js'
import { riskIndicatorSources, type RiskCounts } from './risk-counts.js'
import { riskPaths } from './risk-paths.js'
import { riskRoutes } from './risk-routes.js'
import type { RiskService } from './risk-service.js'

export function riskModule(options: { risk: RiskService; casework: Casework; counts: RiskCounts }): SaferModule {
  const { risk, casework, counts } = options
  return {
    name: 'risk',
    routes: [bindRoutes(riskRoutes, { risk, casework })],
    indicatorSources: riskIndicatorSources(counts),
    casePanels: [{ text: t('risk.case.title'), href: riskPaths.caseRisk, order: 10 }],
  }
}
