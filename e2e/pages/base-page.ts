/**
 * Page objects: `verifyOnPage` checks the heading, the GOV.UK title pattern and runs axe, failing on any violation.
 * Every page a test visits goes through it, so every page is checked for accessibility: axe runs on each distinct
 * page shape (template and state, see `shapeOf`) once per test file, with JavaScript on and off.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import { AxeBuilder } from '@axe-core/playwright'
import type { Browser, Page } from 'playwright-core'

import { noScriptContexts } from '../support/browser.js'

/**
 * axe runs as a script in the page, which a context with JavaScript off will not run (the call waits for ever).
 * For those pages we check the very DOM the person saw: the served HTML, scripts removed, loaded into a
 * JavaScript-enabled page on the same origin so styles and relative links resolve. One such page per browser and
 * origin serves every check of a test file.
 */
const axePages = new WeakMap<Browser, Promise<Page>>()

async function noScriptAxePage(page: Page): Promise<Page> {
  const browser = page.context().browser()
  if (!browser) throw new Error('no browser for the axe check')
  let target = axePages.get(browser)
  if (!target) {
    target = (async () => {
      const context = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() ?? undefined })
      const created = await context.newPage()
      await created.route('**/*', route =>
        route.request().resourceType() === 'script' ? route.abort() : route.continue(),
      )
      return created
    })()
    axePages.set(browser, target)
  }
  const axePage = await target
  const ping = new URL('/ping', page.url()).toString()
  if (new URL(axePage.url()).origin !== new URL(ping).origin) await axePage.goto(ping)
  return axePage
}

async function pageForAxe(page: Page): Promise<Page> {
  if (!noScriptContexts.has(page.context())) return page
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '')
  const target = await noScriptAxePage(page)
  await target.setContent(html, { waitUntil: 'load' })
  return target
}

/**
 * What axe's verdict on a page depends on, without the words: the set of distinct elements by tag, classes,
 * attribute names and the values of the attributes axe reads (role, type, autocomplete, scope, lang, tabindex,
 * aria-hidden), whether a link, button, heading, label or legend is empty, whether any id is repeated, and the
 * document's language and title. A visit whose page has the same shape, at the same route, in the same JavaScript
 * mode as one already checked in this test file is the same template in the same state: axe would say the same.
 * Any new element, class, attribute, empty name or duplicate id makes it a new shape, and it is checked.
 */
async function shapeOf(target: Page, visited: Page): Promise<string> {
  const shape = await target.evaluate(() => {
    const read = ['role', 'type', 'autocomplete', 'scope', 'lang', 'tabindex', 'aria-hidden']
    const named = new Set(['A', 'BUTTON', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LABEL', 'LEGEND', 'TH', 'SUMMARY'])
    const signatures = new Set<string>()
    const ids = new Set<string>()
    let duplicateId = false
    for (const element of Array.from(document.querySelectorAll('body *'))) {
      if (element.id) {
        if (ids.has(element.id)) duplicateId = true
        ids.add(element.id)
      }
      const names = element.getAttributeNames().sort()
      const values = read.map(name => element.getAttribute(name) ?? '').join(',')
      const empty = named.has(element.tagName) && (element.textContent ?? '').trim() === '' ? ' empty' : ''
      signatures.add(
        `${element.tagName}.${[...element.classList].sort().join('.')}[${names.join(',')}|${values}]${empty}`,
      )
    }
    const head = `${document.documentElement.lang}|${document.title.trim() === '' ? 'untitled' : 'titled'}|${String(duplicateId)}`
    return `${head}\n${[...signatures].sort().join('\n')}`
  })
  // The route, with the parts that name a record (numbers, ids, references) made generic.
  const route = new URL(visited.url()).pathname
    .split('/')
    .map(part => (/\d/.test(part) ? ':id' : part))
    .join('/')
  const javaScript = noScriptContexts.has(visited.context()) ? 'off' : 'on'
  return `${javaScript} ${route}\n${shape}`
}

const checkedShapes = new Set<string>()

/**
 * Shapes that passed in another file of this run: `scripts/run-tests.js` names a folder for the run
 * (SAFER_E2E_AXE_DIR), and each file writes there the digest of every shape axe passed, so the sign-in pages, the
 * staff home and the other pages every journey crosses are checked once per run, not once per file.
 */
const sharedShapes = process.env.SAFER_E2E_AXE_DIR
const shapeFile = (shape: string) =>
  sharedShapes ? path.join(sharedShapes, createHash('sha256').update(shape).digest('hex')) : undefined

export async function checkAccessibility(page: Page): Promise<void> {
  const target = await pageForAxe(page)
  const shape = await shapeOf(target, page)
  if (checkedShapes.has(shape)) return
  const passedElsewhere = shapeFile(shape)
  if (passedElsewhere && fs.existsSync(passedElsewhere)) {
    checkedShapes.add(shape)
    return
  }
  const axeStarted = performance.now()
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
  assert.deepEqual(summary, [], `axe found violations on ${page.url()}:\n${summary.join('\n')}`)
  if (process.env.SAFER_AXE_TRACE)
    process.stderr.write(`axe ${(performance.now() - axeStarted).toFixed(0)} ms ${shape.split('\n')[0] ?? ''}\n`)
  checkedShapes.add(shape)
  if (passedElsewhere) fs.writeFileSync(passedElsewhere, '')
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

/** Fills a GOV.UK date input (`<prefix>-day`, `-month`, `-year`) with an ISO date, as a person types it. */
export async function fillDate(page: Page, prefix: string, iso: string): Promise<void> {
  const [year = '', month = '', day = ''] = iso.split('-')
  await page.locator(`input[name="${prefix}-day"]`).fill(String(Number(day)))
  await page.locator(`input[name="${prefix}-month"]`).fill(String(Number(month)))
  await page.locator(`input[name="${prefix}-year"]`).fill(year)
}
