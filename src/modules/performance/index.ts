export { performanceApiRoutes, performancePageRoutes, performancePages } from './performance-plugin.js'
export { editingPaths, performancePaths, reportPaths, reportRoutePaths } from './performance-paths.js'
export { createPerformanceRepository, type PerformanceRepository } from './performance-repository.js'
export {
  createPerformance,
  createPerformanceService,
  PerformanceInputError,
  type ActivitySource,
  type PerformanceService,
} from './performance-service.js'
export { type PerformanceErrorCode } from './performance-errors.js'
export { performanceErrorText } from './performance-presenters.js'
export { createPerformanceDemo, performanceDemoSeeder } from './performance-demo.js'
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
export {
  reportRecordFigures,
  type PanelPeriodLine,
  type RecordedCrimeFigures,
  type ReportRecordSources,
  type StopSearchFigures,
} from './report-records.js'
