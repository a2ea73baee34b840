import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import type { GeographyService } from '../geography/index.js'
import { t } from '../../platform/i18n.js'
import { financialYearLabel, financialYearOf, financialYearWindow, parseIsoDate } from './kpi-engine.js'
import type { PerformanceErrorCode } from './performance-errors.js'
import {
  presentDirectionOfTravel,
  formatDate,
  formatValue,
  kpiPackCsv,
  monthsCsv,
  presentChangeChart,
  performanceErrorText,
  presentDetail,
  presentKpiPack,
  presentMonthChart,
  ragTag,
  sourceDescription,
  wardsCsv,
} from './performance-presenters.js'
import { PerformanceInputError, type PerformanceService, type SourceInfo } from './performance-service.js'
import { ACTION_STATUSES, statusTag } from './plan-status.js'
import { performancePaths } from './performance-paths.js'

/** Whether the signed-in user may edit indicators and import figures (the editing routes check it again). */
function canEdit(user: { roles: readonly string[] } | null): boolean {
  return user?.roles.some(role => role === 'analyst' || role === 'administrator') ?? false
}

const Query = Type.Object({
  asAt: Type.Optional(Type.String({ maxLength: 20 })),
  ward: Type.Optional(Type.String({ maxLength: 20 })),
})

/**
 * Performance pages. Partnership-internal, aggregate figures only (no personal data is stored or shown here), so
 * the routes are not audited; every response carries `cache-control: no-store` and `x-robots-tag: noindex`
 * (platform/security.ts), and the pages are not linked from the public navigation.
 */
