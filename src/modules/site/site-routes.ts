import type { FastifyPluginAsync } from 'fastify'

import { geographyPaths, presentAreaMap, type GeographyService } from '../geography/index.js'
import { t } from '../../platform/i18n.js'
import { sitePaths } from './site-paths.js'

export interface HomeLink {
  href: string
  title: string
  description: string
}

export interface SiteRoutesOptions {
  geography: GeographyService
  homeLinks: HomeLink[]
  /**
   * Who residents contact about the service, as words that follow "contact" (the CSP pack's
   * `publicWording.contact`); without it, the council's community safety team.
   */
  contact?: string
  /** The council whose service this is: every page's footer names it, with its logo and website (no Crown). */
  council?: FooterCouncil | null
}

/** The council in the footer (from the CSP pack's letterhead). */
export interface FooterCouncil {
  organisation: string
  website?: string | null
  logoSrc?: string | null
  logoAlt?: string | null
}

/**
 * The public shell: home page, about the data, privacy, cookies and accessibility statement. Other modules add
 * entries to the home page's "what you can do" list through `homeLinks`.
 */
export const siteRoutes: FastifyPluginAsync<SiteRoutesOptions> = async (
  app,
  { geography, homeLinks, contact, council },
) => {
  // The footer is on every page, so the council is a global of the one template environment (partials/footer.njk).
  app.nunjucks.addGlobal('council', council ?? null)
  app.get(sitePaths.home, { config: { access: 'public', audit: false } }, async (_request, reply) => {
    const borough = geography.borough()
    return reply.view('site/views/home.njk', {
      borough,
      homeLinks,
      wards: geography.wards(),
      map: presentAreaMap(geography.wardGeometries(), {
        title: `Map of the ${String(geography.wards().length)} wards of ${borough.shortName}`,
        href: geographyPaths.ward,
      }),
    })
  })

  app.get(sitePaths.aboutTheData, { config: { access: 'public', audit: false } }, async (_request, reply) =>
    reply.view('site/views/about-the-data.njk', {
      borough: geography.borough(),
      attribution: geography.attribution(),
      activeNav: 'about',
    }),
  )

  for (const [path, template] of [
    [sitePaths.privacy, 'privacy'],
    [sitePaths.cookies, 'cookies'],
    [sitePaths.accessibilityStatement, 'accessibility-statement'],
  ] as const) {
    app.get(path, { config: { access: 'public', audit: false } }, async (_request, reply) =>
      reply.view(`site/views/${template}.njk`, {
        borough: geography.borough(),
        contact: contact ?? t('accessibility.defaultContact'),
      }),
    )
  }
}
