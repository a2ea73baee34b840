import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import type { GeographyService } from '../geography/index.js'
import type { FieldError, IndicatorForm } from './indicator-validation.js'
import { POLARITIES, TARGET_KINDS, UNITS } from './kpi-engine.js'
import type { Indicator } from './performance-repository.js'
import {
  missingSurveyCsvView,
  indicatorErrorText,
  performanceErrorText,
  polarityText,
  surveyProblemsView,
  unitText,
} from './performance-presenters.js'
import { PerformanceInputError, type PerformanceService } from './performance-service.js'
import { SURVEY_CSV_HEADER } from './survey-import.js'
import { declareRecords } from '../../platform/resource-access.js'
import { editingPaths, performancePaths } from './performance-paths.js'

/** The indicator form's refusals in words, for the error summary and the fields. */
const indicatorErrors = (errors: FieldError[]) =>
  errors.map(error => ({ field: error.field, message: indicatorErrorText(error) }))

/** Analysts and administrators define indicators, record manual figures and import surveys. */
const EDITORS = { roles: ['analyst', 'administrator'] } as const

const FormBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 1000 })),
  priorityId: Type.Optional(Type.String({ maxLength: 100 })),
  unit: Type.Optional(Type.String({ maxLength: 40 })),
  polarity: Type.Optional(Type.String({ maxLength: 40 })),
  targetKind: Type.Optional(Type.String({ maxLength: 40 })),
  targetValue: Type.Optional(Type.String({ maxLength: 40 })),
  tolerancePct: Type.Optional(Type.String({ maxLength: 40 })),
  stableBandPct: Type.Optional(Type.String({ maxLength: 40 })),
  source: Type.Optional(Type.String({ maxLength: 200 })),
  surveyMeasure: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  _csrf: Type.Optional(Type.String()),
})

const TARGET_TEXT: Record<string, string> = {
  none: 'No target',
  value: 'A figure to reach (for example 15 for a 15% rate)',
  'change-pct': 'A % change on the previous year (for example -10 to reduce by 10%)',
}

function formFrom(indicator: Indicator | undefined): IndicatorForm {
  const source = indicator?.source
  return {
    name: indicator?.name ?? '',
    priorityId: indicator?.priorityId ?? '',
    unit: indicator?.unit ?? '',
    polarity: indicator?.polarity ?? '',
    targetKind: indicator?.target?.kind ?? 'none',
    targetValue: indicator?.target ? String(indicator.target.value) : '',
    tolerancePct: String(indicator?.tolerancePct ?? 5),
    stableBandPct: String(indicator?.stableBandPct ?? 2),
    source:
      source === undefined || source.kind === 'manual'
        ? 'manual'
        : source.kind === 'activity'
          ? `activity:${source.activityType}`
          : source.kind === 'count'
            ? `count:${source.key}`
            : 'survey',
    surveyMeasure: source?.kind === 'survey' ? source.measure : '',
    description: indicator?.description ?? '',
  }
}

interface ValueForm {
  areaCode: string
  periodStart: string
  periodEnd: string
  value: string
  denominator: string
  evidence: string
}

