import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { Browser } from 'playwright-core'

import { checkAccessibility, verifyOnPage } from '../pages/base-page.js'
import { ReportJourney } from '../pages/report-journey.js'
import { launchBrowser, newContext } from '../support/browser.js'
import { startServer, type RunningServer } from '../support/server.js'

describe('e2e: the City of London pack (no postcodes)', () => {
  let server: RunningServer
  let browser: Browser
  before(async () => {
    server = await startServer({ CSP_PACK: 'reference-data/city-of-london' })
    browser = await launchBrowser()
  })
  after(async () => {
    await browser.close()
    await server.close()
  })

  for (const javaScript of [true, false]) {
    it(`reports through the ward list, every page checked with axe, JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      await page.goto(server.baseUrl + '/wards')
      await verifyOnPage(page, 'Wards in City of London')
      const aldersgate = server.deps.geography.wards().find(ward => ward.name === 'Aldersgate')
      assert.ok(aldersgate)
      const journey = new ReportJourney(page, server.baseUrl, true)
      const { reference } = await journey.report({
        category: 'noise_music',
        wardCode: aldersgate.code,
        place: 'By the Barbican',
        description: 'Loud music from a bar every night.',
        mode: 'anonymous',
      })
      assert.match(reference, /^ASB-/)
      await context.close()
    })
  }

  it('offers the map and the ward list, not a postcode box, on "Where is it happening?"', async () => {
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    const next = () =>
      Promise.all([page.waitForLoadState('load'), page.locator('[data-qa="continue"]').first().click()])
    await page.goto(`${server.baseUrl}/report/triage`)
    await page.locator('input[name="triage"][value="asb"]').check()
    await next()
    await page.locator('input[name="category"][value="graffiti"]').check()
    await next()
    await verifyOnPage(page, 'Where is it happening?')
    assert.equal(await page.locator('input[name="postcode"]').count(), 0)
    assert.equal(await page.locator('[data-qa="report-map"]').isVisible(), true)
    assert.equal(await page.locator('[data-qa="choose-ward"]').isVisible(), true)
    assert.equal(await page.locator('[data-with-map]').first().isVisible(), true)
    assert.equal(await page.locator('[data-without-map]').first().isVisible(), false)
    await next()
    await checkAccessibility(page)
    assert.match(
      (await page.locator('.govuk-error-summary').textContent()) ?? '',
      /Put a pin on the map, or choose the ward from a list/,
    )
    await context.close()
  })

  it('without JavaScript, shows no map and never asks for a pin on one', async () => {
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    const next = () =>
      Promise.all([page.waitForLoadState('load'), page.locator('[data-qa="continue"]').first().click()])
    await page.goto(`${server.baseUrl}/report/triage`)
    await page.locator('input[name="triage"][value="asb"]').check()
    await next()
    await page.locator('input[name="category"][value="graffiti"]').check()
    await next()
    await verifyOnPage(page, 'Where is it happening?')
    assert.equal(await page.locator('[data-qa="report-map"]').isVisible(), false)
    assert.equal(await page.locator('[data-with-map]').isVisible(), false)
    assert.equal(
      ((await page.locator('[data-without-map]').textContent()) ?? '').trim(),
      'Choose the ward from a list.',
    )
    assert.equal(await page.locator('[data-without-map]').isVisible(), true)
    await next()
    await checkAccessibility(page)
    const summary = (await page.locator('.govuk-error-summary').textContent()) ?? ''
    assert.match(summary, /Choose the ward from a list/)
    assert.doesNotMatch(summary, /pin/)
    await context.close()
  })
})
