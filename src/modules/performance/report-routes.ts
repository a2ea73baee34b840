import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import { PdfUnavailableError, type PdfRenderer } from '../../platform/pdf.js'
import { t } from '../../platform/i18n.js'
import type { GeographyService } from '../geography/index.js'
import { financialYearLabel, financialYearOf } from './kpi-engine.js'
import { formatDate, formatValue, presentKpiPack } from './performance-presenters.js'
import type { PerformanceService } from './performance-service.js'
import {
  parseReportPeriod,
  presentAnnualReport,
  presentQuarterlyReport,
  quarterSlugOf,
  reportTableCsv,
  reportTables,
  type ReportKind,
  type ReportModel,
  type ReportPeriod,
} from './report-presenters.js'
import { declareRecords } from '../../platform/resource-access.js'
import { reportPaths, reportRoutePaths } from './performance-paths.js'
import { reportRecordFigures, type ReportRecordSources } from './report-records.js'

const KindParams = Type.Object({
  kind: Type.Union([Type.Literal('quarterly'), Type.Literal('annual')]),
  slug: Type.String({ maxLength: 20 }),
})

/**
 * Generated reports (staff): the quarterly performance report and the annual delivery report as a web page with
 * print styles, a PDF printed from the same HTML, and a CSV for every table. And the public transparency page:
 * borough-wide aggregate figures only. No personal data is read, so nothing here is audited.
 */
export const performanceReportRoutes: FastifyPluginAsyncTypebox<{
  performance: PerformanceService
  geography: GeographyService
  pdf: PdfRenderer
  /** Case Reviews, panels, powers and police data (composition root); without it those sections are left out. */
  records?: ReportRecordSources
}> = async (app, { performance, geography, pdf, records }) => {
  declareRecords(app, { none: 'published performance reports: aggregate figures, no personal records' })
  async function build(period: ReportPeriod): Promise<ReportModel> {
    const [figures, plan, recordFigures] = await Promise.all([
      performance.reportFigures(period.asAt),
      performance.planView(period.asAt),
      records ? reportRecordFigures(records, period.start, period.asAt) : Promise.resolve(undefined),
    ])
    const common = {
      period,
      boroughName: geography.borough().shortName,
      figures,
      plan,
      generatedAt: performance.now(),
      ...(recordFigures ? { records: recordFigures } : {}),
    }
    if (period.kind === 'quarterly') return presentQuarterlyReport(common)
    return presentAnnualReport({ ...common, outputs: await performance.outputsFigures(period.asAt) })
  }

  app.get(
    reportRoutePaths.index,
    {
      config: { access: 'staff', audit: false },
      schema: {
        querystring: Type.Object({
          quarter: Type.Optional(Type.String({ maxLength: 20 })),
          year: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request, reply) => {
      const { quarter, year } = request.query
      if (quarter !== undefined && parseReportPeriod('quarterly', quarter)) {
        return reply.redirect(reportPaths({ kind: 'quarterly', slug: quarter }).html, 303)
      }
      if (year !== undefined && parseReportPeriod('annual', year)) {
        return reply.redirect(reportPaths({ kind: 'annual', slug: year }).html, 303)
      }
      const latest = await performance.defaultAsAt()
      const latestQuarter = parseReportPeriod('quarterly', quarterSlugOf(latest))
      const quarters: ReportPeriod[] = []
      if (latestQuarter) {
        let startYear = latestQuarter.startYear
        let q = latestQuarter.quarter ?? 4
        for (let i = 0; i < 8; i += 1) {
          const period = parseReportPeriod('quarterly', `${String(startYear)}-q${String(q)}`)
          if (period) quarters.push(period)
          q -= 1
          if (q === 0) {
            q = 4
            startYear -= 1
          }
        }
      }
      // The last complete financial year first: a delivery report is written after the year ends.
      const lastFullYear = financialYearOf(latest) - (latest.slice(5) === '03-31' ? 0 : 1)
      const years = [0, 1, 2].flatMap(back => {
        const period = parseReportPeriod('annual', String(lastFullYear - back))
        return period ? [period] : []
      })
      return reply.view('performance/views/reports.njk', {
        quarters: quarters.map(period => ({ text: period.label, href: reportPaths(period).html, slug: period.slug })),
        years: years.map(period => ({
          text: financialYearLabel(period.startYear),
          href: reportPaths(period).html,
          slug: period.slug,
        })),
        errorSummary:
          quarter !== undefined || year !== undefined
            ? [
                {
                  text: t('performanceReports.badPeriod'),
                  href: quarter !== undefined ? '#quarter' : '#year',
                },
              ]
            : [],
      })
    },
  )

  app.get(
    reportRoutePaths.reportRoute,
    { config: { access: 'staff', audit: false }, schema: { params: KindParams } },
    async (request, reply) => {
      const kind: ReportKind = request.params.kind
      const asPdf = request.params.slug.endsWith('.pdf')
      const period = parseReportPeriod(kind, asPdf ? request.params.slug.slice(0, -4) : request.params.slug)
      if (!period) return reply.callNotFound()
      const report = await build(period)
      if (!asPdf) return reply.view('performance/views/report.njk', { report })
      const html = app.nunjucks.render('performance/views/report-document.njk', { report })
      try {
        const document = await pdf.render(html, {
          footer: `${report.boroughName} Community Safety Partnership · ${report.title}: ${report.subtitle}`,
        })
        return await reply
          .type('application/pdf')
          .header(
            'content-disposition',
            `attachment; filename="${geography.borough().code}-${kind}-report-${period.slug}.pdf"`,
          )
          .send(document)
      } catch (error) {
        if (!(error instanceof PdfUnavailableError)) throw error
        request.log.warn({ err: error }, 'PDF renderer unavailable')
        return reply.code(503).view('performance/views/report.njk', { report, pdfError: true })
      }
    },
  )

  app.get(
    reportRoutePaths.tableRoute,
    {
      config: { access: 'staff', audit: false },
      schema: {
        params: Type.Object({
          kind: Type.Union([Type.Literal('quarterly'), Type.Literal('annual')]),
          slug: Type.String({ maxLength: 20 }),
          table: Type.String({ maxLength: 100 }),
        }),
      },
    },
    async (request, reply) => {
      const period = parseReportPeriod(request.params.kind, request.params.slug)
      if (!period || !request.params.table.endsWith('.csv')) return reply.callNotFound()
      const table = reportTables(await build(period)).get(request.params.table.slice(0, -4))
      if (!table) return reply.callNotFound()
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${period.kind}-${period.slug}-${table.id}.csv"`)
        .send(reportTableCsv(table))
    },
  )

  app.get(reportRoutePaths.transparency, { config: { access: 'public', audit: false } }, async (_request, reply) => {
    const asAt = await performance.defaultAsAt()
    const [pack, outputs] = await Promise.all([performance.kpiPack({ asAt }), performance.outputsFigures(asAt)])
    const view = presentKpiPack(pack, () => '')
    return reply.view('performance/views/transparency.njk', {
      pack: view,
      boroughName: geography.borough().shortName,
      asAtText: formatDate(asAt),
      financialYear: financialYearLabel(financialYearOf(asAt)),
      outputs: outputs.types
        .filter(type => type.ytd > 0 || type.previousYtd > 0)
        .map(type => ({
          name: type.name,
          ytd: formatValue('count', type.ytd),
          previousYtd: formatValue('count', type.previousYtd),
        })),
    })
  })
}
