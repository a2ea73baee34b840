/**
 * Public, anonymised counts for a ward (/wards/:code/reports): categories only, no points, no people, and small
 * counts of sensitive types suppressed (with secondary suppression so the total cannot give them away:
 * docs/public-data.md).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import { geographyPaths, presentAreaMap, type GeographyService } from '../geography/index.js'
import { view } from './journey-session.js'
import type { Reporting } from './reporting.js'
import { reportingPaths } from './reporting-paths.js'
import { presentWardCounts } from './reporting-presenters.js'

export interface WardReportRoutesOptions {
  reporting: Reporting
  geography: GeographyService
  /** Public counts of sensitive types below this are suppressed (PUBLIC_SMALL_NUMBER_THRESHOLD). */
  smallNumberThreshold?: number
}

export const wardReportRoutes: FastifyPluginAsyncTypebox<WardReportRoutesOptions> = async (app, options) => {
  const { geography } = options
  const { reports } = options.reporting

  app.get(
    reportingPaths.routes.wardReports,
    {
      config: { access: 'public', audit: false },
      schema: { params: Type.Object({ code: Type.String({ maxLength: 20 }) }) },
    },
    async (request, reply) => {
      const ward = geography.ward(request.params.code)
      if (!ward) return reply.callNotFound()
      const borough = geography.borough()
      const { since, counts } = await reports.wardCounts(ward.code, 12)
      const threshold = options.smallNumberThreshold ?? 3
      const table = presentWardCounts(counts, threshold)
      return reply.view(view('ward-reports'), {
        borough,
        ward,
        since,
        ...table,
        lsoas: geography.lsoas(2021).filter(lsoa => lsoa.wardCode === ward.code),
        map: presentAreaMap(geography.wardGeometries(), {
          title: `Map of ${borough.shortName} with ${ward.name} highlighted`,
          href: geographyPaths.ward,
          highlight: ward.code,
          width: 480,
        }),
      })
    },
  )
}
