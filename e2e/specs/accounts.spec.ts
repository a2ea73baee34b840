import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { Browser } from 'playwright-core'

import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/modules/accounts/index.js'
import { verifyOnPage } from '../pages/base-page.js'
import { newStaff, signIn } from '../pages/sign-in-page.js'
import { launchBrowser, newContext } from '../support/browser.js'
import { startServer, type RunningServer } from '../support/server.js'

describe('e2e: staff accounts', () => {
  let server: RunningServer
  let browser: Browser
  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })
  after(async () => {
    await browser.close()
    await server.close()
  })

  for (const javaScript of [true, false]) {
    it(`signs in with two factors, lands on the page asked for, and signs out (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      const officer = await newStaff(server, { roles: ['officer'] })
      await page.goto(`${server.baseUrl}/account`)
      assert.match(page.url(), /\/sign-in\?next=%2Faccount/)
      await signIn(page, server.baseUrl, officer, { next: '/account' })
      await verifyOnPage(page, 'Your account')
      assert.match((await page.locator('[data-qa="signed-in"]').textContent()) ?? '', /Signed in as/)
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForURL(/signed-out=1/)
      await verifyOnPage(page, 'Sign in')
      await page.goto(`${server.baseUrl}/account`)
      assert.match(page.url(), /\/sign-in/)
      await context.close()
    })
  }

  it('shows a wrong password as a GOV.UK error, accessibly', async () => {
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    await page.goto(`${server.baseUrl}/sign-in`)
    await page.getByLabel('Email address').fill('admin@council.safer.example')
    await page.getByLabel('Password', { exact: true }).fill('not the password at all')
    await page.getByRole('button', { name: 'Continue' }).click()
    await verifyOnPage(page, 'Sign in')
    assert.deepEqual(await page.locator('.govuk-error-summary__list a').allTextContents(), [
      'Enter a correct email address and password',
    ])
    await context.close()
  })

  it('lets the demo administrator add a user, with every admin page accessible', async () => {
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    await signIn(
      page,
      server.baseUrl,
      { email: 'admin@council.safer.example', password: DEMO_PASSWORD, totpSecret: DEMO_TOTP_SECRET },
      { next: '/admin/users', check: false },
    )
    await verifyOnPage(page, 'Users')
    assert.ok((await page.locator('[data-qa="users"] tbody tr').count()) >= 9)
    await page.getByRole('link', { name: 'Partners and teams' }).click()
    await verifyOnPage(page, 'Partners and teams')
    await page.goto(`${server.baseUrl}/admin/users/new`)
    await verifyOnPage(page, 'Add a user')
    await page.getByRole('button', { name: 'Add user' }).click()
    await verifyOnPage(page, 'Add a user')
    assert.ok((await page.locator('.govuk-error-summary__list a').count()) >= 2)
    await page.getByLabel('Name').fill('Rosa Diaz')
    await page.getByLabel('Email address').fill('rosa.diaz@council.safer.example')
    await page.getByLabel('Organisation').selectOption('council')
    await page.getByLabel('Officer', { exact: true }).check()
    await page.getByRole('button', { name: 'Add user' }).click()
    await verifyOnPage(page, 'Edit Rosa Diaz')
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /User added/)
    await context.close()
  })
})
