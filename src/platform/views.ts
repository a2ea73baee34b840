/**
 * Nunjucks through @fastify/view. Templates are found in src/views (layouts, partials, shared pages), in
 * src/modules (as '<module>/views/<page>.njk') and in govuk-frontend's dist (as 'govuk/...').
 * Autoescape is on: every value is escaped unless a template says otherwise.
 */
import path from 'node:path'

import fastifyView from '@fastify/view'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import nunjucks from 'nunjucks'

import { projectRoot, type Config } from '../config.js'
import { t } from './i18n.js'
import { formatDateTime, formatLongDate } from './dates.js'
import { londonDate } from './working-days.js'

export function createNunjucksEnvironment(config: Pick<Config, 'env'>): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(
      [
        path.join(projectRoot, 'src', 'views'),
        path.join(projectRoot, 'src', 'modules'),
        path.join(projectRoot, 'node_modules', 'govuk-frontend', 'dist'),
      ],
      { noCache: config.env === 'development', watch: false },
    ),
    { autoescape: true, trimBlocks: true, lstripBlocks: true, throwOnUndefined: false },
  )
  env.addGlobal('t', t)
  env.addGlobal('serviceName', t('service.name'))
  env.addFilter('date', (value: Date | string | null | undefined, style: 'long' | 'short' | 'datetime' = 'long') => {
    if (value === null || value === undefined || value === '') return ''
    const date = new Date(value)
    if (Number.isNaN(date.getTime())) return ''
    if (style === 'datetime') return formatDateTime(date)
    // A calendar date (`2026-12-05`) is that day; a moment is its day in UK time.
    if (style === 'long')
      return formatLongDate(typeof value === 'string' && value.length === 10 ? value : londonDate(date))
    return date.toLocaleDateString('en-GB', {
      day: 'numeric',
      month: style === 'short' ? 'short' : 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    })
  })
  env.addFilter('number', (value: number | null | undefined, digits?: number) =>
    value === null || value === undefined
      ? ''
      : value.toLocaleString('en-GB', { minimumFractionDigits: digits ?? 0, maximumFractionDigits: digits ?? 0 }),
  )
  return env
}

export const viewsPlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const env = createNunjucksEnvironment(config)
    await app.register(fastifyView, {
      // @fastify/view calls `configure`; we hand it the environment built above so that it and any code rendering
      // outside a reply (letters, notifications) share one set of filters and globals.
      engine: { nunjucks: { configure: () => env } },
      templates: path.join(projectRoot, 'src', 'views'),
      defaultContext: {
        demo: config.demoData,
        mapTileUrl: config.map.tileUrl,
        mapTileAttribution: config.map.tileAttribution,
      },
    })
    app.decorate('nunjucks', env)
  },
  { name: 'views' },
)

declare module 'fastify' {
  interface FastifyInstance {
    nunjucks: nunjucks.Environment
  }
  interface FastifyReply {
    /** Values every template of this response sees (CSP nonce, CSRF token, signed-in user). */
    locals: Record<string, unknown> | undefined
  }
}
