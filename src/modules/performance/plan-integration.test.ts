import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { parse } from 'node-html-parser'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { performanceDemoSeeder } from './performance-demo.js'

describe('Integration: plan tracker', () => {
  let t: TestApp
  let analyst: StaffSession
  let officer: StaffSession
  before(async () => {
    t = await buildTestApp()
    await performanceDemoSeeder.seed(t.deps, { next: () => 0 } as never)
    analyst = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['analyst'] }))
    officer = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['officer'] }))
  })
  after(async () => {
    await t.close()
  })

  it("shows the plan's four priorities with their outcomes, linked indicators and actions", async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/performance/plan?asAt=2019-03-31',
      headers: { cookie: officer.cookie },
    })
    assert.equal(response.statusCode, 200)
    const page = parse(response.body)
    const headings = page.querySelectorAll('h2.govuk-heading-l').map(h => h.text.replace(/\s+/g, ' ').trim())
    assert.deepEqual(headings, [
      'Community Safety Partnership Plan 2021-24Tackling neighbourhood crime and ASB',
      'Community Safety Partnership Plan 2021-24Tackling hate crime, community tensions and extremism',
      'Community Safety Partnership Plan 2021-24Reducing reoffending and tackling the drivers of crime',
      'Community Safety Partnership Plan 2021-24Safeguarding those at risk of violence and exploitation',
    ])
    assert.match(response.body, /Achieve a 15 per cent sanction detection rate for rape offences/)
    assert.match(response.body, /Residents report ASB via the correct channels/)
    assert.match(
      page.querySelector('[data-qa="status-summary"]')?.text ?? '',
      /Not started\s+1 actionGreen[\s\S]*Complete\s+3 actions/,
    )
  })

  it('updates an action, requiring a narrative for amber or red, and audits it', async () => {
    const actions = await t.deps.database.db.selectFrom('performance_action').select(['id', 'title']).execute()
    const action = actions.find(a => a.title.startsWith('Develop a local Predatory Offender Unit'))
    assert.ok(action)
    const url = `/performance/plan/actions/${String(action.id)}`
    const { token, cookie } = analyst
    const forbidden = await t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: officer.cookie },
      payload: { _csrf: officer.token, status: 'complete', narrative: '' },
    })
    assert.equal(forbidden.statusCode, 403, 'an officer may not edit the plan')
    const anonymous = await t.app.inject({ method: 'GET', url })
    assert.equal(anonymous.statusCode, 303)

    const refused = await t.app.inject({
      method: 'POST',
      url,
      headers: { cookie },
      payload: { _csrf: token, status: 'off-track', narrative: '' },
    })
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /href="#narrative"/)
    assert.match(
      refused.body,
      /<input class="govuk-radios__input" id="status-4" name="status" type="radio" value="off-track" checked>/,
    )

    const noStatus = await t.app.inject({ method: 'POST', url, headers: { cookie }, payload: { _csrf: token } })
    assert.equal(noStatus.statusCode, 400)
    assert.match(noStatus.body, /Select the status of the action/)

    const saved = await t.app.inject({
      method: 'POST',
      url,
      headers: { cookie },
      payload: { _csrf: token, status: 'off-track', narrative: 'Funding not yet agreed with MOPAC.' },
    })
    assert.equal(saved.statusCode, 303)
    assert.equal(saved.headers.location, `/performance/plan?updated=${String(action.id)}#action-${String(action.id)}`)
    const plan = parse(
      (await t.app.inject({ method: 'GET', url: '/performance/plan?updated=1', headers: { cookie } })).body,
    )
    const row = plan.querySelector(`[data-qa="action-${String(action.id)}"]`)
    assert.match(row?.text ?? '', /Funding not yet agreed with MOPAC\.[\s\S]*Red: off track/)
    const audit = await t.deps.audit.forSubject('performance_action', String(action.id))
    assert.equal(audit[0]?.action, 'PLAN_ACTION_UPDATED')

    const missing = await t.app.inject({ method: 'GET', url: '/performance/plan/actions/999999', headers: { cookie } })
    assert.equal(missing.statusCode, 404)
  })
})
