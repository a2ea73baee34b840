/**
 * What the panels' route plugins share: who may call them, the params and form schemas, and the panel, meeting and
 * user behind a request once the route's declared part and action allow it (ADR 0019).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import Type from 'typebox'

import { field } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { isUuid } from '../../platform/identifiers.js'
import type { StaffUser } from '../accounts/index.js'
import type { Casework } from '../casework/index.js'
import type { PdfRenderer } from '../../platform/pdf.js'
import { declaredPanelResource, panelAllowed, SETTINGS_ROLES } from './panel-access.js'
import { partsFromIso } from './panels-forms.js'
import type { MeetingRow, PanelRow } from './panels-repository.js'
import type { PanelsService } from './panels-service.js'

/** What the panel engine's pages under /panels need. */
export interface PanelsRouteOptions {
  panels: PanelsService
  casework: Casework
  pdf: PdfRenderer
}

export const MEMBER = { roles: ['officer', 'supervisor', 'panel-coordinator', 'partner-read-only'] } as const
export const INDEX = {
  roles: ['officer', 'supervisor', 'panel-coordinator', 'partner-read-only', 'administrator'],
} as const
export const COORDINATOR = { roles: ['panel-coordinator'] } as const
export const SETTINGS = { roles: SETTINGS_ROLES } as const

const Code = Type.String({ maxLength: 64 })
const Id = Type.String({ maxLength: 64 })
export const PanelParams = Type.Object({ code: Code })
export const ReferralParams = Type.Object({ code: Code, id: Id })
export const MeetingParams = Type.Object({ code: Code, meetingId: Id })
export const ItemParams = Type.Object({ code: Code, meetingId: Id, itemId: Id })
export { FormBody } from './panels-forms.js'

export function toParts(name: string, iso: string | null): Record<string, string> {
  const parts = partsFromIso(iso)
  return { [`${name}-day`]: parts.day, [`${name}-month`]: parts.month, [`${name}-year`]: parts.year }
}

export function submissionId(body: unknown): string | undefined {
  const value = field(body, 'submissionId')
  return isUuid(value) ? value : undefined
}

/** The request's panel, meeting and user, bound to the plugin instance that uses them. */
export function panelPages(app: FastifyInstance, panels: PanelsService) {
  function userOf(request: FastifyRequest): StaffUser {
    if (!request.user) throw app.httpErrors.notFound()
    return request.user
  }

  /**
   * The panel `code` names, checked against the part and action the route declares (ADR 0019): a panel the user is not
   * a member of answers 404 exactly as a missing one (the service records the attempt); running it without the
   * coordinator role answers 403.
   */
  async function panelFor(request: FastifyRequest, code: string): Promise<PanelRow> {
    const { part, action } = declaredPanelResource(request)
    const user = userOf(request)
    const panel = await panels.panelForUser(user, code)
    if (!panel) throw app.httpErrors.notFound()
    if (!panelAllowed(user, panel, part, action)) throw app.httpErrors.forbidden(t('panels.errors.coordinator'))
    return panel
  }

  async function meetingOf(panel: PanelRow, id: string): Promise<MeetingRow> {
    const meeting = await panels.meeting(panel, id)
    if (!meeting) throw app.httpErrors.notFound()
    return meeting
  }

  return { userOf, panelFor, meetingOf }
}
