/**
 * Who may see and change an ASB Case Review application: the one place the rule lives (docs/access-policy.md "Case
 * Review", ADR 0025). Deny by default; every answer comes from `caseReviewAllowed`, and the SQL that limits lists is
 * built from the same relations (`case-review-access.ts`).
 *
 * - Coordinators: staff holding the panel-coordinator role in a relevant body (council, police, health, housing:
 *   s104 and Schedule 4 para 5). Applications must be passed to every relevant body (s104(3)); each body's panel
 *   coordinator is the one who receives them. They see every application and are the only ones who change one
 *   (acknowledge, link, threshold, chair, information requests, invitation, outcome, appeal, close).
 * - The appointed chair sees the application, and records its minutes and recommendations.
 * - An involved agency sees the application: a partner asked for information (and answers its own request), staff who
 *   may see the linked case under the casework policy, staff who may see the linked report under the report policy,
 *   and staff of partners sitting on a panel whose meeting agenda lists the review.
 * - Only officers, supervisors and panel coordinators hold any of these relations (the Case Review routes' roles).
 *   Analysts, administrators and partner read-only users see no application: administrators manage accounts (ADR
 *   0017), analysts see the published figures.
 */
import type { Role, StaffUser } from '../accounts/index.js'

/** Partner kinds that are relevant bodies for the Case Review (council, police, ICB, co-opted social landlords). */
export const RELEVANT_BODY_KINDS: readonly string[] = ['council', 'police', 'health', 'housing']
/** The roles that can hold any relation to an application (the staff routes' roles). */
export const CASE_REVIEW_ROLES: readonly Role[] = ['officer', 'supervisor', 'panel-coordinator']
/** The role that makes a relevant body's staff member its Case Review coordinator. */
export const COORDINATOR_ROLE: Role = 'panel-coordinator'

/** What part of an application a route touches: the application, its minutes and recommendations, or an answer. */
export const CASE_REVIEW_PARTS = ['application', 'minutes', 'response'] as const
export type CaseReviewPart = (typeof CASE_REVIEW_PARTS)[number]
export type CaseReviewAction = 'view' | 'change'

/** How a user stands to an application, strongest first. */
export const CASE_REVIEW_RELATIONS = ['coordinator', 'chair', 'asked', 'case', 'report', 'panel', 'none'] as const
export type CaseReviewRelation = (typeof CASE_REVIEW_RELATIONS)[number]

export type CaseReviewUser = Pick<StaffUser, 'id' | 'partnerId' | 'partnerKind' | 'roles'>

/**
 * What the policy needs to know about an application and this user: who chairs it, which partners were asked for
 * information, and whether the user may see its linked case, its linked report, or a meeting agenda listing it.
 * The last three are per-user facts decided by the casework, report and panel rules (in SQL, as for their lists).
 */
export interface CaseReviewFacts {
  chair_user_id: string | null
  asked_partner_ids: readonly string[]
  case_visible: boolean
  report_visible: boolean
  panel_listed: boolean
}

export function isCoordinator(user: Pick<StaffUser, 'roles' | 'partnerKind'>): boolean {
  return user.roles.includes(COORDINATOR_ROLE) && RELEVANT_BODY_KINDS.includes(user.partnerKind)
}

function worker(user: Pick<StaffUser, 'roles'>): boolean {
  return user.roles.some(role => CASE_REVIEW_ROLES.includes(role))
}

/** Every relation the user holds to the application ('none' alone when they hold none). */
export function relationsOf(user: CaseReviewUser, facts: CaseReviewFacts): CaseReviewRelation[] {
  if (!worker(user)) return ['none']
  const relations: CaseReviewRelation[] = []
  if (isCoordinator(user)) relations.push('coordinator')
  if (facts.chair_user_id !== null && facts.chair_user_id === user.id) relations.push('chair')
  if (facts.asked_partner_ids.includes(user.partnerId)) relations.push('asked')
  if (facts.case_visible) relations.push('case')
  if (facts.report_visible) relations.push('report')
  if (facts.panel_listed) relations.push('panel')
  return relations.length > 0 ? relations : ['none']
}

const TABLE: Record<CaseReviewRelation, Record<CaseReviewPart, readonly CaseReviewAction[]>> = {
  coordinator: { application: ['view', 'change'], minutes: ['view', 'change'], response: ['change'] },
  chair: { application: ['view'], minutes: ['view', 'change'], response: [] },
  asked: { application: ['view'], minutes: [], response: ['change'] },
  case: { application: ['view'], minutes: [], response: [] },
  report: { application: ['view'], minutes: [], response: [] },
  panel: { application: ['view'], minutes: [], response: [] },
  none: { application: [], minutes: [], response: [] },
}

/** Whether the user may do `action` on this part of the application. */
export function caseReviewAllowed(
  user: CaseReviewUser,
  facts: CaseReviewFacts,
  part: CaseReviewPart,
  action: CaseReviewAction,
): boolean {
  return relationsOf(user, facts).some(relation => TABLE[relation][part].includes(action))
}

/** Whether the user sees the application at all (every part answers as missing when not). */
export function caseReviewVisible(user: CaseReviewUser, facts: CaseReviewFacts): boolean {
  return caseReviewAllowed(user, facts, 'application', 'view')
}

/**
 * For lists: which relations let this user see an application, derived from the table above so the list and the
 * single-application check cannot disagree. `all` means the user sees every application (a coordinator).
 */
export function caseReviewVisibilityFor(user: CaseReviewUser) {
  const sees = (relation: CaseReviewRelation) =>
    worker(user) && relation !== 'none' && TABLE[relation].application.includes('view')
  return {
    all: isCoordinator(user) && sees('coordinator'),
    chair: sees('chair'),
    asked: sees('asked'),
    case: sees('case'),
    report: sees('report'),
    panel: sees('panel'),
  }
}
