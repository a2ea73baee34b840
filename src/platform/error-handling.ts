/**
 * One place decides what a failure looks like. People get a GOV.UK page (404, 429, 503, or 500 with a reference id,
 * never a stack trace); machine clients get JSON `{statusCode, error, message}`. 4xx messages are the client's to read;
 * 5xx detail stays in the log under the request id. Open311 routes format their own errors.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

import { isDomainError } from './errors.js'
import { t } from './i18n.js'
import { isApiRequest } from './request-kind.js'

const DATABASE_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '08003'])

/** Seconds a client is asked to wait (Retry-After) when the database is unavailable or the server is stopping. */
export const RETRY_AFTER_SECONDS = 30

export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && DATABASE_DOWN.has(code)) return true
  const message = (error as Error | null)?.message ?? ''
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error|no answer within|Cannot use a pool after calling end|embedded database has been closed|driver has already been destroyed/i.test(
    message,
  )
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  422: 'Unprocessable Entity',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

function errorTemplate(status: number): string {
  if (status === 404) return 'errors/404.njk'
  if (status === 429) return 'errors/429.njk'
  if (status === 503) return 'errors/503.njk'
  if (status === 403) return 'errors/403.njk'
  if (status >= 500) return 'errors/500.njk'
  return 'errors/400.njk'
}

async function sendError(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  reply.code(status)
  if (isApiRequest(request)) {
    return reply.type('application/json; charset=utf-8').send({
      statusCode: status,
      error: TITLES[status] ?? 'Error',
      message,
      ...(status >= 500 ? { reference: request.id } : {}),
    })
  }
  return reply.type('text/html; charset=utf-8').view(errorTemplate(status), { reference: request.id, message, status })
}

const NUL = '\u0000'

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL)
  if (Array.isArray(value)) return value.some(hasNul)
  if (value && typeof value === 'object') return Object.values(value as Record<string, unknown>).some(hasNul)
  return false
}

/** U+0000 has no meaning in text and PostgreSQL refuses it: removed from form and JSON bodies as they arrive. */
function stripNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes(NUL) ? value.replaceAll(NUL, '') : value
  if (Array.isArray(value)) return value.map(stripNul)
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === null) return stripObject(value)
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return stripObject(value)
  return value
}

function stripObject(value: object): object {
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) record[key] = stripNul(record[key])
  return record
}

function clientError(status: 400 | 404, message: string): FastifyError {
  return Object.assign(new Error(message), { statusCode: status, code: 'SAFER_MALFORMED_REQUEST' })
}

export const errorHandlingPlugin = fp(
  async (app: FastifyInstance) => {
    // A NUL in the path can name nothing (404); in the query string it is a malformed request (400). Either way it
    // never reaches the database, which would refuse it with a 500. Errors thrown here go to the route's own error
    // handler, so Open311 answers in its format. preParsing: after every onRequest hook (audit, session) has run.
    app.addHook('preParsing', async request => {
      if (hasNul(request.params)) throw clientError(404, 'Not Found')
      if (hasNul(request.query)) throw clientError(400, 'The address contains a character that is not allowed.')
    })
    app.addHook('preValidation', async request => {
      if (request.body && typeof request.body === 'object') request.body = stripNul(request.body)
    })

    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      // A refusal no route translated: its own status, and its locale message (never the bare code).
      if (isDomainError(error)) {
        request.log.info({ code: error.code, status: error.status }, 'refused')
        const message = error.messageKey ? t(error.messageKey, error.params) : t('errors.refused')
        return sendError(request, reply, error.status, message)
      }
      let status = error.statusCode ?? 500
      if (status < 400 || status > 599) status = 500
      if (isDatabaseUnavailable(error)) {
        status = 503
        reply.header('retry-after', String(RETRY_AFTER_SECONDS))
      }
      const pdfUnavailable = (error as Error).name === 'PdfUnavailableError'
      const stopping = pdfUnavailable && (error as { reason?: string }).reason === 'stopping'
      if (pdfUnavailable) status = 503
      if (stopping) reply.header('retry-after', String(RETRY_AFTER_SECONDS))
      if (status >= 500) {
        request.log.error({ err: error, reference: request.id }, 'request failed')
      } else {
        request.log.info({ code: error.code, status }, 'client error')
      }
      if (status === 429) {
        const after = (error as unknown as { retryAfter?: string }).retryAfter
        if (after) reply.header('retry-after', after)
      }
      const message = stopping
        ? 'The server is restarting. Please try again in a minute.'
        : pdfUnavailable
          ? 'PDF printing is not available on this server: its administrator needs to install Chromium. The page itself still works.'
          : status === 503
            ? 'The service is temporarily unavailable. Please try again in a few minutes.'
            : status >= 500
              ? 'Something went wrong on our side.'
              : error.message
      try {
        return await sendError(request, reply, status, message)
      } catch (renderError) {
        request.log.error({ err: renderError }, 'could not render the error page')
        return reply
          .type('text/plain; charset=utf-8')
          .send(`${String(status)} ${TITLES[status] ?? 'Error'}. Reference: ${request.id}`)
      }
    })

    app.setNotFoundHandler({ preHandler: app.rateLimit({ max: 60, timeWindow: '1 minute' }) }, async (request, reply) =>
      sendError(request, reply, 404, `No page or resource at ${request.method} ${request.url.split('?')[0] ?? ''}`),
    )
  },
  { name: 'error-handling', dependencies: ['views', 'security'] },
)
