export { createPowers } from './powers.js'
export { powersRoutes } from './powers-routes.js'
export { powersPaths } from './powers-paths.js'
export { createPowersService, type PowersService } from './powers-service.js'
export {
  DEFAULT_POWERS_POLICY,
  POWER_CODES,
  PowersPolicyChangesSchema,
  powersPolicyChangeProblems,
  withLocalPowersChanges,
  type PowersPolicyChanges,
  type PowerCode,
  type PowerRule,
  type PowersPolicy,
} from './powers-policy.js'
export { powersModule } from './powers-module.js'
export { createPowersCounts, powersIndicatorSources, type PowersCounts } from './powers-counts.js'
export { powersDemoSeeder } from './powers-demo.js'
export { powersClosureFacts } from './powers-closure.js'
