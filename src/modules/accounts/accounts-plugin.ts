/**
 * The accounts module's pages, registered together: signing in and the user's own account (accounts-routes) and the
 * administration of partners, teams and users (admin-routes). The session hook (`authPlugin`) is not among them: it
 * decorates every request of the application, so the root registers it first, before any module's routes.
 */
import type { FastifyPluginAsync } from 'fastify'

import { accountsAdminRoutes } from './admin-routes.js'
import { accountsRoutes, type AccountsRoutesOptions } from './accounts-routes.js'

export interface AccountsPagesOptions extends AccountsRoutesOptions {
  clock: { now(): Date }
}

export const accountsPages: FastifyPluginAsync<AccountsPagesOptions> = async (app, options) => {
  await app.register(accountsRoutes, options)
  await app.register(accountsAdminRoutes, {
    accounts: options.accounts,
    publicBaseUrl: options.publicBaseUrl,
    clock: options.clock,
  })
}
