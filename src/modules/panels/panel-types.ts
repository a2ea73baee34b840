/**
 * The panels a partnership runs are configuration from its CSP pack (`panels.json`, docs/csp-pack.md): each panel's
 * code, kind, name, purpose, referral criteria, meeting cadence and who may read its minutes. The kind is what the
 * panel engine does for it; the rest is the partnership's wording.
 */
import type { PanelKind } from '../../db/schema.js'

export const PANEL_KINDS = [
  'community-marac',
  'da-marac',
  'hate-incident',
  'case-review',
  'tension-monitoring',
] as const satisfies readonly PanelKind[]

/** True, and compiles only while every kind the database allows is listed in PANEL_KINDS. */
export const PANEL_KINDS_COMPLETE: [Exclude<PanelKind, (typeof PANEL_KINDS)[number]>] extends [never] ? true : never =
  true

/** One panel as the pack configures it. */
export interface PanelTypeConfig {
  code: string
  kind: PanelKind
  name: string
  purpose: string
  referralCriteria: string
  meetingCadence: string
  minutesRestriction: 'members' | 'attendees'
}
