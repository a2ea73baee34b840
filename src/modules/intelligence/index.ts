export {
  createImportService,
  ImportFileError,
  type ImportService,
  type ImportSummary,
  type RejectedRow,
} from './import-service.js'
export { intelligenceDemoSeeder } from './intelligence-demo.js'
export { createIntelligenceRepository, type IntelligenceRepository } from './intelligence-repository.js'
export { normaliseCrimeType, normaliseOutcome } from './police-formats.js'
export { EvaluationError, registerIntelligenceCommands, type IntelligenceCliContext } from './intelligence-cli.js'
export * as hotspots from './hotspots.js'
export {
  evaluateHotspotMethods,
  loadStreetPoints,
  readBoundary,
  DEFAULT_PARAMETERS as DEFAULT_HOTSPOT_PARAMETERS,
} from './hotspot-evaluation.js'
export { createIntelligenceService, type IntelligenceService } from './intelligence-service.js'
export { intelligenceApiRoutes, intelligencePageRoutes } from './intelligence-routes.js'
export { hotspotApiPaths, intelligencePaths } from './intelligence-paths.js'
export { createStreetCrimeCounts, type StreetCrimeCounts } from './street-crime-counts.js'
export {
  createTaskingService,
  type TaskingContext,
  type TaskingSection,
  type TaskingSectionProvider,
  type TaskingService,
} from './tasking-service.js'
export { intelligenceModule, intelligenceIndicatorSources } from './intelligence-module.js'
export {
  createRecordedCrimeCounts,
  recordedCrimeIndicatorSources,
  RECORDED_CRIME_CATEGORIES,
  type RecordedCrimeCounts,
} from './recorded-crime-counts.js'
export { createStopSearchScrutiny, ethnicGroup, type StopSearchScrutinyService } from './stop-search-scrutiny.js'
export { createTaskingDemoSeeder, taskingDemoSeeder } from './tasking-demo.js'
export {
  createPoliceReportFigures,
  type PoliceReportFigures,
  type RecordedCrimePeriod,
  type StopSearchPeriod,
} from './police-report-figures.js'
