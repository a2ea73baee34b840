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
