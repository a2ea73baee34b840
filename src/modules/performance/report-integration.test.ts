import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { parse } from 'node-html-parser'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { pdfText } from '../../../test/helpers/pdf-text.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { createRandom } from '../../db/seeds/random.js'
import { activityDemoSeeder } from '../activity/index.js'
import { performanceDemoSeeder } from './performance-demo.js'

function csvLines(body: string): string[] {
  return body
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
}

describe('Integration: generated reports, survey import, indicator editing, transparency', () => {
  let t: TestApp
  let officer: StaffSession
  let analyst: StaffSession
  const get = (url: string, session: StaffSession | null = officer) =>
    t.app.inject({ method: 'GET', url, headers: session ? { cookie: session.cookie } : {} })
  const post = (url: string, session: StaffSession, payload: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: session.cookie },
      payload: { _csrf: session.token, ...payload },
    })

  before(async () => {
    t = await buildTestApp()
    await performanceDemoSeeder.seed(t.deps, createRandom(3))
    await activityDemoSeeder.seed(t.deps, createRandom(7))
    officer = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['officer'] }))
    analyst = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['analyst'] }))
  })
  after(async () => {
    await t.deps.pdf.close()
    await t.close()
  })

  it('lists the reports for staff only', async () => {
    assert.equal((await get('/performance/reports', null)).statusCode, 303)
    const index = await get('/performance/reports')
    assert.equal(index.statusCode, 200)
    const page = parse(index.body)
    assert.ok(page.querySelector('[data-qa="quarter-2018-q4"]'), 'the quarter of the latest figures')
    assert.ok(page.querySelector('[data-qa="year-2018"]'))
  })

  it('renders the quarterly report: KPI table, chart with its data table, three-year trends, wards, plan', async () => {
    const response = await get('/performance/reports/quarterly/2018-q4')
    assert.equal(response.statusCode, 200)
    assert.doesNotMatch(response.body, /NaN|Infinity|undefined/)
    const page = parse(response.body)
    assert.match(page.querySelector('[data-qa="report-title"]')?.text ?? '', /Quarterly performance report/)
    for (const id of ['summary', 'kpis', 'change', 'trends', 'wards', 'plan', 'about']) {
      assert.ok(page.querySelector(`[data-qa="report-section-${id}"]`), id)
    }
    const kpis = page.querySelector('[data-qa="report-table-kpis"]')
    const repeat = kpis?.querySelectorAll('tr').find(tr => tr.text.includes('Number of ASB repeat callers'))
    assert.match(repeat?.text ?? '', /522[\s\S]*574[\s\S]*-9\.06[\s\S]*Down: better/)
    const trend = page.querySelector('[data-qa="report-chart-trend-people-trained"]')
    assert.ok(trend?.querySelector('svg[role="img"] title'), 'the chart has a title')
    assert.ok(trend?.querySelector('svg desc'), 'and a description')
    const trendRows = trend?.querySelectorAll('[data-qa="report-table-trend-people-trained"] tbody tr') ?? []
    assert.equal(trendRows.length, 12, 'April to March')
    assert.equal(trend?.querySelectorAll('thead th').length, 4, 'month and three financial years')
    assert.equal(page.querySelectorAll('[data-qa="report-table-wards"] tbody tr').length, 20)
    assert.ok(page.querySelector('[data-qa="report-pdf"]'))
  })

  it('gives every table as CSV', async () => {
    const kpis = await get('/performance/reports/quarterly/2018-q4/kpis.csv')
    assert.equal(kpis.statusCode, 200)
    assert.match(String(kpis.headers['content-type']), /text\/csv/)
    const lines = csvLines(kpis.body)
    assert.match(lines[0] ?? '', /^CSP priority,Indicator id,Performance indicator,YTD from,YTD to,YTD,Previous YTD/)
    assert.ok(lines.some(line => line.includes(',asb-repeat-callers,') && line.includes(',522,574,-9.06,')))
    const trend = csvLines((await get('/performance/reports/quarterly/2018-q4/trend-people-trained.csv')).body)
    assert.equal(trend.length, 37, 'a header and 36 months')
    const total = trend
      .slice(1)
      .filter(line => line.includes(',2018/19,'))
      .reduce((sum, line) => sum + Number(line.split(',')[2]), 0)
    assert.equal(total, 1742)
    const wards = csvLines((await get('/performance/reports/quarterly/2018-q4/wards.csv')).body)
    assert.match(wards[0] ?? '', /^Ward code,Ward,Indicator id/)
    const outputs = csvLines((await get('/performance/reports/annual/2018/outputs.csv')).body)
    assert.ok(outputs.includes('people-trained,People trained,people,1742,1510,15.36'), outputs.join('\n'))
    assert.ok(outputs.includes('unlicensed-event-closed,Unlicensed events closed,events,15,11,36.36'))
    assert.equal((await get('/performance/reports/quarterly/2018-q4/nope.csv')).statusCode, 404)
    assert.equal((await get('/performance/reports/quarterly/2018-q9')).statusCode, 404)
  })

  it('renders the annual delivery report with the delivery counts', async () => {
    const response = await get('/performance/reports/annual/2018')
    assert.equal(response.statusCode, 200)
    const page = parse(response.body)
    const figures = page.querySelector('[data-qa="report-section-outputs"]')?.text ?? ''
    assert.match(figures, /1,742\s+People trained/)
    assert.match(figures, /254\s+CCTV incidents/)
    assert.ok(page.querySelector('[data-qa="pair-chart"]'))
    assert.equal(page.querySelectorAll('[data-qa="report-table-outputs-wards"] tbody tr').length, 20)
  })

  it('prints the quarterly report to a PDF', async () => {
    const response = await get('/performance/reports/quarterly/2018-q4.pdf')
    assert.equal(response.statusCode, 200)
    assert.equal(response.headers['content-type'], 'application/pdf')
    const text = pdfText(response.rawPayload).replace(/\s+/g, ' ')
    assert.match(text, /Quarterly performance report Quarter 4 2018\/19 \(January to March 2019\)/)
    assert.match(text, /Aggregate figures only: this report holds no information about any person\./)
    assert.match(text, /Number of ASB repeat callers to police 522 574 -9\.06 ▼ Down: better/)
    assert.match(text, /Page 1 of \d+/)
  })

  it('shows the public borough-wide figures to anyone, and nothing by ward', async () => {
    const response = await get('/community-safety-in-figures', null)
    assert.equal(response.statusCode, 200)
    const page = parse(response.body)
    assert.match(page.querySelector('[data-qa="public-kpi-row-asb-repeat-callers"]')?.text ?? '', /522[\s\S]*574/)
    assert.match(page.querySelector('[data-qa="public-outputs"]')?.text ?? '', /People trained\s*1,742\s*1,510/)
    for (const ward of t.deps.geography.wards()) assert.doesNotMatch(response.body, new RegExp(`>${ward.name}<`))
  })

  it('imports a resident survey all-or-nothing, with a line report, for analysts only', async () => {
    const borough = t.deps.geography.borough().code
    const ward = t.deps.geography.wards()[0]?.code ?? ''
    const header = 'survey,measure,area_code,period_start,period_end,respondents,agreeing'
    const count = async () =>
      Number(
        (
          await t.deps.database.db
            .selectFrom('performance_survey_result')
            .select(eb => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await count()
    assert.equal((await post('/performance/survey-import', officer, { csv: header })).statusCode, 403)
    const badHeader = await post('/performance/survey-import', analyst, { csv: 'survey,measure\nx,y' })
    assert.equal(badHeader.statusCode, 400)
    assert.match(badHeader.body, /The first line must be exactly/)
    const badLine = await post('/performance/survey-import', analyst, {
      csv: `${header}\nARS,safe-after-dark,${borough},2019-04-01,2019-06-30,1000,640\nARS,safe-after-dark,${ward},2019-04-01,2019-06-30,50,60\n`,
    })
    assert.equal(badLine.statusCode, 400)
    assert.match(badLine.body, /govuk-error-summary/)
    const problems = parse(badLine.body).querySelectorAll('[data-qa="survey-problems"] tbody tr')
    assert.deepEqual(
      problems.map(tr => tr.querySelectorAll('td').map(td => td.text.trim())),
      [['3', 'agreeing', 'More agreed than there were respondents']],
    )
    assert.equal(await count(), before, 'nothing saved from a file with a bad line')
    const good = await post('/performance/survey-import', analyst, {
      csv: `${header}\nARS,safe-after-dark,${borough},2019-04-01,2019-06-30,1000,640\n`,
      fileName: 'ARS 2019 Q1',
    })
    assert.equal(good.statusCode, 303)
    assert.equal(await count(), before + 1)
    const kpis = (await t.app.inject({ method: 'GET', url: '/api/v1/kpis?asAt=2019-06-30' })).json<
      { id: string; ytd: number | null }[]
    >()
    assert.equal(kpis.find(kpi => kpi.id === 'feel-safe-after-dark')?.ytd, 64)
    const audit = await t.deps.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'PERFORMANCE_SURVEY_IMPORTED')
      .execute()
    assert.equal(audit.length, 1)
  })

  it('refuses an indicator without polarity, keeps the answers, and saves a complete one from a registered source', async () => {
    t.deps.performanceSources.register({
      key: 'test:things',
      name: 'Things counted by a test module',
      module: 'test',
      monthlyCounts: async () => [
        { wardCode: t.deps.geography.wards()[0]?.code ?? null, month: '2019-04-01', total: 7 },
        { wardCode: null, month: '2019-05-01', total: 3 },
        { wardCode: null, month: '2018-04-01', total: 4 },
      ],
    })
    const form = {
      name: 'Things counted',
      priorityId: 'violence',
      unit: 'count',
      polarity: '',
      targetKind: 'none',
      targetValue: '',
      tolerancePct: '5',
      stableBandPct: '2',
      source: 'count:test:things',
      surveyMeasure: '',
      description: 'A test indicator',
    }
    assert.equal((await post('/performance/indicators/new', officer, form)).statusCode, 403)
    const refused = await post('/performance/indicators/new', analyst, form)
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /href="#polarity"/)
    assert.match(refused.body, /value="Things counted"/)
    const saved = await post('/performance/indicators/new', analyst, { ...form, polarity: 'lower-better' })
    assert.equal(saved.statusCode, 303)
    assert.equal(saved.headers.location, '/performance/indicators/things-counted?saved=1')
    const kpis = (await t.app.inject({ method: 'GET', url: '/api/v1/kpis?asAt=2019-05-31' })).json<
      { id: string; ytd: number | null; previousYtd: number | null; changePct: number | null }[]
    >()
    assert.deepEqual(
      kpis.find(kpi => kpi.id === 'things-counted'),
      {
        id: 'things-counted',
        name: 'Things counted',
        priority: 'Violence',
        unit: 'count',
        polarity: 'lower-better',
        ytd: 10,
        previousYtd: 4,
        changePct: 150,
        direction: 'worsening',
        rag: 'grey',
        // A source that declares no description is described by its name.
        source: {
          kind: 'count',
          key: 'test:things',
          description: "Counted from Safer's records: Things counted by a test module.",
        },
        asAt: '2019-05-31',
      },
    )
    const edited = await post('/performance/indicators/things-counted/edit', analyst, {
      ...form,
      polarity: 'higher-better',
      targetKind: 'value',
      targetValue: '12',
    })
    assert.equal(edited.statusCode, 303)
    const after = (await t.app.inject({ method: 'GET', url: '/api/v1/kpis?asAt=2019-05-31' })).json<
      { id: string; direction: string; rag: string }[]
    >()
    assert.deepEqual(
      after.filter(kpi => kpi.id === 'things-counted').map(kpi => [kpi.direction, kpi.rag]),
      [['improving', 'red']],
    )
  })

  it('records a manual figure with evidence, and re-shows the form on bad input', async () => {
    const url = '/performance/indicators/knife-crime/values'
    assert.equal((await get(url)).statusCode, 403, 'officers read figures but do not record them')
    const page = await get(url, analyst)
    assert.equal(page.statusCode, 200)
    const bad = await post(url, analyst, {
      areaCode: t.deps.geography.borough().code,
      periodStart: '2019-04-01',
      periodEnd: '2019-04-31',
      value: 'lots',
      evidence: '',
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /href="#value"/)
    assert.match(bad.body, /value="2019-04-31"/)
    const good = await post(url, analyst, {
      areaCode: t.deps.geography.borough().code,
      periodStart: '2019-04-01',
      periodEnd: '2019-04-30',
      value: '61',
      evidence: 'MPS crime dashboard, 3 May 2019',
    })
    assert.equal(good.statusCode, 303)
    const detail = await get('/performance/indicators/knife-crime?asAt=2019-04-30')
    assert.match(detail.body, /MPS crime dashboard, 3 May 2019/)
  })
})
