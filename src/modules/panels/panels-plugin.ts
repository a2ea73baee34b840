/**
 * Every panels page, registered together, one plugin per resource: the panels index and a panel's page, a panel's
 * settings, referrals (with their chronology), meetings (attendance and agenda), agenda items (minutes and actions),
 * the panels pages of a case (referring, the DA MARAC checklist, safe contact, a hate incident on a case) and the
 * community pages (tension log, hate incidents).
 */
import type { FastifyPluginAsync } from 'fastify'

import type { GeographyService } from '../geography/index.js'
import { panelsCaseRoutes } from './case-routes.js'
import { panelsCommunityRoutes } from './community-routes.js'
import type { CommunityService } from './community-service.js'
import type { MaracService } from './marac-service.js'
import { panelsItemRoutes } from './panels-item-routes.js'
import { panelsMeetingRoutes } from './panels-meeting-routes.js'
import { panelsPanelRoutes } from './panels-panel-routes.js'
import { panelsReferralRoutes } from './panels-referral-routes.js'
import type { PanelsRouteOptions } from './panels-route-support.js'
import { panelsSettingsRoutes } from './panels-settings-routes.js'

/** The panel engine's pages under /panels (index, panel, settings, referrals, meetings, agenda items). */
export const panelsRoutes: FastifyPluginAsync<PanelsRouteOptions> = async (app, options) => {
  await app.register(panelsPanelRoutes, options)
  await app.register(panelsSettingsRoutes, options)
  await app.register(panelsReferralRoutes, options)
  await app.register(panelsMeetingRoutes, options)
  await app.register(panelsItemRoutes, options)
}

/** What every panels page together needs: `createPanels(...)`'s result, casework, geography and the PDF renderer. */
export interface PanelsPluginOptions extends Omit<PanelsRouteOptions, 'panels'> {
  panels: { service: PanelsRouteOptions['panels']; marac: MaracService; community: CommunityService }
  geography: GeographyService
}

/** All the panels pages with one options object: `app.register(panelsPlugin, { panels, casework, geography, pdf })`. */
export const panelsPlugin: FastifyPluginAsync<PanelsPluginOptions> = async (app, options) => {
  const { panels, casework, geography, pdf } = options
  await app.register(panelsRoutes, { panels: panels.service, casework, pdf })
  await app.register(panelsCaseRoutes, {
    panels: panels.service,
    marac: panels.marac,
    community: panels.community,
    casework,
    geography,
  })
  await app.register(panelsCommunityRoutes, { panels: panels.service, community: panels.community, geography })
}
