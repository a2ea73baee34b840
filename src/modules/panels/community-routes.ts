/**
 * The Tension Monitoring Group's tension log and weekly summary, and the Hate Incident Panel's hate incidents
 * (list, counts by protected characteristic, and recording one not linked to a case). Members of the panel only:
 * anyone else gets 404, as for a missing panel.
 */
import { randomUUID } from 'node:crypto'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'

import { field, fields, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { addDays, isIsoDate } from '../../platform/working-days.js'
import { isUuid } from '../../platform/identifiers.js'
import type { StaffUser } from '../accounts/index.js'
import type { GeographyService } from '../geography/index.js'
import { PROTECTED_CHARACTERISTICS } from '../reporting/index.js'
import {
  TENSION_CATEGORIES,
  TENSION_LEVELS,
  TENSION_SOURCES,
  tensionTier,
  weekStart,
  type CommunityService,
} from './community-service.js'
import { declaredPanelResource, panelAllowed, panelResource } from './panel-access.js'
import { dateParts, formatDate, FormBody, isoFromParts, partsFromIso } from './panels-forms.js'
import { panelsPaths } from './panels-paths.js'
import { errorFor, formView } from './panels-presenters.js'
import type { PanelRow } from './panels-repository.js'
import type { PanelsService } from './panels-service.js'

const MEMBER = { roles: ['officer', 'supervisor', 'panel-coordinator', 'partner-read-only'] } as const
const RECORDERS = { roles: ['officer', 'supervisor', 'panel-coordinator'] } as const
const PanelParams = Type.Object({ code: Type.String({ maxLength: 64 }) })

export const panelsCommunityRoutes: FastifyPluginAsyncTypebox<{
  panels: PanelsService
  community: CommunityService
  geography: GeographyService
}> = async (app, { panels, community, geography }) => {
  function userOf(request: FastifyRequest): StaffUser {
    if (!request.user) throw app.httpErrors.notFound()
    return request.user
  }

  /**
   * The panel behind the route's `:code`, of the kind the page is for, checked against the part and action the route
   * declares (ADR 0019): a panel the user is not a member of answers 404 exactly as a missing one.
   */
  async function panelOfKind(request: FastifyRequest, code: string, kind: PanelRow['kind']): Promise<PanelRow> {
    const { part, action } = declaredPanelResource(request)
    const user = userOf(request)
    const panel = await panels.panelForUser(user, code)
    if (panel?.kind !== kind) throw app.httpErrors.notFound()
    if (!panelAllowed(user, panel, part, action)) throw app.httpErrors.forbidden()
    return panel
  }

  const wardName = (code: string | null) => (code ? (geography.ward(code)?.name ?? code) : t('panels.hate.noWard'))

  // Tension log
  app.get(
    '/panels/:code/tensions',
    {
      config: {
        resource: panelResource('view', 'log'),
        access: MEMBER,
        audit: { action: 'TENSION_LOG_VIEWED', subjectType: 'panel_type', subjectParam: 'code' },
      },
      schema: {
        params: PanelParams,
        querystring: Type.Object({ week: Type.Optional(Type.String({ maxLength: 10 })) }),
      },
    },
    async (request, reply) => {
      const panel = await panelOfKind(request, request.params.code, 'tension-monitoring')
      const asked = request.query.week
      const start = asked && isIsoDate(asked) ? asked : community.today()
      const week = await community.week(start)
      const base = panelsPaths.tensions(panel.code)
      return reply.view('panels/views/tensions.njk', {
        panel,
        title: t('panels.tension.weekOf', { from: formatDate(week.monday), to: formatDate(week.sunday) }),
        previousHref: `${base}?week=${addDays(week.monday, -7)}`,
        nextHref: week.monday < weekStart(community.today()) ? `${base}?week=${addDays(week.monday, 7)}` : null,
        newHref: panelsPaths.tensionNew(panel.code),
        canRecord: userOf(request).roles.some(role => (RECORDERS.roles as readonly string[]).includes(role)),
        wards: week.wards.map(ward => ({
          name: wardName(ward.wardCode),
          entries: ward.entries,
          highest: ward.highest,
          tier: t(`panels.tension.tier.${tensionTier(ward.highest)}`),
          tierClass: { low: 'govuk-tag--green', medium: 'govuk-tag--yellow', high: 'govuk-tag--red' }[
            tensionTier(ward.highest)
          ],
          trend:
            ward.previousHighest === null
              ? t('panels.tension.trend.new')
              : ward.highest > ward.previousHighest
                ? t('panels.tension.trend.up')
                : ward.highest < ward.previousHighest
                  ? t('panels.tension.trend.down')
                  : t('panels.tension.trend.same'),
          evidenced: ward.categories.evidenced,
          experienced: ward.categories.experienced,
          potential: ward.categories.potential,
        })),
        entries: week.entries.map(entry => ({
          date: formatDate(entry.reported_on),
          ward: wardName(entry.ward_code),
          category: t(`panels.tension.category.${entry.category}`),
          level: entry.level,
          sources: entry.sources.map(s => t(`panels.tension.source.${s}`)).join(', '),
          summary: entry.summary,
          actions: entry.actions ?? '',
        })),
        backHref: panelsPaths.panel(panel.code),
      })
    },
  )

  async function renderTensionForm(
    reply: FastifyReply,
    panel: PanelRow,
    values: Record<string, string | string[]>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const sources = Array.isArray(values.sources) ? values.sources : []
    return reply.code(status).view('panels/views/tension-new.njk', {
      panel,
      values,
      ...formView(errors),
      errorFor: (name: string) => errorFor(errors, name),
      errors,
      wardItems: [
        { value: '', text: t('panels.tension.chooseWard') },
        ...geography.wards().map(ward => ({ value: ward.code, text: ward.name, selected: values.ward === ward.code })),
      ],
      categoryItems: TENSION_CATEGORIES.map(value => ({
        value,
        text: t(`panels.tension.category.${value}`),
        hint: { text: t(`panels.tension.categoryHint.${value}`) },
        checked: values.category === value,
      })),
      levelItems: TENSION_LEVELS.map(level => ({
        value: String(level),
        text: t('panels.tension.levelOption', { level, tier: t(`panels.tension.tier.${tensionTier(level)}`) }),
        checked: values.level === String(level),
      })),
      sourceItems: TENSION_SOURCES.map(value => ({
        value,
        text: t(`panels.tension.source.${value}`),
        checked: sources.includes(value),
      })),
      backHref: panelsPaths.tensions(panel.code),
    })
  }

  app.get(
    '/panels/:code/tensions/new',
    {
      config: { resource: panelResource('change', 'log'), access: RECORDERS, audit: false },
      schema: { params: PanelParams },
    },
    async (request, reply) => {
      const panel = await panelOfKind(request, request.params.code, 'tension-monitoring')
      const today = partsFromIso(community.today())
      return renderTensionForm(reply, panel, {
        submissionId: randomUUID(),
        'reported-day': today.day,
        'reported-month': today.month,
        'reported-year': today.year,
      })
    },
  )

  app.post(
    '/panels/:code/tensions/new',
    {
      config: { resource: panelResource('change', 'log'), access: RECORDERS, audit: false },
      schema: { params: PanelParams, body: FormBody },
    },
    async (request, reply) => {
      const panel = await panelOfKind(request, request.params.code, 'tension-monitoring')
      const body = request.body
      const reported = dateParts(body, 'reported')
      const submissionId = field(body, 'submissionId')
      const values = {
        ward: field(body, 'ward'),
        category: field(body, 'category'),
        level: field(body, 'level'),
        sources: fields(body, 'sources'),
        summary: field(body, 'summary'),
        actions: field(body, 'actions'),
        'reported-day': reported.day,
        'reported-month': reported.month,
        'reported-year': reported.year,
        submissionId: isUuid(submissionId) ? submissionId : randomUUID(),
      }
      const result = await community.recordTension(userOf(request), request.actor, panel, {
        wardCode: values.ward,
        validWard: geography.wards().some(ward => ward.code === values.ward),
        reportedOn: isoFromParts(reported),
        category: values.category,
        level: values.level,
        sources: values.sources,
        summary: values.summary,
        actions: values.actions,
        submissionId: values.submissionId,
      })
      if (!result.ok) return renderTensionForm(reply, panel, values, result.errors, 400)
      const reportedOn = isoFromParts(reported) ?? community.today()
      return reply.redirect(`${panelsPaths.tensions(panel.code)}?week=${weekStart(reportedOn)}`, 303)
    },
  )

  // Hate incidents (Hate Incident Panel)
  app.get(
    '/panels/:code/hate-incidents',
    {
      config: {
        resource: panelResource('view', 'log'),
        access: MEMBER,
        audit: { action: 'HATE_INCIDENTS_VIEWED', subjectType: 'panel_type', subjectParam: 'code' },
      },
      schema: { params: PanelParams },
    },
    async (request, reply) => {
      const panel = await panelOfKind(request, request.params.code, 'hate-incident')
      const today = community.today()
      const from = addDays(today, -364)
      const incidents = await community.hateIncidents(from, today)
      const counts = PROTECTED_CHARACTERISTICS.map(c => ({
        text: t(`panels.hate.characteristics.${c}`),
        count: incidents.filter(incident => incident.characteristics.includes(c)).length,
      }))
      return reply.view('panels/views/hate.njk', {
        panel,
        from: formatDate(from),
        to: formatDate(today),
        total: incidents.length,
        crimes: incidents.filter(incident => incident.crime).length,
        referred: incidents.filter(incident => incident.referral_id !== null).length,
        counts,
        incidents: incidents.slice(0, 100).map(incident => ({
          date: formatDate(incident.occurred_on),
          ward: wardName(incident.ward_code),
          characteristics: incident.characteristics.map(c => t(`panels.hate.characteristics.${c}`)).join(', '),
          crime: t(`panels.hate.crime.${incident.crime ? 'yes' : 'no'}`),
          caseReference: incident.case_reference,
          referralHref: incident.referral_id ? panelsPaths.referral(panel.code, incident.referral_id) : null,
        })),
        newHref: panelsPaths.hateNew(panel.code),
        canRecord: userOf(request).roles.some(role => (RECORDERS.roles as readonly string[]).includes(role)),
        backHref: panelsPaths.panel(panel.code),
      })
    },
  )

  async function renderHateForm(
    reply: FastifyReply,
    panel: PanelRow,
    values: Record<string, string | string[]>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const chosen = Array.isArray(values.characteristics) ? values.characteristics : []
    return reply.code(status).view('panels/views/hate-new.njk', {
      caseRow: null,
      panel,
      values,
      reports: [],
      ...formView(errors),
      errorFor: (name: string) => errorFor(errors, name),
      characteristicItems: PROTECTED_CHARACTERISTICS.map(value => ({
        value,
        text: t(`panels.hate.characteristics.${value}`),
        checked: chosen.includes(value),
      })),
      crimeItems: (['yes', 'no'] as const).map(value => ({
        value,
        text: t(`panels.hate.crime.${value}`),
        checked: values.crime === value,
      })),
      wardItems: [
        { value: '', text: t('panels.hate.chooseWard') },
        ...geography.wards().map(ward => ({ value: ward.code, text: ward.name, selected: values.ward === ward.code })),
      ],
      action: panelsPaths.hateNew(panel.code),
      backHref: panelsPaths.hateIncidents(panel.code),
    })
  }

  app.get(
    '/panels/:code/hate-incidents/new',
    {
      config: { resource: panelResource('change', 'log'), access: RECORDERS, audit: false },
      schema: { params: PanelParams },
    },
    async (request, reply) => {
      const panel = await panelOfKind(request, request.params.code, 'hate-incident')
      return renderHateForm(reply, panel, { submissionId: randomUUID(), refer: 'yes' })
    },
  )

  app.post(
    '/panels/:code/hate-incidents/new',
    {
      config: { resource: panelResource('change', 'log'), access: RECORDERS, audit: false },
      schema: { params: PanelParams, body: FormBody },
    },
    async (request, reply) => {
      const panel = await panelOfKind(request, request.params.code, 'hate-incident')
      const body = request.body
      const occurred = dateParts(body, 'occurred')
      const submissionId = field(body, 'submissionId')
      const values = {
        ward: field(body, 'ward'),
        characteristics: fields(body, 'characteristics'),
        crime: field(body, 'crime'),
        summary: field(body, 'summary'),
        refer: field(body, 'refer'),
        'occurred-day': occurred.day,
        'occurred-month': occurred.month,
        'occurred-year': occurred.year,
        submissionId: isUuid(submissionId) ? submissionId : randomUUID(),
      }
      const result = await community.recordHateIncident(userOf(request), request.actor, {
        caseRow: null,
        reportId: null,
        wardCode: values.ward,
        validWard: geography.wards().some(ward => ward.code === values.ward),
        occurredOn: isoFromParts(occurred),
        characteristics: values.characteristics,
        crime: values.crime,
        summary: values.summary,
        refer: values.refer === 'yes',
        submissionId: values.submissionId,
      })
      if (!result.ok) return renderHateForm(reply, panel, values, result.errors, 400)
      return reply.redirect(panelsPaths.hateIncidents(panel.code), 303)
    },
  )
}
