import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import type { Browser } from 'playwright-core'

import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/modules/accounts/index.js'
import { addDays, londonDate } from '../../src/platform/working-days.js'
import { openCaseWithParties } from '../../test/helpers/risk-powers-fixtures.js'
import { fillDate, verifyOnPage } from '../pages/base-page.js'
import { newStaff, signIn } from '../pages/sign-in-page.js'
import { launchBrowser, newContext } from '../support/browser.js'
import { startServer, type RunningServer } from '../support/server.js'

function formatted(iso: string): string {
  return new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })
}

describe('e2e: a high-risk ASB victim goes to the Community MARAC and its action comes back onto the case', () => {
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
    it(`refers, holds a meeting, records an owned action and sees it on the case (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const { deps } = server
      const teamCode = `e2e-panels-${javaScript ? 'js' : 'nojs'}`
      const officer = await newStaff(server, {
        roles: ['officer'],
        partnerCode: 'council',
        teamCode,
        name: `Officer ${teamCode}`,
      })
      const fixture = await openCaseWithParties(deps, { teamCode, leadOfficerId: officer.id })
      const user = (await deps.accounts.repository.userById(officer.id))!
      const caseRow = (await deps.casework.repository.caseById(fixture.caseId))!
      const answers: Record<string, string> = {}
      for (const question of deps.risk.policy.questions) {
        answers[question.id] = question.kind === 'scale' ? (question.options?.at(-1)?.value ?? '') : 'yes'
      }
      const assessed = await deps.risk.record(user, { type: 'user', id: user.id }, caseRow, {
        partyId: fixture.victimId,
        answers,
        assessedOn: londonDate(new Date()),
        overrideLevel: '',
        overrideReason: '',
        notes: '',
        submissionId: randomUUID(),
      })
      assert.ok(assessed.ok)

      // The officer refers the high-risk victim from the risk assessment.
      const officerContext = await newContext(browser, { javaScript })
      const officerPage = await officerContext.newPage()
      await signIn(officerPage, server.baseUrl, officer, {
        next: `/cases/${fixture.caseId}/risk-assessments/${assessed.id}`,
      })
      await officerPage.locator('[data-qa="marac-refer"]').click()
      await officerPage.locator('[data-qa="marac-referred"]').waitFor()
      await officerPage.goto(`${server.baseUrl}/panels/cases/${fixture.caseId}`)
      await verifyOnPage(officerPage, 'Panels and referrals')
      assert.match((await officerPage.locator('[data-qa="case-referrals"]').textContent()) ?? '', /Community MARAC/)

      // The coordinator schedules a meeting: the victim is on its agenda.
      const coordinator = await newStaff(server, { roles: ['panel-coordinator'], partnerCode: 'council' })
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      await signIn(page, server.baseUrl, coordinator, { next: '/panels' })
      await verifyOnPage(page, 'Panels')
      await page.getByRole('link', { name: 'Community MARAC', exact: true }).click()
      await verifyOnPage(page, 'Community MARAC')
      await page.locator('[data-qa="schedule"]').click()
      await verifyOnPage(page, 'Schedule a meeting')
      const meetsOn = addDays(londonDate(new Date()), javaScript ? 3 : 4)
      await fillDate(page, 'meetsOn', meetsOn)
      await page.getByLabel('Chair').fill('Inspector Hughes (Metropolitan Police)')
      await page.getByRole('button', { name: 'Schedule meeting' }).click()
      await verifyOnPage(page, `Meeting on ${formatted(meetsOn)}`)
      const item = page.locator('[data-qa="agenda"] a', { hasText: fixture.reference })
      await item.click()
      await verifyOnPage(page, /Amira Begum \(victim\), case ASB-/)

      // Minutes, then an action: refused without an owner, recorded with one.
      await page.getByLabel('Minutes for this item').fill('Partners agreed a joint visit and extra patrols.')
      await page.getByRole('button', { name: 'Save minutes' }).click()
      await verifyOnPage(page, /Amira Begum \(victim\)/)
      const due = addDays(meetsOn, 7)
      await page.getByLabel('Action', { exact: true }).fill('Joint visit with the housing officer')
      await fillDate(page, 'due', due)
      await page.getByRole('button', { name: 'Add action' }).click()
      await verifyOnPage(page, /Amira Begum \(victim\)/)
      assert.deepEqual(await page.locator('.govuk-error-summary__list a').allTextContents(), [
        'Choose who owns the action: an action without an owner cannot be recorded',
      ])
      await page.getByLabel('Owner').selectOption({ label: `Officer ${teamCode} (London Borough of Tower Hamlets)` })
      await page.getByRole('button', { name: 'Add action' }).click()
      await verifyOnPage(page, /Amira Begum \(victim\)/)
      assert.match(
        (await page.locator('[data-qa="actions"]').textContent()) ?? '',
        /Joint visit with the housing officer/,
      )
      await context.close()

      // The action is a task on the case, owned by the officer, with its due date.
      await officerPage.goto(`${server.baseUrl}/cases/${encodeURIComponent(fixture.reference)}`)
      await verifyOnPage(officerPage, caseRow.title)
      const tasks = (await officerPage.locator('[data-qa="tasks"]').first().textContent()) ?? ''
      assert.match(tasks, /Community MARAC action: Joint visit with the housing officer/)
      await officerPage.goto(`${server.baseUrl}/panels/cases/${fixture.caseId}`)
      await verifyOnPage(officerPage, 'Panels and referrals')
      assert.match(
        (await officerPage.locator('[data-qa="case-panel-tasks"]').textContent()) ?? '',
        new RegExp(`Joint visit with the housing officer[\\s\\S]*${formatted(due)}`),
      )
      await officerContext.close()
    })
  }
  it('shows the tension log, hate incidents, settings and the DASH checklist accessibly, errors included', async () => {
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    const coordinator = await newStaff(server, { roles: ['panel-coordinator', 'officer'], partnerCode: 'council' })
    await signIn(page, server.baseUrl, coordinator, { next: '/panels/tension-monitoring/tensions' })
    await verifyOnPage(page, 'Tension log')
    assert.ok((await page.locator('[data-qa="tension-wards"] tbody tr').count()) >= 1, 'the demo week')
    await page.getByRole('button', { name: 'Record a tension' }).click()
    await verifyOnPage(page, 'Record a tension')
    await page.getByRole('button', { name: 'Save entry' }).click()
    await verifyOnPage(page, 'Record a tension')
    assert.ok((await page.locator('.govuk-error-summary__list a').count()) >= 4)
    await page.goto(`${server.baseUrl}/panels/hate-incident-panel/hate-incidents`)
    await verifyOnPage(page, 'Hate incidents')
    await page.getByRole('button', { name: 'Record a hate incident' }).click()
    await verifyOnPage(page, 'Record a hate incident')
    await page.getByRole('button', { name: 'Save hate incident' }).click()
    await verifyOnPage(page, 'Record a hate incident')
    await page.goto(`${server.baseUrl}/panels/community-marac/settings`)
    await verifyOnPage(page, 'Settings: Community MARAC')
    const teamCode = 'e2e-panels-dash'
    const officer = await newStaff(server, { roles: ['officer'], partnerCode: 'council', teamCode })
    const fixture = await openCaseWithParties(server.deps, { teamCode, leadOfficerId: officer.id })
    const officerContext = await newContext(browser, { javaScript: false })
    const officerPage = await officerContext.newPage()
    await signIn(officerPage, server.baseUrl, officer, { next: `/panels/cases/${fixture.caseId}/dash/new` })
    await verifyOnPage(officerPage, 'DA MARAC risk indicator checklist')
    await officerPage.getByRole('button', { name: 'Save checklist' }).click()
    await verifyOnPage(officerPage, 'DA MARAC risk indicator checklist')
    assert.ok((await officerPage.locator('.govuk-error-summary__list a').count()) >= 24)
    await officerContext.close()
    await context.close()
  })

  it('shows a housing officer the Community MARAC action given to them on their home page, and it opens', async () => {
    // The demo's last Community MARAC gave the housing provider an action on a council case, sharing the case with
    // the housing provider under the Crime and Disorder Act (issue 16: before, the task answered 404).
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    const housing = { email: 'partner@housing.safer.example', password: DEMO_PASSWORD, totpSecret: DEMO_TOTP_SECRET }
    await signIn(page, server.baseUrl, housing, { next: '/staff' })
    await verifyOnPage(page, 'Hello, Chris Adeyemi')
    const link = page
      .locator('[data-qa="upcoming-tasks"] a', {
        hasText: 'Community MARAC action: Check the victim’s tenancy support',
      })
      .first()
    const anchor = ((await link.getAttribute('href')) ?? '').split('#')[1] ?? ''
    assert.match(anchor, /^task-/)
    await link.click()
    await verifyOnPage(page, /^Demo: /)
    assert.match(
      (await page.locator(`[id="${anchor}"]`).textContent()) ?? '',
      /Community MARAC action: Check the victim’s tenancy support/,
    )
    await context.close()
  })
})
