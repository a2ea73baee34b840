/** GET /intelligence/stop-search: the scrutiny page (staff; aggregates only, so nothing to audit per record). */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { t } from '../../platform/i18n.js'
import type { GeographyService } from '../geography/index.js'
import { intelligencePaths } from './intelligence-paths.js'
import { addSectionNavigation } from './intelligence-routes.js'
import { monthLabel, presentScrutiny } from './stop-search-presenters.js'
import type { StopSearchScrutinyService } from './stop-search-scrutiny.js'

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/

const Query = Type.Object({ from: Type.Optional(Type.String()), to: Type.Optional(Type.String()) })

export const stopSearchRoutes: FastifyPluginAsyncTypebox<{
  scrutiny: StopSearchScrutinyService
  geography: GeographyService
}> = async (app, { scrutiny, geography }) => {
  addSectionNavigation(app)

  app.get(
    intelligencePaths.stopSearch,
    { schema: { querystring: Query }, config: { access: 'staff', audit: false } },
    async (request, reply) => {
      const force = geography.borough().policeForce
      const held = await scrutiny.months(force.slug)
      if (held.length === 0) {
        return reply.view('intelligence/views/stop-search.njk', {
          nothingImported: t('intelligence.stopSearch.none', { force: force.name }),
        })
      }
      const newest = held[0] ?? ''
      const defaultFrom = held[Math.min(11, held.length - 1)] ?? newest
      const given = (value: string | undefined) => (value?.trim() ? value.trim() : undefined)
      const values = { from: given(request.query.from) ?? defaultFrom, to: given(request.query.to) ?? newest }
      const errors: Record<string, string> = {}
      if (!MONTH.test(values.from)) errors.from = t('intelligence.stopSearch.errors.from')
      if (!MONTH.test(values.to)) errors.to = t('intelligence.stopSearch.errors.to')
      if (!errors.from && !errors.to && values.from > values.to) errors.to = t('intelligence.stopSearch.errors.order')
      const monthItems = (selected: string) =>
        [...held].reverse().map(month => ({ value: month, text: monthLabel(month), selected: month === selected }))
      const form = { fromItems: monthItems(values.from), toItems: monthItems(values.to) }
      if (Object.keys(errors).length > 0) {
        reply.code(400)
        return reply.view('intelligence/views/stop-search.njk', {
          ...form,
          errors,
          errorSummary: Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` })),
        })
      }
      const figures = await scrutiny.scrutiny({ force: force.slug, from: values.from, to: values.to })
      return reply.view('intelligence/views/stop-search.njk', {
        ...form,
        figures: presentScrutiny(figures, geography.wards()),
      })
    },
  )
}
