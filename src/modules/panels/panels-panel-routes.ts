/** The panels index (the panels the user sits on; administrators see every panel's settings) and a panel's page. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { t } from '../../platform/i18n.js'
import { panelResource, SETTINGS_ROLES } from './panel-access.js'
import { formatDate } from './panels-forms.js'
import { panelsPaths } from './panels-paths.js'
import { presentReferralRow } from './panels-presenters.js'
import { INDEX, MEMBER, PanelParams, panelPages, type PanelsRouteOptions } from './panels-route-support.js'

export const panelsPanelRoutes: FastifyPluginAsyncTypebox<PanelsRouteOptions> = async (app, { panels }) => {
  const { userOf, panelFor } = panelPages(app, panels)

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
      const panel = await panelFor(request, request.params.code)
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
}
