/** The statutory annual figures, public: an HTML table and the same counts as CSV (counts only, no records). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { caseReviewPaths as paths } from './case-review-paths.js'
import { csvHeaders, presentFigures } from './case-review-presenters.js'
import { view, type CaseReviewRouteOptions } from './case-review-route-support.js'
import { figuresCsv } from './publication.js'

export const caseReviewFiguresRoutes: FastifyPluginAsyncTypebox<CaseReviewRouteOptions> = async (
  app,
  { caseReview },
) => {
  const { policy } = caseReview

  app.get(paths.figures, { config: { access: 'public', audit: false } }, async (_request, reply) => {
    const years = await caseReview.figures()
    return reply.view(view('figures'), { ...presentFigures(years, policy.yearStartMonth), paths })
  })

  app.get(paths.figuresCsv, { config: { access: 'public', audit: false } }, async (_request, reply) => {
    const years = await caseReview.figures()
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="asb-case-review-figures.csv"')
      .send(figuresCsv(years, csvHeaders()))
  })
}
