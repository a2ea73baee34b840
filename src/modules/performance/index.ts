export { performanceApiRoutes, performancePageRoutes, performancePaths } from './performance-routes.js'
export { createPerformanceRepository, type PerformanceRepository } from './performance-repository.js'
export {
  createPerformanceService,
  PerformanceInputError,
  type ActivitySource,
  type PerformanceService,
} from './performance-service.js'
export { performanceDemoSeeder } from './performance-seeder.js'
export { DEFAULT_INDICATORS, DEFAULT_PRIORITIES, DECK_AS_AT, DECK_FIGURES } from './default-indicators.js'
export * from './kpi-engine.js'
export {
  createSourceRegistry,
  SourceRegistryError,
  type CountSource,
  type MonthlyCount,
  type SourceRegistry,
} from './source-registry.js'
export { registerSaferSources, type SaferCounts } from './default-sources.js'
export { SURVEY_CSV_HEADER } from './survey-import.js'
