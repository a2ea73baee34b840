/**
 * Who may see what of a panel: the one place the rule lives (docs/panels.md "Access").
 *
 * - A panel is configured with the partners that sit on it. Staff of those partners who hold a casework or panel
 *   role (officer, supervisor, panel coordinator, partner read-only) are its members: they see the panel, its
 *   referrals, meetings, agendas and actions. Everyone else sees nothing: the panel answers 404, as a missing one.
 * - Members who are panel coordinators run it: schedule meetings, record attendance, minutes and actions, close
 *   referrals.
 * - Minutes are restricted further by the panel's configuration: `members` (every member may read them) or
 *   `attendees` (only members whose partner was present at that meeting, and the coordinators). Every read of
 *   minutes, and every refusal, is an audit event.
 * - Analysts and administrators are not members: analysts see the panels' counts through the performance
 *   indicators, administrators configure panels (settings) without seeing any case.
 */
import type { FastifyRequest } from 'fastify'

import type { RouteResource } from '../../platform/resource-access.js'
import type { Role, StaffUser } from '../accounts/index.js'

export type PanelUser = Pick<StaffUser, 'id' | 'partnerId' | 'teamId' | 'roles'>

export const MEMBER_ROLES: readonly Role[] = ['officer', 'supervisor', 'panel-coordinator', 'partner-read-only']
export const SETTINGS_ROLES: readonly Role[] = ['panel-coordinator', 'administrator']

export interface PanelFacts {
  active: boolean
  partner_ids: readonly string[]
  minutes_restriction: 'members' | 'attendees'
}

export interface AttendanceFact {
  partner_id: string
  present: boolean
}

export function isMember(user: PanelUser, panel: PanelFacts): boolean {
  return panel.active && panel.partner_ids.includes(user.partnerId) && user.roles.some(r => MEMBER_ROLES.includes(r))
}

export function canCoordinate(user: PanelUser, panel: PanelFacts): boolean {
  return isMember(user, panel) && user.roles.includes('panel-coordinator')
}

export function canReadMinutes(user: PanelUser, panel: PanelFacts, attendance: readonly AttendanceFact[]): boolean {
  if (!isMember(user, panel)) return false
  if (panel.minutes_restriction === 'members' || canCoordinate(user, panel)) return true
  return attendance.some(row => row.present && row.partner_id === user.partnerId)
}

/** Safe-contact details: members who work with victims (not read-only partners), and only on a DA MARAC. */
export function canSeeSafeContact(user: PanelUser, panel: PanelFacts): boolean {
  return (
    isMember(user, panel) && user.roles.some(r => r === 'officer' || r === 'supervisor' || r === 'panel-coordinator')
  )
}

/**
 * The parts of a panel a route reads or changes (ADR 0019): the panel itself (referrals, meetings, agenda items,
 * minutes, actions: members read, coordinators change), its logs (the tension log and hate incidents: members read,
 * members with a recording role add) and a DA MARAC victim's safe-contact details.
 */
export const PANEL_PARTS = ['panel', 'log', 'safe-contact'] as const
export type PanelPart = (typeof PANEL_PARTS)[number]

/** What the user may do with that part of the panel; the routes and the authorisation matrix both ask this. */
export function panelAllowed(user: PanelUser, panel: PanelFacts, part: PanelPart, action: 'view' | 'change'): boolean {
  if (part === 'safe-contact') return action === 'view' && canSeeSafeContact(user, panel)
  if (action === 'view' || part === 'log') return isMember(user, panel)
  return canCoordinate(user, panel)
}

/** A panel route's declaration: `:code` names the panel, the handler checks membership (`panelFor`). */
export function panelResource(action: 'view' | 'change', part: PanelPart = 'panel'): RouteResource {
  return { type: 'panel', param: 'code', part, action, check: 'handler' }
}

/** The route's declared panel part and action; a route that declares none is a programming error, not a 404. */
export function declaredPanelResource(request: FastifyRequest): { part: PanelPart; action: 'view' | 'change' } {
  const declared = request.routeOptions.config.resource
  const part = PANEL_PARTS.find(
    candidate =>
      declared && 'type' in declared && declared.type === 'panel' && (declared.part ?? 'panel') === candidate,
  )
  if (!declared || !('type' in declared) || !part)
    throw new Error(`Route ${request.method} ${request.routeOptions.url ?? ''} declares no panel resource.`)
  return { part, action: declared.action }
}
