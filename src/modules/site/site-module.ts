/** What the site module adds: the public shell (home page, about the data, privacy, cookies, accessibility). */
import { bindRoutes, type HomeTile, type SaferModule } from '../../platform/module-contract.js'
import type { GeographyService } from '../geography/index.js'
import { siteRoutes, type FooterCouncil } from './site-routes.js'

export function siteModule(options: {
  geography: GeographyService
  /** Every module's home tiles, in order (the composition root collects them). */
  homeTiles: readonly HomeTile[]
  /** Who residents contact about the service (the CSP pack's `publicWording.contact`). */
  contact?: string
  /** The council whose service this is, for every page's footer (the CSP pack's letterhead); null: none. */
  council?: FooterCouncil | null
}): SaferModule {
  const homeLinks = options.homeTiles.map(({ href, title, description }) => ({ href, title, description }))
  return {
    name: 'site',
    routes: [
      bindRoutes(siteRoutes, {
        geography: options.geography,
        homeLinks,
        contact: options.contact,
        council: options.council ?? null,
      }),
    ],
  }
}
