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
/** The quarter before `slug` ("2026-q1" to "2025-q4"). */
function previousQuarter(slug: string): string {
  const [year, quarter] = slug.split('-q').map(Number) as [number, number]
  return quarter === 1 ? `${String(year - 1)}-q4` : `${String(year)}-q${String(quarter - 1)}`
}

function isoDateOf(date: Date): string {
  return date.toISOString().slice(0, 10)
}

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
          quarter: Type.Optional(Type.String({ maxLength: 1000 })),
          year: Type.Optional(Type.String({ maxLength: 1000 })),
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
      // Dated from today (ADR 0041): the last eight complete quarters and three complete financial years first,
      // then every quarter and year back to the earliest figures (the 2019 deck's years are among them) in a list.
      const today = isoDateOf(performance.now())
      const currentYear = financialYearOf(today)
      const lastQuarter = previousQuarter(quarterSlugOf(today))
      const earliestYear = Math.min(currentYear - 3, ...(await performance.financialYears()).map(y => y.startYear))
      const allQuarters: ReportPeriod[] = []
      for (let slug = lastQuarter; ; slug = previousQuarter(slug)) {
        const period = parseReportPeriod('quarterly', slug)
        if (!period || period.startYear < earliestYear) break
        allQuarters.push(period)
      }
      const allYears: ReportPeriod[] = []
      for (let startYear = currentYear - 1; startYear >= earliestYear; startYear -= 1) {
        const period = parseReportPeriod('annual', String(startYear))
        if (period) allYears.push(period)
      }
      const quarters = allQuarters.slice(0, 8)
      const years = allYears.slice(0, 3)
      if (quarter !== undefined || year !== undefined) reply.code(400)
      return reply.view('performance/views/reports.njk', {
        badQuarter: quarter !== undefined,
        badYear: quarter === undefined && year !== undefined,
        quarters: quarters.map(period => ({ text: period.label, href: reportPaths(period).html, slug: period.slug })),
        years: years.map(period => ({
          text: financialYearLabel(period.startYear),
          href: reportPaths(period).html,
          slug: period.slug,
        })),
        quarterOptions: allQuarters.map(period => ({ value: period.slug, text: period.label })),
        yearOptions: allYears.map(period => ({ value: period.slug, text: financialYearLabel(period.startYear) })),
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

  app.get(
    reportRoutePaths.transparency,
    {
      config: { access: 'public', audit: false },
      schema: { querystring: Type.Object({ year: Type.Optional(Type.String({ maxLength: 1000 })) }) },
    },
    async (request, reply) => {
      // This financial year to date by default (ADR 0041); `?year=2018` for a whole earlier year (the 2019 deck's).
      const today = isoDateOf(performance.now())
      const currentYear = financialYearOf(today)
      const earliestYear = Math.min(currentYear - 3, ...(await performance.financialYears()).map(y => y.startYear))
      const requested = request.query.year
      const chosen =
        requested === undefined || requested === '' ? currentYear : /^\d{4}$/.test(requested) ? Number(requested) : NaN
      const valid = chosen >= earliestYear && chosen <= currentYear
      const year = valid ? chosen : currentYear
      const asAt = year === currentYear ? today : `${String(year + 1)}-03-31`
      const [pack, outputs] = await Promise.all([performance.kpiPack({ asAt }), performance.outputsFigures(asAt)])
      const view = presentKpiPack(pack, () => '')
      const years: { text: string; href: string; current: boolean }[] = []
      for (let startYear = currentYear; startYear >= earliestYear; startYear -= 1) {
        years.push({
          text: financialYearLabel(startYear),
          href:
            startYear === currentYear
              ? reportRoutePaths.transparency
              : `${reportRoutePaths.transparency}?year=${String(startYear)}`,
          current: startYear === year,
        })
      }
      if (!valid) reply.code(400)
      return reply.view('performance/views/transparency.njk', {
        pack: view,
        boroughName: geography.borough().shortName,
        asAtText: formatDate(asAt),
        financialYear: financialYearLabel(year),
        years,
        errorSummary: valid ? [] : [{ text: t('performanceReports.transparency.badYear'), href: '#years' }],
        outputs: outputs.types
          .filter(type => type.ytd > 0 || type.previousYtd > 0)
          .map(type => ({
            name: type.name,
            ytd: formatValue('count', type.ytd),
            previousYtd: formatValue('count', type.previousYtd),
          })),
      })
    },
  )
}
