import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { Browser } from 'playwright-core'

import { pdfText } from '../../test/helpers/pdf-text.js'
import { verifyOnPage } from '../pages/base-page.js'
import { KpiDashboardPage, ReportPage } from '../pages/performance-pages.js'
import { newStaff, signIn } from '../pages/sign-in-page.js'
import { launchBrowser, newContext } from '../support/browser.js'
import { startServer, type RunningServer } from '../support/server.js'

describe('e2e: partnership performance', () => {
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
    const mode = `JavaScript ${javaScript ? 'on' : 'off'}`

    it(`shows the KPI table with arrows and RAG, and drills down to ward and month (${mode})`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      await signIn(page, server.baseUrl, await newStaff(server, { roles: ['officer'] }), { check: false })
      const dashboard = await KpiDashboardPage.open(page, server.baseUrl, '?asAt=2019-03-31')
      assert.deepEqual(await dashboard.cells('asb-repeat-callers'), {
        ytd: '522',
        previous: '574',
        change: '-9.06',
        direction: '▼Down: better',
        rag: 'No target',
      })
      assert.equal((await dashboard.cells('domestic-abuse-offences')).direction, '▲Up: worse')
      await dashboard.drillDown('people-trained', 'People trained (Prevent/WRAP, VAWG champions, Ask for Angela)')
      assert.equal(await page.locator('[data-qa="month-table"] tbody tr').count(), 12, 'month by month')
      assert.equal(await page.locator('[data-qa="ward-table"] tbody tr').count(), 20, 'ward by ward')
      await page.locator('[data-qa="ward-table"] tbody tr').first().getByRole('link').click()
      await verifyOnPage(page, /^Performance indicators: (?!Tower Hamlets)/)
      await context.close()
    })

    it(`renders the quarterly report and downloads it as a PDF (${mode})`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      await signIn(page, server.baseUrl, await newStaff(server, { roles: ['analyst'] }), { check: false })
      const report = await ReportPage.openFromIndex(page, server.baseUrl, '2018-q4')
      const chart = page.locator('[data-qa="report-chart-trend-people-trained"]')
      assert.match(
        (await chart.locator('svg title').textContent()) ?? '',
        /^People trained \(Prevent\/WRAP, VAWG champions, Ask for Angela\): each month, 2016\/17, 2017\/18, 2018\/19$/,
      )
      assert.equal(await chart.locator('tbody tr').count(), 12, 'the data table beside the chart')
      const pdfHref = await report.pdfHref()
      assert.equal(new URL(pdfHref, server.baseUrl).pathname, '/performance/reports/quarterly/2018-q4.pdf')
      // The download is an HTTP request, the same with JavaScript on or off: fetched once, in the first run (what the
      // PDF says is proved in src/modules/performance/report-integration.test.ts).
      if (javaScript) {
        const pdf = await page.request.get(new URL(pdfHref, server.baseUrl).toString())
        assert.equal(pdf.status(), 200)
        assert.equal(pdf.headers()['content-type'], 'application/pdf')
        assert.match(pdfText(await pdf.body()), /Quarterly performance report\s+Quarter 4 2018\/19/)
        const csv = await page.request.get(`${server.baseUrl}/performance/reports/quarterly/2018-q4/kpis.csv`)
        assert.match(await csv.text(), /asb-repeat-callers/)
      }
      await context.close()
    })

    it(`refuses an indicator without polarity with a GOV.UK error (${mode})`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      await signIn(page, server.baseUrl, await newStaff(server, { roles: ['analyst'] }), { check: false })
      await page.goto(`${server.baseUrl}/performance/indicators/new`)
      await verifyOnPage(page, 'Add an indicator')
      await page.getByLabel('Name of the indicator').fill('Graffiti removed within 48 hours')
      await page.getByLabel('CSP priority').selectOption('asb-drugs-alcohol')
      await page.getByLabel('Count').check()
      await page.getByRole('button', { name: 'Save indicator' }).click()
      await verifyOnPage(page, 'Add an indicator')
      assert.deepEqual(await page.locator('.govuk-error-summary__list a').allTextContents(), [
        'Select whether a rise is good or bad for this indicator: without it there is no direction of travel',
      ])
      assert.equal(await page.getByLabel('Name of the indicator').inputValue(), 'Graffiti removed within 48 hours')
      await page.goto(`${server.baseUrl}/performance/survey-import`)
      await verifyOnPage(page, 'Import resident survey results')
      await context.close()
    })

    it(`shows the public figures without signing in (${mode})`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      await page.goto(`${server.baseUrl}/community-safety-in-figures`)
      await verifyOnPage(page, 'Community safety in figures')
      assert.ok(await page.locator('[data-qa="public-kpi-row-asb-repeat-callers"]').count())
      await context.close()
    })
  }
})
