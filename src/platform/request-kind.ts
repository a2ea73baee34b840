import type { FastifyRequest } from 'fastify'

/** Machine clients get JSON (or Open311's XML); people get HTML pages. */
export function isApiRequest(request: Pick<FastifyRequest, 'url'>): boolean {
  return request.url.startsWith('/api/') || request.url.startsWith('/open311/')
}
