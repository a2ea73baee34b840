/**
 * Issue 16 in real Chromium, every page checked with axe: the casework that holds a partnership together. A warning
 * recorded weeks late waits for a supervisor before a Notice can follow; reports residents added to another close with
 * its case and every tracking page shows the outcome; Darren Smith is found on two cases through the person index;
 * and the new pages (email notifications, possible duplicate people, a place, reopening a case, a change to a power).
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

describe('e2e: casework across the partnership', () => {
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

  it('needs a supervisor to approve a warning recorded weeks after it was given, before a Notice can follow', async () => {
    const officerStaff = await newStaff(server, {
      roles: ['officer'],
      partnerCode: 'council',
      teamCode: 'asb-investigations',
      name: 'Lena Late',
    })
    const team = await server.deps.accounts.repository.teamByCode('asb-investigations')
    assert.ok(team)
    const opened = await server.deps.casework.openCase(
      {
        title: 'Shouting on the stairwell',
        category: 'noise',
        priority: 'medium',
        sensitivity: null,
        owningTeamId: team.id,
        owningPartnerId: team.partner_id,
        leadOfficerId: officerStaff.id,
        wardCode: null,
      },
      systemActor,
    )
    await server.deps.database.db
      .updateTable('asb_case')
      .set({ opened_at: new Date(Date.now() - 60 * 86_400_000) })
      .where('id', '=', opened.id)
      .execute()
    const caseRow = await server.deps.casework.repository.caseById(opened.id)
    assert.ok(caseRow)
    const today = londonDate(new Date())
    const partyId = await server.deps.casework.addParty(
      caseRow,
      { role: 'perpetrator', kind: 'person', name: 'Rory Stairs', dateOfBirth: addDays(today, -40 * 365) },
      systemActor,
    )

    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    await signIn(page, server.baseUrl, officerStaff, { next: `/cases/${opened.id}/powers/cpw/new?party=${partyId}` })
    await verifyOnPage(page, 'Issue a Community Protection Warning')
    await fillDate(page, 'actionDate', addDays(today, -20))
    await page.getByLabel('The behaviour').fill('Shouting and banging on the stairwell at night')
    await page.getByLabel('What they must stop or do').fill('No shouting in the common parts after 10pm')
    await page.locator('[data-qa="power-submit"]').click()
    await verifyOnPage(page, 'Issue a Community Protection Warning')
    assert.match(
      (await page.locator('.govuk-error-summary__list').textContent()) ?? '',
      /more than 7 days ago: say why it is being recorded late/,
    )
    await page.getByLabel('Why is this being recorded late?').fill('Handed over on a visit; the office was closed')
    await page.locator('[data-qa="power-submit"]').click()
    await verifyOnPage(page, 'Check the Community Protection Warning before you issue it')
    assert.match((await page.locator('[data-qa="preview-late"]').textContent()) ?? '', /will not count until/)
    await page.locator('[data-qa="power-confirm"]').click()
    await verifyOnPage(page, 'Community Protection Warning')
    const actionUrl = new URL(page.url()).pathname
    assert.match((await page.locator('[data-qa="late-record"]').textContent()) ?? '', /does not count until/)
    await page.goto(`${server.baseUrl}/cases/${opened.id}/powers?party=${partyId}`)
    await verifyOnPage(page, 'Powers')
    assert.match((await page.locator('[data-qa="step-cpn"]').textContent()) ?? '', /must come before/)
    assert.equal(await page.locator('[data-qa="issue-cpn"]').count(), 0, 'a blocked power has no issue link')
    await context.close()

    const supervisorContext = await newContext(browser, { javaScript: false })
    const supervisorPage = await supervisorContext.newPage()
    const supervisor = await newStaff(server, {
      roles: ['supervisor'],
      partnerCode: 'council',
      teamCode: 'asb-investigations',
      name: 'Sid Supervisor',
    })
    await signIn(supervisorPage, server.baseUrl, supervisor, { next: actionUrl })
    await verifyOnPage(supervisorPage, 'Community Protection Warning')
    await supervisorPage.getByLabel('Approve: it counts from its date').check()
    await supervisorPage.locator('[data-qa="approval-submit"]').click()
    await verifyOnPage(supervisorPage, 'Community Protection Warning')
    assert.match(
      (await supervisorPage.locator('[data-qa="late-record"]').textContent()) ?? '',
      /Late record approved by Sid Supervisor/,
    )
    await supervisorPage.goto(`${server.baseUrl}/cases/${opened.id}/powers?party=${partyId}`)
    assert.equal(await supervisorPage.locator('[data-qa="issue-cpn"]').count(), 1, 'the Notice can now follow')
    await supervisorContext.close()
  })

  it('closes the reports residents added to a report with its case: every tracking page shows the outcome', async () => {
    const submit = async (name: string, linkedReference?: string) => {
      const today = new Date().toISOString().slice(0, 10)
      const result = await server.deps.reporting.intake.submit(
        {
          channel: 'web',
          category: 'noise_music',
          location: { postcode: 'E1 0AA' },
          occurredOn: today,
          pattern: 'ongoing',
          frequency: 'daily',
          description: 'Shouting in the stairwell every night',
          impact: {
            reporterRole: 'witness',
            howOften: 'regularly',
            unsafeAtHome: 'no',
            healthAffected: 'no',
            targeted: 'no',
            characteristics: [],
          },
          reporter: {
            mode: 'named',
            name,
            email: 'neighbour@example.org',
            contactPreference: 'email',
            consentToShare: true,
          },
          ...(linkedReference ? { linkedReference } : {}),
        },
        systemActor,
      )
      return { reference: result.report.reference, trackingCode: result.trackingCode ?? '' }
    }
    const parent = await submit('Nia Neighbour')
    const added = [
      await submit('Ola Neighbour', parent.reference),
      await submit('Pip Neighbour', parent.reference),
      await submit('Quin Neighbour', parent.reference),
    ]
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    const officer = await newStaff(server, {
      roles: ['officer'],
      partnerCode: 'council',
      teamCode: 'asb-investigations',
    })
    await signIn(page, server.baseUrl, officer, { next: `/staff/triage/${parent.reference}` })
    await verifyOnPage(page, parent.reference)
    assert.match((await page.locator('main').textContent()) ?? '', /Reports added to this one/)
    await page.getByLabel('Title', { exact: true }).fill('Shouting in the stairwell')
    await page
      .getByLabel('Team', { exact: true })
      .selectOption({ label: 'London Borough of Tower Hamlets: ASB Investigations Team' })
    await page.getByRole('button', { name: 'Open a case' }).click()
    await page.waitForURL(/\/cases\/ASB-\d{2}-\d{5}$/)
    await verifyOnPage(page, 'Shouting in the stairwell')
    const reports = (await page.locator('[data-qa="case-reports"]').textContent()) ?? ''
    for (const report of [parent, ...added]) assert.ok(reports.includes(report.reference), report.reference)
    await page.getByRole('link', { name: 'Close the case' }).click()
    await verifyOnPage(page, 'Close the case')
    await page.getByLabel('Resolved').check()
    await page
      .getByLabel('Explanation for the residents')
      .fill('We served a Community Protection Notice and the shouting stopped.')
    await page.getByRole('button', { name: 'Close case' }).click()
    await page.waitForURL(/closed=1/)
    await context.close()

    const resident = await newContext(browser, { javaScript: true })
    const tracking = await resident.newPage()
    for (const report of added) {
      await tracking.goto(`${server.baseUrl}/track/${report.reference}/${report.trackingCode}`)
      const main = (await tracking.locator('main').textContent()) ?? ''
      assert.match(main, /the shouting stopped/)
    }
    await resident.close()
  })

  it('finds Darren Smith on two cases through the person index, and opens each', async () => {
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    const officer = await newStaff(server, {
      roles: ['officer'],
      partnerCode: 'council',
      teamCode: 'asb-investigations',
    })
    await signIn(page, server.baseUrl, officer)
    await page.getByRole('link', { name: 'People and places' }).click()
    await verifyOnPage(page, 'Find a person or place')
    await page.getByLabel('Name', { exact: true }).fill('Darren Smith')
    await page.getByRole('button', { name: 'Search' }).click()
    await verifyOnPage(page, 'Find a person or place')
    await page.getByRole('link', { name: 'Darren Smith', exact: true }).click()
    await verifyOnPage(page, 'Darren Smith')
    const cases = page.locator('[data-qa="records"] a[href^="/cases/"]')
    assert.equal(await cases.count(), 2)
    // The Enforcement Officers' case he is a witness on is not shown, only who to ask.
    assert.match(
      (await page.locator('[data-qa="hidden-records"]').textContent()) ?? '',
      /1 record you cannot see – ask/,
    )
    const [first = ''] = await cases.allTextContents()
    await cases.first().click()
    await verifyOnPage(page, first.split(': ').slice(1).join(': '))
    await context.close()
  })
  it('shows the new casework pages in words and without axe violations: notifications, merges, a place, reopening and a change to a power, JavaScript off', async () => {
    const db = server.deps.database.db
    const team = await server.deps.accounts.repository.teamByCode('asb-investigations')
    assert.ok(team)
    const supervisor = await newStaff(server, {
      roles: ['supervisor'],
      partnerCode: 'council',
      teamCode: 'asb-investigations',
    })
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    await signIn(page, server.baseUrl, supervisor, { next: '/account/notifications' })
    await verifyOnPage(page, 'Email notifications')
    await page.getByRole('group', { name: 'A task is overdue' }).getByLabel('Include it in my daily email').check()
    await page.getByRole('button', { name: 'Save choices' }).click()
    await verifyOnPage(page, 'Email notifications')
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /Your choices are saved/)

    await page.goto(`${server.baseUrl}/people/merges`)
    await verifyOnPage(page, 'Possible duplicate people')
    await page.locator('main a[href^="/people/merges/"]').first().click()
    await verifyOnPage(page, 'Are these the same person?')

    const place = await db.selectFrom('place').select('id').where('postcode', 'is not', null).executeTakeFirst()
    assert.ok(place, 'the demo indexes places')
    await page.goto(`${server.baseUrl}/people/places/${place.id}`)
    await verifyOnPage(page, /./)
    assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /\b[a-z]+_[a-z]+\b/)

    const closed = await db
      .selectFrom('asb_case')
      .select('reference')
      .where('status', '=', 'closed')
      .where('owning_team_id', '=', team.id)
      .executeTakeFirst()
    assert.ok(closed, 'the demo has a closed case of the team')
    await page.goto(`${server.baseUrl}/cases/${closed.reference}/reopen`)
    await verifyOnPage(page, 'Reopen the case')
    await page.getByRole('button', { name: /Reopen/ }).click()
    await verifyOnPage(page, 'Reopen the case')
    assert.ok(await page.locator('.govuk-error-summary').count(), 'a reason is needed')

    const action = await db
      .selectFrom('power_action as a')
      .innerJoin('asb_case as c', 'c.id', 'a.case_id')
      .select(['a.id', 'a.case_id'])
      .where('c.owning_team_id', '=', team.id)
      .where('c.status', '=', 'open')
      .executeTakeFirst()
    assert.ok(action, 'the demo has a power on an open case of the team')
    await page.goto(`${server.baseUrl}/cases/${action.case_id}/powers/actions/${action.id}/changes/new`)
    await verifyOnPage(page, /^Record a change to the /)
    await context.close()
  })
})
