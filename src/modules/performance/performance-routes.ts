import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import type { GeographyService } from '../geography/index.js'
import { parseIsoDate } from './kpi-engine.js'
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
  wardsCsv,
} from './performance-presenters.js'
import { PerformanceInputError, type PerformanceService } from './performance-service.js'
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

  async function resolveAsAt(asAt: string | undefined): Promise<{ asAt: string; error?: string }> {
    if (asAt === undefined || asAt === '') return { asAt: await performance.defaultAsAt() }
    if (!parseIsoDate(asAt))
      return { asAt: await performance.defaultAsAt(), error: performanceErrorText({ code: 'asat-invalid' }) }
    return { asAt }
  }

  app.get(
    performancePaths.dashboard,
    { config: { access: 'staff', audit: false }, schema: { querystring: Query } },
    async (request, reply) => {
      const resolved = await resolveAsAt(request.query.asAt)
      const wardCode = request.query.ward === '' ? undefined : request.query.ward
      const errors: { text: string; href: string }[] = []
      if (resolved.error) errors.push({ text: resolved.error, href: '#asAt' })
      const ward = wardCode === undefined ? undefined : geography.ward(wardCode)
      if (wardCode !== undefined && !ward)
        errors.push({ text: performanceErrorText({ code: 'ward-unknown' }), href: '#ward' })
      const pack = await performance.kpiPack({ asAt: resolved.asAt, ...(ward ? { areaCode: ward.code } : {}) })
      const asAtOptions = await performance.asAtOptions()
      if (errors.length > 0) reply.code(400)
      return reply.view('performance/views/dashboard.njk', {
        pack: presentKpiPack(pack, detailHref(pack.asAt)),
        chart: presentChangeChart(pack),
        areaName: pack.area.name,
        errorSummary: errors,
        asAtValue: request.query.asAt ?? pack.asAt,
        asAtError: resolved.error,
        asAtItems: [...new Set([pack.asAt, ...asAtOptions])].map(value => ({ value, text: formatDate(value) })),
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
      const asAt = request.query.asAt ?? (await performance.defaultAsAt())
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
      const resolved = await resolveAsAt(request.query.asAt)
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
      const resolved = await resolveAsAt(request.query.asAt)
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
        const asAt = request.query.asAt ?? (await performance.defaultAsAt())
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
})

/** `GET /api/v1/kpis?asAt=YYYY-MM-DD`: the borough KPI table as JSON. Aggregates only. */
export const performanceApiRoutes: FastifyPluginAsyncTypebox<{ performance: PerformanceService }> = async (
  app,
  { performance },
) => {
  app.get(
    performancePaths.apiKpis,
    {
      config: { access: 'public', audit: false },
      schema: {
        tags: ['performance'],
        summary: 'Partnership KPIs: year to date against the previous year to date',
        querystring: Type.Object({ asAt: Type.Optional(Type.String({ maxLength: 20 })) }),
        response: {
          200: Type.Array(KpiSchema),
          400: Type.Object({ statusCode: Type.Integer(), error: Type.String(), message: Type.String() }),
        },
      },
    },
    async (request, reply) => {
      const asAt = request.query.asAt ?? (await performance.defaultAsAt())
      if (!parseIsoDate(asAt)) {
        return reply
          .code(400)
          .send({ statusCode: 400, error: 'Bad Request', message: 'asAt must be a real date as YYYY-MM-DD' })
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
      }))
    },
  )
}
