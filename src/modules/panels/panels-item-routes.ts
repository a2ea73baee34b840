/** An agenda item of a meeting: its page, its minutes (restricted as the panel says) and its owned actions. */
import { randomUUID } from 'node:crypto'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'

import { field, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { CONSENT_STATUSES, LAWFUL_BASES } from '../casework/index.js'
import { panelResource } from './panel-access.js'
import { dateParts, formatDate, isoFromParts } from './panels-forms.js'
import { panelsPaths } from './panels-paths.js'
import { formView, presentAction } from './panels-presenters.js'
import type { MeetingRow, PanelRow } from './panels-repository.js'
import {
  COORDINATOR,
  FormBody,
  ItemParams,
  MEMBER,
  panelPages,
  submissionId,
  type PanelsRouteOptions,
} from './panels-route-support.js'

export const panelsItemRoutes: FastifyPluginAsyncTypebox<PanelsRouteOptions> = async (app, { panels }) => {
  const { userOf, panelFor, meetingOf } = panelPages(app, panels)

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
    offerShare?: { partnerName: string; ownerName: string },
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
      offerShare,
      basisItems: LAWFUL_BASES.map(value => ({
        value,
        text: t(`casework.lawfulBasis.${value}`),
        checked: values.shareLawfulBasis === value,
      })),
      consentItems: CONSENT_STATUSES.map(value => ({
        value,
        text: t(`casework.consent.${value}`),
        checked: values.shareConsent === value,
      })),
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
      const panel = await panelFor(request, request.params.code)
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
      const panel = await panelFor(request, request.params.code)
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
      const panel = await panelFor(request, request.params.code)
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
        shareLawfulBasis: field(body, 'shareLawfulBasis'),
        shareConsent: field(body, 'shareConsent'),
        shareNote: field(body, 'shareNote'),
      }
      // The share fieldset is on the form only once the service offered it for this owner.
      const shareOffered = field(body, 'shareOfferedFor')
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
          share:
            shareOffered !== '' && shareOffered === values.owner
              ? { lawfulBasis: values.shareLawfulBasis, consentStatus: values.shareConsent, note: values.shareNote }
              : undefined,
        },
      )
      if (!result.ok)
        return renderItem(request, reply, panel, meeting, found.item.id, result.errors, 400, values, result.offerShare)
      return reply.redirect(`${panelsPaths.item(panel.code, meeting.id, found.item.id)}#actions`, 303)
    },
  )
}
