import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { parse } from 'node-html-parser'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { systemActor } from '../../platform/audit.js'
import { performanceDemoSeeder } from './performance-demo.js'
import { PerformanceInputError } from './performance-errors.js'
import { performanceErrorText } from './performance-presenters.js'

describe('Integration: performance', () => {
  let t: TestApp
  let staff: StaffSession
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: staff.cookie } })
  before(async () => {
    t = await buildTestApp()
    await performanceDemoSeeder.seed(t.deps, { next: () => 0 } as never)
    staff = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['officer'] }))
  })
  after(async () => {
    await t.close()
  })

  it("opens on the deck's KPI table, grouped by CSP priority, with direction of travel in words", async () => {
    const response = await get('/performance')
    assert.equal(response.statusCode, 200)
    const page = parse(response.body)
    const row = (id: string) => {
      const tr = page.querySelector(`[data-qa="kpi-row-${id}"]`)
      assert.ok(tr, id)
      const cell = (qa: string) => tr.querySelector(`[data-qa="${qa}"]`)?.text.trim()
      return [cell('ytd'), cell('previous-ytd'), cell('change-pct'), cell('direction')]
    }
    assert.deepEqual(row('asb-repeat-callers'), ['522', '574', '-9.06', '▼Down: better'])
    assert.deepEqual(row('domestic-abuse-offences'), ['3,393', '3,013', '+12.61', '▲Up: worse'])
    assert.deepEqual(row('sdvc-conviction-rate'), ['69%', '72%', '-4.17', '▼Down: worse'])
    assert.deepEqual(row('hate-crime-offences'), ['741', '683', '+8.49', '▲Up: better (more reporting)'])
    assert.deepEqual(row('asb-portal-reports'), ['190', 'n/a', 'n/a', 'Not available: no previous year'])
    assert.deepEqual(row('drug-operation-arrests'), ['1,563', '257', '+508.17', '▲Up: better'])
    assert.equal(row('asb-calls-101')[3], '►No significant change')
    assert.ok(page.querySelector('[data-qa="kpi-table-violence"]'))
    assert.match(response.body, /Year to date as at 31 March 2019/)
    assert.match(response.body, /<strong class="govuk-tag govuk-tag--grey">No target<\/strong>/)
    assert.ok(page.querySelector('[data-qa="change-chart"]'), 'an SVG chart')
    assert.equal(page.querySelectorAll('[data-qa="chart-data"] tbody tr').length, 12, 'its data table beside it')
    assert.doesNotMatch(response.body, /NaN|Infinity|undefined/)
  })

  it('answers the public KPI API, with nulls for n/a', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/kpis?asAt=2019-03-31' })
    assert.equal(response.statusCode, 200)
    const kpis = response.json<{ id: string; ytd: number; previousYtd: number | null; changePct: number | null }[]>()
    assert.equal(kpis.length, 33)
    assert.deepEqual(
      kpis.find(kpi => kpi.id === 'total-burglary'),
      {
        id: 'total-burglary',
        name: 'Total burglary',
        priority: 'Reducing re-offending',
        unit: 'count',
        polarity: 'lower-better',
        ytd: 3293,
        previousYtd: 2928,
        changePct: 12.47,
        direction: 'worsening',
        rag: 'grey',
      },
    )
    const portal = kpis.find(kpi => kpi.id === 'drug-asb-portal-reports')
    assert.equal(portal?.previousYtd, null)
    assert.equal(portal?.changePct, null)

    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/kpis?asAt=2019-02-30' })
    assert.equal(bad.statusCode, 400)
    assert.match(String(bad.headers['content-type']), /application\/json/)
  })

  it('downloads the KPI table as CSV that a spreadsheet reads', async () => {
    const response = await get('/performance.csv?asAt=2019-03-31')
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /text\/csv/)
    assert.match(
      String(response.headers['content-disposition']),
      /attachment; filename="kpis-E09000030-2019-03-31.csv"/,
    )
    const lines = response.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    assert.equal(lines.length, 34)
    assert.match(lines[0] ?? '', /^Plan,CSP priority,Indicator id,Performance indicator/)
    const repeat = lines.find(line => line.includes('asb-repeat-callers'))
    assert.match(repeat ?? '', /,2019-03-31,522,2017-04-01,2018-03-31,574,-52,-9.06,Down: better,No target,No target$/)
  })

  it('refuses a date that does not exist with a GOV.UK error summary, not a 500', async () => {
    const response = await get('/performance?asAt=2019-13-01')
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /govuk-error-summary/)
    assert.match(response.body, /href="#asAt"/)
    const ward = await get('/performance?ward=E05000000')
    assert.equal(ward.statusCode, 400)
  })

  it('drills down to wards and months, and sums monthly ward figures for the borough', async () => {
    const whitechapel = t.deps.geography.wards().find(ward => ward.name === 'Whitechapel')
    assert.ok(whitechapel)
    const borough = t.deps.geography.borough().code
    for (const [month, value, area] of [
      ['2019-04', 30, borough],
      ['2019-05', 25, borough],
      ['2018-04', 40, borough],
      ['2018-05', 20, borough],
      ['2019-04', 6, whitechapel.code],
      ['2018-04', 4, whitechapel.code],
    ] as const) {
      await t.deps.performance.recordValue(
        {
          indicatorId: 'knife-crime',
          areaCode: area,
          periodStart: `${month}-01`,
          periodEnd: month.endsWith('04') ? `${month}-30` : `${month}-31`,
          value,
          denominator: null,
          evidence: 'MPS monthly crime data (test)',
        },
        systemActor,
      )
    }
    const detail = await get('/performance/indicators/knife-crime?asAt=2019-05-31')
    assert.equal(detail.statusCode, 200)
    const page = parse(detail.body)
    assert.match(page.querySelector('[data-qa="indicator-summary"]')?.text ?? '', /55[\s\S]*60[\s\S]*-8\.33/)
    assert.equal(page.querySelectorAll('[data-qa="month-table"] tbody tr').length, 2)
    assert.ok(page.querySelector('[data-qa="month-chart"]'))
    const wardRows = page.querySelectorAll('[data-qa="ward-table"] tbody tr')
    assert.equal(wardRows.length, 20)
    const row = wardRows.find(tr => tr.text.includes('Whitechapel'))
    assert.match(row?.text ?? '', /6[\s\S]*4[\s\S]*\+50\.00[\s\S]*Up: worse/)

    const months = await get('/performance/indicators/knife-crime/months.csv?asAt=2019-05-31')
    assert.match(months.body, /knife-crime,2019-04,30,40\r\nknife-crime,2019-05,25,20\r\n/)
    const wards = await get('/performance/indicators/knife-crime/wards.csv?asAt=2019-05-31')
    assert.match(wards.body, new RegExp(`knife-crime,${whitechapel.code},Whitechapel,2019-05-31,6,4,50,Up: worse`))

    const ward = await get(`/performance?asAt=2019-05-31&ward=${whitechapel.code}`)
    assert.equal(ward.statusCode, 200)
    assert.match(ward.body, /Performance indicators: Whitechapel/)

    const audit = await t.deps.audit.forSubject('performance_indicator', 'knife-crime')
    assert.equal(audit.length, 6)
    assert.equal(audit[0]?.action, 'PERFORMANCE_VALUE_RECORDED')
  })

  it('rejects an indicator without polarity at the database, and a manual value without evidence', async () => {
    await assert.rejects(
      t.deps.database.db
        .insertInto('performance_indicator')
        .values({
          id: 'no-polarity',
          name: 'No polarity',
          priority_id: 'violence',
          unit: 'count',
          polarity: null as never,
          target_kind: null,
          target_value: null,
          source_kind: 'manual',
          source_activity_type: null,
        })
        .execute(),
    )
    await assert.rejects(
      t.deps.performance.recordValue(
        {
          indicatorId: 'knife-crime',
          areaCode: t.deps.geography.borough().code,
          periodStart: '2019-06-01',
          periodEnd: '2019-06-30',
          value: 1,
          denominator: null,
          evidence: ' ',
        },
        systemActor,
      ),
      // A refusal is a code on the field; its words come from the locale file.
      (error: unknown) =>
        error instanceof PerformanceInputError &&
        error.field === 'evidence' &&
        performanceErrorText(error).includes('Say where the figure comes from'),
    )
  })

  it('404s an unknown indicator', async () => {
    const response = await get('/performance/indicators/nope')
    assert.equal(response.statusCode, 404)
  })
})
