/**
 * Staff roles. A user holds one or more; routes declare which they need (`config.access`). Partner read-only users
 * see only what has been shared with their partner, and change nothing.
 */
export const ROLES = [
  'officer',
  'supervisor',
  'panel-coordinator',
  'analyst',
  'administrator',
  'partner-read-only',
] as const

export type Role = (typeof ROLES)[number]

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** Kinds of partner organisation a CSP works with; more can be added by configuration (any lower-case code). */
export const PARTNER_KINDS = [
  'council',
  'police',
  'housing',
  'health',
  'probation',
  'victim-support',
  'youth-justice',
  'fire',
  'education',
  'voluntary',
  'other',
] as const

export type PartnerKind = (typeof PARTNER_KINDS)[number]

/** Who may use a route: anyone, any signed-in staff user, or staff holding at least one of the roles. */
export type RouteAccess = 'public' | 'staff' | { roles: readonly Role[] }

export interface StaffUser {
  id: string
  email: string
  displayName: string
  partnerId: string
  partnerCode: string
  partnerName: string
  partnerKind: string
  teamId: string | null
  roles: Role[]
}

export function hasAnyRole(user: Pick<StaffUser, 'roles'>, roles: readonly Role[]): boolean {
  return user.roles.some(role => roles.includes(role))
}
