/**
 * Page objects: `verifyOnPage` checks the heading, the GOV.UK title pattern and runs axe, failing on any violation.
 * Every page a test visits goes through it, so every page is checked for accessibility.
 */
import assert from 'node:assert/strict'

import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'

import { noScriptContexts } from '../support/browser.js'

/**
 * axe runs as a script in the page, which a context with JavaScript off will not run (the call waits for ever).
 * For those pages we check the very DOM the person saw: the served HTML, scripts removed, loaded into a
 * JavaScript-enabled page on the same origin so styles and relative links resolve.
 */
async function pageForAxe(page: Page): Promise<{ target: Page; done: () => Promise<void> }> {
  if (!noScriptContexts.has(page.context())) return { target: page, done: async () => undefined }
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '')
  const browser = page.context().browser()
  if (!browser) throw new Error('no browser for the axe check')
  const context = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() ?? undefined })
  const target = await context.newPage()
  await target.route('**/*', route => (route.request().resourceType() === 'script' ? route.abort() : route.continue()))
  await target.goto(new URL('/ping', page.url()).toString())
  await target.setContent(html, { waitUntil: 'load' })
  return { target, done: () => context.close() }
}

export async function checkAccessibility(page: Page): Promise<void> {
  const { target, done } = await pageForAxe(page)
  const results = await new AxeBuilder({ page: target })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze()
  const summary = results.violations.map(
    violation =>
      `${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help}\n    ${violation.nodes
        .slice(0, 3)
        .map(node => node.target.join(' '))
        .join('\n    ')}`,
  )
  await done()
  assert.deepEqual(summary, [], `axe found violations on ${page.url()}:\n${summary.join('\n')}`)
}

export async function verifyOnPage(page: Page, heading: string | RegExp): Promise<void> {
  const h1 = (await page.locator('h1').first().textContent())?.trim() ?? ''
  if (typeof heading === 'string') assert.equal(h1, heading, `h1 on ${page.url()}`)
  else assert.match(h1, heading, `h1 on ${page.url()}`)
  const title = await page.title()
  assert.match(title, / - Safer - /, `GOV.UK title pattern on ${page.url()}: "${title}"`)
  await checkAccessibility(page)
}

export abstract class BasePage {
  constructor(readonly page: Page) {}

  async errorSummary(): Promise<string[]> {
    return this.page.locator('.govuk-error-summary__list a').allTextContents()
  }
}
