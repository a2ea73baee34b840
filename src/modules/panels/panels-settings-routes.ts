/** A panel type's settings (its configuration row and member partners): the settings roles only, no personal records. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'

import { field, fields, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { panelsPaths } from './panels-paths.js'
import { errorFor, formView } from './panels-presenters.js'
import type { PanelRow } from './panels-repository.js'
import { FormBody, PanelParams, SETTINGS, type PanelsRouteOptions } from './panels-route-support.js'

export const panelsSettingsRoutes: FastifyPluginAsyncTypebox<PanelsRouteOptions> = async (app, { panels }) => {
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
}
