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
  return grantFor(user, relationOf(user, facts), facts.sensitivity)
}

/** The grant a relation gives the user's roles, with sensitive records limited to SENSITIVE_CASE_ROLES. */
export function grantFor(user: Pick<StaffUser, 'roles'>, relation: Relation, sensitivity: string | null): Grant {
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
  if (sensitivity && (grant === 'read' || !user.roles.some(role => SENSITIVE_CASE_ROLES.includes(role)))) {
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

/**
 * Reports (the staff report page, its evidence, its status, its triage page and decisions) follow the same policy
 * (ADR 0019). A report a case holds is exactly as visible and changeable as that case. A report no case holds belongs
 * to the triage team its allocation rule names (category, ward, channel), so the grant is the case grant for a case
 * owned by that team and partner and shared with nobody. A report no rule allocates is in the triage pool of the
 * partners whose kind owns its category (taxonomy owner: council, police or both): they stand to it as an owning team.
 * A hate report is sensitive, like a hate case.
 */
export type ReportAccessFacts =
  | { case: CaseAccessFacts }
  | {
      case: null
      /** The team and partner the first matching allocation rule gives the report; null when none matches. */
      owning_team_id: string | null
      owning_partner_id: string | null
      /** Partner kinds owning the report's category (the pool when no rule allocates it). */
      pool_partner_kinds: readonly string[]
      sensitivity: string | null
    }

export type ReportUser = Pick<StaffUser, 'partnerId' | 'partnerKind' | 'teamId' | 'roles'>

/** How a user stands to a report: through its case, or to its triage owner. */
export function reportRelationOf(user: ReportUser, facts: ReportAccessFacts): Relation {
  if (facts.case) return relationOf(user, facts.case)
  if (facts.owning_team_id === null || facts.owning_partner_id === null)
    return facts.pool_partner_kinds.includes(user.partnerKind) ? 'owning-team' : 'none'
  return relationOf(user, {
    owning_team_id: facts.owning_team_id,
    owning_partner_id: facts.owning_partner_id,
    sensitivity: null,
    shared_partner_ids: [],
  })
}

export function reportGrantOf(user: ReportUser, facts: ReportAccessFacts): Grant {
  if (facts.case) return grantOf(user, facts.case)
  return grantFor(user, reportRelationOf(user, facts), facts.sensitivity)
}

/** Whether the user may see (`view`) or change (status, triage decisions) the report: the case's own right. */
export function reportAllowed(user: ReportUser, facts: ReportAccessFacts, action: CaseAction): boolean {
  return TABLE[reportGrantOf(user, facts)].case.includes(action)
}

/**
 * A confidential reporter who asked not to share their details: their name, email and phone are for the report's
 * owners only. A partner that sees the report because its case is shared with it gets them withheld.
 */
export function reporterContactShown(
  user: ReportUser,
  facts: ReportAccessFacts,
  reporter: { reporter_mode: string; consent_to_share: boolean },
): boolean {
  if (reporter.reporter_mode !== 'confidential' || reporter.consent_to_share) return true
  const relation = reportRelationOf(user, facts)
  return relation === 'owning-team' || relation === 'owning-partner'
}

/**
 * For report lists (the staff list, the triage queue): which reports no case holds this user may see, per relation
 * and sensitivity, derived from `grantFor` exactly as `visibilityFor` is for cases. Linked reports follow
 * `visibilityFor` itself.
 */
export function reportVisibilityFor(user: Pick<StaffUser, 'teamId' | 'roles'>) {
  const sees = (relation: Exclude<Relation, 'none'>) => ({
    plain: grantFor(user, relation, null) !== 'none',
    sensitive: grantFor(user, relation, 'hate') !== 'none',
  })
  return {
    team: user.teamId ? sees('owning-team') : { plain: false, sensitive: false },
    partner: sees('owning-partner'),
    pool: sees('owning-team'),
  }
}

/**
 * A party made from a confidential reporter who asked not to share their details: only the owning team and the owning
 * partner see who they are. A partner the case is shared with sees the party's role, and that it is withheld.
 */
export function partyDetailsShown(
  user: Pick<StaffUser, 'partnerId' | 'teamId'>,
  facts: CaseAccessFacts,
  party: { contact_withheld: boolean },
): boolean {
  if (!party.contact_withheld) return true
  const relation = relationOf(user, facts)
  return relation === 'owning-team' || relation === 'owning-partner'
}

/**
 * Who may record an override of the closure checklist (an unreviewed high-risk victim, a MARAC referral not made, a
 * legal action in its appeal window, a Case Review in progress): a supervisor who works the case (the owning team's
 * supervisors and supervisors anywhere in the owning partner).
 */
export function canOverrideClosure(user: Pick<StaffUser, 'partnerId' | 'teamId' | 'roles'>, facts: CaseAccessFacts) {
  return user.roles.includes('supervisor') && grantOf(user, facts) === 'work'
}
