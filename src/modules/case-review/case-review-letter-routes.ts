/** The letter sent to the applicant, exactly as sent: as a page, and as a PDF. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { PdfUnavailableError } from '../../platform/pdf.js'
import { IdParams, STAFF, staffPages, viewing, type CaseReviewRouteOptions } from './case-review-route-support.js'

export const caseReviewLetterRoutes: FastifyPluginAsyncTypebox<CaseReviewRouteOptions> = async (app, options) => {
  const { pdf } = options
  const { load } = staffPages(app, options)

  app.get(
    '/staff/case-reviews/:id/letter',
    {
      config: {
        access: STAFF,
        audit: { action: 'CASE_REVIEW_LETTER_VIEWED', subjectType: 'case_review', subjectParam: 'id' },
        resource: viewing(),
      },
      schema: { params: IdParams },
    },
    async (request, reply) => {
      const { found } = await load(request, request.params.id)
      if (!found.row.letter_html) throw app.httpErrors.notFound()
      // The letter's own inline style, allowed by this response's Content Security Policy nonce (it is stored whole).
      const html = found.row.letter_html.replace(/<style>/g, `<style nonce="${reply.cspNonce.style}">`)
      return reply.type('text/html; charset=utf-8').send(html)
    },
  )

  app.get(
    '/staff/case-reviews/:id/letter.pdf',
    {
      config: {
        access: STAFF,
        audit: { action: 'CASE_REVIEW_LETTER_VIEWED', subjectType: 'case_review', subjectParam: 'id' },
        resource: viewing(),
      },
      schema: { params: IdParams },
    },
    async (request, reply) => {
      const { found } = await load(request, request.params.id)
      if (!found.row.letter_html) throw app.httpErrors.notFound()
      try {
        const document = await pdf.render(found.row.letter_html)
        return await reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${found.row.reference}-letter.pdf"`)
          .send(document)
      } catch (error) {
        if (!(error instanceof PdfUnavailableError)) throw error
        request.log.warn({ err: error }, 'PDF renderer unavailable')
        throw app.httpErrors.serviceUnavailable()
      }
    },
  )
}