export const performanceDashboardRoutes: FastifyPluginAsyncTypebox<{
  performance: PerformanceService
  geography: GeographyService
}> = async (app, { performance, geography }) => {
  const detailHref = (asAt: string) => (id: string) => performancePaths.indicatorAt(id, asAt)

  /** The date asked for, or today (the current financial year to date) when none is. */
  function resolveAsAt(asAt: string | undefined): { asAt: string; error?: string } {
    if (asAt === undefined || asAt === '') return { asAt: performance.today() }
    if (!parseIsoDate(asAt)) return { asAt: performance.today(), error: performanceErrorText({ code: 'asat-invalid' }) }
    return { asAt }
  }

  app.get(
    performancePaths.dashboard,
    { config: { access: 'staff', audit: false }, schema: { querystring: Query } },
    async (request, reply) => {
      const resolved = resolveAsAt(request.query.asAt)
      const wardCode = request.query.ward === '' ? undefined : request.query.ward
      const errors: { text: string; href: string }[] = []
      if (resolved.error) errors.push({ text: resolved.error, href: '#asAt' })
      const ward = wardCode === undefined ? undefined : geography.ward(wardCode)
      if (wardCode !== undefined && !ward)
        errors.push({ text: performanceErrorText({ code: 'ward-unknown' }), href: '#ward' })
      const pack = await performance.kpiPack({ asAt: resolved.asAt, ...(ward ? { areaCode: ward.code } : {}) })
      const [asAtOptions, years] = await Promise.all([performance.asAtOptions(), performance.financialYears()])
      const shownYear = financialYearOf(pack.asAt)
      const wardQuery = ward ? `&ward=${ward.code}` : ''
      if (errors.length > 0) reply.code(400)
      return reply.view('performance/views/dashboard.njk', {
        pack: presentKpiPack(pack, detailHref(pack.asAt)),
        chart: presentChangeChart(pack),
        areaName: pack.area.name,
        errorSummary: errors,
        asAtValue: request.query.asAt ?? pack.asAt,
        asAtError: resolved.error,
        asAtItems: [...new Set([pack.asAt, ...asAtOptions])].map(value => ({ value, text: formatDate(value) })),
        yearItems: years.map(year => ({
          text: year.current
            ? t('performance.dashboard.thisYear', { year: financialYearLabel(year.startYear) })
            : financialYearLabel(year.startYear),
          href: `${performancePaths.dashboard}?asAt=${year.asAt}${wardQuery}`,
          selected: year.startYear === shownYear,
        })),
        wardItems: [
          { value: '', text: `${geography.borough().shortName} (whole borough)` },
          ...geography.wards().map(w => ({ value: w.code, text: w.name, selected: w.code === ward?.code })),
        ],
        wardError: wardCode !== undefined && !ward ? performanceErrorText({ code: 'ward-unknown' }) : undefined,
        csvHref: `${performancePaths.csv}?asAt=${pack.asAt}${ward ? `&ward=${ward.code}` : ''}`,
        canEdit: canEdit(request.user),
      })
    },
  )

  app.get(
    performancePaths.csv,
    { config: { access: 'staff', audit: false }, schema: { querystring: Query } },
    async (request, reply) => {
      const asAt = request.query.asAt ?? performance.today()
      try {
        const pack = await performance.kpiPack({
          asAt,
          ...(request.query.ward ? { areaCode: request.query.ward } : {}),
        })
        return await reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="kpis-${pack.area.code}-${pack.asAt}.csv"`)
          .send(kpiPackCsv(pack))
      } catch (error) {
        if (error instanceof PerformanceInputError)
          return reply.code(error.status).type('text/plain; charset=utf-8').send(performanceErrorText(error))
        throw error
      }
    },
  )

  app.get(
    performancePaths.indicatorRoute,
    {
      config: { access: 'staff', audit: false },
      schema: { params: Type.Object({ id: Type.String({ maxLength: 80 }) }), querystring: Query },
    },
    async (request, reply) => {
      const resolved = resolveAsAt(request.query.asAt)
      const detail = await performance.indicatorDetail(request.params.id, resolved.asAt)
      if (!detail) return reply.callNotFound()
      if (resolved.error) reply.code(400)
      const base = performancePaths.indicator(detail.indicator.id)
      return reply.view('performance/views/indicator.njk', {
        detail,
        view: presentDetail(detail, code => `${performancePaths.dashboard}?asAt=${detail.asAt}&ward=${code}`),
        chart: presentMonthChart(detail),
        asAtText: formatDate(detail.asAt),
        errorSummary: resolved.error ? [{ text: resolved.error, href: '#asAt' }] : [],
        backHref: `${performancePaths.dashboard}?asAt=${detail.asAt}`,
        wardsCsvHref: `${base}/wards.csv?asAt=${detail.asAt}`,
        monthsCsvHref: `${base}/months.csv?asAt=${detail.asAt}`,
        canEdit: canEdit(request.user),
      })
    },
  )

  app.get(
    performancePaths.plan,
    {
      config: { access: 'staff', audit: false },
      schema: {
        querystring: Type.Object({
          asAt: Type.Optional(Type.String({ maxLength: 20 })),
          updated: Type.Optional(Type.String({ maxLength: 12 })),
        }),
      },
    },
    async (request, reply) => {
      const resolved = resolveAsAt(request.query.asAt)
      const plan = await performance.planView(resolved.asAt)
      if (resolved.error) reply.code(400)
      return reply.view('performance/views/plan.njk', {
        asAtText: formatDate(plan.asAt),
        errorSummary: resolved.error ? [{ text: resolved.error, href: '#asAt' }] : [],
        updated: request.query.updated !== undefined,
        statusSummary: ACTION_STATUSES.map(status => ({
          text: status.text,
          classes: status.tag,
          count: plan.statusCounts[status.value] ?? 0,
        })),
        priorities: plan.priorities.map(group => ({
          id: group.priority.id,
          name: group.priority.name,
          plan: group.priority.plan,
          outcomes: group.outcomes.map(({ outcome, indicators, actions }) => ({
            text: outcome.text,
            indicators: indicators.map(row => ({
              name: row.indicator.name,
              href: `${performancePaths.indicator(row.indicator.id)}?asAt=${plan.asAt}`,
              ytd: formatValue(row.indicator.unit, row.result.ytd),
              direction: presentDirectionOfTravel(row.result, row.indicator.polarity),
              rag: ragTag(row.result, row.indicator),
            })),
            actions: actions.map(action => ({
              ...action,
              dueText: action.dueDate ? formatDate(action.dueDate) : 'No date',
              status: statusTag(action.status),
              href: performancePaths.action(action.id),
            })),
          })),
        })),
      })
    },
  )

  const ActionParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) })

  app.get(
    performancePaths.actionRoute,
    { config: { access: { roles: ['analyst', 'administrator'] }, audit: false }, schema: { params: ActionParams } },
    async (request, reply) => {
      const action = await performance.findAction(request.params.id)
      if (!action) return reply.callNotFound()
      return reply.view('performance/views/action.njk', actionForm(action, action.status, action.narrative))
    },
  )

  app.post(
    performancePaths.actionRoute,
    {
      config: { access: { roles: ['analyst', 'administrator'] }, audit: false },
      schema: {
        params: ActionParams,
        body: Type.Object({
          status: Type.Optional(Type.String({ maxLength: 40 })),
          narrative: Type.Optional(Type.String({ maxLength: 5000 })),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const action = await performance.findAction(request.params.id)
      if (!action) return reply.callNotFound()
      const status = request.body.status ?? ''
      const narrative = request.body.narrative ?? ''
      const result = await performance.updateAction(action.id, { status, narrative }, request.actor)
      if (!result.ok) {
        return reply.code(400).view('performance/views/action.njk', {
          ...actionForm(action, status, narrative),
          errorSummary: result.errors.map(error => ({ text: performanceErrorText(error), href: `#${error.field}` })),
          errors: Object.fromEntries(result.errors.map(error => [error.field, { text: performanceErrorText(error) }])),
        })
      }
      return reply.redirect(performancePaths.actionUpdated(action.id), 303)
    },
  )

  function actionForm(
    action: { id: number; title: string; owner: string; partner: string | null; dueDate: string | null },
    status: string,
    narrative: string,
  ) {
    return {
      action,
      dueText: action.dueDate ? formatDate(action.dueDate) : 'No date',
      narrative,
      errors: {},
      statusItems: ACTION_STATUSES.map(item => ({
        value: item.value,
        text: item.text,
        checked: item.value === status,
      })),
    }
  }

  for (const table of ['wards', 'months'] as const) {
    app.get(
      performancePaths.indicatorTableRoute(table),
      {
        config: { access: 'staff', audit: false },
        schema: { params: Type.Object({ id: Type.String({ maxLength: 80 }) }), querystring: Query },
      },
      async (request, reply) => {
        const asAt = request.query.asAt ?? performance.today()
        if (!parseIsoDate(asAt))
          return reply
            .code(400)
            .type('text/plain; charset=utf-8')
            .send(performanceErrorText({ code: 'date-invalid' }))
        const detail = await performance.indicatorDetail(request.params.id, asAt)
        if (!detail) return reply.callNotFound()
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${detail.indicator.id}-${table}-${asAt}.csv"`)
          .send(table === 'wards' ? wardsCsv(detail) : monthsCsv(detail))
      },
    )
  }
}

