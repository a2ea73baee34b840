export { loadCspPack, type CspPack } from './pack-loader.js'
export { describeProblem, validatePack, type PackProblem } from './pack-validate.js'
export { registerPackCommands } from './pack-cli.js'
export {
  HistoricValuesFileSchema,
  IndicatorsFileSchema,
  ManifestSchema,
  PanelsFileSchema,
  PlanFileSchema,
  type CspManifest,
} from './pack-schema.js'
