/** View data for the accounts pages: no I/O, copy from en.json. */
import { t } from '../../platform/i18n.js'
import type { UserRecord } from './accounts-repository.js'

export /** No "locked" status: accounts are never locked, only clients refused for a while (ADR 0021). */
function userStatus(user: UserRecord): { text: string; colour: string } {
  if (user.disabledAt) return { text: t('accounts.status.disabled'), colour: 'grey' }
  if (!user.totpConfirmedAt) return { text: t('accounts.status.setUpPending'), colour: 'yellow' }
  return { text: t('accounts.status.active'), colour: 'green' }
}
