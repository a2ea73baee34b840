/**
 * What casework adds to the application: the officer home page, triage, cases, allocation rules and the check-in,
 * the first three sections of the staff navigation, and the guard that keeps reports under the case access policy
 * (ADR 0019). Other modules' case-page panels are collected by the composition root into `casework.registerCaseLink`.
 */
import { bindRoutes, type SaferModule } from '../../platform/module-contract.js'
import { t } from '../../platform/i18n.js'
import { caseworkIndicatorSources, type CaseCounts } from './case-counts.js'
import { caseworkPaths } from './casework-paths.js'
import { caseworkPages, type CaseworkPagesOptions } from './casework-plugin.js'

export function caseworkModule(options: CaseworkPagesOptions & { counts: CaseCounts }): SaferModule {
  const { counts, ...pageOptions } = options
  return {
    name: 'casework',
    routes: [bindRoutes(caseworkPages, pageOptions)],
    navigation: [
      { href: caseworkPaths.home, text: t('casework.nav.home'), order: 10 },
      { href: caseworkPaths.triage, text: t('casework.nav.triage'), roles: ['officer', 'supervisor'], order: 20 },
      { href: caseworkPaths.cases, text: t('casework.nav.cases'), order: 30 },
    ],
    resourceGuards: { report: options.reportAccess.guard },
    indicatorSources: caseworkIndicatorSources(counts),
  }
}
