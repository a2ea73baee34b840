import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'

import { testConfig } from '../../src/config.js'
import { createPdfRenderer, PdfUnavailableError } from '../../src/platform/pdf.js'

// npm test installs Chromium first (scripts/ensure-chromium.js); without it this fails, as it should.
const chromium = testConfig().chromiumPath

describe('PDF renderer', () => {
  const renderer = createPdfRenderer({ chromiumPath: chromium })
  after(() => renderer.close())

  it('prints a document with the GOV.UK stylesheet served from disk', async () => {
    const html = `<!doctype html><html lang="en"><head><title>Board paper</title>
      <link rel="stylesheet" href="/assets/govuk/govuk-frontend.min.css"></head>
      <body class="govuk-template__body"><h1 class="govuk-heading-xl">Quarterly performance</h1>
      <img src="https://example.org/tracker.png" alt=""></body></html>`
    const pdf = await renderer.render(html, { footer: 'Quarterly performance report' })
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
    assert.ok(pdf.length > 1000)
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
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
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
