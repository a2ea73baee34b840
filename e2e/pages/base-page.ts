/**
 * Page objects: `verifyOnPage` checks the heading, the GOV.UK title pattern and runs axe, failing on any violation.
 * Every page a test visits goes through it, so every page is checked for accessibility.
 */
import assert from 'node:assert/strict'

import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'

export async function checkAccessibility(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze()
  const summary = results.violations.map(
    violation =>
      `${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help}\n    ${violation.nodes
        .slice(0, 3)
        .map(node => node.target.join(' '))
        .join('\n    ')}`,
  )
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
