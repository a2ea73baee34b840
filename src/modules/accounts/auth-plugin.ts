/**
 * Deny by default. Every route declares who may use it (`config.access`: 'public', 'staff' or `{ roles }`); a
 * route without a declaration stops the application from starting. On each request the session cookie is looked
 * up (idle and absolute timeouts enforced), `request.user` is set, and a staff route refuses anyone else: people
 * are sent to sign in, API clients get 401, the wrong role gets 403.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

import { isApiRequest } from '../../platform/request-kind.js'
import { auditSessionId, type AccountsService } from './accounts-service.js'
import { accountsPaths } from './accounts-paths.js'
import { hasAnyRole, type Role, type RouteAccess, type StaffUser } from './roles.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may use the route. Required on every route. */
    access?: RouteAccess
  }
  interface FastifyRequest {
    /** The signed-in staff user, or null. */
    user: StaffUser | null
  }
}

export const SESSION_COOKIE = 'safer_session'

export interface StaffNavigationItem {
  href: string
  text: string
  /** Shown only to users holding one of these roles; everyone signed in when absent. */
  roles?: readonly Role[]
  /** The path prefix of the section this item stands for (it is current anywhere under it); the href when absent. */
  section?: string
}

export interface AuthPluginOptions {
  accounts: AccountsService
  secure: boolean
  /** The staff service navigation; modules add their entries before the app is ready. */
  staffNavigation: StaffNavigationItem[]
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}.`)
}

function describeAccess(access: RouteAccess): string {
  return typeof access === 'string' ? access : `roles ${access.roles.join(', ')}`
}

export function sessionCookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure }
}

async function refuse(request: FastifyRequest, reply: FastifyReply, expired: boolean) {
  if (isApiRequest(request)) {
    return reply.code(401).type('application/json; charset=utf-8').send({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Sign in as a member of staff to use this resource.',
    })
  }
  const next = request.method === 'GET' ? request.url : undefined
  const query = new URLSearchParams({ ...(next ? { next } : {}), ...(expired ? { expired: '1' } : {}) }).toString()
  return reply.redirect(`${accountsPaths.signIn}${query ? `?${query}` : ''}`, 303)
}

export const authPlugin = fp(
  async (app: FastifyInstance, { accounts, secure, staffNavigation }: AuthPluginOptions) => {
    app.decorateRequest('user', null)

    app.addHook('onRoute', route => {
      const access = route.config?.access
      if (access !== undefined) return
      // Static assets are public by nature; everything else must say.
      if (route.url.startsWith('/assets/')) {
        route.config = { ...route.config, access: 'public' }
        return
      }
      throw new Error(
        `Route ${String(route.method)} ${route.url} does not declare config.access ('public', 'staff' or { roles }); routes are denied by default.`,
      )
    })

    app.addHook('onRequest', async (request, reply) => {
      request.user = null
      // The not-found handler has no declaration: it reveals nothing.
      const access: RouteAccess = request.routeOptions.config.access ?? 'public'
      const token = request.cookies[SESSION_COOKIE]
      let expired = false
      if (token) {
        const found = await accounts.lookup(token)
        if (found.kind === 'signed-in') {
          const { user } = found.session
          request.user = {
            id: user.id,
            email: user.email,
            displayName: user.displayName,
            partnerId: user.partnerId,
            partnerCode: user.partnerCode,
            partnerName: user.partnerName,
            partnerKind: user.partnerKind,
            teamId: user.teamId,
            roles: user.roles,
          }
          request.actor = { type: 'user', id: user.id }
          request.auditOrigin.sessionId = auditSessionId(found.session.id)
        } else {
          expired = found.kind === 'expired'
          reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(secure))
        }
      }
      if (access === 'public') return
      if (!request.user) {
        request.log.info({ access: describeAccess(access), expired }, 'staff route refused: not signed in')
        return refuse(request, reply, expired)
      }
      if (access !== 'staff' && !hasAnyRole(request.user, access.roles)) {
        request.log.info({ access: describeAccess(access) }, 'staff route refused: role')
        throw app.httpErrors.forbidden('You do not have permission to see this page.')
      }
    })

    app.addHook('preHandler', async (request, reply) => {
      if (isApiRequest(request) || !request.user) return
      const user = request.user
      reply.locals = {
        ...reply.locals,
        currentUser: { displayName: user.displayName, partnerName: user.partnerName },
        staffNavigation: staffNavigation
          .filter(item => !item.roles || hasAnyRole(user, item.roles))
          .map(item => ({
            href: item.href,
            text: item.text,
            active: isUnder(request.url.split('?')[0] ?? '', item.section ?? item.href),
          })),
      }
    })
  },
  { name: 'auth', dependencies: ['security', 'audit'] },
)
