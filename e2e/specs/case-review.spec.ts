import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { Browser, Page } from 'playwright-core'

import { londonDate } from '../../src/platform/working-days.js'
import { checkAccessibility, verifyOnPage } from '../pages/base-page.js'
import { newStaff, signIn } from '../pages/sign-in-page.js'
import { launchBrowser, newContext } from '../support/browser.js'
import { startServer, type RunningServer } from '../support/server.js'

const DAY = 86_400_000

describe('e2e: an ASB Case Review from the tracking page to the appeal', () => {
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

  /** Three reports by one resident about the same problem, made within a month of the behaviour. */
  async function threeReports(email: string, category: 'property_misuse' | 'sex_work', postcode: string) {
    let last: { reference: string; code: string } | undefined
    for (const daysAgo of [70, 35, 3]) {
      const receivedAt = new Date(Date.now() - daysAgo * DAY)
      const result = await server.deps.reporting.intake.submit(
        {
          channel: daysAgo === 35 ? 'phone' : 'web',
          receivedAt: receivedAt.toISOString(),
          category,
          location: { postcode },
          occurredOn: londonDate(receivedAt),
          pattern: 'ongoing',
          description: 'People using the empty flat next door at night.',
          impact: {
            reporterRole: 'victim',
            unsafeAtHome: 'yes',
            healthAffected: 'yes',
            targeted: 'no',
            characteristics: [],
          },
          reporter: { mode: 'named', name: 'Rosa Resident', email, contactPreference: 'email', consentToShare: true },
        },
        { type: 'anonymous', id: null },
      )
      last = { reference: result.report.reference, code: result.trackingCode ?? '' }
    }
    assert.ok(last)
    return last
  }

  async function asStaff(page: Page, roles: Parameters<typeof newStaff>[1], next: string) {
    await page.context().clearCookies()
    const staff = await newStaff(server, roles)
    await signIn(page, server.baseUrl, staff, { next, check: false })
    return staff
  }

  async function click(page: Page, name: string) {
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name, exact: true }).click()])
    await page.waitForLoadState('load')
  }

  for (const javaScript of [true, false]) {
    it(`a resident applies and the review runs end to end, every page checked with axe, JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const { reference, code } = await threeReports(
        `rosa-${String(javaScript)}@example.org`,
        javaScript ? 'property_misuse' : 'sex_work',
        javaScript ? 'E1 0AA' : 'E14 5AB',
      )
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()

      // The resident: the tracking page offers the review; the application says the threshold is met.
      await page.goto(`${server.baseUrl}/track/${reference}/${code}`)
      await checkAccessibility(page)
      await page.locator('[data-qa="case-review-apply"]').click()
      await verifyOnPage(page, 'Apply for an ASB Case Review')
      assert.match((await page.locator('[data-qa="eligibility"]').textContent()) ?? '', /meet the threshold/)
      // The name and email address from the report start the application.
      assert.equal(await page.getByLabel('Your full name').inputValue(), 'Rosa Resident')
      assert.equal(await page.getByLabel('Email address').inputValue(), `rosa-${String(javaScript)}@example.org`)
      await page.getByLabel('Your full name').fill('')
      await click(page, 'Send application')
      await verifyOnPage(page, 'Apply for an ASB Case Review')
      assert.ok((await page.locator('.govuk-error-summary').count()) === 1)
      await page.getByLabel('I am the victim').check()
      await page.getByLabel('Your full name').fill('Rosa Resident')
      await page.getByLabel('Email address').fill(`rosa-${String(javaScript)}@example.org`)
      await page.getByLabel('The police').check()
      await page.getByLabel('What is happening?').fill('People use the empty flat next door every night.')
      await page.getByLabel('Why are you unhappy with how it has been dealt with?').fill('Nothing has changed.')
      await click(page, 'Send application')
      await verifyOnPage(page, 'Application received')
      const applicationReference = ((await page.locator('[data-qa="reference"]').textContent()) ?? '').trim()
      assert.match(applicationReference, /^CR-\d{2}-\d{4}$/)
      // Back on the tracking page: the application is there, and no longer invited.
      await page.goto(`${server.baseUrl}/track/${reference}/${code}`)
      await checkAccessibility(page)
      assert.match(
        (await page.locator('[data-qa="case-review-applied"]').textContent()) ?? '',
        new RegExp(applicationReference),
      )
      assert.equal(await page.locator('[data-qa="case-review-apply"]').count(), 0)
      const review = await server.deps.database.db
        .selectFrom('case_review')
        .select('id')
        .where('reference', '=', applicationReference)
        .executeTakeFirstOrThrow()
      const reviewUrl = `/staff/case-reviews/${review.id}`

      // A Case Review coordinator (a panel coordinator of a relevant body, ADR 0025) sees the application on the
      // dashboard with its clocks and acknowledges it. They sit in the team that will own the case, so can link it.
      const coordinator = await asStaff(
        page,
        { roles: ['panel-coordinator'], teamCode: 'asb-investigations' },
        '/staff/case-reviews',
      )
      await verifyOnPage(page, 'ASB Case Reviews')
      await page.getByRole('link', { name: applicationReference }).click()
      await verifyOnPage(page, `Case Review ${applicationReference}`)
      assert.match((await page.locator('[data-qa="clock-acknowledge"]').textContent()) ?? '', /On track|Due soon/)
      await click(page, 'Mark as acknowledged')
      assert.match((await page.locator('[data-qa="acknowledged"]').textContent()) ?? '', /Acknowledged/)

      // The case the reports belong to, owned by the council's ASB investigations team.
      const team = await server.deps.accounts.repository.teamByCode('asb-investigations')
      const report = await server.deps.reporting.reports.findByReference(reference)
      assert.ok(team && report)
      const opened = await server.deps.casework.openCase(
        {
          title: 'Empty flat misuse',
          category: 'property_misuse',
          priority: 'medium',
          sensitivity: null,
          owningTeamId: team.id,
          owningPartnerId: team.partner_id,
          leadOfficerId: null,
          wardCode: null,
          reportIds: [report.id],
        },
        { type: 'system', id: null },
      )

      // The coordinator decides the threshold and appoints a chair from an agency not involved.
      const chair = await newStaff(server, {
        roles: ['supervisor'],
        partnerCode: 'health',
        name: `Chair ${String(javaScript)}`,
      })
      await page.goto(`${server.baseUrl}${reviewUrl}`)
      await verifyOnPage(page, `Case Review ${applicationReference}`)
      // The coordinator can see the case (their team owns it), so can link it.
      await page.getByLabel('Link a case').fill(opened.reference)
      await click(page, 'Link case')
      assert.deepEqual(await page.locator('.govuk-error-summary a').allTextContents(), [])
      await page.getByLabel('Threshold met: a review will take place').check()
      await page.getByLabel('Reason for the decision').fill('Three qualifying complaints.')
      await click(page, 'Record decision')
      await verifyOnPage(page, `Case Review ${applicationReference}`)
      assert.match((await page.locator('[data-qa="threshold"]').textContent()) ?? '', /Threshold met/)
      await page.getByLabel(new RegExp(`Chair ${String(javaScript)} \\(`)).check()
      await click(page, 'Appoint chair')
      await verifyOnPage(page, `Case Review ${applicationReference}`)
      assert.match(
        (await page.locator('[data-qa="chair"]').textContent()) ?? '',
        new RegExp(`Chair ${String(javaScript)}`),
      )
      await page.getByLabel('Metropolitan Police Service').check()
      await click(page, 'Send requests')
      await page.locator('[id^="response-"]').fill('Attended twice; a warning was given.')
      await click(page, 'Record response')
      const meeting = new Date(Date.now() + 14 * DAY)
      await page.locator('#meetingOn-day').fill(String(meeting.getUTCDate()))
      await page.locator('#meetingOn-month').fill(String(meeting.getUTCMonth() + 1))
      await page.locator('#meetingOn-year').fill(String(meeting.getUTCFullYear()))
      await page.getByLabel('How the applicant was invited').fill('Letter and email, offered to attend')
      await click(page, 'Record invitation')
      await verifyOnPage(page, `Case Review ${applicationReference}`)
      assert.match((await page.locator('[data-qa="invited"]').textContent()) ?? '', /Applicant invited/)

      // The chair records the minutes and a recommendation that becomes a task on the case.
      await page.context().clearCookies()
      await signIn(page, server.baseUrl, chair, { next: `${reviewUrl}/minutes`, check: false })
      await verifyOnPage(page, `Minutes of Case Review ${applicationReference}`)
      await page.getByLabel('Who attended').fill('Chair (NHS), council ASB, police; the applicant attended')
      await page.getByLabel('Minutes', { exact: true }).fill('The panel reviewed the response and agreed actions.')
      await click(page, 'Save minutes')
      await verifyOnPage(page, `Case Review ${applicationReference}`)
      const recommend = async () => {
        await page.getByLabel('Recommendation', { exact: true }).fill('Secure the empty flat')
        await page
          .getByLabel('Owner')
          .selectOption({ label: `Chair ${String(javaScript)} (East London NHS Foundation Trust)` })
        const due = new Date(Date.now() + 30 * DAY)
        await page.locator('#dueOn-day').fill(String(due.getUTCDate()))
        await page.locator('#dueOn-month').fill(String(due.getUTCMonth() + 1))
        await page.locator('#dueOn-year').fill(String(due.getUTCFullYear()))
        await page.getByLabel('How and how often the applicant is updated').fill('Fortnightly by email')
        await click(page, 'Add recommendation')
        await verifyOnPage(page, `Case Review ${applicationReference}`)
      }
      // The NHS chair cannot see the council's case: a task for them is refused, in words, until the case is shared.
      await recommend()
      assert.match(
        (await page.locator('.govuk-error-summary').textContent()) ?? '',
        new RegExp(`Chair ${String(javaScript)} cannot see this case`),
      )
      const health = await server.deps.accounts.repository.partnerByCode('health')
      const caseRow = await server.deps.casework.repository.caseById(opened.id)
      assert.ok(health && caseRow)
      await server.deps.casework.share(
        caseRow,
        { partnerId: health.id, lawfulBasis: 'cda-1998-s115', consentStatus: 'not-required' },
        { type: 'system', id: null },
        'East London NHS Foundation Trust',
      )
      await recommend()
      assert.deepEqual(await page.locator('.govuk-error-summary a').allTextContents(), [])
      assert.match((await page.locator('[data-qa="recommendations"]').textContent()) ?? '', /Secure the empty flat/)
      const tasks = await server.deps.database.db
        .selectFrom('case_task')
        .select(['title', 'owner_user_id'])
        .where('case_id', '=', opened.id)
        .execute()
      assert.ok(tasks.some(task => task.title.includes('Secure the empty flat') && task.owner_user_id === chair.id))

      // The coordinator sends the outcome letter, then an appeal is decided by someone independent.
      await page.context().clearCookies()
      await signIn(page, server.baseUrl, coordinator, { next: reviewUrl, check: false })
      await verifyOnPage(page, `Case Review ${applicationReference}`)
      await page.getByLabel('Outcome of the review').fill('The agencies will secure the flat and keep you updated.')
      await click(page, 'Send outcome letter')
      await verifyOnPage(page, `Case Review ${applicationReference}`)
      assert.match((await page.locator('[data-qa="outcome"]').textContent()) ?? '', /Outcome sent/)
      const letter = await page.request.get(`${server.baseUrl}${reviewUrl}/letter`)
      assert.match(await letter.text(), /Secure the empty flat/)
      // The PDF is an HTTP download, the same with JavaScript on or off: printed once, in the first run (every
      // permitted user's PDF is in case-review-authorisation-matrix-integration.test.ts).
      if (javaScript) {
        const pdf = await page.request.get(`${server.baseUrl}${reviewUrl}/letter.pdf`)
        assert.equal(pdf.headers()['content-type'], 'application/pdf')
        assert.equal((await pdf.body()).subarray(0, 4).toString(), '%PDF')
      }

      await page.getByLabel('Grounds of appeal').fill('The police evidence was not considered.')
      await click(page, 'Record appeal')
      await verifyOnPage(page, `Case Review ${applicationReference}`)
      assert.match((await page.locator('[data-qa="appeal"]').textContent()) ?? '', /Appeal against the outcome/)
      assert.match((await page.locator('[data-qa="clock-appealDecision"]').textContent()) ?? '', /On track|Due soon/)

      await asStaff(page, { roles: ['panel-coordinator'] }, reviewUrl)
      await page.getByLabel('Not upheld: the application is closed').check()
      await page.getByLabel('Reason for the decision').fill('The police evidence was considered at the meeting.')
      await click(page, 'Record appeal decision')
      await verifyOnPage(page, `Case Review ${applicationReference}`)
      assert.match((await page.locator('[data-qa="appeal-decided"]').textContent()) ?? '', /Appeal not upheld/)
      assert.match((await page.locator('[data-qa="status"]').textContent()) ?? '', /Closed/)

      // The public figures.
      await page.context().clearCookies()
      await page.goto(`${server.baseUrl}/asb-case-review/figures`)
      await verifyOnPage(page, 'ASB Case Review figures')
      await page.goto(`${server.baseUrl}/asb-case-review`)
      await verifyOnPage(page, 'Ask for an ASB Case Review')
      await context.close()
    })
  }
})
