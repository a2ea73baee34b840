export { loadCspPack, type CspPack } from './pack-loader.js'
export { describeProblem, validatePack, type PackProblem } from './pack-validate.js'
export { registerPackCommands } from './pack-cli.js'
export {
  HistoricValuesFileSchema,
  IndicatorsFileSchema,
  LetterheadSchema,
  ManifestSchema,
  PanelsFileSchema,
  PlanFileSchema,
  PoliciesFileSchema,
  type CspManifest,
  type Letterhead,
  type PackLetterhead,
} from './pack-schema.js'
