export { geographyApiRoutes, geographyPageRoutes, type WardLink } from './geography-routes.js'
export { createGeographyRepository, type GeographyRepository } from './geography-repository.js'
export {
  createGeographyService,
  GeographyNotLoadedError,
  type AreaRef,
  type GeographyService,
  type Location,
  type PoliceForce,
  type Ward,
  type WhereIs,
} from './geography-service.js'
export { PackError, PackSchema } from './geography-pack.js'
export { distanceMetres, type Point } from './geometry.js'
export { formatPostcode, isValidPostcode, normalisePostcode } from './postcode.js'
export { presentAreaMap, type SvgMap } from './geography-presenters.js'
export { geographyPaths } from './geography-paths.js'
export { geographyModule } from './geography-module.js'
