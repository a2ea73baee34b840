import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import type { Browser } from 'playwright-core'

import { verifyOnPage } from '../pages/base-page.js'
import { newStaff, signIn } from '../pages/sign-in-page.js'
import { launchBrowser, newContext } from '../support/browser.js'
import { startServer, type RunningServer } from '../support/server.js'

const fixtures = path.resolve(import.meta.dirname, '../../src/modules/intelligence/fixtures')

describe('e2e: crime and ASB intelligence', () => {
  let server: RunningServer
  let browser: Browser
  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    await server.deps.intelligenceImports.importPoliceStreet([path.join(fixtures, 'street')])
    await server.deps.intelligenceImports.importStopSearch([
      path.resolve(
        import.meta.dirname,
        '../../reference-data/tower-hamlets/police/2022-09-metropolitan-stop-and-search_tower-hamlets-subset.csv',
      ),
    ])
  })
  after(async () => {
    await browser.close()
    await server.close()
  })

  for (const javaScript of [true, false]) {
    const mode = `JavaScript ${javaScript ? 'on' : 'off'}`

    it(`shows the hotspot map and the ranked table (${mode})`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      await page.goto(`${server.baseUrl}/intelligence/hotspots`)
      await verifyOnPage(page, 'Crime and anti-social behaviour hotspots')
      assert.ok((await page.locator('[data-qa="hotspot-places"] tbody tr').count()) > 0, 'the ranked table')
      // The demo's police data keeps its real dates: the page opens on the latest 12 months with data and says so.
      assert.match(
        (await page.locator('[data-qa="hotspot-period"]').textContent()) ?? '',
        /latest 12 months that have police data, 2015-09 to 2016-08/,
      )
      if (javaScript) {
        await page.locator('#hotspot-map .leaflet-interactive').first().waitFor({ timeout: 15_000 })
        assert.ok(await page.locator('[data-qa="hotspot-map"]').isVisible())
        const layers = await page.locator('.leaflet-control-layers-overlays label').allTextContents()
        assert.ok(layers.some(text => text.includes('Wards')))
        assert.ok(layers.some(text => text.includes('Neighbourhoods (LSOAs)')))
        assert.ok(layers.some(text => text.includes('Police.uk crimes')))
        assert.ok(!layers.some(text => text.includes('Safer reports')), 'no reports layer for the public')
      } else {
        assert.equal(await page.locator('[data-qa="hotspot-map"]').isVisible(), false, 'no empty map without JS')
      }
      await context.close()
    })

    it(`lets an analyst upload police data and see the summary (${mode})`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      const analyst = await newStaff(server, { roles: ['analyst'] })
      await signIn(page, server.baseUrl, analyst, { next: '/intelligence/import' })
      await verifyOnPage(page, 'Import police data')
      await page.getByRole('button', { name: 'Import' }).click()
      await verifyOnPage(page, 'Import police data')
      assert.deepEqual(await page.locator('.govuk-error-summary__list a').allTextContents(), [
        'Choose the kind of file',
        'Choose a CSV file to upload',
      ])
      await page.getByLabel(/street-level crime/).check()
      await page
        .getByLabel('CSV file')
        .setInputFiles(path.join(fixtures, 'street-replacement', '2016-03-city-of-london-street.csv'))
      await page.getByRole('button', { name: 'Import' }).click()
      await verifyOnPage(page, 'Import police data')
      assert.match((await page.locator('[data-qa="import-summary"]').textContent()) ?? '', /2016-03/)
      await context.close()
    })

    it(`shows the weekly tasking pack and records a decision, and when reports happen (${mode})`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      const officer = await newStaff(server, { roles: ['officer'] })
      await signIn(page, server.baseUrl, officer, { next: '/intelligence/tasking' })
      await verifyOnPage(page, 'Weekly tasking pack')
      // Casework supplies its sections (repeat victims, high-risk cases, overdue actions) in every running Safer.
      assert.equal(await page.locator('[data-qa="tasking-no-provider"]').count(), 0)
      assert.ok(await page.getByRole('heading', { name: 'Repeat victims' }).count())
      if (javaScript) {
        await page.goto(`${server.baseUrl}/intelligence/hotspots`)
        await page.locator('.leaflet-control-layers-overlays').waitFor({ timeout: 15_000 })
        const layers = await page.locator('.leaflet-control-layers-overlays label').allTextContents()
        assert.ok(
          layers.some(text => text.includes('Safer reports')),
          'the reports layer for staff',
        )
        await page.goto(`${server.baseUrl}/intelligence/tasking`)
      }
      const decision = `Patrol Brick Lane (${mode})`
      await page.getByLabel('Decision', { exact: true }).fill(decision)
      await page.getByLabel('Owner').fill('NET Team')
      await page.getByLabel('Due date').fill('2099-01-31')
      await page.getByRole('button', { name: 'Record decision' }).click()
      await verifyOnPage(page, 'Weekly tasking pack')
      assert.match((await page.locator('[data-qa="tasking-decisions"]').textContent()) ?? '', /Patrol Brick Lane/)
      // Carried out today: marked done, and the table says so.
      const option = page.getByLabel('Decision carried out').locator('option', { hasText: decision })
      await page.getByLabel('Decision carried out').selectOption((await option.getAttribute('value')) ?? '')
      await page.getByRole('button', { name: 'Mark as done' }).click()
      await verifyOnPage(page, 'Weekly tasking pack')
      const row = page.locator('[data-qa="tasking-decisions"] tr', { hasText: decision })
      assert.match((await row.textContent()) ?? '', /Done on \d{1,2} \w+ \d{4}/)

      await page.goto(`${server.baseUrl}/intelligence/when`)
      await verifyOnPage(page, 'When reports happen')
      assert.ok(await page.locator('[data-qa="when-heat"]').isVisible())
      assert.ok(await page.locator('[data-qa="when-heat-table"]').count())

      await page.getByRole('link', { name: 'Stop and search' }).click()
      await verifyOnPage(page, 'Stop and search scrutiny')
      assert.match((await page.locator('[data-qa="stop-search-summary"]').textContent()) ?? '', /^661 searches/)
      assert.equal(await page.locator('[data-qa="stop-search-wards"] tbody tr').count(), 20)
      await context.close()
    })
  }
})
