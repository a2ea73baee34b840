/**
 * The application is a Fastify plugin: platform plugins first, then what every module declares (its routes, staff
 * navigation, home tiles and record guards; src/platform/module-contract.ts), collected from `deps.modules` rather
 * than wired here by hand. `buildApp` wraps it in a Fastify instance for the server and the tests.
 */
import path from 'node:path'

import fastifySensible from '@fastify/sensible'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, {
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyServerOptions,
  type RouteOptions,
} from 'fastify'

import { projectRoot } from './config.js'
import { knownRoles, type Dependencies } from './dependencies.js'
import { authPlugin, type StaffNavigationItem } from './modules/accounts/index.js'
import { auditPlugin } from './platform/audit.js'
import { errorHandlingPlugin } from './platform/error-handling.js'
import { healthPlugin } from './platform/health.js'
import { loggerOptions, requestId } from './platform/logging.js'
import { collectModules } from './platform/module-contract.js'
import { isApiRequest } from './platform/request-kind.js'
import { collectRouteInventory, resourceAccessPlugin } from './platform/resource-access.js'
import { securityPlugin } from './platform/security.js'
import { viewsPlugin } from './platform/views.js'

export const app: FastifyPluginAsync<{ deps: Dependencies }> = async (fastify, { deps }) => {
  const { config, geography } = deps
  const declared = collectModules(deps.modules)

  await fastify.register(fastifySensible)
  await fastify.register(viewsPlugin, { config })
  await fastify.register(securityPlugin, { config, database: deps.database })
  await fastify.register(errorHandlingPlugin)
  await fastify.register(auditPlugin, { audit: deps.audit })
  // The staff service navigation, in the order of the work: each module declares its sections; the auth plugin
  // filters them by role per request.
  const staffNavigation: StaffNavigationItem[] = declared.navigation.map(({ href, text, roles, section }) => ({
    href,
    text,
    section,
    roles: knownRoles(roles, text),
  }))
  await fastify.register(authPlugin, { accounts: deps.accounts, secure: config.env === 'production', staffNavigation })
  await fastify.register(healthPlugin, { config, database: deps.database })

  const assets = (root: string, prefix: string, decorateReply = false) =>
    fastify.register(fastifyStatic, { root, prefix, decorateReply, maxAge: '1h', index: false })
  await assets(path.join(projectRoot, 'node_modules/govuk-frontend/dist/govuk/assets'), '/assets/', true)
  await assets(path.join(projectRoot, 'node_modules/govuk-frontend/dist/govuk'), '/assets/govuk/')
  await assets(path.join(projectRoot, 'node_modules/leaflet/dist'), '/assets/leaflet/')
  await assets(path.join(projectRoot, 'src/assets'), '/assets/app/')

  // Per-request view context: the CSP nonce for inline scripts, the CSRF token for forms, the borough's name.
  fastify.addHook('preHandler', async (request, reply) => {
    if (isApiRequest(request)) return
    reply.locals = {
      ...reply.locals,
      cspNonce: reply.cspNonce.script,
      csrfToken: reply.generateCsrf(),
      boroughName: geography.isLoaded() ? geography.borough().shortName : undefined,
    }
  })
  // Record-level access for routes declaring `config.resource`, after the view context so a refusal renders the
  // same 404 page as a missing record (ADR 0019).
  await fastify.register(resourceAccessPlugin, {
    guards: declared.guards,
  })

  await fastify.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Safer API',
        version: 'v1',
        description: 'Public, read-only data about the areas of the Community Safety Partnership.',
      },
      tags: [{ name: 'areas', description: 'Wards, LSOAs and place lookup' }],
    },
  })

  await fastify.register(
    async api => {
      for (const { plugin, prefix } of declared.routes.filter(routes => routes.api)) {
        await api.register(plugin, prefix ? { prefix } : {})
      }
      api.get('/openapi.json', { config: { access: 'public', audit: false }, schema: { hide: true } }, async () =>
        fastify.swagger(),
      )
    },
    { prefix: '/api/v1' },
  )
  for (const { plugin, prefix } of declared.routes.filter(routes => !routes.api)) {
    await fastify.register(plugin, prefix ? { prefix } : {})
  }
}

export interface BuildOptions {
  logStream?: NodeJS.WritableStream
  /** Told of every route as it is registered (tests walk them all). */
  onRoute?: (route: RouteOptions) => void
}

export async function buildApp(deps: Dependencies, options: BuildOptions = {}): Promise<FastifyInstance> {
  const { trustProxy: configured } = deps.config
  // A hop count trusts that many addresses nearest the server (Fastify itself now reads a number as "trust none").
  const trustProxy: FastifyServerOptions['trustProxy'] =
    typeof configured === 'number'
      ? (_address, hop) => hop < configured
      : configured === false
        ? false
        : [...configured]
  const fastify = Fastify({
    logger: loggerOptions(deps.config, options.logStream),
    genReqId: requestId,
    requestIdHeader: false,
    // Off unless TRUST_PROXY names the proxies: otherwise any client could pick its own rate-limit key.
    trustProxy,
    bodyLimit: 1024 * 1024,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    routerOptions: { ignoreTrailingSlash: true },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>()
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  collectRouteInventory(fastify)
  if (options.onRoute) fastify.addHook('onRoute', options.onRoute)
  await fastify.register(app, { deps })
  await fastify.ready()
  return fastify
}
