/**
 * Every performance page, registered together: the dashboard, indicator pages and plan tracker
 * (`performance-routes.ts`), the generated reports and public figures (`report-routes.ts`) and editing
 * (`editing-routes.ts`); and the JSON API. Partnership-internal, aggregate figures only: no route touches a personal
 * record, which the declaration below records for every route with a parameter.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import type { PdfRenderer } from '../../platform/pdf.js'
import { declareRecords } from '../../platform/resource-access.js'
import type { GeographyService } from '../geography/index.js'
import { performanceEditingRoutes } from './editing-routes.js'
import { performanceApiRoutes, performanceDashboardRoutes } from './performance-routes.js'
import type { PerformanceService } from './performance-service.js'
import type { ReportRecordSources } from './report-records.js'
import { performanceReportRoutes } from './report-routes.js'

export interface PerformancePagesOptions {
  performance: PerformanceService
  geography: GeographyService
  pdf: PdfRenderer
  /** What the generated reports read from other modules' records (report-records.ts). */
  records?: ReportRecordSources
}

export const performancePages: FastifyPluginAsyncTypebox<PerformancePagesOptions> = async (
  app,
  { performance, geography, pdf, records },
) => {
  declareRecords(app, { none: 'indicators: aggregate figures, no personal records' })
  await app.register(performanceReportRoutes, { performance, geography, pdf, ...(records ? { records } : {}) })
  await app.register(performanceEditingRoutes, { performance, geography })
  await app.register(performanceDashboardRoutes, { performance, geography })
}

/** The name `app.ts` registers the pages by. */
export const performancePageRoutes = performancePages

export { performanceApiRoutes }
