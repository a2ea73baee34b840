/**
 * /open311: discovery, GeoReport v2 under /open311/v2, and FixMyStreet's servicerequestupdates. The format is the
 * path's suffix (.xml or .json). This plugin answers its own errors in the spec's shape (XML `<errors>` or a JSON
 * array), with 400, 403, 404 (429 when a client is over its limit, 503 with Retry-After while the database is
 * unavailable), never a stack trace. POSTs take a partner API key
 * (`api_key`), rate-limited per key; every keyed request is audited as that key.
 */
import { createHash } from 'node:crypto'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'

import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../../platform/error-handling.js'
import { t } from '../../platform/i18n.js'
import {
  CONTENT_TYPES,
  errorsBody,
  listToXml,
  objectToXml,
  parseFormat,
  ROOTS,
  type Format,
  type SpecError,
} from './open311-formats.js'
import { open311Paths } from './open311-paths.js'
import type { KeyRecord } from './open311-repository.js'
import type { Open311Service, Outcome } from './open311-service.js'
import { field, type FormBody } from './request-form.js'

declare module 'fastify' {
  interface FastifyRequest {
    open311Key?: KeyRecord | null
    /** The key came from what this server remembers, not read for this request: see `confirmKey`. */
    open311KeyRemembered?: boolean
  }
}

export interface Open311RouteOptions {
  open311: Open311Service
  /** Requests a minute one API key may make to the keyed endpoints. */
  keyRatePerMinute: number
  /** Requests a minute one client may make to the public endpoints. */
  publicRatePerMinute: number
}

/** `.xml` or `.json` on the end of the path: a format we do not know is answered by the route (400, in XML). */
const FormatParams = Type.Object({ format: Type.String() })
const CodeParams = Type.Object({ code: Type.String(), format: Type.String() })
const IdParams = Type.Object({ id: Type.String(), format: Type.String() })
const TokenParams = Type.Object({ token: Type.String(), format: Type.String() })
/**
 * The query string's arguments: each one value (the spec has no repeated arguments; a repeated one is malformed, 400
 * in the spec's shape). Which arguments mean what is the service's to check.
 */
const SpecQuery = Type.Record(Type.String(), Type.String())

/** A parsed form body (or query string): an object of fields, as opposed to a JSON array or nothing. */
const isFields = (value: unknown): value is FormBody =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The partner's API key, from the form body or the query string. */
const apiKeyOf = (request: FastifyRequest): string | null =>
  (isFields(request.body) ? field(request.body, 'api_key') : null) ??
  (isFields(request.query) ? field(request.query, 'api_key') : null)

/** The format a URL asks for; XML (the spec's required format) when it names none we know. */
function formatOf(url: string): Format {
  const path = url.split('?')[0] ?? ''
  return /\.json$/i.test(path) ? 'json' : 'xml'
}

function sendErrors(reply: FastifyReply, format: Format, status: number, errors: readonly SpecError[]) {
  return reply.code(status).type(CONTENT_TYPES[format]).send(errorsBody(format, errors))
}

function statusFor(errors: readonly SpecError[]): number {
  const code = errors[0]?.code ?? 400
  return code === 403 || code === 404 ? code : 400
}

const hashOf = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32)

