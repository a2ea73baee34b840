/** What Open311 adds: the GeoReport v2 API under /open311 (docs/open311.md). */
import { bindRoutes, type SaferModule } from '../../platform/module-contract.js'
import { open311Routes, type Open311RouteOptions } from './open311-routes.js'

export function open311Module(options: Open311RouteOptions): SaferModule {
  return { name: 'open311', routes: [bindRoutes(open311Routes, options, { prefix: '/open311' })] }
}
