/** A panel's meetings: scheduling one, its page (agenda and attendance), recording attendance, building the agenda. */
import { randomUUID } from 'node:crypto'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'

import { field, fields, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { nextMeetingOn } from './cadence.js'
import { panelResource } from './panel-access.js'
import { dateParts, formatDate, isoFromParts } from './panels-forms.js'
import { panelsPaths } from './panels-paths.js'
import { errorFor, formView, statusTag } from './panels-presenters.js'
import type { MeetingRow, PanelRow } from './panels-repository.js'
import {
  COORDINATOR,
  FormBody,
  MEMBER,
  MeetingParams,
  panelPages,
  PanelParams,
  submissionId,
  toParts,
  type PanelsRouteOptions,
} from './panels-route-support.js'

export const panelsMeetingRoutes: FastifyPluginAsyncTypebox<PanelsRouteOptions> = async (app, { panels }) => {
  const { userOf, panelFor, meetingOf } = panelPages(app, panels)

  // Meetings
  async function renderMeetingForm(
    reply: FastifyReply,
    panel: PanelRow,
    values: Record<string, string>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const open = await panels.referrals(panel, 'open')
    const next = nextMeetingOn(panel.meeting_cadence, panels.today())
    return reply.code(status).view('panels/views/meeting-new.njk', {
      panel,
      values,
      cadenceHint: next
        ? t('handoffs.cadence.next', { cadence: panel.meeting_cadence, date: formatDate(next) })
        : t('handoffs.cadence.none', { cadence: panel.meeting_cadence }),
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
      const panel = await panelFor(request, request.params.code)
      // Dated by the panel's cadence ("Monthly, second Thursday"): the next meeting day is offered, not today.
      const next = nextMeetingOn(panel.meeting_cadence, panels.today())
      return renderMeetingForm(reply, panel, { submissionId: randomUUID(), ...toParts('meetsOn', next) })
    },
  )

  app.post(
    '/panels/:code/meetings/new',
    {
      config: { resource: panelResource('change'), access: COORDINATOR, audit: false },
      schema: { params: PanelParams, body: FormBody },
    },
    async (request, reply) => {
      const panel = await panelFor(request, request.params.code)
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
      const panel = await panelFor(request, request.params.code)
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
      const panel = await panelFor(request, request.params.code)
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
      const panel = await panelFor(request, request.params.code)
      const meeting = await meetingOf(panel, request.params.meetingId)
      await panels.refreshAgenda(request.actor, panel, meeting)
      return reply.redirect(panelsPaths.meeting(panel.code, meeting.id), 303)
    },
  )
}
