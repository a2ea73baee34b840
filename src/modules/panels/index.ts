export {
  createPanels,
  connectRiskReferrals,
  type Panels,
  type RiskMaracReferral,
  type RiskReferralHook,
} from './panels.js'
export { PanelsError, type PanelReferralInput, type PanelsErrorCode, type PanelsService } from './panels-service.js'
export { panelsPlugin, panelsRoutes, type PanelsPluginOptions } from './panels-plugin.js'
export type { PanelsRouteOptions } from './panels-route-support.js'
export { panelsCaseRoutes } from './case-routes.js'
export { panelsCommunityRoutes } from './community-routes.js'
export { panelsPaths } from './panels-paths.js'
export { panelsDemoSeeder } from './panels-demo.js'
export { DEFAULT_MARAC_POLICY, DASH_TOPICS, type MaracPolicy } from './marac-rules.js'
export type { ReferralRow as PanelReferralRow } from './panels-repository.js'
export { PANEL_KINDS, type PanelTypeConfig } from './panel-types.js'
export { PANEL_PARTS, panelAllowed, isMember, type PanelPart } from './panel-access.js'
export { panelsModule, panelIndicatorSources } from './panels-module.js'
export { createPanelReportFigures, type PanelPeriodFigures, type PanelReportFigures } from './panel-report-figures.js'
export { panelsClosureFacts } from './panels-closure.js'
export { createPanelsAlertSource } from './panels-alert-source.js'
export { nextMeetingOn, previousMeetingOn, parseCadence } from './cadence.js'
