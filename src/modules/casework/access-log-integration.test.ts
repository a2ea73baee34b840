/**
 * The case access log pages through every event on the case (GOV.UK pagination, ACCESS_LOG_PAGE_SIZE a page) and filters them into
 * refused attempts, views and exports, and changes, with GET parameters (no JavaScript).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import { ACCESS_LOG_PAGE_SIZE as SIZE, pageNumbers } from './casework-routes.js'

const clock = fixedClock('2026-11-20T10:00:00Z')

describe('Integration: the case access log', () => {
  let t: TestApp
  let supervisor: StaffSession
  let caseId = ''
  let path = ''

  before(async () => {
    t = await buildTestApp({ clock })
    const officer = await createStaff(t.deps, {
      roles: ['officer'],
      partnerCode: 'council',
      teamCode: 'asb-investigations',
    })
    const boss = await createStaff(t.deps, {
      roles: ['supervisor'],
      partnerCode: 'council',
      teamCode: 'asb-investigations',
    })
    supervisor = await signIn(t.app, t.deps, boss)
    const record = await t.deps.accounts.repository.userById(officer.id)
    assert.ok(record)
    const actor = { type: 'user' as const, id: officer.id }
    const opened = await t.deps.casework.openCase(
      {
        title: 'Noise case',
        category: 'harassment',
        priority: 'medium',
        sensitivity: null,
        owningTeamId: record.teamId ?? '',
        owningPartnerId: record.partnerId,
        leadOfficerId: officer.id,
        wardCode: null,
      },
      actor,
    )
    caseId = opened.id
    const row = await t.deps.casework.repository.caseById(opened.id)
    assert.ok(row)
    path = `/cases/${row.reference}/access-log`
    // The oldest first: the opening above, then two pages and a bit of views, then 3 refused attempts.
    await t.deps.database.db
      .insertInto('audit_event')
      .values(
        Array.from({ length: 2 * SIZE + 20 }, () => {
          clock.advance(1000)
          return t.deps.audit.row({ actor, action: 'case.viewed', subjectType: 'case', subjectId: caseId })
        }),
      )
      .execute()
    for (let i = 0; i < 3; i++) {
      clock.advance(1000)
      await t.deps.audit.record({
        actor,
        action: 'case.access-refused',
        subjectType: 'case',
        subjectId: caseId,
        details: { found: true },
      })
    }
  })
  after(async () => {
    await t.close()
  })

  async function eventsOnCase(): Promise<number> {
    const { n } = await t.deps.database.db
      .selectFrom('audit_event')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where('subject_type', '=', 'case')
      .where('subject_id', '=', caseId)
      .executeTakeFirstOrThrow()
    return n
  }

  async function get(query = '') {
    clock.advance(1000)
    const response = await t.app.inject({
      method: 'GET',
      url: `${path}${query}`,
      headers: { cookie: supervisor.cookie },
    })
    return { ...response, rows: response.body.split('data-qa="access-row"').length - 1 }
  }

  it('shows the newest page of events and pages through all of them', async () => {
    const total = await eventsOnCase()
    assert.ok(total > 2 * SIZE, `${String(total)} events on the case`)
    const first = await get()
    assert.equal(first.statusCode, 200)
    assert.equal(first.rows, SIZE)
    assert.match(first.body, new RegExp(`Showing 1 to ${String(SIZE)} of ${String(total)} events`))
    assert.match(first.body, /class="govuk-pagination"/)
    assert.match(first.body, /href="\/cases\/[^"?]+\/access-log\?page=2"/)
    assert.match(first.body, /Was refused access/)
    assert.doesNotMatch(first.body, /Opened the case/, 'the oldest event is on the last page')

    const pages = Math.ceil((total + 1) / SIZE)
    const last = await get(`?page=${String(pages)}`)
    assert.equal(last.statusCode, 200)
    assert.match(last.body, /Opened the case/)
    assert.match(last.body, /govuk-pagination__prev/)
    assert.doesNotMatch(last.body, /govuk-pagination__next/)
    // A page past the end shows the last one.
    const beyond = await get('?page=500')
    assert.equal(beyond.statusCode, 200)
    assert.match(beyond.body, /Opened the case/)
  })

  it('filters refused attempts, views and changes, and keeps the filter while paging', async () => {
    const refusals = await get('?filter=refusals')
    assert.equal(refusals.statusCode, 200)
    assert.equal(refusals.rows, 3)
    assert.match(refusals.body, /Showing 1 to 3 of 3 events/)
    assert.doesNotMatch(refusals.body, /Viewed the case/)
    assert.match(refusals.body, /<option value="refusals" selected>/)
    assert.doesNotMatch(refusals.body, /govuk-pagination/)

    const changes = await get('?filter=changes')
    assert.equal(changes.statusCode, 200)
    assert.match(changes.body, /Opened the case/)
    assert.doesNotMatch(changes.body, /Viewed the case|Was refused access|Viewed the access log/)

    const views = await get('?filter=views')
    assert.equal(views.statusCode, 200)
    assert.equal(views.rows, SIZE)
    assert.doesNotMatch(views.body, /Opened the case|Was refused access/)
    assert.match(views.body, /Viewed the access log/)
    assert.match(views.body, /href="\/cases\/[^"?]+\/access-log\?filter=views&amp;page=2"/)
    const second = await get('?filter=views&page=2')
    assert.equal(second.statusCode, 200)
    assert.equal(second.rows, SIZE)
    assert.match(second.body, /href="\/cases\/[^"?]+\/access-log\?filter=views&amp;page=3"/)
    assert.match(second.body, /href="\/cases\/[^"?]+\/access-log\?filter=views"/, 'page 1 keeps the filter')
    assert.doesNotMatch(second.body, /Opened the case|Was refused access/)

    // Each look at the log is itself audited, with the filter and page.
    const seen = await t.deps.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'case.access-log-viewed')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal(seen.details.filter, 'views')
    assert.equal(seen.details.page, 2)
  })

  it('answers 400, not 500, to a filter or page it does not know', async () => {
    for (const query of ['?filter=everything', '?page=0', '?page=two']) {
      const response = await get(query)
      assert.equal(response.statusCode, 400, query)
    }
  })

  it('shows the first, last, current and neighbouring page numbers', () => {
    assert.deepEqual(pageNumbers(1, 1), [1])
    assert.deepEqual(pageNumbers(1, 3), [1, 2, 3])
    assert.deepEqual(pageNumbers(5, 10), [1, null, 4, 5, 6, null, 10])
    assert.deepEqual(pageNumbers(10, 10), [1, null, 9, 10])
  })
})
