import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { Browser } from 'playwright-core'
import sharp from 'sharp'

import { jpegWithGps } from '../../test/helpers/evidence-fixtures.js'
import { checkAccessibility } from '../pages/base-page.js'
import { ReportJourney } from '../pages/report-journey.js'
import { newStaff, signIn } from '../pages/sign-in-page.js'
import { launchBrowser, newContext } from '../support/browser.js'
import { startServer, type RunningServer } from '../support/server.js'

describe('e2e: a resident reports anti-social behaviour', () => {
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
    it(`reports by postcode and tracks the report, every page checked with axe, JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      const journey = new ReportJourney(page, server.baseUrl, true)
      const { reference, trackingUrl } = await journey.report({
        category: 'noise_music',
        postcode: 'e1 0aa',
        place: 'Flat above the launderette <b>bold</b>',
        description: 'Loud music every night <script>alert(1)</script>',
        mode: 'confidential',
      })
      assert.match(reference, /^ASB-/)
      await page.goto(server.baseUrl + trackingUrl)
      await checkAccessibility(page)
      const body = (await page.locator('main').textContent()) ?? ''
      assert.match(body, new RegExp(reference))
      assert.match(body, /Received/i)
      assert.equal(await page.locator('main script').count(), 0, 'free text is escaped, never run')
      // What was reported, with the code: the type, the postcode sector (not the postcode), when, their own words.
      const reported = (await page.locator('[data-qa="reported"]').textContent()) ?? ''
      assert.match(reported, /Loud music, TV or parties/)
      assert.match(reported, /near postcode E1 0, in /)
      assert.doesNotMatch(reported, /E1 0AA/)
      assert.match(reported, /at 11:00\s?pm/)
      assert.match(reported, /Loud music every night <script>alert\(1\)<\/script>/)
      // The council's footer, not the Crown's.
      assert.match(
        (await page.locator('[data-qa="footer-council"]').textContent()) ?? '',
        /London Borough of Tower Hamlets/,
      )
      assert.equal(await page.locator('.govuk-footer__crown, .govuk-footer__copyright-logo').count(), 0)

      // Report it again: only when and what happened are asked; the rest comes from the earlier report.
      await Promise.all([page.waitForURL(/\/report\/when$/), page.locator('[data-qa="report-again"]').click()])
      await checkAccessibility(page)
      assert.equal(await page.locator('input[name="pattern"][value="ongoing"]').isChecked(), true)
      const today = new Date()
      await page.locator('input[name="occurredDay"]').fill(String(today.getDate()))
      await page.locator('input[name="occurredMonth"]').fill(String(today.getMonth() + 1))
      await page.locator('input[name="occurredYear"]').fill(String(today.getFullYear()))
      await page.locator('input[name="occurredTime"]').fill('25:00')
      const [badTime] = await Promise.all([
        page.waitForResponse(r => r.request().method() === 'POST'),
        page.locator('[data-qa="continue"]').click(),
      ])
      assert.equal(badTime.status(), 400)
      assert.match((await page.locator('.govuk-error-summary').textContent()) ?? '', /Enter a real time/)
      await checkAccessibility(page)
      await page.locator('input[name="occurredTime"]').fill('11.30 pm')
      await Promise.all([page.waitForURL(/\/report\/description$/), page.locator('[data-qa="continue"]').click()])
      await page.locator('[name="description"]').fill('Still loud every night.')
      await Promise.all([page.waitForURL(/\/report\/(similar|check)$/), page.locator('[data-qa="continue"]').click()])
      if (page.url().endsWith('/report/similar')) {
        await checkAccessibility(page)
        await Promise.all([page.waitForURL(/\/report\/check$/), page.locator('[data-qa="not-these"]').click()])
      }
      await checkAccessibility(page)
      assert.match((await page.locator('[data-qa="linked-reference"]').textContent()) ?? '', new RegExp(reference))
      const answers = (await page.locator('[data-qa="check-answers"]').textContent()) ?? ''
      assert.match(answers, /Test Resident/)
      assert.match(answers, /11:30\s?pm/)
      await page.locator('[data-qa="submit-report"]').click()
      assert.match(((await page.locator('[data-qa="reference"]').textContent()) ?? '').trim(), /^ASB-/)
      await context.close()
    })
  }

  it('reports without a map or postcode: ward and a description, JavaScript off', async () => {
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    const journey = new ReportJourney(page, server.baseUrl, true)
    const { reference } = await journey.report({
      category: 'graffiti',
      wardCode: 'E05009319',
      place: 'Underpass by the canal',
      description: 'Graffiti on the underpass walls.',
      mode: 'anonymous',
    })
    assert.match(reference, /^ASB-/)
    await context.close()
  })

  for (const javaScript of [true, false]) {
    it(`attaches a photo without its GPS position, and staff open it, JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      const journey = new ReportJourney(page, server.baseUrl, true)
      const { reference } = await journey.report({
        category: 'graffiti',
        postcode: 'E1 0AA',
        place: 'Railway bridge',
        description: 'Tags sprayed overnight on the bridge.',
        mode: 'anonymous',
        evidence: [{ name: 'bridge.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps() }],
      })
      // The demo's allocation rules give graffiti to the council's enforcement team: only they see it (ADR 0019).
      const officer = await newStaff(server, { roles: ['officer'], partnerCode: 'council', teamCode: 'enforcement' })
      await signIn(page, server.baseUrl, officer, { next: `/staff/reports/${reference}`, check: false })
      await checkAccessibility(page)
      const link = page.locator('[data-qa="staff-evidence"] a')
      assert.match((await link.textContent()) ?? '', /bridge\.jpg/)
      const href = (await link.getAttribute('href')) ?? ''
      const file = await page.request.get(server.baseUrl + href)
      assert.equal(file.status(), 200)
      assert.equal(file.headers()['content-type'], 'image/jpeg')
      assert.equal((await sharp(await file.body()).metadata()).exif, undefined, 'no EXIF, so no GPS position')
      await context.close()
    })
  }

  it('shows a GOV.UK error for a file that is not a photo or recording, and keeps the answers', async () => {
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    await page.goto(server.baseUrl + '/report/triage')
    await page.locator('input[name="triage"][value="asb"]').check()
    await page.locator('[data-qa="continue"]').click()
    await page.locator('input[name="category"][value="fly_tipping"]').check()
    await page.locator('[data-qa="continue"]').click()
    await page.locator('input[name="postcode"]').fill('E1 0AA')
    await page.locator('[data-qa="continue"]').click()
    await page.goto(server.baseUrl + '/report/evidence')
    await page.locator('input[name="evidence"]').setInputFiles({
      name: 'photo.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('%PDF-1.7 this is a document'),
    })
    const [response] = await Promise.all([
      page.waitForResponse(r => r.request().method() === 'POST'),
      page.locator('[data-qa="upload-evidence"]').click(),
    ])
    assert.equal(response.status(), 400)
    assert.match(
      (await page.locator('.govuk-error-summary').textContent()) ?? '',
      /must be a JPG, PNG or WebP photo, or an MP3, M4A or WAV recording/,
    )
    await checkAccessibility(page)
    await page.goto(server.baseUrl + '/report/what')
    assert.equal(await page.locator('input[name="category"][value="fly_tipping"]').isChecked(), true)
    await context.close()
  })

  it('shows a clear error summary for a missing answer and keeps what was typed', async () => {
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    await page.goto(server.baseUrl + '/report/triage')
    await page.locator('input[name="triage"][value="asb"]').check()
    await page.locator('[data-qa="continue"]').click()
    await page.locator('input[name="category"][value="noise_music"]').check()
    await page.locator('[data-qa="continue"]').click()
    // A postcode the borough does not know: the error, and the way to the council it may belong to.
    await page.locator('input[name="postcode"]').fill('SW1A 1AA')
    const [unknown] = await Promise.all([
      page.waitForResponse(r => r.request().method() === 'POST'),
      page.locator('[data-qa="continue"]').click(),
    ])
    assert.equal(unknown.status(), 400)
    assert.equal(
      await page.locator('[data-qa="other-council"] a').getAttribute('href'),
      'https://www.gov.uk/find-local-council',
    )
    await checkAccessibility(page)
    await page.locator('input[name="postcode"]').fill('')
    await page.locator('[name="locationDescription"]').fill('Kept text')
    const response = await Promise.all([
      page.waitForResponse(r => r.request().method() === 'POST'),
      page.locator('[data-qa="continue"]').click(),
    ])
    assert.equal(response[0].status(), 400)
    assert.ok((await page.locator('.govuk-error-summary').count()) > 0)
    assert.equal(await page.locator('[name="locationDescription"]').inputValue(), 'Kept text')
    await checkAccessibility(page)
    await context.close()
  })
})
