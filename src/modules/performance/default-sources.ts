/**
 * The count sources Safer registers out of the box, over its own records: reports received (the reporting module)
 * and imported police.uk street records (the intelligence module). The composition root passes each module's
 * aggregate functions in; this module never imports them. Other modules register theirs the same way
 * (docs/performance-sources.md).
 */
import type { MonthlyCount, SourceRegistry } from './source-registry.js'

export interface SaferCounts {
  reports: { monthly(from: string, to: string, filter?: { hate?: boolean }): Promise<MonthlyCount[]> }
  policeStreet: {
    monthlyStreet(crimeType: string, from: string, to: string): Promise<MonthlyCount[]>
    latestStreetMonthEnd(): Promise<string | null>
  }
}

/** police.uk street crime types that partnership indicators commonly count. */
const POLICE_STREET_TYPES: [string, string][] = [
  ['anti-social-behaviour', 'Anti-social behaviour recorded by the police (police.uk)'],
  ['violence-and-sexual-offences', 'Violence and sexual offences (police.uk)'],
  ['burglary', 'Burglary (police.uk)'],
  ['robbery', 'Robbery (police.uk)'],
  ['drugs', 'Drugs offences (police.uk)'],
  ['possession-of-weapons', 'Possession of weapons (police.uk)'],
]

export function registerSaferSources(registry: SourceRegistry, counts: SaferCounts): void {
  registry.register({
    key: 'reports:all',
    name: 'ASB reports received by Safer',
    module: 'reporting',
    monthlyCounts: (from, to) => counts.reports.monthly(from, to),
  })
  registry.register({
    key: 'reports:hate',
    name: 'Reports received by Safer that the reporter says were motivated by hate',
    module: 'reporting',
    monthlyCounts: (from, to) => counts.reports.monthly(from, to, { hate: true }),
  })
  for (const [crimeType, name] of POLICE_STREET_TYPES) {
    registry.register({
      key: `police-street:${crimeType}`,
      name,
      module: 'intelligence',
      monthlyCounts: (from, to) => counts.policeStreet.monthlyStreet(crimeType, from, to),
      latestMonthEnd: () => counts.policeStreet.latestStreetMonthEnd(),
    })
  }
}
