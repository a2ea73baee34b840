/**
 * What reporting adds: the resident's report journey, tracking and ward pages, the staff report pages, two tiles on
 * the public home page, and reports received as indicator sources (docs/performance-sources.md).
 */
import { bindRoutes, type IndicatorSource, type SaferModule } from '../../platform/module-contract.js'
import { t } from '../../platform/i18n.js'
import type { ReportCounts } from './report-counts.js'
import { reportingPaths } from './reporting-paths.js'
import { reportingRoutes } from './reporting-routes.js'

export type ReportingRoutesOptions = Parameters<typeof reportingRoutes>[1]

export function reportingIndicatorSources(counts: ReportCounts): IndicatorSource[] {
  return [
    {
      key: 'reports:all',
      name: 'ASB reports received by Safer',
      module: 'reporting',
      monthlyCounts: (from, to) => counts.monthly(from, to),
    },
    {
      key: 'reports:hate',
      name: 'Reports received by Safer that the reporter says were motivated by hate',
      module: 'reporting',
      monthlyCounts: (from, to) => counts.monthly(from, to, { hate: true }),
    },
  ]
}

export function reportingModule(options: ReportingRoutesOptions & { counts: ReportCounts }): SaferModule {
  const { counts, ...routeOptions } = options
  return {
    name: 'reporting',
    routes: [bindRoutes(reportingRoutes, routeOptions)],
    homeTiles: [
      {
        href: reportingPaths.start,
        title: t('report.home.reportTitle'),
        description: t('report.home.reportDescription'),
        order: 10,
      },
      {
        href: reportingPaths.track,
        title: t('report.home.trackTitle'),
        description: t('report.home.trackDescription'),
        order: 20,
      },
    ],
    indicatorSources: reportingIndicatorSources(counts),
  }
}
