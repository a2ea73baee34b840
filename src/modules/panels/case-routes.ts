/**
 * Panels from a case: the case's referrals and the panel actions on it, referring the case (or a person on it) to
 * a panel, the DASH-based DA MARAC referral checklist, the victim's safe-contact details and recording a hate
 * incident. A case the user may not see answers 404 exactly as a missing one (casework records the attempt).
 */
import { randomUUID } from 'node:crypto'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'

import { field, fields, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { isUuid } from '../../platform/identifiers.js'
import type { StaffUser } from '../accounts/index.js'
import { caseResource, declaredCaseResource, type Casework, type CaseRow } from '../casework/index.js'
import type { GeographyService } from '../geography/index.js'
import { PROTECTED_CHARACTERISTICS } from '../reporting/index.js'
import type { CommunityService } from './community-service.js'
import { DASH_ANSWERS, DASH_TOPICS } from './marac-rules.js'
import type { MaracService } from './marac-service.js'
import { declaredPanelResource, isMember, panelAllowed, panelResource } from './panel-access.js'
import { dateParts, formatDate, FormBody, isoFromParts, parseDateLines } from './panels-forms.js'
import { panelsPaths } from './panels-paths.js'
import { errorFor, formView, statusTag } from './panels-presenters.js'
import type { PanelsService } from './panels-service.js'

const CASE_ROLES = { roles: ['officer', 'supervisor', 'panel-coordinator'] } as const
const WORKER_ROLES = { roles: ['officer', 'supervisor'] } as const
const SAFE_CONTACT_ROLES = { roles: ['officer', 'supervisor', 'panel-coordinator'] } as const

const CaseParams = Type.Object({ caseId: Type.String({ maxLength: 64 }) })
const DashParams = Type.Object({ caseId: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 64 }) })
const SafeParams = Type.Object({ code: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 64 }) })

