export {
  createAccountsService,
  auditSessionId,
  AccountsError,
  type AccountsService,
  type AccountsPolicy,
} from './accounts-service.js'
export { VersionConflictError, type UserRecord } from './accounts-repository.js'
export { authPlugin, SESSION_COOKIE, type StaffNavigationItem } from './auth-plugin.js'
export { accountsRoutes } from './accounts-routes.js'
export { accountsAdminRoutes } from './admin-routes.js'
export { accountsPages, type AccountsPagesOptions } from './accounts-plugin.js'
export { accountsPaths } from './accounts-paths.js'
export { registerAccountsCommands, AccountsCliError } from './accounts-cli.js'
export {
  accountsDemoSeeder,
  DEMO_PARTNERS,
  DEMO_PASSWORD,
  DEMO_TEAMS,
  DEMO_TOTP_SECRET,
  DEMO_USERS,
} from './accounts-demo.js'
export { totpCode } from './totp.js'
export { ROLES, PARTNER_KINDS, hasAnyRole, isRole, type Role, type RouteAccess, type StaffUser } from './roles.js'
export { accountsModule, type AccountsModuleOptions } from './accounts-module.js'
export {
  STAFF_ALERT_DELIVERIES,
  STAFF_ALERT_EVENTS,
  STAFF_ALERT_TEMPLATES,
  startStaffAlertSchedule,
  type StaffAlert,
  type StaffAlertDelivery,
  type StaffAlertEvent,
  type StaffAlertSource,
  type StaffAlerts,
} from './staff-alerts.js'
