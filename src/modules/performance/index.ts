export { performanceApiRoutes, performancePageRoutes, performancePaths } from './performance-routes.js'
export { createPerformanceRepository, type PerformanceRepository } from './performance-repository.js'
export {
  createPerformanceService,
  PerformanceInputError,
  type ActivitySource,
  type PerformanceService,
} from './performance-service.js'
export { performanceDemoSeeder } from './performance-seeder.js'
export {
  definitionOf,
  type ActionSeed,
  type HistoricValueSet,
  type IndicatorSeed,
  type IndicatorSource,
  type OutcomeSeed,
  type PerformancePlan,
  type PrioritySeed,
} from './performance-plan.js'
export * from './kpi-engine.js'
export {
  createSourceRegistry,
  SourceRegistryError,
  type CountSource,
  type MonthlyCount,
  type SourceRegistry,
} from './source-registry.js'
export { SURVEY_CSV_HEADER } from './survey-import.js'
export { performanceModule } from './performance-module.js'
