/**
 * The panel engine's pages under /panels. A panel the user is not a member of answers 404 exactly as a missing one
 * (the service records the attempt); running a panel (meetings, attendance, minutes, actions) needs the panel
 * coordinator role as well as membership. Forms re-render with GOV.UK errors and HTTP 400, answers kept.
 */
import { randomUUID } from 'node:crypto'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'

import { field, fields, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import type { PdfRenderer } from '../../platform/pdf.js'
import { isUuid } from '../../platform/identifiers.js'
import type { StaffUser } from '../accounts/index.js'
import type { Casework } from '../casework/index.js'
import {
  canSeeSafeContact,
  declaredPanelResource,
  panelAllowed,
  panelResource,
  SETTINGS_ROLES,
} from './panel-access.js'
import { dateParts, formatDate, isoFromParts, partsFromIso } from './panels-forms.js'
import {
  chronologyCsv,
  errorFor,
  formView,
  panelsPaths,
  presentAction,
  presentReferralRow,
  statusTag,
} from './panels-presenters.js'
import type { MeetingRow, PanelRow } from './panels-repository.js'
import type { PanelsService } from './panels-service.js'

const MEMBER = { roles: ['officer', 'supervisor', 'panel-coordinator', 'partner-read-only'] } as const
const INDEX = { roles: ['officer', 'supervisor', 'panel-coordinator', 'partner-read-only', 'administrator'] } as const
const COORDINATOR = { roles: ['panel-coordinator'] } as const
const SETTINGS = { roles: SETTINGS_ROLES } as const

const Code = Type.String({ maxLength: 64 })
const Id = Type.String({ maxLength: 64 })
const PanelParams = Type.Object({ code: Code })
const ReferralParams = Type.Object({ code: Code, id: Id })
const MeetingParams = Type.Object({ code: Code, meetingId: Id })
const ItemParams = Type.Object({ code: Code, meetingId: Id, itemId: Id })
const FormBody = Type.Record(Type.String(), Type.Unknown())

export const panelsRoutes: FastifyPluginAsyncTypebox<{
  panels: PanelsService
  casework: Casework
  pdf: PdfRenderer
}> = async (app, { panels, pdf }) => {
  function userOf(request: FastifyRequest): StaffUser {
    if (!request.user) throw app.httpErrors.notFound()
    return request.user
  }

  /**
   * The panel behind the route's `:code`, checked against the part and action the route declares (ADR 0019): a panel
   * the user is not a member of answers 404 exactly as a missing one (the service records the attempt); running it
   * without the coordinator role answers 403.
   */
  async function panelFor(request: FastifyRequest): Promise<PanelRow> {
    const { part, action } = declaredPanelResource(request)
    const user = userOf(request)
    const panel = await panels.panelForUser(user, (request.params as { code: string }).code)
    if (!panel) throw app.httpErrors.notFound()
    if (!panelAllowed(user, panel, part, action)) throw app.httpErrors.forbidden(t('panels.errors.coordinator'))
    return panel
  }

  async function meetingOf(panel: PanelRow, id: string): Promise<MeetingRow> {
    const meeting = await panels.meeting(panel, id)
    if (!meeting) throw app.httpErrors.notFound()
    return meeting
  }

  function submissionId(body: unknown): string | undefined {
    const value = field(body, 'submissionId')
    return isUuid(value) ? value : undefined
  }

  // Index: the panels the user sits on (administrators see every panel's settings).
  app.get('/panels', { config: { access: INDEX, audit: false } }, async (request, reply) => {
    const user = userOf(request)
    const mine = await panels.panelsFor(user)
    const settingsAllowed = user.roles.some(role => SETTINGS_ROLES.includes(role))
    const all = settingsAllowed ? await panels.panels() : mine
    return reply.view('panels/views/index.njk', {
      panels: all.map(panel => ({
        name: panel.name,
        purpose: panel.purpose,
        cadence: panel.meeting_cadence,
        href: mine.some(row => row.id === panel.id) ? panelsPaths.panel(panel.code) : null,
        settingsHref: settingsAllowed ? panelsPaths.settings(panel.code) : null,
        active: panel.active,
      })),
    })
  })

  app.get(
    '/panels/:code',
    {
      config: {
        resource: panelResource('view'),
        access: MEMBER,
        audit: { action: 'PANEL_VIEWED', subjectType: 'panel_type', subjectParam: 'code' },
      },
      schema: { params: PanelParams },
    },
    async (request, reply) => {
      const panel = await panelFor(request)
      const user = userOf(request)
      const [open, closed, meetings, partners] = await Promise.all([
        panels.referrals(panel, 'open'),
        panels.referrals(panel, 'closed'),
        panels.meetings(panel),
        panels.memberPartners(panel),
      ])
      return reply.view('panels/views/panel.njk', {
        panel,
        paths: panelsPaths,
        partners: partners.map(partner => partner.name),
        restriction: t(`panels.restriction.${panel.minutes_restriction}`),
        open: open.map(row => presentReferralRow(panel, row)),
        closed: closed.slice(-20).map(row => presentReferralRow(panel, row)),
        meetings: meetings.map(meeting => ({
          href: panelsPaths.meeting(panel.code, meeting.id),
          date: formatDate(meeting.meets_on),
          chair: meeting.chair,
          location: meeting.location,
        })),
        canCoordinate: panels.canCoordinate(user, panel),
        canSettings: user.roles.some(role => SETTINGS_ROLES.includes(role)),
      })
    },
  )

  // Settings: the panel type's configuration row.
  async function renderSettings(
    reply: FastifyReply,
    panel: PanelRow,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const partners = await panels.repository.partners()
    const chosen = (values.partnerIds as string[] | undefined) ?? panel.partner_ids
    return reply.code(status).view('panels/views/settings.njk', {
      panel,
      values,
      ...formView(errors),
      errorFor: (name: string) => errorFor(errors, name),
      partnerItems: partners.map(partner => ({
        value: partner.id,
        text: partner.name,
        checked: chosen.includes(partner.id),
      })),
      restrictionItems: (['members', 'attendees'] as const).map(value => ({
        value,
        text: t(`panels.restriction.${value}`),
        checked: (values.restriction ?? panel.minutes_restriction) === value,
      })),
      backHref: panelsPaths.home,
    })
  }

  async function settingsPanel(code: string): Promise<PanelRow> {
    const panel = await panels.repository.panelByCode(code)
    if (!panel) throw app.httpErrors.notFound()
    return panel
  }

  app.get(
    '/panels/:code/settings',
    {
      config: {
        resource: { none: 'panel configuration (settings roles): no personal records' },
        access: SETTINGS,
        audit: false,
      },
      schema: { params: PanelParams },
    },
    async (request, reply) => {
      const panel = await settingsPanel(request.params.code)
      return renderSettings(reply, panel, {
        name: panel.name,
        purpose: panel.purpose,
        criteria: panel.referral_criteria,
        cadence: panel.meeting_cadence,
        restriction: panel.minutes_restriction,
        version: panel.version,
      })
    },
  )

  app.post(
    '/panels/:code/settings',
    {
      config: {
        resource: { none: 'panel configuration (settings roles): no personal records' },
        access: SETTINGS,
        audit: false,
      },
      schema: { params: PanelParams, body: FormBody },
    },
    async (request, reply) => {
      const panel = await settingsPanel(request.params.code)
      const body = request.body
      const values = {
        name: field(body, 'name'),
        purpose: field(body, 'purpose'),
        criteria: field(body, 'criteria'),
        cadence: field(body, 'cadence'),
        restriction: field(body, 'restriction'),
        partnerIds: fields(body, 'partners'),
        version: Number(field(body, 'version')),
      }
      if (values.version !== panel.version) {
        return renderSettings(
          reply,
          panel,
          { ...values, version: panel.version },
          { name: t('panels.errors.conflict') },
          409,
        )
      }
      const result = await panels.updateSettings(request.actor, panel, values.version, values)
      if (!result.ok) return renderSettings(reply, panel, values, result.errors, 400)
      return reply.redirect(`${panelsPaths.home}?saved=${encodeURIComponent(panel.code)}`, 303)
    },
  )

  // Referrals
  app.get(
    '/panels/:code/referrals/:id',
    {
      config: {
        resource: panelResource('view'),
        access: MEMBER,
        audit: { action: 'PANEL_REFERRAL_VIEWED', subjectType: 'panel_referral', subjectParam: 'id' },
      },
      schema: { params: ReferralParams },
    },
    async (request, reply) => {
      const panel = await panelFor(request)
      const referral = await panels.referral(panel, request.params.id)
      if (!referral) throw app.httpErrors.notFound()
      return renderReferral(request, reply, panel, referral.id, {}, 200)
    },
  )

  async function renderReferral(
    request: FastifyRequest,
    reply: FastifyReply,
    panel: PanelRow,
    referralId: string,
    errors: FieldErrors,
    status: number,
    values: Record<string, string> = {},
  ) {
    const user = userOf(request)
    const referral = await panels.referral(panel, referralId)
    if (!referral) throw app.httpErrors.notFound()
    const items = await panels.repository.itemsForReferral(referral.id)
    const actions = await panels.repository.actionsForReferral(referral.id)
    const statuses = await panels.repository.taskStatuses(
      actions.map(action => action.case_task_id).filter((id): id is string => id !== null),
    )
    return reply.code(status).view('panels/views/referral.njk', {
      panel,
      referral,
      row: presentReferralRow(panel, referral),
      status: statusTag(referral.status),
      hearings: items.map(item => ({
        date: formatDate(item.meets_on),
        chair: item.chair,
        href: panelsPaths.item(panel.code, item.meeting_id, item.id),
      })),
      actions: actions.map(action =>
        presentAction(action, action.case_task_id ? statuses.get(action.case_task_id) : undefined),
      ),
      csvHref: panelsPaths.chronologyCsv(panel.code, referral.id),
      pdfHref: panelsPaths.chronologyPdf(panel.code, referral.id),
      closeHref: panelsPaths.referralClose(panel.code, referral.id),
      safeContactHref:
        panel.kind === 'da-marac' && canSeeSafeContact(user, panel)
          ? panelsPaths.safeContact(panel.code, referral.id)
          : null,
      canCoordinate: panels.canCoordinate(user, panel) && referral.status === 'open',
      values,
      ...formView(errors),
      outcomeError: errorFor(errors, 'outcome'),
      backHref: panelsPaths.panel(panel.code),
    })
  }

  app.post(
    '/panels/:code/referrals/:id/close',
    {
      config: { resource: panelResource('change'), access: COORDINATOR, audit: false },
      schema: { params: ReferralParams, body: FormBody },
    },
    async (request, reply) => {
      const panel = await panelFor(request)
      const referral = await panels.referral(panel, request.params.id)
      if (!referral) throw app.httpErrors.notFound()
      const outcome = field(request.body, 'outcome')
      const result = await panels.closeReferral(userOf(request), request.actor, panel, referral, outcome)
      if (!result.ok) return renderReferral(request, reply, panel, referral.id, result.errors, 400, { outcome })
      return reply.redirect(panelsPaths.referral(panel.code, referral.id), 303)
    },
  )

  for (const format of ['csv', 'pdf'] as const) {
    app.get(
      `/panels/:code/referrals/:id/chronology.${format}`,
      {
        config: {
          resource: panelResource('view'),
          access: MEMBER,
          audit: { action: 'PANEL_CHRONOLOGY_EXPORTED', subjectType: 'panel_referral', subjectParam: 'id' },
        },
        schema: { params: ReferralParams },
      },
      async (request, reply) => {
        const panel = await panelFor(request)
        const referral = await panels.referral(panel, request.params.id)
        if (!referral) throw app.httpErrors.notFound()
        request.auditContext.details = { format }
        const entries = await panels.chronology(userOf(request), panel, referral)
        const name = `${panel.code}-chronology-${referral.id.slice(0, 8)}`
        if (format === 'csv') {
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${name}.csv"`)
            .header('cache-control', 'no-store')
            .send(chronologyCsv(entries))
        }
        const html = app.nunjucks.render('panels/views/chronology-print.njk', {
          t,
          panel,
          referral,
          entries: entries.map(entry => ({ ...entry, date: formatDate(entry.date) })),
          printedOn: formatDate(panels.today()),
        })
        const body = await pdf.render(html, { footer: t('panels.export.footer', { panel: panel.name }) })
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${name}.pdf"`)
          .header('cache-control', 'no-store')
          .send(body)
      },
    )
  }

  // Meetings
  async function renderMeetingForm(
    reply: FastifyReply,
    panel: PanelRow,
    values: Record<string, string>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const open = await panels.referrals(panel, 'open')
    return reply.code(status).view('panels/views/meeting-new.njk', {
      panel,
      values,
      openCount: open.length,
      ...formView(errors),
      errors,
      backHref: panelsPaths.panel(panel.code),
    })
  }

  app.get(
    '/panels/:code/meetings/new',
    {
      config: { resource: panelResource('change'), access: COORDINATOR, audit: false },
      schema: { params: PanelParams },
    },
    async (request, reply) => {
      const panel = await panelFor(request)
      return renderMeetingForm(reply, panel, { submissionId: randomUUID(), ...toParts('meetsOn', null) })
    },
  )

  function toParts(name: string, iso: string | null): Record<string, string> {
    const parts = partsFromIso(iso)
    return { [`${name}-day`]: parts.day, [`${name}-month`]: parts.month, [`${name}-year`]: parts.year }
  }

  app.post(
    '/panels/:code/meetings/new',
    {
      config: { resource: panelResource('change'), access: COORDINATOR, audit: false },
      schema: { params: PanelParams, body: FormBody },
    },
    async (request, reply) => {
      const panel = await panelFor(request)
      const body = request.body
      const parts = dateParts(body, 'meetsOn')
      const values = {
        'meetsOn-day': parts.day,
        'meetsOn-month': parts.month,
        'meetsOn-year': parts.year,
        chair: field(body, 'chair'),
        location: field(body, 'location'),
        submissionId: submissionId(body) ?? randomUUID(),
      }
      const result = await panels.createMeeting(userOf(request), request.actor, panel, {
        meetsOn: isoFromParts(parts),
        chair: values.chair,
        location: values.location,
        submissionId: values.submissionId,
      })
      if (!result.ok) return renderMeetingForm(reply, panel, values, result.errors, 400)
      return reply.redirect(panelsPaths.meeting(panel.code, result.id), 303)
    },
  )

  async function renderMeeting(
    request: FastifyRequest,
    reply: FastifyReply,
    panel: PanelRow,
    meeting: MeetingRow,
    errors: FieldErrors = {},
    status = 200,
    posted?: Map<string, { present: boolean; representative: string }>,
  ) {
    const user = userOf(request)
    const [agenda, attendance, partners] = await Promise.all([
      panels.agenda(meeting),
      panels.attendance(meeting),
      panels.memberPartners(panel),
    ])
    return reply.code(status).view('panels/views/meeting.njk', {
      panel,
      meeting,
      date: formatDate(meeting.meets_on),
      agenda: agenda.map(item => ({
        position: item.position,
        subject: item.subject,
        caseReference: item.case_reference,
        status: statusTag(item.referral_status),
        hasMinutes: item.has_minutes,
        actions: item.action_count,
        href: panelsPaths.item(panel.code, meeting.id, item.id),
      })),
      attendance: partners.map(partner => {
        const saved = attendance.find(row => row.partner_id === partner.id)
        const mine = posted?.get(partner.id)
        return {
          partnerId: partner.id,
          name: partner.name,
          present: mine ? mine.present : (saved?.present ?? false),
          representative: mine ? mine.representative : (saved?.representative ?? ''),
          recorded: saved !== undefined,
          error: errorFor(errors, `rep-${partner.id}`),
        }
      }),
      attendanceRecorded: attendance.length > 0,
      canCoordinate: panels.canCoordinate(user, panel),
      attendanceHref: panelsPaths.attendance(panel.code, meeting.id),
      agendaHref: panelsPaths.agenda(panel.code, meeting.id),
      ...formView(errors),
      backHref: panelsPaths.panel(panel.code),
    })
  }

  app.get(
    '/panels/:code/meetings/:meetingId',
    {
      config: {
        resource: panelResource('view'),
        access: MEMBER,
        audit: { action: 'PANEL_MEETING_VIEWED', subjectType: 'panel_meeting', subjectParam: 'meetingId' },
      },
      schema: { params: MeetingParams },
    },
    async (request, reply) => {
      const panel = await panelFor(request)
      const meeting = await meetingOf(panel, request.params.meetingId)
      return renderMeeting(request, reply, panel, meeting)
    },
  )

  app.post(
    '/panels/:code/meetings/:meetingId/attendance',
    {
      config: { resource: panelResource('change'), access: COORDINATOR, audit: false },
      schema: { params: MeetingParams, body: FormBody },
    },
    async (request, reply) => {
      const panel = await panelFor(request)
      const meeting = await meetingOf(panel, request.params.meetingId)
      const present = new Set(fields(request.body, 'present'))
      const rows = (await panels.memberPartners(panel)).map(partner => ({
        partnerId: partner.id,
        present: present.has(partner.id),
        representative: field(request.body, `rep-${partner.id}`),
      }))
      const result = await panels.recordAttendance(request.actor, panel, meeting, rows)
      if (!result.ok) {
        const posted = new Map(rows.map(row => [row.partnerId, row]))
        return renderMeeting(request, reply, panel, meeting, result.errors, 400, posted)
      }
      return reply.redirect(panelsPaths.meeting(panel.code, meeting.id), 303)
    },
  )

  app.post(
    '/panels/:code/meetings/:meetingId/agenda',
    {
      config: { resource: panelResource('change'), access: COORDINATOR, audit: false },
      schema: { params: MeetingParams },
    },
    async (request, reply) => {
      const panel = await panelFor(request)
      const meeting = await meetingOf(panel, request.params.meetingId)
      await panels.refreshAgenda(request.actor, panel, meeting)
      return reply.redirect(panelsPaths.meeting(panel.code, meeting.id), 303)
    },
  )

  // Agenda items: minutes and actions
  async function renderItem(
    request: FastifyRequest,
    reply: FastifyReply,
    panel: PanelRow,
    meeting: MeetingRow,
    itemId: string,
    errors: FieldErrors = {},
    status = 200,
    values: Record<string, string> = {},
  ) {
    const user = userOf(request)
    const found = await panels.item(meeting, itemId)
    if (!found) throw app.httpErrors.notFound()
    const minutes = await panels.readMinutes(user, panel, meeting, found.item.id)
    const [actions, owners] = await Promise.all([panels.actionsForItem(found.item.id), panels.possibleOwners(panel)])
    const statuses = await panels.repository.taskStatuses(
      actions.map(action => action.case_task_id).filter((id): id is string => id !== null),
    )
    const canCoordinate = panels.canCoordinate(user, panel)
    return reply.code(status).view('panels/views/item.njk', {
      panel,
      meeting,
      date: formatDate(meeting.meets_on),
      referral: found.referral,
      referralHref: panelsPaths.referral(panel.code, found.referral.id),
      minutesAllowed: minutes.allowed,
      minutes: minutes.allowed ? (minutes.minute ?? null) : null,
      minutesText: values.minutes ?? (minutes.allowed ? (minutes.minute?.text ?? '') : ''),
      actions: actions.map(action =>
        presentAction(action, action.case_task_id ? statuses.get(action.case_task_id) : undefined),
      ),
      ownerItems: [
        { value: '', text: t('panels.item.chooseOwner') },
        ...owners.map(owner => ({
          value: owner.id,
          text: `${owner.display_name} (${owner.partner_name})`,
          selected: values.owner === owner.id,
        })),
      ],
      values: { submissionId: randomUUID(), ...values },
      canCoordinate,
      minutesHref: panelsPaths.minutes(panel.code, meeting.id, found.item.id),
      actionsHref: panelsPaths.actions(panel.code, meeting.id, found.item.id),
      ...formView(errors),
      errors,
      backHref: panelsPaths.meeting(panel.code, meeting.id),
    })
  }

  app.get(
    '/panels/:code/meetings/:meetingId/items/:itemId',
    {
      config: {
        resource: panelResource('view'),
        access: MEMBER,
        audit: { action: 'PANEL_ITEM_VIEWED', subjectType: 'panel_agenda_item', subjectParam: 'itemId' },
      },
      schema: { params: ItemParams },
    },
    async (request, reply) => {
      const panel = await panelFor(request)
      const meeting = await meetingOf(panel, request.params.meetingId)
      return renderItem(request, reply, panel, meeting, request.params.itemId)
    },
  )

  app.post(
    '/panels/:code/meetings/:meetingId/items/:itemId/minutes',
    {
      config: { resource: panelResource('change'), access: COORDINATOR, audit: false },
      schema: { params: ItemParams, body: FormBody },
    },
    async (request, reply) => {
      const panel = await panelFor(request)
      const meeting = await meetingOf(panel, request.params.meetingId)
      const found = await panels.item(meeting, request.params.itemId)
      if (!found) throw app.httpErrors.notFound()
      const text = field(request.body, 'minutes')
      const result = await panels.saveMinutes(
        userOf(request),
        request.actor,
        panel,
        meeting,
        {
          id: found.item.id,
          referral: found.referral,
        },
        text,
      )
      if (!result.ok)
        return renderItem(request, reply, panel, meeting, found.item.id, result.errors, 400, { minutes: text })
      return reply.redirect(panelsPaths.item(panel.code, meeting.id, found.item.id), 303)
    },
  )

  app.post(
    '/panels/:code/meetings/:meetingId/items/:itemId/actions',
    {
      config: { resource: panelResource('change'), access: COORDINATOR, audit: false },
      schema: { params: ItemParams, body: FormBody },
    },
    async (request, reply) => {
      const panel = await panelFor(request)
      const meeting = await meetingOf(panel, request.params.meetingId)
      const found = await panels.item(meeting, request.params.itemId)
      if (!found) throw app.httpErrors.notFound()
      const body = request.body
      const due = dateParts(body, 'due')
      const values = {
        title: field(body, 'title'),
        owner: field(body, 'owner'),
        'due-day': due.day,
        'due-month': due.month,
        'due-year': due.year,
        submissionId: submissionId(body) ?? randomUUID(),
      }
      const result = await panels.addAction(
        userOf(request),
        request.actor,
        panel,
        meeting,
        { id: found.item.id, referral: found.referral },
        {
          title: values.title,
          ownerUserId: values.owner,
          dueDate: isoFromParts(due),
          submissionId: values.submissionId,
        },
      )
      if (!result.ok) return renderItem(request, reply, panel, meeting, found.item.id, result.errors, 400, values)
      return reply.redirect(`${panelsPaths.item(panel.code, meeting.id, found.item.id)}#actions`, 303)
    },
  )
}
