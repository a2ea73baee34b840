/**
 * What every generated authorisation-matrix test needs (reports, cases, panels, Case Review): signed-in users by key,
 * the declared routes of one record type, requests as a user, and the comparison of a refused answer with a missing
 * one (which must be the same page, byte for byte, once what legitimately differs is blanked).
 */
import assert from 'node:assert/strict'

import type { FastifyInstance } from 'fastify'

import type { Dependencies } from '../../src/dependencies.js'
import type { NoRecord, RouteInventoryEntry, RouteResource } from '../../src/platform/resource-access.js'
import type { StaffUser } from '../../src/modules/accounts/index.js'
import type { StaffSession } from './staff.js'

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' } as const

/** A signed-in user of the matrix. */
export interface SignedIn {
  session: StaffSession
  user: StaffUser
}

/** Signed-in users by key ('officer/shared', 'supervisor/unshared'...); `get` fails the test on an unknown key. */
export function signedInUsers() {
  const users = new Map<string, SignedIn>()
  return {
    set(key: string, entry: SignedIn): void {
      users.set(key, entry)
    },
    get(key: string): SignedIn {
      const found = users.get(key)
      assert.ok(found, key)
      return found
    },
    entries(): IterableIterator<[string, SignedIn]> {
      return users.entries()
    },
  }
}

/** Requests as a signed-in user, through the application's own HTTP handling. */
export function asUser(app: () => FastifyInstance) {
  const post = (session: StaffSession, url: string, values: Record<string, string> = {}) =>
    app().inject({
      method: 'POST',
      url,
      headers: { ...FORM, cookie: session.cookie },
      payload: new URLSearchParams({ _csrf: session.token, ...values }).toString(),
    })
  /**
   * A GET, or a POST of an empty form: a permitted user gets the form back with errors (400) or a state conflict
   * (409), and nothing changes; anyone else gets the policy's 404 or 403.
   */
  const send = (session: StaffSession, method: string, url: string) =>
    method === 'GET' ? app().inject({ method: 'GET', url, headers: { cookie: session.cookie } }) : post(session, url)
  return { post, send }
}

export type DeclaredRoute = Omit<RouteInventoryEntry, 'resource'> & { resource: RouteResource }

const declaresRecord = (resource: RouteResource | NoRecord | undefined): resource is RouteResource =>
  resource !== undefined && 'type' in resource

/** The application's routes that declare a record of one of these types. */
export function declaredRoutes(app: FastifyInstance, types: readonly string[]): DeclaredRoute[] {
  return app
    .routeInventory()
    .flatMap(route =>
      declaresRecord(route.resource) && types.includes(route.resource.type)
        ? [{ ...route, resource: route.resource }]
        : [],
    )
}

/**
 * A page with what legitimately differs between two requests blanked: the CSP nonce, the CSRF token and the
 * identifiers in the URL (each replaced by `placeholder`).
 */
export function blankVariableParts(body: string, identifiers: readonly string[], placeholder = 'ID'): string {
  return identifiers
    .reduce((text, value) => text.replaceAll(value, placeholder), body)
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/name="_csrf" value="[^"]*"/g, '')
}

/**
 * A harassment case owned by `owner`'s team and partner, with `owner` as lead officer, opened through the casework
 * service (audited as `owner`); returns its row as the repository reads it.
 */
export async function openCaseAs(
  deps: Dependencies,
  owner: { user: Pick<StaffUser, 'id' | 'partnerId' | 'teamId'> },
  options: { title: string; sensitivity?: 'domestic-abuse' | null; priority?: 'medium' | 'high' },
) {
  const opened = await deps.casework.openCase(
    {
      title: options.title,
      category: 'harassment',
      priority: options.priority ?? 'medium',
      sensitivity: options.sensitivity ?? null,
      owningTeamId: owner.user.teamId ?? '',
      owningPartnerId: owner.user.partnerId,
      leadOfficerId: owner.user.id,
      wardCode: null,
    },
    { type: 'user', id: owner.user.id },
  )
  const row = await deps.casework.repository.caseById(opened.id)
  assert.ok(row)
  return row
}