export const open311Routes: FastifyPluginAsyncTypebox<Open311RouteOptions> = async (app, options) => {
  const { open311 } = options

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    let status = error.statusCode ?? 500
    if (status < 400 || status > 599) status = 500
    const format = formatOf(request.url)
    if (isDatabaseUnavailable(error)) {
      // An outage, not a fault: partners' systems retry on 503 with Retry-After.
      request.log.error({ err: error, reference: request.id }, 'open311 request failed: database unavailable')
      reply.header('retry-after', String(RETRY_AFTER_SECONDS))
      return sendErrors(reply, format, 503, [
        { code: 503, description: t('open311.errors.unavailable', { reference: request.id }) },
      ])
    }
    if (status >= 500) {
      request.log.error({ err: error, reference: request.id }, 'open311 request failed')
      return sendErrors(reply, format, 500, [
        { code: 500, description: t('open311.errors.server', { reference: request.id }) },
      ])
    }
    request.log.info({ code: error.code, status }, 'open311 client error')
    if (status === 429) {
      const after = (error as unknown as { retryAfter?: string }).retryAfter
      if (after) reply.header('retry-after', after)
      return sendErrors(reply, format, 429, [{ code: 429, description: t('open311.errors.rateLimited') }])
    }
    const keep = status === 403 || status === 404
    const description = status === 415 ? t('open311.errors.contentType') : t('open311.errors.malformed')
    return sendErrors(reply, format, keep ? status : 400, [{ code: keep ? status : 400, description }])
  })

  app.setNotFoundHandler(
    { preHandler: app.rateLimit({ max: options.publicRatePerMinute, timeWindow: '1 minute' }) },
    async (request, reply) =>
      sendErrors(reply, formatOf(request.url), 404, [
        { code: 404, description: t('open311.errors.notFound', { path: request.url.split('?')[0] ?? '' }) },
      ]),
  )

  /** Sends a list or an object in the asked format, or the spec's errors. */
  function respond<T extends object>(
    reply: FastifyReply,
    format: Format,
    outcome: Outcome<T>,
    xml: (value: T) => string,
  ) {
    if (!outcome.ok) return sendErrors(reply, format, statusFor(outcome.errors), outcome.errors)
    return reply
      .code(200)
      .type(CONTENT_TYPES[format])
      .send(format === 'json' ? JSON.stringify(outcome.value) : xml(outcome.value))
  }

  function formatParam(params: { format: string }, reply: FastifyReply): Format | undefined {
    const format = parseFormat(params.format)
    if (!format)
      void sendErrors(reply, 'xml', 400, [
        { code: 400, description: t('open311.errors.format', { format: params.format }) },
      ])
    return format
  }

  const publicRoute = { access: 'public', csrf: false, audit: false } as const

  /** Reads the request's key (a wrong or missing one is audited and the route's own audit event skipped). */
  async function authenticate(request: FastifyRequest) {
    const apiKey = apiKeyOf(request)
    const outcome = await open311.authenticate(apiKey, request.routeOptions.url ?? '', request.id)
    request.open311Key = outcome.ok ? outcome.value : null
    request.open311KeyRemembered = false
    if (outcome.ok) request.actor = { type: 'api-key', id: outcome.value.id }
    else request.auditContext.skip = true
  }

  /**
   * A remembered key is checked by the transaction that writes the report; an answer that does not come from that
   * transaction (an error, a retry's earlier report, a queued request) reads the key first, as every request did.
   */
  async function confirmKey(request: FastifyRequest) {
    if (request.open311KeyRemembered) await authenticate(request)
  }

  // Keyed routes: the key is read before the limiter, which then counts per key (per client for missing or wrong keys).
  // `remember`: the route checks the key where it writes (confirmKey otherwise), so a key this server already found
  // active is taken without reading it again.
  const keyed = (action: string, remember = false) => ({
    config: {
      access: 'public' as const,
      csrf: false,
      audit: { action, onlyOnSuccess: false },
      rateLimit: {
        max: options.keyRatePerMinute,
        timeWindow: '1 minute',
        hook: 'preHandler' as const,
        keyGenerator: (request: FastifyRequest) =>
          request.open311Key ? `open311-key:${request.open311Key.id}` : `open311-client:${hashOf(request.ip)}`,
      },
    },
    preHandler: async (request: FastifyRequest) => {
      const known = remember ? await open311.rememberedKey(apiKeyOf(request)) : undefined
      if (!known) return authenticate(request)
      request.open311Key = known
      request.open311KeyRemembered = true
      request.actor = { type: 'api-key', id: known.id }
    },
  })

  function keyOrForbidden(request: FastifyRequest, reply: FastifyReply, format: Format): KeyRecord | undefined {
    if (request.open311Key) return request.open311Key
    const given = apiKeyOf(request)
    void sendErrors(reply, format, 403, [
      { code: 403, description: given ? t('open311.errors.keyInvalid') : t('open311.errors.keyMissing') },
    ])
    return undefined
  }

  /** A form-encoded body, parsed into fields. */
  const isForm = (request: FastifyRequest) =>
    /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '') && isFields(request.body)

  function formBody(request: FastifyRequest, reply: FastifyReply, format: Format): FormBody | undefined {
    if (!isForm(request)) {
      void sendErrors(reply, format, 400, [{ code: 400, description: t('open311.errors.contentType') }])
      return undefined
    }
    return request.body as FormBody
  }

  app.get(
    open311Paths.routes.discovery,
    { config: publicRoute, schema: { params: FormatParams } },
    async (request, reply) => {
      const format = formatParam(request.params, reply)
      if (!format) return reply
      return respond(reply, format, { ok: true, value: open311.discovery() }, value => objectToXml('discovery', value))
    },
  )

  app.get(
    open311Paths.routes.services,
    { config: publicRoute, schema: { params: FormatParams } },
    async (request, reply) => {
      const format = formatParam(request.params, reply)
      if (!format) return reply
      return respond(reply, format, { ok: true, value: open311.services() }, value =>
        listToXml(ROOTS.services[0], ROOTS.services[1], value),
      )
    },
  )

  app.get(
    open311Paths.routes.service,
    { config: publicRoute, schema: { params: CodeParams } },
    async (request, reply) => {
      const format = formatParam(request.params, reply)
      if (!format) return reply
      return respond(reply, format, open311.definition(request.params.code), value =>
        objectToXml('service_definition', value),
      )
    },
  )

  app.post(
    open311Paths.routes.requests,
    { ...keyed('OPEN311_REQUEST_POSTED', true), schema: { params: FormatParams, querystring: SpecQuery } },
    async (request, reply) => {
      if (!parseFormat(request.params.format) || !isForm(request)) await confirmKey(request)
      const format = formatParam(request.params, reply)
      if (!format) return reply
      const body = formBody(request, reply, format)
      if (!body) return reply
      const key = keyOrForbidden(request, reply, format)
      if (!key) return reply
      // The audit event the audit plugin would write after a 200, written with the report instead.
      const event = {
        actor: { type: 'api-key' as const, id: key.id },
        action: 'OPEN311_REQUEST_POSTED',
        subjectType: 'report',
        origin: request.auditOrigin,
        details: { method: request.method, route: request.routeOptions.url, status: 200 },
      }
      const outcome = await open311.submit(
        body,
        key,
        request.id,
        error => request.log.error({ err: error }, 'queued open311 request failed'),
        event,
      )
      if (outcome.keyRefused) open311.forgetKey(apiKeyOf(request))
      if (!outcome.keyChecked) {
        await confirmKey(request)
        if (!keyOrForbidden(request, reply, format)) return reply
      }
      if (outcome.ok) {
        request.auditContext.subjectType = 'report'
        request.auditContext.details =
          'token' in outcome.value ? { queued: true } : { reference: outcome.value.service_request_id }
        if (outcome.audited) request.auditContext.skip = true
      }
      return respond(reply, format, outcome.ok ? { ok: true, value: [outcome.value] } : outcome, value =>
        listToXml(ROOTS.serviceRequests[0], ROOTS.serviceRequests[1], value),
      )
    },
  )

  app.get(
    open311Paths.routes.requests,
    { config: publicRoute, schema: { params: FormatParams, querystring: SpecQuery } },
    async (request, reply) => {
      const format = formatParam(request.params, reply)
      if (!format) return reply
      const outcome = await open311.listRequests(request.query)
      return respond(reply, format, outcome, value =>
        listToXml(ROOTS.serviceRequests[0], ROOTS.serviceRequests[1], value),
      )
    },
  )

  app.get(
    open311Paths.routes.request,
    { config: publicRoute, schema: { params: IdParams } },
    async (request, reply) => {
      const format = formatParam(request.params, reply)
      if (!format) return reply
      const outcome = await open311.getRequest(request.params.id)
      return respond(reply, format, outcome, value =>
        listToXml(ROOTS.serviceRequests[0], ROOTS.serviceRequests[1], value),
      )
    },
  )

  app.get(
    open311Paths.routes.token,
    { config: publicRoute, schema: { params: TokenParams } },
    async (request, reply) => {
      const format = formatParam(request.params, reply)
      if (!format) return reply
      const outcome = await open311.token(request.params.token)
      return respond(reply, format, outcome.ok ? { ok: true, value: [outcome.value] } : outcome, value =>
        listToXml(ROOTS.serviceRequests[0], ROOTS.serviceRequests[1], value),
      )
    },
  )

  app.get(
    open311Paths.routes.updates,
    { ...keyed('OPEN311_UPDATES_READ'), schema: { params: FormatParams, querystring: SpecQuery } },
    async (request, reply) => {
      const format = formatParam(request.params, reply)
      if (!format) return reply
      const key = keyOrForbidden(request, reply, format)
      if (!key) return reply
      const outcome = await open311.updates(key, request.query)
      if (outcome.ok) request.auditContext.details = { updates: outcome.value.length }
      return respond(reply, format, outcome, value => listToXml(ROOTS.updates[0], ROOTS.updates[1], value))
    },
  )

  app.post(
    open311Paths.routes.updates,
    { ...keyed('OPEN311_UPDATE_POSTED'), schema: { params: FormatParams, querystring: SpecQuery } },
    async (request, reply) => {
      const format = formatParam(request.params, reply)
      if (!format) return reply
      const body = formBody(request, reply, format)
      if (!body) return reply
      const key = keyOrForbidden(request, reply, format)
      if (!key) return reply
      const outcome = await open311.postUpdate(key, body)
      if (outcome.ok) request.auditContext.details = { updateId: outcome.value.update_id }
      return respond(reply, format, outcome.ok ? { ok: true, value: [outcome.value] } : outcome, value =>
        listToXml(ROOTS.updates[0], ROOTS.updates[1], value),
      )
    },
  )
}