export const panelsCaseRoutes: FastifyPluginAsyncTypebox<{
  panels: PanelsService
  marac: MaracService
  community: CommunityService
  casework: Casework
  geography: GeographyService
}> = async (app, { panels, marac, community, casework, geography }) => {
  function userOf(request: FastifyRequest): StaffUser {
    if (!request.user) throw app.httpErrors.notFound()
    return request.user
  }

  /**
   * The case behind the route's `:caseId`, checked against the part and action the route declares (ADR 0019): a case
   * the user may not see answers 404 exactly as a missing one (casework records the attempt); what they may not do
   * answers 403 and is recorded as refused. The route's audit event is written against the case.
   */
  async function caseFor(request: FastifyRequest): Promise<CaseRow> {
    const { resource, action, param } = declaredCaseResource(request)
    const id = field(request.params, param)
    const user = userOf(request)
    const caseRow = isUuid(id) ? await casework.findForUser(user, id) : undefined
    if (!caseRow) throw app.httpErrors.notFound()
    request.auditContext.subjectType = 'case'
    request.auditContext.subjectId = caseRow.id
    if (!casework.can(user, caseRow, resource, action)) {
      await casework.recordRefusal(user, caseRow, { resource, action, route: request.routeOptions.url })
      throw app.httpErrors.forbidden()
    }
    return caseRow
  }

  function submissionId(body: unknown): string {
    const value = field(body, 'submissionId')
    return isUuid(value) ? value : randomUUID()
  }

  const caseLink = (caseRow: CaseRow) => `/cases/${encodeURIComponent(caseRow.reference)}`

  app.get(
    '/panels/cases/:caseId',
    {
      config: {
        resource: caseResource('case', 'view', 'caseId'),
        access: CASE_ROLES,
        audit: { action: 'CASE_PANELS_VIEWED', subjectType: 'case', subjectParam: 'caseId' },
      },
      schema: { params: CaseParams },
    },
    async (request, reply) => {
      const user = userOf(request)
      const caseRow = await caseFor(request)
      const [referrals, tasks, allPanels] = await Promise.all([
        panels.referralsForCase(caseRow.id),
        casework.repository.tasks(caseRow.id),
        panels.panels(),
      ])
      const canWork = casework.can(user, caseRow, 'chronology', 'change')
      return reply.view('panels/views/case.njk', {
        caseRow,
        caseHref: caseLink(caseRow),
        referrals: referrals.map(row => {
          const panel = allPanels.find(p => p.id === row.panel_id)
          return {
            panel: row.panel_name,
            subject: row.subject,
            referredOn: formatDate(new Date(row.referred_at).toISOString().slice(0, 10)),
            status: statusTag(row.status),
            href: panel && isMember(user, panel) ? panelsPaths.referral(row.panel_code, row.id) : null,
          }
        }),
        tasks: tasks
          .filter(task => task.source_module === 'panels')
          .map(task => ({
            title: task.title,
            owner: task.owner_name ?? '',
            due: formatDate(task.due_date),
            status: t(`panels.taskStatus.${task.status}`),
          })),
        canWork,
        canDash: marac.canRecord(user, caseRow),
        referHref: panelsPaths.refer(caseRow.id),
        dashHref: panelsPaths.dashNew(caseRow.id),
        hateHref: panelsPaths.caseHateNew(caseRow.id),
      })
    },
  )

  // Refer the case to a panel
  async function renderRefer(
    request: FastifyRequest,
    reply: FastifyReply,
    caseRow: CaseRow,
    values: Record<string, string>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const [allPanels, parties] = await Promise.all([panels.panels(), casework.partiesForUser(userOf(request), caseRow)])
    return reply.code(status).view('panels/views/refer.njk', {
      caseRow,
      values,
      ...formView(errors),
      errorFor: (name: string) => errorFor(errors, name),
      panelItems: allPanels
        .filter(panel => panel.active && panel.kind !== 'tension-monitoring')
        .map(panel => ({
          value: panel.code,
          text: panel.name,
          hint: { text: panel.referral_criteria },
          checked: values.panel === panel.code,
        })),
      partyItems: [
        { value: '', text: t('panels.refer.wholeCase') },
        ...parties
          .filter(party => party.kind === 'person')
          .map(party => ({
            value: party.id,
            text: `${party.name} (${t(`panels.roles.${party.role}`)})`,
            selected: values.party === party.id,
          })),
      ],
      backHref: panelsPaths.caseHome(caseRow.id),
    })
  }

  app.get(
    '/panels/cases/:caseId/refer',
    {
      config: {
        resource: caseResource('chronology', 'change', 'caseId'),
        access: WORKER_ROLES,
        // The form lists the people on the case: a read of their names, on the case's access log.
        audit: { action: 'CASE_PANEL_REFER_FORM_VIEWED', subjectType: 'case' },
      },
      schema: { params: CaseParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      return renderRefer(request, reply, caseRow, { submissionId: randomUUID() })
    },
  )

  app.post(
    '/panels/cases/:caseId/refer',
    {
      config: { resource: caseResource('chronology', 'change', 'caseId'), access: WORKER_ROLES, audit: false },
      schema: { params: CaseParams, body: FormBody },
    },
    async (request, reply) => {
      const user = userOf(request)
      const caseRow = await caseFor(request)
      const values = {
        panel: field(request.body, 'panel'),
        party: field(request.body, 'party'),
        reason: field(request.body, 'reason'),
        submissionId: submissionId(request.body),
      }
      const result = await panels.referCase(user, request.actor, caseRow, {
        panelCode: values.panel,
        partyId: values.party,
        reason: values.reason,
        submissionId: values.submissionId,
      })
      if (!result.ok) return renderRefer(request, reply, caseRow, values, result.errors, 400)
      return reply.redirect(`${panelsPaths.caseHome(caseRow.id)}?referred=1`, 303)
    },
  )

  // DASH-based DA MARAC referral checklist
  async function renderDash(
    request: FastifyRequest,
    reply: FastifyReply,
    caseRow: CaseRow,
    values: Record<string, string>,
    answers: Record<string, string>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const victims = await marac.victimsFor(userOf(request), caseRow)
    return reply.code(status).view('panels/views/dash-new.njk', {
      caseRow,
      values,
      ...formView(errors),
      errorFor: (name: string) => errorFor(errors, name),
      errors,
      policy: marac.policy,
      victimItems: victims.map(victim => ({
        value: victim.id,
        text: victim.name,
        checked: values.party === victim.id || victims.length === 1,
      })),
      topics: DASH_TOPICS.map((topic, index) => ({
        name: `q-${topic}`,
        number: index + 1,
        legend: t(`panels.dash.topics.${topic}`),
        error: errorFor(errors, `q-${topic}`),
        items: DASH_ANSWERS.map(answer => ({
          value: answer,
          text: t(`panels.dash.answers.${answer}`),
          checked: answers[topic] === answer,
        })),
      })),
      referItems: (['yes', 'no'] as const).map(value => ({
        value,
        text: t(`panels.dash.refer.${value}`),
        checked: values.refer === value,
      })),
      backHref: panelsPaths.caseHome(caseRow.id),
    })
  }

  app.get(
    '/panels/cases/:caseId/dash/new',
    {
      config: {
        resource: caseResource('person', 'change', 'caseId'),
        access: WORKER_ROLES,
        audit: { action: 'MARAC_DASH_FORM_VIEWED', subjectType: 'case', subjectParam: 'caseId' },
      },
      schema: { params: CaseParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      if (!marac.canRecord(userOf(request), caseRow)) throw app.httpErrors.forbidden()
      return renderDash(request, reply, caseRow, { submissionId: randomUUID() }, {})
    },
  )

  app.post(
    '/panels/cases/:caseId/dash/new',
    {
      config: { resource: caseResource('person', 'change', 'caseId'), access: WORKER_ROLES, audit: false },
      schema: { params: CaseParams, body: FormBody },
    },
    async (request, reply) => {
      const user = userOf(request)
      const caseRow = await caseFor(request)
      if (!marac.canRecord(user, caseRow)) throw app.httpErrors.forbidden()
      const body = request.body
      const answers: Record<string, string> = {}
      for (const topic of DASH_TOPICS) {
        const value = field(body, `q-${topic}`)
        if (value !== '') answers[topic] = value
      }
      const incident = dateParts(body, 'incident')
      const rawCallouts = body.callouts
      const calloutsText = typeof rawCallouts === 'string' ? rawCallouts : ''
      const callouts = parseDateLines(calloutsText)
      const values = {
        party: field(body, 'party'),
        'incident-day': incident.day,
        'incident-month': incident.month,
        'incident-year': incident.year,
        callouts: calloutsText,
        refer: field(body, 'refer'),
        judgementReasons: field(body, 'judgementReasons'),
        safePhone: field(body, 'safePhone'),
        safeEmail: field(body, 'safeEmail'),
        safeTimes: field(body, 'safeTimes'),
        avoid: field(body, 'avoid'),
        submissionId: submissionId(body),
      }
      const result = await marac.record(user, request.actor, caseRow, {
        partyId: values.party,
        answers,
        incidentOn: isoFromParts(incident),
        calloutDates: callouts.dates,
        invalidCallouts: callouts.invalid,
        refer: values.refer,
        judgementReasons: values.judgementReasons,
        safePhone: values.safePhone,
        safeEmail: values.safeEmail,
        safeTimes: values.safeTimes,
        avoid: values.avoid,
        submissionId: values.submissionId,
      })
      if (!result.ok) return renderDash(request, reply, caseRow, values, answers, result.errors, 400)
      return reply.redirect(panelsPaths.dash(caseRow.id, result.id), 303)
    },
  )

  app.get(
    '/panels/cases/:caseId/dash/:id',
    {
      config: {
        resource: caseResource('person', 'view', 'caseId'),
        access: CASE_ROLES,
        // Against the case (caseFor sets the subject), so the case's access log shows who read the checklist.
        audit: { action: 'MARAC_DASH_VIEWED', subjectType: 'case' },
      },
      schema: { params: DashParams },
    },
    async (request, reply) => {
      const user = userOf(request)
      const caseRow = await caseFor(request)
      const found = isUuid(request.params.id) ? await marac.dash(user, caseRow, request.params.id) : undefined
      if (!found) throw app.httpErrors.notFound()
      const { row, party } = found
      request.auditContext.details = { dashId: row.id, partyId: party.id }
      const panel = await panels.repository.panelByKind('da-marac')
      return reply.view('panels/views/dash.njk', {
        caseRow,
        party,
        row,
        assessedOn: formatDate(row.assessed_on),
        incidentOn: formatDate(row.incident_on),
        lastMaracOn: formatDate(row.last_marac_on),
        level: t(`panels.dash.level.${row.computed_level}`),
        criteria: row.criteria.map(c => t(`panels.dash.criteria.${c}`)),
        topics: DASH_TOPICS.map(topic => ({
          text: t(`panels.dash.topics.${topic}`),
          answer: t(`panels.dash.answers.${row.answers[topic] ?? 'not-known'}`),
        })),
        policy: marac.policy,
        referralHref:
          row.referral_id && panel && isMember(user, panel) ? panelsPaths.referral(panel.code, row.referral_id) : null,
        backHref: panelsPaths.caseHome(caseRow.id),
      })
    },
  )

  app.get(
    '/panels/:code/referrals/:id/safe-contact',
    {
      config: { resource: panelResource('view', 'safe-contact'), access: SAFE_CONTACT_ROLES, audit: false },
      schema: { params: SafeParams },
    },
    async (request, reply) => {
      const user = userOf(request)
      const { part, action } = declaredPanelResource(request)
      const panel = await panels.panelForUser(user, request.params.code)
      if (panel?.kind !== 'da-marac' || !panelAllowed(user, panel, part, action) || !isUuid(request.params.id)) {
        throw app.httpErrors.notFound()
      }
      const found = await marac.safeContact(user, request.params.id)
      if (!found) throw app.httpErrors.notFound()
      return reply.header('cache-control', 'no-store').view('panels/views/safe-contact.njk', {
        panel,
        referral: found.referral,
        contact: found.contact,
        backHref: panelsPaths.referral(panel.code, found.referral.id),
      })
    },
  )

  // Hate incident recorded from a case
  async function renderCaseHate(
    reply: FastifyReply,
    caseRow: CaseRow,
    values: Record<string, string | string[]>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const reports = await community.hateReportsForCase(caseRow)
    return reply.code(status).view('panels/views/hate-new.njk', {
      caseRow,
      values,
      reports: reports.map(report => ({
        reference: report.reference,
        occurredOn: formatDate(report.occurredOn),
        characteristics: report.characteristics.map(c => t(`panels.hate.characteristics.${c}`)).join(', '),
      })),
      ...formView(errors),
      errorFor: (name: string) => errorFor(errors, name),
      ...hateItems(values),
      action: panelsPaths.caseHateNew(caseRow.id),
      backHref: panelsPaths.caseHome(caseRow.id),
    })
  }

  function hateItems(values: Record<string, string | string[]>) {
    const chosen = Array.isArray(values.characteristics) ? values.characteristics : []
    return {
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
    }
  }

  app.get(
    '/panels/cases/:caseId/hate-incidents/new',
    {
      config: { resource: caseResource('chronology', 'change', 'caseId'), access: WORKER_ROLES, audit: false },
      schema: { params: CaseParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const reports = await community.hateReportsForCase(caseRow)
      const latest = reports[0]
      const [year, month, day] = (latest?.occurredOn ?? '').split('-')
      return renderCaseHate(reply, caseRow, {
        submissionId: randomUUID(),
        ward: latest?.wardCode ?? caseRow.ward_code ?? '',
        characteristics: [...new Set(reports.flatMap(report => report.characteristics))],
        'occurred-day': day ? String(Number(day)) : '',
        'occurred-month': month ? String(Number(month)) : '',
        'occurred-year': year ?? '',
        report: latest ? String(latest.id) : '',
      })
    },
  )

  app.post(
    '/panels/cases/:caseId/hate-incidents/new',
    {
      config: { resource: caseResource('chronology', 'change', 'caseId'), access: WORKER_ROLES, audit: false },
      schema: { params: CaseParams, body: FormBody },
    },
    async (request, reply) => {
      const user = userOf(request)
      const caseRow = await caseFor(request)
      const body = request.body
      const occurred = dateParts(body, 'occurred')
      const values = {
        ward: field(body, 'ward'),
        characteristics: fields(body, 'characteristics'),
        crime: field(body, 'crime'),
        summary: field(body, 'summary'),
        refer: field(body, 'refer'),
        report: field(body, 'report'),
        'occurred-day': occurred.day,
        'occurred-month': occurred.month,
        'occurred-year': occurred.year,
        submissionId: submissionId(body),
      }
      const reports = await community.hateReportsForCase(caseRow)
      const report = reports.find(row => String(row.id) === values.report)
      const result = await community.recordHateIncident(user, request.actor, {
        caseRow,
        reportId: report?.id ?? null,
        wardCode: values.ward === '' ? null : values.ward,
        validWard: values.ward === '' || geography.wards().some(ward => ward.code === values.ward),
        occurredOn: isoFromParts(occurred),
        characteristics: values.characteristics,
        crime: values.crime,
        summary: values.summary,
        refer: values.refer === 'yes',
        submissionId: values.submissionId,
      })
      if (!result.ok) return renderCaseHate(reply, caseRow, values, result.errors, 400)
      return reply.redirect(`${panelsPaths.caseHome(caseRow.id)}?hate=1`, 303)
    },
  )
}
