import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { chromium as playwrightChromium } from 'playwright-core'

import { testConfig } from '../../src/config.js'
import { createPdfRenderer, PdfUnavailableError } from '../../src/platform/pdf.js'
import { pdfText } from '../helpers/pdf-text.js'

// npm test installs Chromium first (scripts/ensure-chromium.js); without it this fails, as it should.
const chromium = testConfig().chromiumPath

/** Text with runs of white space (line and text-object breaks) made single spaces. */
const flat = (pdf: Buffer): string => pdfText(pdf).replace(/\s+/g, ' ')

describe('PDF renderer', () => {
  const renderer = createPdfRenderer({ chromiumPath: chromium })
  after(() => renderer.close())

  it('prints the document text and the footer, with the GOV.UK stylesheet served from disk', async () => {
    // govuk-!-display-none hides its paragraph only if the stylesheet really loaded.
    const html = `<!doctype html><html lang="en"><head><title>Board paper</title>
      <link rel="stylesheet" href="/assets/govuk/govuk-frontend.min.css"></head>
      <body class="govuk-template__body"><h1 class="govuk-heading-xl">Quarterly performance</h1>
      <p class="govuk-body">Repeat callers fell to 522 in Q4 2018–19 (£1,200 spent).</p>
      <p class="govuk-body govuk-!-display-none">Shown only without the stylesheet</p></body></html>`
    const text = flat(await renderer.render(html, { footer: 'Board <paper> & "Q4"' }))
    assert.match(text, /^Quarterly performance Repeat callers fell to 522 in Q4 2018–19 \(£1,200 spent\)\./)
    assert.ok(!text.includes('Shown only without the stylesheet'), text)
    // The footer is escaped into Chromium's template: printed as written, not taken for markup.
    assert.match(text, /Board <paper> & "Q4" Page 1 of 1$/)
  })
})

describe('PDF renderer off-site requests', () => {
  // A server on another port that counts what reaches it: the "off-site" a document might try to fetch from.
  let requests: string[] = []
  let server: http.Server
  let offSite = ''
  let page = ''
  // Chromium already refuses requests from a public origin (the renderer's made-up one) to a loopback address (Local
  // Network Access), which would hide a renderer that let requests through. This wrapper turns that check off, so the
  // only thing between the document and the counting server is the renderer's own request blocking.
  let folder = ''
  let unguardedChromium = ''
  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-pdf-'))
    unguardedChromium = path.join(folder, 'chromium')
    fs.writeFileSync(
      unguardedChromium,
      `#!/bin/sh
found=
for arg do
  shift
  case "$arg" in --disable-features=*) arg="$arg,LocalNetworkAccessChecks"; found=1 ;; esac
  set -- "$@" "$arg"
done
[ -n "$found" ] || set -- "$@" --disable-features=LocalNetworkAccessChecks
exec '${chromium}' "$@"
`,
      { mode: 0o755 },
    )
    server = http.createServer((request, response) => {
      requests.push(request.url ?? '')
      const css = request.url?.endsWith('.css') ?? false
      response.writeHead(200, { 'content-type': css ? 'text/css' : 'text/html' })
      response.end(css ? 'body { color: black }' : '<p>tracked</p>')
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    offSite = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
    page = `<!doctype html><html lang="en"><head><title>Pack</title>
      <link rel="stylesheet" href="${offSite}/linked.css">
      <style>@import url("${offSite}/imported.css"); h1 { background: url("${offSite}/background.png") }</style>
      </head><body><h1>Tasking pack</h1><img src="${offSite}/tracker.png" alt="">
      <iframe src="${offSite}/frame.html" title="frame"></iframe><object data="${offSite}/object.html"></object>
      <script src="${offSite}/script.js"></script><p>Section one</p></body></html>`
  })
  after(async () => {
    await new Promise<void>(resolve => server.close(() => resolve()))
    fs.rmSync(folder, { recursive: true, force: true })
  })

  it('reaches the counting server when a page from the same made-up origin is not blocked (so the count can fail)', async () => {
    requests = []
    const browser = await playwrightChromium.launch({ executablePath: unguardedChromium, args: ['--headless'] })
    try {
      const context = await browser.newContext({ javaScriptEnabled: false })
      const unguarded = await context.newPage()
      await unguarded.route('**/*', route =>
        route.request().url().startsWith(offSite)
          ? route.continue()
          : route.fulfill({ status: 200, contentType: 'text/html', body: page }),
      )
      await unguarded.goto('http://safer.pdf.invalid/', { waitUntil: 'load' })
      assert.ok(requests.includes('/tracker.png'), `requests seen: ${requests.join(', ')}`)
      assert.ok(requests.includes('/linked.css'))
    } finally {
      await browser.close()
    }
  })

  it('prints a page that references another origin without a single request reaching it', async () => {
    requests = []
    const renderer = createPdfRenderer({ chromiumPath: unguardedChromium })
    let pdf: Buffer
    try {
      pdf = await renderer.render(page, { footer: 'Tasking pack' })
    } finally {
      await renderer.close()
    }
    assert.deepEqual(requests, [])
    const text = flat(pdf)
    assert.match(text, /^Tasking pack Section one/)
    assert.ok(!text.includes('tracked'), text)
  })
})

describe('PDF renderer stopping', () => {
  it('lets a render in flight finish before Chromium stops, and refuses new ones', async () => {
    const renderer = createPdfRenderer({ chromiumPath: chromium })
    const order: string[] = []
    const rendering = renderer.render('<!doctype html><title>Pack</title><h1>Tasking pack</h1>').then(pdf => {
      order.push('rendered')
      return pdf
    })
    const closing = renderer.close().then(() => order.push('closed'))
    await assert.rejects(renderer.render('<p>too late</p>'), (error: unknown) => {
      assert.ok(error instanceof PdfUnavailableError)
      assert.equal(error.reason, 'stopping')
      return true
    })
    const pdf = await rendering
    await closing
    assert.match(flat(pdf), /^Tasking pack /)
    assert.deepEqual(order, ['rendered', 'closed'])
    await renderer.close()
  })
})

describe('PDF renderer without Chromium', () => {
  it('says what to install', async () => {
    const renderer = createPdfRenderer({ chromiumPath: '/nonexistent/chromium' })
    await assert.rejects(renderer.render('<p>x</p>'), (error: unknown) => {
      assert.ok(error instanceof PdfUnavailableError)
      assert.match(error.message, /apt-get install chromium/)
      return true
    })
    await renderer.close()
  })
})
