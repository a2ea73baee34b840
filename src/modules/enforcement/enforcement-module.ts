/** What enforcement adds: the Public Spaces Protection Order register (staff) and its public pages (ADR 0065). */
import { t } from '../../platform/i18n.js'
import { bindRoutes, type SaferModule } from '../../platform/module-contract.js'
import type { GeographyService } from '../geography/index.js'
import { enforcementPaths } from './enforcement-paths.js'
import { pspoPublicRoutes, pspoStaffRoutes } from './pspo-routes.js'
import type { PspoService } from './pspo-service.js'

export function enforcementModule(options: { pspos: PspoService; geography: GeographyService }): SaferModule {
  return {
    name: 'enforcement',
    routes: [bindRoutes(pspoStaffRoutes, options), bindRoutes(pspoPublicRoutes, options)],
    navigation: [{ href: enforcementPaths.register, text: t('enforcement.nav'), section: '/enforcement', order: 65 }],
    homeTiles: [
      {
        href: enforcementPaths.publicList,
        title: t('enforcement.public.listTitle'),
        description: t('enforcement.public.tile'),
        order: 40,
      },
    ],
  }
}
