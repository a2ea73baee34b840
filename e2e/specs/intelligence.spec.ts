import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import type { Browser } from 'playwright-core'

import { fillDate, verifyOnPage } from '../pages/base-page.js'
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
  it('lets a council administrator record a nitrous oxide PSPO over two wards, shown on the public pages with its map', async () => {
    const [first, second] = server.deps.geography.wards()
    assert.ok(first && second)
    // The no-JavaScript path: the wards are chosen by checkbox.
    const staff = await newContext(browser, { javaScript: false })
    const page = await staff.newPage()
    const admin = await newStaff(server, { roles: ['administrator'] })
    await signIn(page, server.baseUrl, admin, { next: '/enforcement/pspos' })
    await verifyOnPage(page, 'Public Spaces Protection Orders')
    await page.locator('[data-qa="pspo-new"]').click()
    await verifyOnPage(page, 'Record a new order')
    await page.getByLabel('Title').fill('Nitrous oxide (e2e)')
    await page
      .getByLabel('What the order prohibits')
      .fill('Inhaling nitrous oxide for intoxication\nDiscarding canisters')
    await page.getByLabel('Signage wording').fill('Nitrous oxide use is prohibited in this area')
    await page.getByLabel('Who was consulted').fill('Metropolitan Police; MOPAC; residents')
    await page.getByLabel('Summary of the consultation').fill('Residents and police supported the order.')
    await fillDate(page, 'consultationStart', '2026-06-01')
    await fillDate(page, 'consultationEnd', '2026-07-31')
    await fillDate(page, 'madeOn', '2026-09-01')
    await fillDate(page, 'inForceFrom', '2026-09-15')
    await fillDate(page, 'expiresOn', '2029-09-02')
    await page.locator('[data-qa="pspo-save"]').click()
    await verifyOnPage(page, 'Record a new order')
    assert.deepEqual(await page.locator('.govuk-error-summary__list a').allTextContents(), [
      'Select at least one ward the order covers',
      'An order can last at most 3 years: the expiry date must be no more than 3 years after the day it was made',
    ])
    await page.getByLabel(first.name, { exact: true }).check()
    await page.getByLabel(second.name, { exact: true }).check()
    await fillDate(page, 'expiresOn', '2029-08-31')
    await page.locator('[data-qa="pspo-save"]').click()
    await verifyOnPage(page, 'Nitrous oxide (e2e)')
    const reference = ((await page.locator('.govuk-caption-l').first().textContent()) ?? '').trim()
    assert.match(reference, /^PSPO-2026-\d{3}$/)
    const orderUrl = page.url().split('?')[0] ?? ''
    for (const [kind, heading] of [
      ['vary', 'Vary the order'],
      ['extend', 'Extend the order'],
      ['discharge', 'Discharge the order'],
    ] as const) {
      await page.goto(`${orderUrl}/${kind}`)
      await verifyOnPage(page, heading)
    }
    await page.goto(`${orderUrl}/discharge`)
    await fillDate(page, 'occurredOn', '2026-08-01')
    await page.locator('[data-qa="pspo-discharge-save"]').click()
    await verifyOnPage(page, 'Discharge the order')
    assert.equal(await page.locator('.govuk-error-summary__list a').count(), 2)
    await staff.close()

    for (const javaScript of [false, true]) {
      const context = await newContext(browser, { javaScript })
      const visitor = await context.newPage()
      await visitor.goto(`${server.baseUrl}/public-spaces-protection-orders`)
      await verifyOnPage(visitor, 'Public Spaces Protection Orders')
      await visitor.getByRole('link', { name: 'Nitrous oxide (e2e)' }).click()
      await verifyOnPage(visitor, 'Nitrous oxide (e2e)')
      const named = await visitor.locator('[data-qa="public-wards"] li').allTextContents()
      assert.deepEqual(named, [first.name, second.name])
      assert.match((await visitor.locator('[data-qa="public-signage"]').textContent()) ?? '', /Nitrous oxide use/)
      if (javaScript) {
        await visitor.locator('#pspo-map .leaflet-interactive').first().waitFor({ timeout: 15_000 })
        assert.ok(await visitor.locator('[data-qa="pspo-map"]').isVisible())
        await verifyOnPage(visitor, 'Nitrous oxide (e2e)')
      } else {
        assert.equal(await visitor.locator('.safer-map__area--highlighted').count(), 2)
        assert.equal(await visitor.locator('[data-qa="pspo-map"]').isVisible(), false)
      }
      await context.close()
    }
  })
})
