import type { FastifyPluginAsync } from 'fastify'

import { geographyPaths, presentAreaMap, type GeographyService } from '../geography/index.js'

export interface HomeLink {
  href: string
  title: string
  description: string
}

/**
 * The public shell: home page, about the data, privacy, cookies and accessibility statement. Other modules add
 * entries to the home page's "what you can do" list through `homeLinks`.
 */
export const siteRoutes: FastifyPluginAsync<{ geography: GeographyService; homeLinks: HomeLink[] }> = async (
  app,
  { geography, homeLinks },
) => {
  app.get('/', { config: { access: 'public', audit: false } }, async (_request, reply) => {
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

  app.get(geographyPaths.aboutTheData, { config: { access: 'public', audit: false } }, async (_request, reply) =>
    reply.view('site/views/about-the-data.njk', {
      borough: geography.borough(),
      attribution: geography.attribution(),
      activeNav: 'about',
    }),
  )

  for (const [path, template] of [
    ['/privacy', 'privacy'],
    ['/cookies', 'cookies'],
    ['/accessibility-statement', 'accessibility-statement'],
  ] as const) {
    app.get(path, { config: { access: 'public', audit: false } }, async (_request, reply) =>
      reply.view(`site/views/${template}.njk`, { borough: geography.borough() }),
    )
  }
}
