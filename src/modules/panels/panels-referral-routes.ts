/** A referral on a panel: its page, closing it with the panel's outcome, and its chronology as CSV or PDF. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'

import { field, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { canSeeSafeContact, panelResource } from './panel-access.js'
import { formatDate } from './panels-forms.js'
import { panelsPaths } from './panels-paths.js'
import { chronologyCsv, errorFor, formView, presentAction, presentReferralRow, statusTag } from './panels-presenters.js'
import type { PanelRow } from './panels-repository.js'
import {
  COORDINATOR,
  FormBody,
  MEMBER,
  panelPages,
  ReferralParams,
  type PanelsRouteOptions,
} from './panels-route-support.js'

export const panelsReferralRoutes: FastifyPluginAsyncTypebox<PanelsRouteOptions> = async (app, { panels, pdf }) => {
  const { userOf, panelFor } = panelPages(app, panels)

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
      const panel = await panelFor(request, request.params.code)
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
      const panel = await panelFor(request, request.params.code)
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
        const panel = await panelFor(request, request.params.code)
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
}
