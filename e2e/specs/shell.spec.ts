import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { Browser } from 'playwright-core'

import { checkAccessibility, verifyOnPage } from '../pages/base-page.js'
import { launchBrowser, newContext } from '../support/browser.js'
import { startServer, type RunningServer } from '../support/server.js'

const PAGES: [string, string | RegExp][] = [
  ['/', 'Community safety in Tower Hamlets'],
  ['/wards', 'Wards in Tower Hamlets'],
  ['/wards/E05009336', 'Whitechapel'],
  ['/about-the-data', 'About the data'],
  ['/privacy', 'Privacy notice'],
  ['/cookies', 'Cookies'],
  ['/accessibility-statement', 'Accessibility statement'],
  ['/no-such-page', 'Page not found'],
]

describe('e2e: the public shell', () => {
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
    it(`renders every shell page accessibly with JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      for (const [path, heading] of PAGES) {
        const response = await page.goto(server.baseUrl + path)
        assert.equal(response?.status(), path === '/no-such-page' ? 404 : 200, path)
        await verifyOnPage(page, heading)
      }
      await context.close()
    })
  }

  it('shows GOV.UK styling, the demo banner and the open-data attribution', async () => {
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    await page.goto(server.baseUrl + '/')
    const font = await page.locator('h1').evaluate(h1 => getComputedStyle(h1).fontFamily)
    assert.match(font, /GDS Transport/)
    assert.equal(await page.locator('[data-qa="demo-banner"]').isVisible(), true)
    assert.match((await page.locator('.govuk-footer').first().textContent()) ?? '', /Open Government Licence/)
    assert.equal(await page.locator('[data-qa="ward-list"] li').count(), 20)
    await context.close()
  })

  it('follows a ward on the map to its page without JavaScript', async () => {
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    await page.goto(server.baseUrl + '/wards')
    await page.locator('svg a[aria-label="Canary Wharf"]').click()
    await verifyOnPage(page, 'Canary Wharf')
    await context.close()
  })

  it('visits every page linked from the home page and checks each with axe', async () => {
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    const seen = new Set<string>()
    const queue = ['/']
    while (queue.length > 0 && seen.size < 40) {
      const path = queue.shift()!
      if (seen.has(path)) continue
      seen.add(path)
      const response = await page.goto(server.baseUrl + path)
      assert.ok((response?.status() ?? 500) < 400, `${path} answered ${String(response?.status())}`)
      if (!(response?.headers()['content-type'] ?? '').includes('text/html')) continue
      await checkAccessibility(page)
      const links = await page
        .locator('a[href^="/"]')
        .evaluateAll(anchors => anchors.map(a => a.getAttribute('href') ?? ''))
      for (const link of links) {
        const clean = link.split('#')[0]!
        if (
          clean.startsWith('/api/') ||
          clean.startsWith('/assets/') ||
          clean.endsWith('.csv') ||
          (clean.includes('/wards/E05') && seen.size > 10)
        )
          continue
        if (!seen.has(clean)) queue.push(clean)
      }
    }
    assert.ok(seen.size >= 7, `visited ${String(seen.size)} pages`)
    await context.close()
  })
})
