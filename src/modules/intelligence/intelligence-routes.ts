/**
 * The hotspot page (/intelligence/hotspots: filters, ward and LSOA tables, ranked places, a map as progressive
 * enhancement) and its JSON and GeoJSON API. Everything shown is aggregated police.uk open data: no personal data.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import { t } from '../../platform/i18n.js'
import { presentHotspotPage, validateHotspotQuery, type HotspotQueryInput } from './intelligence-presenters.js'
import { HOTSPOT_METHODS, type IntelligenceService } from './intelligence-service.js'

export const intelligencePaths = {
  hotspots: '/intelligence/hotspots',
} as const

const MONTH = '^\\d{4}-(0[1-9]|1[0-2])$'

const ApiQuery = Type.Object({
  crimeType: Type.Optional(Type.String({ maxLength: 60 })),
  from: Type.Optional(Type.String({ pattern: MONTH })),
  to: Type.Optional(Type.String({ pattern: MONTH })),
  method: Type.Optional(Type.Union(HOTSPOT_METHODS.map(method => Type.Literal(method)))),
})

export const intelligencePageRoutes: FastifyPluginAsyncTypebox<{ intelligence: IntelligenceService }> = async (
  app,
  { intelligence },
) => {
  app.get(intelligencePaths.hotspots, { config: { access: 'public', audit: false } }, async (request, reply) => {
    const input = request.query as HotspotQueryInput
    const [months, crimeTypes] = await Promise.all([intelligence.months(), intelligence.crimeTypes()])
    const checked = validateHotspotQuery(input, months)
    if (!checked.ok) {
      reply.code(400)
      return reply.view('intelligence/views/hotspots.njk', {
        ...presentHotspotPage({ input, months, crimeTypes, summary: null }),
        errors: checked.errors,
        errorSummary: Object.entries(checked.errors).map(([field, text]) => ({ text, href: `#${field}` })),
      })
    }
    const summary = months.length === 0 ? null : await intelligence.hotspots(checked.query)
    return reply.view('intelligence/views/hotspots.njk', presentHotspotPage({ input, months, crimeTypes, summary }))
  })
}

export const intelligenceApiRoutes: FastifyPluginAsyncTypebox<{ intelligence: IntelligenceService }> = async (
  app,
  { intelligence },
) => {
  async function run(query: HotspotQueryInput) {
    const checked = validateHotspotQuery(query, await intelligence.months())
    if (!checked.ok) return { error: checked.errors }
    return { summary: await intelligence.hotspots(checked.query) }
  }

  app.get(
    '/',
    {
      config: { access: 'public', audit: false },
      schema: {
        tags: ['hotspots'],
        summary: 'Where imported police.uk crime concentrates: wards, LSOAs and the top places',
        querystring: ApiQuery,
      },
    },
    async (request, reply) => {
      const result = await run(request.query)
      if ('error' in result)
        return reply
          .code(400)
          .send({ error: 'invalid_query', message: t('intelligence.errors.invalid'), fields: result.error })
      const { query, crimes, wards, lsoas, places, trend } = result.summary
      return { query, crimes, wards, lsoas, places, trend }
    },
  )

  app.get(
    '/surface.geojson',
    {
      config: { access: 'public', audit: false },
      schema: {
        tags: ['hotspots'],
        summary: 'The hotspot surface as a GeoJSON FeatureCollection of grid cells with rank and score',
        querystring: ApiQuery,
      },
    },
    async (request, reply) => {
      const result = await run(request.query)
      if ('error' in result)
        return reply
          .code(400)
          .send({ error: 'invalid_query', message: t('intelligence.errors.invalid'), fields: result.error })
      return reply.type('application/geo+json; charset=utf-8').send(result.summary.surface)
    },
  )
}