const SourceSchema = Type.Object(
  {
    kind: Type.String({ description: 'count, manual, activity or survey' }),
    key: Type.Union([Type.String(), Type.Null()], {
      description: 'the count source key (cases:opened), activity type or survey measure; null for manual values',
    }),
    description: Type.String({ description: 'where the figures come from and what one means' }),
  },
  { description: "Where the indicator's figures come from" },
)

const ApiError = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  code: Type.Optional(Type.String({ description: 'a stable code: start-invalid, end-invalid, area-unknown…' })),
  field: Type.Optional(Type.String({ description: 'the query parameter at fault' })),
})

const KpiSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  priority: Type.String(),
  unit: Type.String(),
  polarity: Type.String(),
  ytd: Type.Union([Type.Number(), Type.Null()]),
  previousYtd: Type.Union([Type.Number(), Type.Null()]),
  changePct: Type.Union([Type.Number(), Type.Null()], { description: '% change to 2 decimals; null when n/a' }),
  direction: Type.String({ description: 'improving, worsening, no-significant-change or not-available' }),
  rag: Type.String({ description: 'green, amber, red or grey' }),
  source: SourceSchema,
  asAt: Type.String({ description: 'the date the year to date runs to (YYYY-MM-DD)' }),
})

const SeriesSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  source: SourceSchema,
  area: Type.Object({
    code: Type.String({ description: "the borough's or a ward's GSS code" }),
    name: Type.String(),
    level: Type.Union([Type.Literal('borough'), Type.Literal('ward')]),
  }),
  from: Type.String({ description: 'the first day of the first month' }),
  to: Type.String({ description: 'the last day of the last month' }),
  asAt: Type.String({ description: 'the date the figures were read (YYYY-MM-DD)' }),
  months: Type.Array(
    Type.Object({
      month: Type.String({ description: 'YYYY-MM' }),
      start: Type.String(),
      end: Type.String(),
      value: Type.Union([Type.Number(), Type.Null()], {
        description: 'the figure for the month; null when the source has no data for it (never 0 for no data)',
      }),
    }),
  ),
})

