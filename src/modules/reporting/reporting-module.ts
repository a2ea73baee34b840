/**
 * What reporting adds: the resident's report journey, tracking and ward pages, the staff report pages, two tiles on
 * the public home page, and reports received as indicator sources (docs/performance-sources.md).
 */
import { bindRoutes, type IndicatorSource, type SaferModule } from '../../platform/module-contract.js'
import { t } from '../../platform/i18n.js'
import type { ReportCounts, ReportFilter } from './report-counts.js'
import { reportingPaths } from './reporting-paths.js'
import { reportingPlugin, type ReportingRoutesOptions } from './reporting-plugin.js'

const CHANNELS: readonly [NonNullable<ReportFilter['channel']>, string][] = [
  ['web', 'ASB reports made online'],
  ['open311', 'ASB reports received through Open311 (FixMyStreet and other apps)'],
  ['phone', 'ASB reports taken by phone'],
  ['partner', 'ASB reports passed on by partners'],
]

/** The national standard for incident recording's three qualifiers of ASB. */
const QUALIFIERS: readonly [NonNullable<ReportFilter['qualifier']>, string][] = [
  ['personal', 'Personal ASB reports (aimed at a person or group)'],
  ['nuisance', 'Nuisance ASB reports (affecting a community)'],
  ['environmental', 'Environmental ASB reports (affecting places and spaces)'],
]

export function reportingIndicatorSources(counts: ReportCounts): IndicatorSource[] {
  return [
    {
      key: 'reports:all',
      name: 'ASB reports received by Safer',
      module: 'reporting',
      description:
        "Counted from Safer's reports: every ASB report received in the month (London time of receipt), by the ward of the place reported.",
      recordedInSafer: true,
      monthlyCounts: (from, to) => counts.monthly(from, to),
    },
    {
      key: 'reports:hate',
      name: 'Reports received by Safer that the reporter says were motivated by hate',
      module: 'reporting',
      description:
        "Counted from Safer's reports: reports received in the month that the reporter said were motivated by hate, by the ward of the place reported.",
      recordedInSafer: true,
      monthlyCounts: (from, to) => counts.monthly(from, to, { hate: true }),
    },
    ...CHANNELS.map(([channel, name]) => ({
      key: `reports:channel-${channel}`,
      name,
      module: 'reporting',
      description: `Counted from Safer's reports: reports received in the month through the ${channel === 'open311' ? 'Open311' : channel} channel, by the ward of the place reported.`,
      recordedInSafer: true,
      monthlyCounts: (from: string, to: string) => counts.monthly(from, to, { channel }),
    })),
    ...QUALIFIERS.map(([qualifier, name]) => ({
      key: `reports:${qualifier}`,
      name,
      module: 'reporting',
      description: `Counted from Safer's reports: reports received in the month that staff classed as ${qualifier} ASB (the national standard's qualifier), by the ward of the place reported.`,
      recordedInSafer: true,
      monthlyCounts: (from: string, to: string) => counts.monthly(from, to, { qualifier }),
    })),
    {
      key: 'reports:repeat-callers',
      recordedInSafer: true,
      name: 'Repeat callers: people who reported ASB again within 14 days, or a third time within 91 days',
      description:
        'People (not reports) with at least one report in the month that was their second report to Safer within ' +
        '14 days or their third within 91 days, as intake flags it when the report arrives. Each person counts ' +
        'once a month, in the ward of their latest such report; someone who repeats in two months counts in both. ' +
        'Anonymous reports cannot be linked to a person and never count.',
      module: 'reporting',
      monthlyCounts: (from, to) => counts.repeats('callers', from, to),
    },
    {
      key: 'reports:repeat-locations',
      recordedInSafer: true,
      name: 'Repeat locations: places reported again within 14 days, or a third time within 91 days',
      description:
        'Places (about 100 m squares) with at least one report in the month that intake flagged as a repeat ' +
        'location: a second report within 100 m in 14 days, or a third within 91 days. Each square counts once a ' +
        'month, in the ward of its latest such report. Reports with no map point (only a description) never count.',
      module: 'reporting',
      monthlyCounts: (from, to) => counts.repeats('locations', from, to),
    },
  ]
}

export function reportingModule(options: ReportingRoutesOptions & { counts: ReportCounts }): SaferModule {
  const { counts, ...routeOptions } = options
  return {
    name: 'reporting',
    routes: [bindRoutes(reportingPlugin, routeOptions)],
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
