/**
 * Casework in real Chromium, JavaScript on and off, every page checked with axe: an officer signs in with two
 * factors, triages a seeded report into a case, adds a party and a task, closes the case, and the resident's
 * tracking page shows the honest outcome. A police user sees only what was shared with the police.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { Browser } from 'playwright-core'

import { systemActor } from '../../src/platform/audit.js'
import { verifyOnPage } from '../pages/base-page.js'
import { newStaff, signIn } from '../pages/sign-in-page.js'
import { launchBrowser, newContext } from '../support/browser.js'
import { startServer, type RunningServer } from '../support/server.js'

describe('e2e: officer casework', () => {
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

  /** A report as a resident would have made it, so the test knows its tracking code. */
  async function seededReport() {
    const today = new Date().toISOString().slice(0, 10)
    const result = await server.deps.reporting.intake.submit(
      {
        channel: 'web',
        category: 'noise_music',
        location: { postcode: 'E1 0AA' },
        occurredOn: today,
        pattern: 'ongoing',
        frequency: 'daily',
        description: 'Loud music from the flat above every night until 3am',
        impact: {
          reporterRole: 'victim',
          howOften: 'regularly',
          unsafeAtHome: 'yes',
          healthAffected: 'yes',
          targeted: 'no',
          characteristics: [],
        },
        reporter: {
          mode: 'named',
          name: 'Ada Resident',
          email: 'ada@example.org',
          contactPreference: 'email',
          consentToShare: true,
        },
      },
      systemActor,
    )
    return { reference: result.report.reference, trackingCode: result.trackingCode ?? '' }
  }

  for (const javaScript of [true, false]) {
    it(`triages a report into a case, works it and closes it; the resident sees the outcome (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const { reference, trackingCode } = await seededReport()
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      const officer = await newStaff(server, {
        roles: ['officer'],
        partnerCode: 'council',
        teamCode: 'asb-investigations',
        name: 'Olive Officer',
      })
      await signIn(page, server.baseUrl, officer)
      assert.match(new URL(page.url()).pathname, /^\/staff$/)
      await verifyOnPage(page, 'Hello, Olive Officer')

      await page.goto(`${server.baseUrl}/staff/triage`)
      await verifyOnPage(page, 'Triage queue')
      await page.getByRole('link', { name: reference }).click()
      await verifyOnPage(page, reference)
      await page.getByLabel('Title', { exact: true }).fill('Music from the flat above')
      await page
        .getByLabel('Team', { exact: true })
        .selectOption({ label: 'London Borough of Tower Hamlets: ASB Investigations Team' })
      await page.getByRole('button', { name: 'Open a case' }).click()
      await page.waitForURL(/\/cases\/ASB-\d{2}-\d{5}$/)
      await verifyOnPage(page, 'Music from the flat above')
      const casePath = new URL(page.url()).pathname

      await page.getByRole('link', { name: 'Add a party' }).click()
      await verifyOnPage(page, 'Add a party')
      await page.getByRole('button', { name: 'Add party' }).click()
      await verifyOnPage(page, 'Add a party')
      assert.ok(
        (await page.locator('.govuk-error-summary__list a').allTextContents()).includes("Select the party's role"),
      )
      await page.getByLabel('Alleged perpetrator').check()
      await page.getByLabel('Person', { exact: true }).check()
      await page.getByLabel('Name or description').fill('Sam Loud')
      await page.getByLabel('Postcode').fill('E1 0AA')
      await page.getByRole('button', { name: 'Add party' }).click()
      await page.waitForURL(new RegExp(casePath))
      await verifyOnPage(page, 'Music from the flat above')
      assert.match((await page.locator('[data-qa="parties"]').textContent()) ?? '', /Sam Loud/)

      await page.getByRole('link', { name: 'Add or update tasks' }).click()
      await verifyOnPage(page, 'Tasks')
      await page.getByLabel('Task', { exact: true }).fill('Visit the victim')
      const due = new Date(Date.now() + 3 * 86_400_000)
      await page.getByLabel('Day').fill(String(due.getUTCDate()))
      await page.getByLabel('Month').fill(String(due.getUTCMonth() + 1))
      await page.getByLabel('Year').fill(String(due.getUTCFullYear()))
      await page.getByRole('button', { name: 'Add a task' }).click()
      await page.waitForURL(new RegExp(casePath))
      assert.match((await page.locator('[data-qa="tasks"]').textContent()) ?? '', /Visit the victim/)

      // The victim risk assessment and the Community Protection Warning then Notice (risk & powers) join here.

      await page.getByRole('link', { name: 'Close the case' }).click()
      await verifyOnPage(page, 'Close the case')
      await page.getByLabel('Resolved').check()
      await page
        .getByLabel('Explanation for the residents')
        .fill('We warned the person responsible and the music has stopped.')
      await page.getByRole('button', { name: 'Close case' }).click()
      await page.waitForURL(/closed=1/)
      await verifyOnPage(page, 'Music from the flat above')
      assert.match((await page.locator('[data-qa="closed-banner"]').textContent()) ?? '', /Resolved/)

      const resident = await newContext(browser, { javaScript })
      const tracking = await resident.newPage()
      await tracking.goto(`${server.baseUrl}/track/${reference}/${trackingCode}`)
      assert.match((await tracking.locator('main').textContent()) ?? '', /the music has stopped/)
      await resident.close()
      await context.close()
    })
  }

  it('shows a police user only the cases shared with the police', async () => {
    const db = server.deps.database.db
    const police = await server.deps.accounts.repository.partnerByCode('police')
    assert.ok(police)
    const shared = await db
      .selectFrom('case_share as s')
      .innerJoin('asb_case as c', 'c.id', 's.case_id')
      .select('c.reference')
      .where('s.partner_id', '=', police.id)
      .where('s.revoked_at', 'is', null)
      .where('c.sensitivity', 'is', null)
      .where('c.status', '=', 'open')
      .executeTakeFirst()
    const unshared = await db
      .selectFrom('asb_case as c')
      .select('c.reference')
      .where(eb =>
        eb.not(eb.exists(eb.selectFrom('case_share as s').select('s.id').whereRef('s.case_id', '=', 'c.id'))),
      )
      .executeTakeFirst()
    assert.ok(shared && unshared)

    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    const reader = await newStaff(server, {
      roles: ['partner-read-only'],
      partnerCode: 'police',
      teamCode: 'police-partnership',
    })
    await signIn(page, server.baseUrl, reader)
    await page.goto(`${server.baseUrl}/cases`)
    await verifyOnPage(page, 'Cases')
    const listed = await page.locator('[data-qa="case-row"] a').allTextContents()
    assert.ok(listed.includes(shared.reference))
    assert.ok(!listed.includes(unshared.reference))
    await page.getByRole('link', { name: shared.reference }).click()
    await verifyOnPage(page, /.+/)
    assert.equal(await page.getByRole('link', { name: 'Change details' }).count(), 0)
    const hidden = await page.goto(`${server.baseUrl}/cases/${unshared.reference}`)
    assert.equal(hidden?.status(), 404)
    await verifyOnPage(page, 'Page not found')
    await context.close()
  })
})
