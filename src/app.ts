/**
 * The application is a Fastify plugin: platform plugins first, then each module, registered explicitly with the
 * services it needs. `buildApp` wraps it in a Fastify instance for the server and the tests.
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
import type { Dependencies } from './dependencies.js'
import {
  accountsAdminRoutes,
  accountsPaths,
  accountsRoutes,
  authPlugin,
  type StaffNavigationItem,
} from './modules/accounts/index.js'
import { geographyApiRoutes, geographyPageRoutes } from './modules/geography/index.js'
import { intelligenceApiRoutes, intelligencePageRoutes, intelligencePaths } from './modules/intelligence/index.js'
import { reportingPaths, reportingRoutes } from './modules/reporting/index.js'
import { activityPageRoutes } from './modules/activity/index.js'
import { open311Routes } from './modules/open311/index.js'
import { performanceApiRoutes, performancePageRoutes } from './modules/performance/index.js'
import { siteRoutes, type HomeLink } from './modules/site/index.js'
import { caseReviewPaths, caseReviewRoutes } from './modules/case-review/index.js'
import { panelsCaseRoutes, panelsCommunityRoutes, panelsPaths, panelsRoutes } from './modules/panels/index.js'
import { caseworkPages, caseworkPaths } from './modules/casework/index.js'
import { riskPaths, riskRoutes } from './modules/risk/index.js'
import { powersPaths, powersRoutes } from './modules/powers/index.js'
import { auditPlugin } from './platform/audit.js'
import { errorHandlingPlugin } from './platform/error-handling.js'
import { healthPlugin } from './platform/health.js'
import { t } from './platform/i18n.js'
import { loggerOptions, requestId } from './platform/logging.js'
import { isApiRequest } from './platform/request-kind.js'
import { collectRouteInventory, resourceAccessPlugin } from './platform/resource-access.js'
import { securityPlugin } from './platform/security.js'
import { viewsPlugin } from './platform/views.js'

export const app: FastifyPluginAsync<{ deps: Dependencies }> = async (fastify, { deps }) => {
  const { config, geography } = deps

  await fastify.register(fastifySensible)
  await fastify.register(viewsPlugin, { config })
  await fastify.register(securityPlugin, { config })
  await fastify.register(errorHandlingPlugin)
  await fastify.register(auditPlugin, { audit: deps.audit })
  // Modules add their staff pages to the staff navigation; the auth plugin filters it by role per request.
  const staffNavigation: StaffNavigationItem[] = []
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
    guards: { report: deps.reportAccess.guard, ...deps.caseReview.access.guards },
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

  const homeLinks: HomeLink[] = []
  homeLinks.push(
    {
      href: reportingPaths.start,
      title: t('report.home.reportTitle'),
      description: t('report.home.reportDescription'),
    },
    { href: reportingPaths.track, title: t('report.home.trackTitle'), description: t('report.home.trackDescription') },
  )

  await fastify.register(
    async api => {
      await api.register(geographyApiRoutes, { prefix: '/areas', geography })
      await api.register(performanceApiRoutes, { performance: deps.performance })
      await api.register(intelligenceApiRoutes, { prefix: '/hotspots', intelligence: deps.intelligence, geography })
      api.get('/openapi.json', { config: { access: 'public', audit: false }, schema: { hide: true } }, async () =>
        fastify.swagger(),
      )
    },
    { prefix: '/api/v1' },
  )
  await fastify.register(geographyPageRoutes, {
    geography,
    wardLinks: [{ text: t('report.home.wardReportsLink'), href: reportingPaths.wardReports }],
  })
  await fastify.register(reportingRoutes, {
    reporting: deps.reporting,
    geography,
    secure: config.env === 'production',
    caseReviewHref: caseReviewPaths.applyFromReport,
    smallNumberThreshold: config.publicSmallNumberThreshold,
    visibleReports: user => deps.reportAccess.visibleSql(user),
    postcodes: deps.pack.hasPostcodes,
    examplePostcode: deps.pack.publicWording.examplePostcode,
  })
  await fastify.register(open311Routes, {
    prefix: '/open311',
    open311: deps.open311.service,
    keyRatePerMinute: config.open311.keyRatePerMinute,
    publicRatePerMinute: config.rateLimitPublicPerMinute,
  })
  await fastify.register(performancePageRoutes, { performance: deps.performance, geography, pdf: deps.pdf })
  await fastify.register(activityPageRoutes, { activity: deps.activity, geography })
  await fastify.register(intelligencePageRoutes, {
    intelligence: deps.intelligence,
    imports: deps.intelligenceImports,
    tasking: deps.tasking,
    geography,
    pdf: deps.pdf,
  })
  await fastify.register(accountsRoutes, {
    accounts: deps.accounts,
    secure: config.env === 'production',
    homePath: caseworkPaths.home,
    publicBaseUrl: config.publicBaseUrl,
    idleMinutes: config.accounts.idleMinutes,
    signInPerMinute: config.accounts.signInPerMinute,
    throttleMinutes: config.accounts.throttle.windowMinutes,
  })
  await fastify.register(accountsAdminRoutes, {
    accounts: deps.accounts,
    publicBaseUrl: config.publicBaseUrl,
    clock: deps.clock,
  })
  await fastify.register(caseworkPages, {
    casework: deps.casework,
    accounts: deps.accounts,
    reporting: deps.reporting,
    geography,
    audit: deps.audit,
    clock: deps.clock,
    pdf: deps.pdf,
    publicBaseUrl: config.publicBaseUrl,
    publicRatePerMinute: config.rateLimitPublicPerMinute,
    highRiskVictims: user => deps.risk.highRiskVictims(user),
    reportAccess: deps.reportAccess,
  })
  await fastify.register(riskRoutes, { risk: deps.risk, casework: deps.casework })
  await fastify.register(powersRoutes, { powers: deps.powers, casework: deps.casework, pdf: deps.pdf })
  deps.casework.registerCaseLink({ text: t('risk.case.title'), href: riskPaths.caseRisk })
  deps.casework.registerCaseLink({ text: t('powers.ladder.title'), href: caseId => powersPaths.ladder(caseId) })
  await fastify.register(panelsRoutes, { panels: deps.panels.service, casework: deps.casework, pdf: deps.pdf })
  await fastify.register(panelsCaseRoutes, {
    panels: deps.panels.service,
    marac: deps.panels.marac,
    community: deps.panels.community,
    casework: deps.casework,
    geography,
  })
  await fastify.register(panelsCommunityRoutes, {
    panels: deps.panels.service,
    community: deps.panels.community,
    geography,
  })
  deps.casework.registerCaseLink({
    text: t('panels.caseLink'),
    href: panelsPaths.caseHome,
    roles: ['officer', 'supervisor', 'panel-coordinator'],
  })
  await fastify.register(caseReviewRoutes, {
    caseReview: deps.caseReview,
    pdf: deps.pdf,
    boroughName: () => (geography.isLoaded() ? geography.borough().name : ''),
  })
  homeLinks.push({
    href: caseReviewPaths.start,
    title: t('caseReview.home.title'),
    description: t('caseReview.home.description'),
  })
  await fastify.register(siteRoutes, { geography, homeLinks, contact: deps.pack.publicWording.contact })

  // The staff service navigation, in the order of the work: a handful of sections, each with its own pages.
  staffNavigation.push(
    { href: caseworkPaths.home, text: t('casework.nav.home') },
    { href: caseworkPaths.triage, text: t('casework.nav.triage'), roles: ['officer', 'supervisor'] },
    { href: caseworkPaths.cases, text: t('casework.nav.cases') },
    {
      href: panelsPaths.home,
      text: t('panels.nav'),
      roles: ['officer', 'supervisor', 'panel-coordinator', 'partner-read-only', 'administrator'],
    },
    {
      href: caseReviewPaths.dashboard,
      text: t('caseReview.nav.dashboard'),
      roles: ['officer', 'supervisor', 'panel-coordinator'],
    },
    { href: intelligencePaths.tasking, text: t('intelligence.nav.section'), section: '/intelligence' },
    { href: '/performance', text: t('nav.performance') },
    { href: accountsPaths.adminUsers, text: t('accounts.nav.admin'), roles: ['administrator'], section: '/admin' },
  )
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
