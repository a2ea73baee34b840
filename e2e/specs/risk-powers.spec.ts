import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { Browser, Page } from 'playwright-core'

import { addDays, londonDate } from '../../src/platform/working-days.js'
import { openCaseWithParties } from '../../test/helpers/risk-powers-fixtures.js'
import { verifyOnPage } from '../pages/base-page.js'
import { newStaff, signIn } from '../pages/sign-in-page.js'
import { launchBrowser, newContext } from '../support/browser.js'
import { startServer, type RunningServer } from '../support/server.js'

async function fillDate(page: Page, prefix: string, iso: string) {
  const [year = '', month = '', day = ''] = iso.split('-')
  await page.locator(`input[name="${prefix}-day"]`).fill(String(Number(day)))
  await page.locator(`input[name="${prefix}-month"]`).fill(String(Number(month)))
  await page.locator(`input[name="${prefix}-year"]`).fill(year)
}

describe('e2e: victim risk assessment and the powers ladder', () => {
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
    it(`assesses a victim, issues a CPW, is refused an early CPN, then issues it (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const teamCode = `e2e-powers-${javaScript ? 'js' : 'nojs'}`
      const officer = await newStaff(server, { roles: ['officer'], partnerCode: 'council', teamCode })
      const fixture = await openCaseWithParties(server.deps, { teamCode, leadOfficerId: officer.id })
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      const risk = `/cases/${fixture.caseId}/risk-assessments`
      await signIn(page, server.baseUrl, officer, { next: risk })
      await verifyOnPage(page, 'Victim risk assessments')

      // The victim: a red flag and a high score.
      await page.locator('[data-qa="assess"]').first().click()
      await verifyOnPage(page, "Assess a victim's risk")
      await page.locator('[data-qa="risk-submit"]').click()
      await verifyOnPage(page, "Assess a victim's risk")
      assert.ok((await page.locator('.govuk-error-summary__list a').count()) >= 20)
      for (const question of server.deps.risk.policy.questions) {
        const answer =
          question.kind === 'scale'
            ? (question.options?.at(-1)?.value ?? '')
            : ['threatToLife', 'disability', 'targeted', 'fear'].includes(question.id)
              ? 'yes'
              : 'no'
        await page.locator(`input[name="q-${question.id}"][value="${answer}"]`).check()
      }
      await page.locator('[data-qa="risk-submit"]').click()
      await verifyOnPage(page, 'Risk assessment of Amira Begum')
      assert.match((await page.locator('[data-qa="assessment-summary"]').textContent()) ?? '', /High/)
      await page.locator('[data-qa="marac-refer"]').click()
      await verifyOnPage(page, 'Risk assessment of Amira Begum')
      assert.match(
        (await page.locator('[data-qa="marac-referred"]').textContent()) ?? '',
        /Referred to the Community MARAC/,
      )

      // The ladder for the adult perpetrator.
      const today = londonDate(new Date())
      await page.goto(`${server.baseUrl}/cases/${fixture.caseId}/powers?party=${fixture.adultId}`)
      await verifyOnPage(page, 'Powers')
      assert.match((await page.locator('[data-qa="step-cpn"]').textContent()) ?? '', /must come before/)
      await page.locator('[data-qa="issue-cpw"]').click()
      await verifyOnPage(page, 'Issue a Community Protection Warning')
      // Recorded later than it was given: the warning went out 20 days ago with 14 days to comply.
      await fillDate(page, 'actionDate', addDays(today, -20))
      await page.getByLabel('The behaviour').fill('Amplified music from the flat most nights after midnight')
      await page.getByLabel('What they must stop or do').fill('No amplified music audible outside the flat after 11pm')
      await page.locator('[data-qa="power-submit"]').click()
      await verifyOnPage(page, 'Community Protection Warning')
      assert.match((await page.locator('[data-qa="deadlines"]').textContent()) ?? '', /Time to comply ends/)

      // Too early: dated inside the time to comply.
      await page.goto(`${server.baseUrl}/cases/${fixture.caseId}/powers/cpn/new?party=${fixture.adultId}`)
      await verifyOnPage(page, 'Issue a Community Protection Notice')
      await fillDate(page, 'actionDate', addDays(today, -10))
      await page.getByLabel('The behaviour').fill('Music continued after the warning')
      await page.getByLabel('What they must stop or do').fill('No amplified music audible outside the flat after 11pm')
      await page.locator('[data-qa="power-submit"]').click()
      await verifyOnPage(page, 'Issue a Community Protection Notice')
      const refusal = await page.locator('.govuk-error-summary__list a').allTextContents()
      assert.equal(refusal.length, 1)
      assert.match(refusal[0] ?? '', /time to comply ends on .*: a notice can be issued from/)
      assert.equal(await page.getByLabel('The behaviour').inputValue(), 'Music continued after the warning')

      // Today, after the time to comply: issued, with the 21-day appeal window.
      await fillDate(page, 'actionDate', today)
      await page.locator('[data-qa="power-submit"]').click()
      await verifyOnPage(page, 'Community Protection Notice')
      assert.match((await page.locator('[data-qa="deadlines"]').textContent()) ?? '', /Appeal window closes/)
      await context.close()
    })
  }
})
