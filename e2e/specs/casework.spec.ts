/**
 * Issue 5's journey in real Chromium, JavaScript on and off, every page checked with axe: an officer signs in with two
 * factors, triages a seeded report into a case (the reporter joins it as the victim), adds the perpetrator and a
 * task, assesses the victim (high risk, referred to the Community MARAC), issues a Community Protection Warning, is
 * refused a Notice inside the time to comply and then issues it, and closes the case; the resident's tracking page
 * shows the honest outcome. A police user cannot see the case; a supervisor's access log shows all of it. A police
 * user sees only the cases shared with the police.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { Browser } from 'playwright-core'

import { systemActor } from '../../src/platform/audit.js'
import { addDays, londonDate } from '../../src/platform/working-days.js'
import { fillDate, verifyOnPage } from '../pages/base-page.js'
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
    it(`triages a report into a case, assesses the victim, climbs the powers ladder and closes it; the resident sees the outcome and the audit log shows it all (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
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

      // Triage: the report becomes a case, and the resident who reported it its victim.
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
      assert.match((await page.locator('[data-qa="parties"]').textContent()) ?? '', /Ada Resident/)
      // The case has been open a month (its powers may be dated from then on, never before).
      await server.deps.database.db
        .updateTable('asb_case')
        .set({ opened_at: new Date(Date.now() - 30 * 86_400_000) })
        .where('reference', '=', casePath.split('/').pop() ?? '')
        .execute()

      // The perpetrator, 30 years old, after a form refused for a missing role.
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
      await fillDate(page, 'dateOfBirth', addDays(londonDate(new Date()), -30 * 365))
      await page.getByLabel('Postcode').fill('E1 0AA')
      await page.getByRole('button', { name: 'Add party' }).click()
      if (!javaScript) {
        // The JavaScript-on run put the same person on its case: the person index says so before the case.
        await page.waitForURL(/\/known-to$/)
        await verifyOnPage(page, 'Sam Loud is known to the partnership')
        await page.getByRole('button', { name: 'Continue to the case' }).click()
      }
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

      // The victim's risk: every question required, then a red flag and a high score, referred to the MARAC.
      await page.getByRole('link', { name: 'Victim risk assessments' }).click()
      await verifyOnPage(page, 'Victim risk assessments')
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
      await verifyOnPage(page, 'Risk assessment of Ada Resident')
      assert.match((await page.locator('[data-qa="assessment-summary"]').textContent()) ?? '', /High/)
      await page.locator('[data-qa="marac-refer"]').click()
      await verifyOnPage(page, 'Risk assessment of Ada Resident')
      assert.match(
        (await page.locator('[data-qa="marac-referred"]').textContent()) ?? '',
        /Referred to the Community MARAC/,
      )

      // The powers ladder for the perpetrator: no Notice before a Warning.
      const today = londonDate(new Date())
      await page.goto(`${server.baseUrl}${casePath}`)
      await page.getByRole('link', { name: 'Powers', exact: true }).click()
      await verifyOnPage(page, 'Powers')
      assert.match((await page.locator('[data-qa="step-cpn"]').textContent()) ?? '', /must come before/)
      await page.locator('[data-qa="issue-cpw"]').click()
      await verifyOnPage(page, 'Issue a Community Protection Warning')
      // Recorded a few days after it was given: the warning went out 6 days ago with 5 days to comply.
      await fillDate(page, 'actionDate', addDays(today, -6))
      await page.getByLabel('Time to comply').fill('5')
      await page.getByLabel('The behaviour').fill('Amplified music from the flat most nights after midnight')
      await page.getByLabel('What they must stop or do').fill('No amplified music audible outside the flat after 11pm')
      await page.locator('[data-qa="power-submit"]').click()
      // Checked before it is issued: the letter exactly as it will be sent, then confirmed.
      await verifyOnPage(page, 'Check the Community Protection Warning before you issue it')
      await page.locator('[data-qa="power-confirm"]').click()
      await verifyOnPage(page, 'Community Protection Warning')
      assert.match((await page.locator('[data-qa="deadlines"]').textContent()) ?? '', /Time to comply ends/)

      // Too early: a Notice dated inside the time to comply is refused, and the answers are kept.
      await page.locator('.govuk-back-link').click()
      await verifyOnPage(page, 'Powers')
      await page.locator('[data-qa="issue-cpn"]').click()
      await verifyOnPage(page, 'Issue a Community Protection Notice')
      await fillDate(page, 'actionDate', addDays(today, -3))
      await page.getByLabel('The behaviour').fill('Music continued after the warning')
      await page.getByLabel('What they must stop or do').fill('No amplified music audible outside the flat after 11pm')
      await page.locator('[data-qa="power-submit"]').click()
      await verifyOnPage(page, 'Issue a Community Protection Notice')
      const refusal = await page.locator('.govuk-error-summary__list a').allTextContents()
      assert.equal(refusal.length, 1)
      assert.match(refusal[0] ?? '', /time to comply ends on .*: a notice can be issued from/)
      assert.equal(await page.getByLabel('The behaviour').inputValue(), 'Music continued after the warning')

      // Today, after the time to comply: previewed with the council's letterhead, the officer, the Notice's own time
      // to comply and the right of appeal, then issued with the 21-day appeal window.
      await fillDate(page, 'actionDate', today)
      await page.locator('[data-qa="power-submit"]').click()
      await verifyOnPage(page, 'Check the Community Protection Notice before you issue it')
      const notice = (await page.locator('[data-qa="letter-preview"]').textContent()) ?? ''
      for (const expected of [
        /London Borough of Tower Hamlets/,
        /Telephone: 020 7364 5000/,
        /Olive Officer\s*Authorised officer, ASB Investigations Team/,
        /within 14 days, that is by/,
        /appeal against this notice to a magistrates' court within 21 days/,
      ])
        assert.match(notice, expected)
      assert.equal(notice.split('Sam Loud').length - 1, 1, 'the recipient is named once')
      await page.locator('[data-qa="power-confirm"]').click()
      await verifyOnPage(page, 'Community Protection Notice')
      assert.match((await page.locator('[data-qa="deadlines"]').textContent()) ?? '', /Appeal window closes/)

      // Closure: the checklist refuses it (the victim's high-risk review is open, the Notice is in its appeal window)
      // until a supervisor records why it can close; the outcome then becomes what the resident sees.
      await page.goto(`${server.baseUrl}${casePath}`)
      await verifyOnPage(page, 'Music from the flat above')
      await page.getByRole('link', { name: 'Close the case' }).click()
      await verifyOnPage(page, 'Close the case')
      const blockers = (await page.locator('[data-qa="closure-blockers"]').textContent()) ?? ''
      assert.match(blockers, /Ada Resident is assessed at high risk and their risk review is not done/)
      assert.match(blockers, /Community Protection Notice of .* is still in its appeal window/)
      await page.getByLabel('Resolved').check()
      await page
        .getByLabel('Explanation for the residents')
        .fill('We warned the person responsible and the music has stopped.')
      await page.getByLabel('Carry them after closure').check()
      await page.getByRole('button', { name: 'Close case' }).click()
      await verifyOnPage(page, 'Close the case')
      assert.match(
        (await page.locator('.govuk-error-summary__list').textContent()) ?? '',
        /A supervisor must close this case/,
      )
      await context.close()

      const supervisor = await newStaff(server, {
        roles: ['supervisor'],
        partnerCode: 'council',
        teamCode: 'asb-investigations',
        name: 'Sara Supervisor',
      })
      const closingContext = await newContext(browser, { javaScript })
      const closingPage = await closingContext.newPage()
      await signIn(closingPage, server.baseUrl, supervisor, { next: `${casePath}/close` })
      await verifyOnPage(closingPage, 'Close the case')
      await closingPage.getByLabel('Resolved').check()
      await closingPage
        .getByLabel('Explanation for the residents')
        .fill('We warned the person responsible and the music has stopped.')
      await closingPage.getByLabel('Carry them after closure').check()
      await closingPage
        .getByLabel("Why the case can close anyway (supervisor's override)")
        .fill('The victim has moved; their review continues with the new council, and the Notice stands.')
      await closingPage.getByRole('button', { name: 'Close case' }).click()
      await closingPage.waitForURL(/closed=1/)
      await verifyOnPage(closingPage, 'Music from the flat above')
      assert.match((await closingPage.locator('[data-qa="closed-banner"]').textContent()) ?? '', /Resolved/)
      assert.match((await closingPage.locator('[data-qa="tasks"]').textContent()) ?? '', /Carried after closure/)
      await closingContext.close()

      const resident = await newContext(browser, { javaScript })
      const tracking = await resident.newPage()
      await tracking.goto(`${server.baseUrl}/track/${reference}/${trackingCode}`)
      assert.match((await tracking.locator('main').textContent()) ?? '', /the music has stopped/)
      await resident.close()

      // The police were not given the case: it answers as a missing page does.
      const policeContext = await newContext(browser, { javaScript })
      const policePage = await policeContext.newPage()
      const policeOfficer = await newStaff(server, {
        roles: ['officer'],
        partnerCode: 'police',
        teamCode: 'police-partnership',
      })
      await signIn(policePage, server.baseUrl, policeOfficer)
      const hidden = await policePage.goto(`${server.baseUrl}${casePath}`)
      assert.equal(hidden?.status(), 404)
      await verifyOnPage(policePage, 'Page not found')
      await policeContext.close()

      // The supervisor's access log: who saw and did what, the refused police attempt included.
      const supervisorContext = await newContext(browser, { javaScript })
      const supervisorPage = await supervisorContext.newPage()
      await signIn(supervisorPage, server.baseUrl, supervisor, { next: `${casePath}/access-log` })
      await verifyOnPage(supervisorPage, 'Access log')
      const log = (await supervisorPage.locator('main table').textContent()) ?? ''
      for (const entry of [
        'Opened the case',
        'Added a party',
        'Set a task',
        "Assessed a victim's risk",
        'Referred a victim to the Community MARAC',
        'Took a powers action',
        'Closed the case',
        'Overrode the closure checks',
        'Was refused access',
      ]) {
        assert.ok(log.includes(entry), `the access log shows "${entry}"`)
      }
      assert.match(log, /Olive Officer/)
      assert.match(log, /Community Protection Warning/)
      assert.doesNotMatch(log, /\bcpw\b|Viewed the case case/)
      await supervisorContext.close()
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
