/**
 * Signing in as staff through the real pages: email and password, then the code from the authenticator (computed
 * from the account's key, as the app on a phone would). Every page on the way is checked with axe.
 */
import type { Page } from 'playwright-core'

import { createStaff, type StaffCredentials } from '../../test/helpers/staff.js'
import type { Role } from '../../src/modules/accounts/index.js'
import { totpCode } from '../../src/modules/accounts/index.js'
import type { RunningServer } from '../support/server.js'
import { verifyOnPage } from './base-page.js'

export async function newStaff(
  server: RunningServer,
  options: { roles: Role[]; partnerCode?: string; teamCode?: string; name?: string },
): Promise<StaffCredentials> {
  return createStaff(server.deps, options)
}

const STEP_MS = 30_000
/**
 * The last authenticator time step each account signed in with, in this process, by email: the service remembers
 * the step per account (test accounts share one secret, so the secret does not tell them apart).
 */
const lastStepUsed = new Map<string, number>()

/**
 * The moment whose code to type. The service refuses a code from a time step the account has used already (replay
 * protection), so a second sign-in of the same account within 30 seconds uses the next step's code, which the
 * service accepts (it allows one step of clock drift), as a phone whose clock runs a little fast would; past that,
 * it waits.
 */
async function codeMoment(account: string): Promise<Date> {
  const current = Math.floor(Date.now() / STEP_MS)
  const last = lastStepUsed.get(account)
  let step = last === undefined || last < current ? current : last + 1
  if (step > current + 1) {
    const wait = (step - 1) * STEP_MS - Date.now() + 50
    process.stderr.write(`sign-in: waiting ${(wait / 1000).toFixed(1)} s for the authenticator's next time step\n`)
    await new Promise(resolve => setTimeout(resolve, wait))
    step = Math.max(step, Math.floor(Date.now() / STEP_MS))
  }
  lastStepUsed.set(account, step)
  return new Date(step * STEP_MS + 1_000)
}

/** Signs in from wherever the page is; returns on the page the service lands on afterwards. */
export async function signIn(
  page: Page,
  baseUrl: string,
  staff: Pick<StaffCredentials, 'email' | 'password' | 'totpSecret'>,
  options: { next?: string; check?: boolean } = {},
): Promise<void> {
  const check = options.check ?? true
  await page.goto(`${baseUrl}/sign-in${options.next ? `?next=${encodeURIComponent(options.next)}` : ''}`)
  if (check) await verifyOnPage(page, 'Sign in')
  await page.getByLabel('Email address').fill(staff.email)
  await page.getByLabel('Password', { exact: true }).fill(staff.password)
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.waitForURL(/\/sign-in\/code/)
  if (check) await verifyOnPage(page, 'Enter the code from your authenticator app')
  await page.getByLabel('Security code').fill(totpCode(staff.totpSecret, await codeMoment(staff.email)))
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(url => !url.pathname.startsWith('/sign-in'))
}
