/**
 * The resident's ASB reporting journey as a page object. Each step checks the page with `verifyOnPage` (heading,
 * title pattern, axe) when `check` is on, fills the question the way a person would, and continues.
 */
import assert from 'node:assert/strict'

import type { Page } from 'playwright-core'

import { checkAccessibility } from './base-page.js'

export interface JourneyAnswers {
  category: string
  postcode?: string
  wardCode?: string
  place: string
  description: string
  mode: 'named' | 'confidential' | 'anonymous'
  /** Files to attach on the optional evidence page, one at a time with "Upload file". */
  evidence?: { name: string; mimeType: string; buffer: Buffer }[]
}

export class ReportJourney {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
    readonly check: boolean,
  ) {}

  private async continue(): Promise<void> {
    await Promise.all([this.page.waitForLoadState('load'), this.page.locator('[data-qa="continue"]').first().click()])
  }

  private async onPage(): Promise<void> {
    assert.equal(await this.page.locator('.govuk-error-summary').count(), 0, `unexpected errors on ${this.page.url()}`)
    if (this.check) await checkAccessibility(this.page)
  }

  private async choose(name: string, value: string): Promise<void> {
    await this.page.locator(`input[name="${name}"][value="${value}"]`).check()
  }

  /** Runs the whole journey and returns the reference and the tracking link from the confirmation page. */
  async report(answers: JourneyAnswers): Promise<{ reference: string; trackingUrl: string }> {
    const page = this.page
    await page.goto(`${this.baseUrl}/report`)
    await this.onPage()
    await page.locator('[data-qa="start-now"]').click()

    await this.onPage()
    await this.choose('triage', 'asb')
    await this.continue()

    await this.onPage()
    await this.choose('category', answers.category)
    await this.continue()

    await this.onPage()
    if (answers.postcode) {
      await page.locator('input[name="postcode"]').fill(answers.postcode)
      await page.locator('[name="locationDescription"]').fill(answers.place)
      await this.continue()
    } else {
      // "I cannot use a map…" under the postcode box; "Choose the ward from a list" in a pack without postcodes.
      await page.locator('[data-qa="cannot-use-map"], [data-qa="choose-ward"]').click()
      await this.onPage()
      await page.locator('select[name="wardCode"]').selectOption(answers.wardCode ?? 'E05009336')
      await page.locator('[name="locationDescription"]').fill(answers.place)
      await this.continue()
    }

    await this.onPage()
    const today = new Date()
    await page.locator('input[name="occurredDay"]').fill(String(today.getDate()))
    await page.locator('input[name="occurredMonth"]').fill(String(today.getMonth() + 1))
    await page.locator('input[name="occurredYear"]').fill(String(today.getFullYear()))
    // As people type it (the hint's "9:30pm" form is not the only one taken).
    await page.locator('input[name="occurredTime"]').fill('11pm')
    await this.choose('pattern', 'ongoing')
    await this.choose('frequency', 'weekly')
    await this.continue()

    await this.onPage()
    await page.locator('[name="description"]').fill(answers.description)
    await this.continue()

    // Evidence (optional): a multipart form that works the same with JavaScript off.
    await this.onPage()
    assert.match(page.url(), /\/report\/evidence/)
    for (const file of answers.evidence ?? []) {
      await page.locator('input[name="evidence"]').setInputFiles(file)
      await Promise.all([this.page.waitForLoadState('load'), page.locator('[data-qa="upload-evidence"]').click()])
      await this.onPage()
      assert.match((await page.locator('[data-qa="evidence-files"]').textContent()) ?? '', new RegExp(file.name))
    }
    await this.continue()

    await this.onPage()
    await this.choose('reporterRole', 'victim')
    await this.choose('howOften', 'a_few_times')
    await this.choose('unsafeAtHome', 'no')
    await this.choose('healthAffected', 'no')
    await this.choose('targeted', 'no')
    await this.continue()

    await this.onPage()
    await this.choose('mode', answers.mode)
    if (answers.mode !== 'anonymous') {
      await page.locator('input[name="name"]').fill('Test Resident')
      await this.choose('contactPreference', 'email')
      await page.locator('input[name="email"]').fill('resident@example.org')
    } else {
      await this.choose('contactPreference', 'none')
    }
    await this.choose('consent', 'yes')
    await this.continue()

    // "Is it one of these?" appears only when there are similar reports nearby.
    if (page.url().includes('/report/similar')) {
      await this.onPage()
      await page.locator('[data-qa="not-these"]').click()
    }

    await this.onPage()
    assert.match(page.url(), /\/report\/check/)
    await page.locator('[data-qa="submit-report"]').click()

    await this.onPage()
    const reference = ((await page.locator('[data-qa="reference"]').textContent()) ?? '').trim()
    const trackingUrl = (await page.locator('[data-qa="tracking-link"]').getAttribute('href')) ?? ''
    return { reference, trackingUrl }
  }
}