/**
 * `GET /api/v1/kpis?asAt=YYYY-MM-DD`: the borough KPI table as JSON (today's financial year to date unless a date is
 * given), and `GET /api/v1/kpis/{id}/series?from=&to=&area=`: one indicator's monthly figures for the borough or a
 * ward. Aggregates only.
 */
export const performanceApiRoutes: FastifyPluginAsyncTypebox<{ performance: PerformanceService }> = async (
  app,
  { performance },
) => {
  const badRequest = (code: string, field: string) => ({
    statusCode: 400,
    error: 'Bad Request',
    code,
    field,
    message: performanceErrorText({ code: code as PerformanceErrorCode }),
  })
  const sourceJson = (info: SourceInfo) => ({
    kind: info.kind,
    key: info.key,
    description: sourceDescription(info),
  })

  app.get(
    `${performancePaths.apiKpis}/:id/series`,
    {
      config: { access: 'public', audit: false },
      schema: {
        tags: ['performance'],
        summary: "One indicator's monthly figures for the borough or a ward",
        description:
          'Every month from the month of `from` to the month of `to` (at most 120 months; by default the current ' +
          "financial year to date). `area` is the borough's GSS code (the default) or, for signed-in staff, a ward's. A month " +
          'without figures has the value null: the source has no data for it.',
        params: Type.Object({ id: Type.String({ maxLength: 80 }) }),
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ maxLength: 20, description: 'YYYY-MM-DD' })),
            to: Type.Optional(Type.String({ maxLength: 20, description: 'YYYY-MM-DD' })),
            area: Type.Optional(Type.String({ maxLength: 20, description: 'a GSS code' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: SeriesSchema, 400: ApiError, 403: ApiError, 404: ApiError },
      },
    },
    async (request, reply) => {
      // Like /performance, figures by ward are for partnership staff (docs/public-data.md); the borough is public.
      const area = request.query.area
      if (area !== undefined && area !== '' && area !== performance.boroughCode() && !request.user)
        return reply.code(403).send({
          statusCode: 403,
          error: 'Forbidden',
          code: 'ward-staff-only',
          field: 'area',
          message: performanceErrorText({ code: 'ward-staff-only' }),
        })
      const today = performance.today()
      const from = request.query.from ?? financialYearWindow(financialYearOf(today)).start
      const to = request.query.to ?? today
      try {
        const series = await performance.series(request.params.id, {
          from,
          to,
          ...(request.query.area ? { areaCode: request.query.area } : {}),
        })
        if (!series)
          return await reply.code(404).send({
            statusCode: 404,
            error: 'Not Found',
            code: 'indicator-missing',
            field: 'id',
            message: performanceErrorText({ code: 'indicator-missing' }),
          })
        return {
          id: series.indicator.id,
          name: series.indicator.name,
          unit: series.indicator.unit,
          source: sourceJson(series.source),
          area: {
            code: series.area.code,
            name: series.area.name,
            level: series.area.code === performance.boroughCode() ? ('borough' as const) : ('ward' as const),
          },
          from: series.from,
          to: series.to,
          asAt: series.asAt,
          months: series.months,
        }
      } catch (error) {
        if (error instanceof PerformanceInputError) return reply.code(400).send(badRequest(error.code, error.field))
        throw error
      }
    },
  )

  app.get(
    performancePaths.apiKpis,
    {
      config: { access: 'public', audit: false },
      schema: {
        tags: ['performance'],
        summary: 'Partnership KPIs: year to date against the previous year to date',
        description: "By default the current financial year to date (at today's date).",
        querystring: Type.Object({ asAt: Type.Optional(Type.String({ maxLength: 20 })) }),
        response: {
          200: Type.Array(KpiSchema),
          400: ApiError,
        },
      },
    },
    async (request, reply) => {
      const asAt = request.query.asAt ?? performance.today()
      if (!parseIsoDate(asAt)) {
        return reply.code(400).send({
          ...badRequest('asat-invalid', 'asAt'),
          message: 'asAt must be a real date as YYYY-MM-DD',
        })
      }
      const pack = await performance.kpiPack({ asAt })
      return pack.rows.map(({ indicator, priority, result }) => ({
        id: indicator.id,
        name: indicator.name,
        priority: priority.name,
        unit: indicator.unit,
        polarity: indicator.polarity,
        ytd: result.ytd,
        previousYtd: result.previousYtd,
        changePct: result.changePct,
        direction: result.assessment,
        rag: result.rag,
        source: sourceJson(performance.sourceOf(indicator)),
        asAt: pack.asAt,
      }))
    },
  )
}
