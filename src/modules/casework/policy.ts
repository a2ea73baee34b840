/**
 * Who may see and change a case: the one place the rule lives (docs/casework.md, ADR "casework access policy").
 * Deny by default. A user's relation to a case comes from their partner and team; what they may do comes from that
 * relation, their roles and the case's sensitivity. Routes, the service and the authorisation-matrix test all ask
 * `allowed`, so the matrix is generated from this table and cannot drift from it.
 *
 * - The owning team's officers and supervisors, and supervisors anywhere in the owning partner, work the case: they
 *   see and change everything and may export it.
 * - The owning team's panel coordinators and analysts read it (panel actions become tasks through the panels
 *   module's own service, not these pages).
 * - A partner the case is shared with (a recorded, unrevoked share with a lawful basis and consent status): its
 *   officers and supervisors see everything and add chronology entries and tasks (joint working); its partner
 *   read-only users see the case and change nothing.
 * - Sensitive cases (domestic abuse, hate, safeguarding) are seen only by officers and supervisors: the readers
 *   above (panel coordinators, analysts, partner read-only) see nothing.
 * - Administrators manage accounts; the role alone gives no access to casework.
 * - An export is a read-only document: nobody changes one.
 */
import type { Role, StaffUser } from '../accounts/index.js'

export const RESOURCES = ['case', 'person', 'chronology', 'task', 'export'] as const
export type CaseResource = (typeof RESOURCES)[number]
export const ACTIONS = ['view', 'change'] as const
export type CaseAction = (typeof ACTIONS)[number]

/** The roles that may see a sensitive case (domestic abuse, hate, safeguarding). */
export const SENSITIVE_CASE_ROLES: readonly Role[] = ['officer', 'supervisor']

/** How a user stands to a case. */
export type Relation = 'owning-team' | 'owning-partner' | 'shared' | 'none'

/** What the policy needs to know about a case. */
export interface CaseAccessFacts {
  owning_team_id: string
  owning_partner_id: string
  sensitivity: string | null
  /** Partners holding an unrevoked share. */
  shared_partner_ids: readonly string[]
}

export type Grant = 'work' | 'joint' | 'read' | 'none'

export function relationOf(user: Pick<StaffUser, 'partnerId' | 'teamId'>, facts: CaseAccessFacts): Relation {
  if (user.teamId !== null && user.teamId === facts.owning_team_id) return 'owning-team'
  if (user.partnerId === facts.owning_partner_id) return 'owning-partner'
  if (facts.shared_partner_ids.includes(user.partnerId)) return 'shared'
  return 'none'
}

/** The strongest grant any of the user's roles gives them in this relation. */
export function grantOf(user: Pick<StaffUser, 'partnerId' | 'teamId' | 'roles'>, facts: CaseAccessFacts): Grant {
  const relation = relationOf(user, facts)
  const has = (role: Role) => user.roles.includes(role)
  let grant: Grant = 'none'
  if (relation === 'owning-team') {
    if (has('officer') || has('supervisor')) grant = 'work'
    else if (has('panel-coordinator') || has('analyst')) grant = 'read'
  } else if (relation === 'owning-partner') {
    if (has('supervisor')) grant = 'work'
  } else if (relation === 'shared') {
    if (has('officer') || has('supervisor')) grant = 'joint'
    else if (has('partner-read-only')) grant = 'read'
  }
  if (facts.sensitivity && (grant === 'read' || !user.roles.some(role => SENSITIVE_CASE_ROLES.includes(role)))) {
    return 'none'
  }
  return grant
}

const TABLE: Record<Grant, Record<CaseResource, readonly CaseAction[]>> = {
  work: {
    case: ['view', 'change'],
    person: ['view', 'change'],
    chronology: ['view', 'change'],
    task: ['view', 'change'],
    export: ['view'],
  },
  joint: {
    case: ['view'],
    person: ['view'],
    chronology: ['view', 'change'],
    task: ['view', 'change'],
    export: ['view'],
  },
  read: { case: ['view'], person: ['view'], chronology: ['view'], task: ['view'], export: [] },
  none: { case: [], person: [], chronology: [], task: [], export: [] },
}

export function allowed(
  user: Pick<StaffUser, 'partnerId' | 'teamId' | 'roles'>,
  facts: CaseAccessFacts,
  resource: CaseResource,
  action: CaseAction,
): boolean {
  return TABLE[grantOf(user, facts)][resource].includes(action)
}

/** Sensitivity a new case gets from its category (officers can set it too). */
export function sensitivityForCategory(category: string, hate: boolean): 'hate' | null {
  return hate || category === 'hate' ? 'hate' : null
}

/**
 * For list queries: for each relation, whether this user may see non-sensitive and sensitive cases, derived from
 * `grantOf` itself so lists and single-case checks cannot disagree.
 */
export function visibilityFor(user: Pick<StaffUser, 'partnerId' | 'teamId' | 'roles'>) {
  const team = user.teamId ?? '\u0000no-team'
  const other = '\u0000other'
  const facts = (relation: Exclude<Relation, 'none'>, sensitivity: string | null): CaseAccessFacts => ({
    owning_team_id: relation === 'owning-team' ? team : other,
    owning_partner_id: relation === 'shared' ? other : user.partnerId,
    sensitivity,
    shared_partner_ids: relation === 'shared' ? [user.partnerId] : [],
  })
  const sees = (relation: Exclude<Relation, 'none'>) => ({
    plain: grantOf(user, facts(relation, null)) !== 'none',
    sensitive: grantOf(user, facts(relation, 'safeguarding')) !== 'none',
  })
  return {
    team: user.teamId ? sees('owning-team') : { plain: false, sensitive: false },
    partner: sees('owning-partner'),
    shared: sees('shared'),
  }
}
