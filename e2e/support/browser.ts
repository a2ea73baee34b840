/**
 * Debian's Chromium driven by playwright-core, with the flags our closed network needs.
 */
import { chromium, type Browser, type BrowserContext } from 'playwright-core'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
}

/** Contexts with JavaScript off: axe cannot run inside them (see checkAccessibility). */
export const noScriptContexts = new WeakSet<BrowserContext>()

export async function newContext(browser: Browser, options: { javaScript: boolean }): Promise<BrowserContext> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript,
    timezoneId: 'Europe/London',
    locale: 'en-GB',
    viewport: { width: 1024, height: 900 },
  })
  // A step that cannot happen fails with a message instead of waiting for ever.
  context.setDefaultTimeout(20_000)
  context.setDefaultNavigationTimeout(30_000)
  if (!options.javaScript) noScriptContexts.add(context)
  return context
}
