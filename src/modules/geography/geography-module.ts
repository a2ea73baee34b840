/** What geography adds: the public areas API (/api/v1/areas) and the ward pages. */
import { bindRoutes, type SaferModule } from '../../platform/module-contract.js'
import { geographyApiRoutes, geographyPageRoutes, type WardLink } from './geography-routes.js'
import type { GeographyService } from './geography-service.js'

export function geographyModule(options: {
  geography: GeographyService
  /** Links other modules add to every ward page (reporting: the ward's reports). */
  wardLinks: WardLink[]
}): SaferModule {
  const { geography } = options
  return {
    name: 'geography',
    routes: [
      bindRoutes(geographyApiRoutes, { geography }, { api: true, prefix: '/areas' }),
      bindRoutes(geographyPageRoutes, { geography, wardLinks: options.wardLinks }),
    ],
  }
}
