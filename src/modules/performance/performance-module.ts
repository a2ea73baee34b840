/** What performance adds: the indicators API, the dashboard, indicator pages, editing and the KPI report. */
import { bindRoutes, type SaferModule } from '../../platform/module-contract.js'
import { t } from '../../platform/i18n.js'
import type { PdfRenderer } from '../../platform/pdf.js'
import type { GeographyService } from '../geography/index.js'
import { performancePaths } from './performance-paths.js'
import { performanceApiRoutes, performancePages } from './performance-plugin.js'
import type { PerformanceService } from './performance-service.js'
import type { ReportRecordSources } from './report-records.js'

export function performanceModule(options: {
  performance: PerformanceService
  geography: GeographyService
  pdf: PdfRenderer
  /** What the generated reports read from other modules' records: passed in so performance imports none of them. */
  records?: ReportRecordSources
}): SaferModule {
  const { performance } = options
  return {
    name: 'performance',
    routes: [bindRoutes(performanceApiRoutes, { performance }, { api: true }), bindRoutes(performancePages, options)],
    navigation: [{ href: performancePaths.dashboard, text: t('nav.performance'), order: 70 }],
  }
}
