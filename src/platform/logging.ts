/**
 * pino options for Fastify. Personal data never reaches the log: cookies, authorisation headers, tokens in query
 * strings and request bodies are redacted or never logged. Pretty output only on a terminal.
 */
import { randomUUID } from 'node:crypto'

import type { FastifyServerOptions, RawRequestDefaultExpression } from 'fastify'

import type { Config } from '../config.js'

const SENSITIVE_QUERY = /([?&](?:token|api_key|key|secret|password|code|email|phone|postcode)=)[^&]*/gi

/** Paths that carry a secret: a tracking code (tracking and the Case Review application from it), a check-in token. */
const SENSITIVE_PATH = /^(\/track\/[^/?]+\/|\/asb-case-review\/apply\/[^/?]+\/|\/check-in\/)[^/?]+/i

export function redactUrl(url: string): string {
  return url.replace(SENSITIVE_PATH, '$1[REDACTED]').replace(SENSITIVE_QUERY, '$1[REDACTED]')
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/

export function requestId(request: RawRequestDefaultExpression): string {
  const incoming = request.headers['x-request-id']
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID()
}

export function loggerOptions(config: Config, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  const pretty = config.env === 'development' && process.stdout.isTTY && stream === undefined
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.email',
        '*.phone',
        '*.name',
        '*.description',
      ],
      censor: '[REDACTED]',
    },
    serializers: {
      req(request: { method: string; url: string; id: string; ip?: string }) {
        return { id: request.id, method: request.method, url: redactUrl(request.url) }
      },
    },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  }
}
