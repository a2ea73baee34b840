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
