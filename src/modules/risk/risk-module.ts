/** What the risk module adds: the victim risk assessment pages, linked from every case page. */
import { bindRoutes, type SaferModule } from '../../platform/module-contract.js'
import { t } from '../../platform/i18n.js'
import type { Casework } from '../casework/index.js'
import { riskPaths } from './risk-presenters.js'
import { riskRoutes } from './risk-routes.js'
import type { RiskService } from './risk-service.js'

export function riskModule(options: { risk: RiskService; casework: Casework }): SaferModule {
  return {
    name: 'risk',
    routes: [bindRoutes(riskRoutes, options)],
    casePanels: [{ text: t('risk.case.title'), href: riskPaths.caseRisk, order: 10 }],
  }
}
