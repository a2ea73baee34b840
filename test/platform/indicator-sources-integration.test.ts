/**
 * Every module's indicator sources, declared through the module contract, reach performance's registry and count
 * from the module's own records: the queries run on the real database (PGlite, and PostgreSQL in CI), and an action
 * taken through the product moves its count on the next read.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import type { CountSource } from '../../src/modules/performance/index.js'
import { fixedClock } from '../../src/platform/clock.js'
import { buildTestApp, type TestApp } from '../helpers/build-app.js'
import { openCaseWithParties, type RiskPowersCase } from '../helpers/risk-powers-fixtures.js'
import { createStaff, signIn, type StaffSession } from '../helpers/staff.js'

const MONTH = { from: '2026-11-01', to: '2026-11-30' }

async function total(source: CountSource | undefined): Promise<number> {
  assert.ok(source, 'source registered')
  const counts = await source.monthlyCounts(MONTH.from, MONTH.to)
  return counts.reduce((sum, count) => sum + count.total, 0)
}

describe('Integration: indicator sources from every module', () => {
  let test: TestApp
  let officer: StaffSession
  let fixture: RiskPowersCase

  before(async () => {
    test = await buildTestApp({ clock: fixedClock('2026-11-20T10:00:00Z') })
    const staff = await createStaff(test.deps, { roles: ['officer'], partnerCode: 'council', teamCode: 'asb-test' })
    fixture = await openCaseWithParties(test.deps, { teamCode: 'asb-test', leadOfficerId: staff.id })
    officer = await signIn(test.app, test.deps, staff)
  })
  after(() => test.close())

  it('registers what each module declares, once, and every source answers with counts by ward and month', async () => {
    const registered = test.deps.performanceSources.list()
    const declared = test.deps.modules.flatMap(module => module.indicatorSources ?? [])
    assert.deepEqual(registered.map(source => source.key).sort(), declared.map(source => source.key).sort())
    const modules = new Set(registered.map(source => source.module))
    for (const module of ['reporting', 'intelligence', 'panels', 'casework', 'risk', 'powers', 'case-review']) {
      assert.ok(modules.has(module), `${module} declares sources`)
    }
    for (const source of registered) {
      const counts = await source.monthlyCounts('2025-04-01', '2026-11-30')
      for (const count of counts) {
        assert.match(count.month, /^\d{4}-\d{2}-01$/, source.key)
        assert.ok(Number.isInteger(count.total) && count.total > 0, source.key)
      }
    }
  })

  it('counts the case this test opened, and moves the CPW count by one when a CPW is issued', async () => {
    const sources = test.deps.performanceSources
    assert.equal(await total(sources.get('cases:opened')), 1)
    const cpwBefore = await total(sources.get('powers:cpw'))
    const allBefore = await total(sources.get('powers:all'))

    const issued = await test.app.inject({
      method: 'POST',
      url: `/cases/${fixture.caseId}/powers/cpw/new`,
      headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: officer.token,
        submissionId: randomUUID(),
        party: fixture.adultId,
        'actionDate-day': '2',
        'actionDate-month': '11',
        'actionDate-year': '2026',
        conduct: 'Loud music nightly',
        requirements: 'No amplified music after 11pm',
        complianceDays: '14',
      }).toString(),
    })
    assert.equal(issued.statusCode, 303)
    assert.equal(await total(sources.get('powers:cpw')), cpwBefore + 1)
    assert.equal(await total(sources.get('powers:all')), allBefore + 1)
    assert.equal(await total(sources.get('powers:cpn')), 0)
  })
})