export const performanceEditingRoutes: FastifyPluginAsyncTypebox<{
  performance: PerformanceService
  geography: GeographyService
}> = async (app, { performance, geography }) => {
  declareRecords(app, { none: 'indicators and plan actions: aggregate figures, no personal records' })
  async function indicatorView(
    action: string,
    indicator: Indicator | undefined,
    form: IndicatorForm,
    errors: { field: string; message: string }[] = [],
  ) {
    const [priorities, activityTypes] = await Promise.all([performance.listPriorities(), performance.activityTypes()])
    const item = (value: string, text: string, current: string) => ({ value, text, checked: value === current })
    return {
      action,
      indicator,
      form,
      errorSummary: errors.map(error => ({ text: error.message, href: `#${error.field}` })),
      errors: Object.fromEntries(errors.map(error => [error.field, { text: error.message }])),
      priorityItems: [
        { value: '', text: 'Choose a priority' },
        ...priorities.map(p => ({ value: p.id, text: `${p.name} (${p.plan})`, selected: p.id === form.priorityId })),
      ],
      unitItems: UNITS.map(unit => item(unit, unitText(unit), form.unit)),
      polarityItems: POLARITIES.map(polarity => item(polarity, polarityText(polarity), form.polarity)),
      targetItems: ['none', ...TARGET_KINDS].map(kind => item(kind, TARGET_TEXT[kind] ?? kind, form.targetKind)),
      sourceItems: [
        { value: 'manual', text: 'Figures entered by an analyst, with evidence', selected: form.source === 'manual' },
        { value: 'survey', text: 'A resident survey measure (imported)', selected: form.source === 'survey' },
        ...activityTypes.map(type => ({
          value: `activity:${type.code}`,
          text: `Outputs register: ${type.name}`,
          selected: form.source === `activity:${type.code}`,
        })),
        ...performance.countSources().map(source => ({
          value: `count:${source.key}`,
          text: `${source.name} (${source.key})`,
          selected: form.source === `count:${source.key}`,
        })),
      ],
    }
  }

  app.get(editingPaths.newIndicator, { config: { access: EDITORS, audit: false } }, async (_request, reply) =>
    reply.view(
      'performance/views/indicator-form.njk',
      await indicatorView(editingPaths.newIndicator, undefined, formFrom(undefined)),
    ),
  )

  app.get(
    editingPaths.editRoute,
    {
      config: { access: EDITORS, audit: false },
      schema: { params: Type.Object({ id: Type.String({ maxLength: 80 }) }) },
    },
    async (request, reply) => {
      const indicator = (await performance.listIndicators()).find(i => i.id === request.params.id)
      if (!indicator) return reply.callNotFound()
      return reply.view(
        'performance/views/indicator-form.njk',
        await indicatorView(editingPaths.edit(indicator.id), indicator, formFrom(indicator)),
      )
    },
  )

  const formOf = (body: Partial<IndicatorForm>): IndicatorForm => ({
    name: body.name ?? '',
    priorityId: body.priorityId ?? '',
    unit: body.unit ?? '',
    polarity: body.polarity ?? '',
    targetKind: body.targetKind ?? 'none',
    targetValue: body.targetValue ?? '',
    tolerancePct: body.tolerancePct ?? '',
    stableBandPct: body.stableBandPct ?? '',
    source: body.source ?? '',
    surveyMeasure: body.surveyMeasure ?? '',
    description: body.description ?? '',
  })

  app.post(
    editingPaths.newIndicator,
    { config: { access: EDITORS, audit: false }, schema: { body: FormBody } },
    async (request, reply) => {
      const form = formOf(request.body)
      const result = await performance.saveIndicator(undefined, form, request.actor)
      if (!result.ok) {
        return reply
          .code(400)
          .view(
            'performance/views/indicator-form.njk',
            await indicatorView(editingPaths.newIndicator, undefined, form, indicatorErrors(result.errors)),
          )
      }
      return reply.redirect(performancePaths.indicatorSaved(result.id), 303)
    },
  )

  app.post(
    editingPaths.editRoute,
    {
      config: { access: EDITORS, audit: false },
      schema: { params: Type.Object({ id: Type.String({ maxLength: 80 }) }), body: FormBody },
    },
    async (request, reply) => {
      const indicator = (await performance.listIndicators()).find(i => i.id === request.params.id)
      if (!indicator) return reply.callNotFound()
      const form = formOf(request.body)
      const result = await performance.saveIndicator(indicator.id, form, request.actor)
      if (!result.ok) {
        return reply
          .code(400)
          .view(
            'performance/views/indicator-form.njk',
            await indicatorView(editingPaths.edit(indicator.id), indicator, form, indicatorErrors(result.errors)),
          )
      }
      return reply.redirect(performancePaths.indicatorSaved(result.id), 303)
    },
  )

  // Manual periodic figures with their evidence.
  const ValueBody = Type.Object({
    areaCode: Type.Optional(Type.String({ maxLength: 20 })),
    periodStart: Type.Optional(Type.String({ maxLength: 20 })),
    periodEnd: Type.Optional(Type.String({ maxLength: 20 })),
    value: Type.Optional(Type.String({ maxLength: 40 })),
    denominator: Type.Optional(Type.String({ maxLength: 40 })),
    evidence: Type.Optional(Type.String({ maxLength: 2000 })),
    _csrf: Type.Optional(Type.String()),
  })

  function valueView(indicator: Indicator, form: ValueForm, errors: { field: string; message: string }[] = []) {
    const borough = geography.borough()
    return {
      indicator,
      form,
      action: editingPaths.values(indicator.id),
      needsDenominator: indicator.unit !== 'count',
      errorSummary: errors.map(error => ({ text: error.message, href: `#${error.field}` })),
      errors: Object.fromEntries(errors.map(error => [error.field, { text: error.message }])),
      areaItems: [
        { value: borough.code, text: `${borough.shortName} (whole borough)`, selected: form.areaCode === borough.code },
        ...geography
          .wards()
          .map(ward => ({ value: ward.code, text: ward.name, selected: ward.code === form.areaCode })),
      ],
    }
  }

  app.get(
    editingPaths.valuesRoute,
    {
      config: { access: EDITORS, audit: false },
      schema: { params: Type.Object({ id: Type.String({ maxLength: 80 }) }) },
    },
    async (request, reply) => {
      const indicator = (await performance.listIndicators()).find(i => i.id === request.params.id)
      if (!indicator) return reply.callNotFound()
      const empty = {
        areaCode: geography.borough().code,
        periodStart: '',
        periodEnd: '',
        value: '',
        denominator: '',
        evidence: '',
      }
      return reply.view('performance/views/value-form.njk', valueView(indicator, empty))
    },
  )

  app.post(
    editingPaths.valuesRoute,
    {
      config: { access: EDITORS, audit: false },
      schema: { params: Type.Object({ id: Type.String({ maxLength: 80 }) }), body: ValueBody },
    },
    async (request, reply) => {
      const indicator = (await performance.listIndicators()).find(i => i.id === request.params.id)
      if (!indicator) return reply.callNotFound()
      const form: ValueForm = {
        areaCode: request.body.areaCode ?? '',
        periodStart: (request.body.periodStart ?? '').trim(),
        periodEnd: (request.body.periodEnd ?? '').trim(),
        value: (request.body.value ?? '').trim(),
        denominator: (request.body.denominator ?? '').trim(),
        evidence: request.body.evidence ?? '',
      }
      const errors: { field: string; message: string }[] = []
      const number = (text: string) => (/^-?\d{1,12}(\.\d{1,6})?$/.test(text) ? Number(text) : NaN)
      const value = number(form.value)
      if (Number.isNaN(value)) errors.push({ field: 'value', message: performanceErrorText({ code: 'value-number' }) })
      let denominator: number | null = null
      if (indicator.unit !== 'count' && form.denominator !== '') {
        denominator = number(form.denominator)
        if (Number.isNaN(denominator) || denominator <= 0) {
          errors.push({ field: 'denominator', message: performanceErrorText({ code: 'denominator-invalid' }) })
          denominator = null
        }
      }
      if (errors.length === 0) {
        try {
          await performance.recordValue(
            {
              indicatorId: indicator.id,
              areaCode: form.areaCode,
              periodStart: form.periodStart,
              periodEnd: form.periodEnd,
              value,
              denominator,
              evidence: form.evidence,
            },
            request.actor,
          )
          return await reply.redirect(performancePaths.indicatorAt(indicator.id, form.periodEnd), 303)
        } catch (error) {
          if (!(error instanceof PerformanceInputError)) throw error
          errors.push({ field: error.field, message: performanceErrorText(error) })
        }
      }
      return reply.code(400).view('performance/views/value-form.njk', valueView(indicator, form, errors))
    },
  )

  // Resident survey import: exact header, line-by-line report, all-or-nothing.
  async function surveyView(extra: Record<string, unknown> = {}) {
    const [measures, imports] = await Promise.all([performance.surveyMeasures(), performance.recentSurveyImports()])
    return {
      header: SURVEY_CSV_HEADER.join(','),
      measures: measures.map(item => ({ code: item.measure, name: item.indicator.name })),
      imports,
      areas: [geography.borough(), ...geography.wards()].map(area => ({ code: area.code, name: area.name })),
      ...extra,
    }
  }

  app.get(
    editingPaths.survey,
    {
      config: { access: EDITORS, audit: false },
      schema: { querystring: Type.Object({ imported: Type.Optional(Type.String({ maxLength: 10 })) }) },
    },
    async (request, reply) =>
      reply.view('performance/views/survey-import.njk', await surveyView({ imported: request.query.imported })),
  )

  app.post(
    editingPaths.survey,
    {
      config: { access: EDITORS, audit: false },
      schema: {
        body: Type.Object({
          csv: Type.Optional(Type.String({ maxLength: 900_000 })),
          fileName: Type.Optional(Type.String({ maxLength: 200 })),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const csv = request.body.csv ?? ''
      const fileName = (request.body.fileName ?? '').trim() || 'pasted'
      if (csv.trim() === '') {
        return reply
          .code(400)
          .view('performance/views/survey-import.njk', await surveyView({ csv, fileName, ...missingSurveyCsvView() }))
      }
      const result = await performance.importSurvey(csv, fileName, request.actor)
      if (!result.ok) {
        return reply
          .code(400)
          .view(
            'performance/views/survey-import.njk',
            await surveyView({ csv, fileName, ...surveyProblemsView(result.problems) }),
          )
      }
      return reply.redirect(editingPaths.surveyImported(result.imported), 303)
    },
  )
}
