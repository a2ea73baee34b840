/**
 * PDF from HTML: a complete HTML document (the same page a browser shows, with print styles) printed by headless
 * Chromium through playwright-core. The document is loaded from a string; requests for `/assets/...` are answered
 * from the same folders the server serves them from, and every other request is refused, so a report can never
 * fetch anything from the network. One browser is started on first use and reused; `close()` refuses new renders
 * (PdfUnavailableError, answered 503), waits for those in flight (up to 20 s) and then stops it.
 * See docs/adr/0008-pdf-from-html-in-headless-chromium.md.
 */
import fs from 'node:fs/promises'
import path from 'node:path'

import type { Browser } from 'playwright-core'

import { projectRoot, type Config } from '../config.js'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** URL prefixes under /assets/ and the folders they come from (as registered in app.ts). */
const ASSET_ROOTS: [string, string][] = [
  ['/assets/govuk/', 'node_modules/govuk-frontend/dist/govuk'],
  ['/assets/leaflet/', 'node_modules/leaflet/dist'],
  ['/assets/app/', 'src/assets'],
  ['/assets/', 'node_modules/govuk-frontend/dist/govuk/assets'],
]

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ico': 'image/x-icon',
}

const ORIGIN = 'http://safer.pdf.invalid'

export class PdfUnavailableError extends Error {
  constructor(
    message: string,
    options?: ErrorOptions,
    /** not-installed: Chromium is missing (an administrator's job); stopping: the server is shutting down. */
    readonly reason: 'not-installed' | 'stopping' = 'not-installed',
  ) {
    super(message, options)
    this.name = 'PdfUnavailableError'
  }
}

/** How long `close()` waits for renders in flight before it stops Chromium anyway. */
export const PDF_CLOSE_GRACE_MS = 20_000

export interface PdfOptions {
  /** Page orientation; portrait by default. */
  landscape?: boolean
  /** Text in the page footer beside the page number (for example the report's title and date). */
  footer?: string
}

function assetPath(pathname: string): string | undefined {
  for (const [prefix, folder] of ASSET_ROOTS) {
    if (!pathname.startsWith(prefix)) continue
    const root = path.join(projectRoot, folder)
    const file = path.normalize(path.join(root, decodeURIComponent(pathname.slice(prefix.length))))
    return file.startsWith(root + path.sep) ? file : undefined
  }
  return undefined
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${String(c.charCodeAt(0))};`)
}

export function createPdfRenderer(config: Pick<Config, 'chromiumPath'>) {
  let browser: Promise<Browser> | undefined
  const inFlight = new Set<Promise<unknown>>()
  let closing: Promise<void> | undefined

  async function launch(): Promise<Browser> {
    try {
      await fs.access(config.chromiumPath)
    } catch (error) {
      throw new PdfUnavailableError(
        `Chromium is not installed at ${config.chromiumPath}; install it (apt-get install chromium) or set CHROMIUM_PATH.`,
        { cause: error },
      )
    }
    // Loaded on the first PDF: playwright-core costs half a second of CPU to import, in every process that starts
    // the application (each test file, each `safer` command), and most never print a PDF.
    const { chromium } = await import('playwright-core')
    return chromium.launch({ executablePath: config.chromiumPath, args: CHROMIUM_ARGS })
  }

  async function getBrowser(): Promise<Browser> {
    browser ??= launch()
    try {
      const current = await browser
      if (current.isConnected()) return current
    } catch (error) {
      browser = undefined
      throw error
    }
    browser = launch()
    return browser
  }

  return {
    /** Prints a complete HTML document to an A4 PDF; refused once `close()` has begun. */
    async render(html: string, options: PdfOptions = {}): Promise<Buffer> {
      if (closing)
        throw new PdfUnavailableError('The server is stopping: PDF printing is refused.', undefined, 'stopping')
      const task = print(html, options)
      inFlight.add(task)
      try {
        return await task
      } finally {
        inFlight.delete(task)
      }
    },

    /** Refuses new renders, waits for those in flight (at most `graceMs`), then stops Chromium. Idempotent. */
    close(graceMs: number = PDF_CLOSE_GRACE_MS): Promise<void> {
      closing ??= (async () => {
        if (inFlight.size > 0) {
          let timer: NodeJS.Timeout | undefined
          await Promise.race([
            Promise.allSettled([...inFlight]),
            new Promise(resolve => (timer = setTimeout(resolve, graceMs))),
          ])
          clearTimeout(timer)
        }
        if (!browser) return
        const current = browser
        browser = undefined
        try {
          await (await current).close()
        } catch {
          // A browser that failed to start has nothing to close.
        }
      })()
      return closing
    },
  }

  async function print(html: string, options: PdfOptions): Promise<Buffer> {
    const context = await (await getBrowser()).newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      await page.route('**/*', async route => {
        const url = new URL(route.request().url())
        if (url.origin === ORIGIN && url.pathname === '/') {
          await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
          return
        }
        const file = url.origin === ORIGIN ? assetPath(url.pathname) : undefined
        if (!file) {
          await route.abort('blockedbyclient')
          return
        }
        try {
          const body = await fs.readFile(file)
          await route.fulfill({
            status: 200,
            body,
            contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
          })
        } catch {
          await route.fulfill({ status: 404, body: '' })
        }
      })
      await page.goto(`${ORIGIN}/`, { waitUntil: 'load' })
      await page.emulateMedia({ media: 'print' })
      return await page.pdf({
        format: 'A4',
        landscape: options.landscape ?? false,
        printBackground: true,
        margin: { top: '18mm', bottom: '18mm', left: '15mm', right: '15mm' },
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: `<div style="font-family: Arial, sans-serif; font-size: 8px; width: 100%; padding: 0 15mm; display: flex; justify-content: space-between;"><span>${escapeHtml(options.footer ?? '')}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
      })
    } finally {
      await context.close()
    }
  }
}

export type PdfRenderer = ReturnType<typeof createPdfRenderer>
