/** What the accounts module adds to the application: sign-in, account pages and user administration. */
import { bindRoutes, type SaferModule } from '../../platform/module-contract.js'
import { t } from '../../platform/i18n.js'
import { accountsPaths } from './accounts-paths.js'
import { accountsRoutes } from './accounts-routes.js'
import type { AccountsService } from './accounts-service.js'
import { accountsAdminRoutes } from './admin-routes.js'

export interface AccountsModuleOptions {
  accounts: AccountsService
  clock: { now(): Date }
  secure: boolean
  publicBaseUrl: string
  /** Where a user lands after signing in (the officer home page, owned by casework). */
  homePath: string
  idleMinutes: number
  signInPerMinute: number
  throttleMinutes: number
}

export function accountsModule(options: AccountsModuleOptions): SaferModule {
  const { accounts, publicBaseUrl } = options
  return {
    name: 'accounts',
    routes: [
      bindRoutes(accountsRoutes, {
        accounts,
        secure: options.secure,
        homePath: options.homePath,
        publicBaseUrl,
        idleMinutes: options.idleMinutes,
        signInPerMinute: options.signInPerMinute,
        throttleMinutes: options.throttleMinutes,
      }),
      bindRoutes(accountsAdminRoutes, { accounts, publicBaseUrl, clock: options.clock }),
    ],
    navigation: [
      {
        href: accountsPaths.adminUsers,
        text: t('accounts.nav.admin'),
        roles: ['administrator'],
        section: '/admin',
        order: 90,
      },
    ],
  }
}
