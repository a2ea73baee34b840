import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { parse } from 'node-html-parser'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { systemActor } from '../../platform/audit.js'
import { performanceDemoSeeder } from './performance-demo.js'
import { PerformanceInputError } from './performance-errors.js'
import { performanceErrorText } from './performance-presenters.js'
import { declaredSourceKeys } from '../../indicator-source-keys.js'

describe('Integration: performance', () => {
  let t: TestApp
  let staff: StaffSession
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: staff.cookie } })
  before(async () => {
    t = await buildTestApp()
    await performanceDemoSeeder.seed(t.deps, { next: () => 0 } as never)
    staff = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['officer'], teamCode: 'asb-kpis' }))
  })
  after(async () => {
    await t.close()
  })

  it("shows the 2019 deck's KPI table, grouped by CSP priority, with direction of travel in words", async () => {
    // The deck is a historic year now: /performance opens at today (see the next test), so 2019 is chosen.
    const response = await get('/performance?asAt=2019-03-31')
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
    assert.equal(kpis.length, 60) // 24 before issue 15 added 36 indicators counted from records
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
        source: {
          kind: 'manual',
          key: null,
          description:
            "Manual values: figures an analyst recorded, each with its evidence (listed below). Not counted from Safer's records.",
        },
        asAt: '2019-03-31',
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
    assert.equal(lines.length, 61) // the header and 60 indicators (24 before issue 15)
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

  it('opens at today: the financial year containing today, the 2019 deck one choice away and labelled manual', async () => {
    // The test clock is 20 November 2026: financial year 2026/27.
    const response = await get('/performance')
    assert.equal(response.statusCode, 200)
    assert.match(response.body, /Year to date as at 20 November 2026 \(financial year 2026\/27, from 1 April\)/)
    const page = parse(response.body)
    const years = page.querySelector('[data-qa="financial-years"]')
    assert.equal(years?.querySelector('strong')?.text, '2026/27 (this year)')
    const deckYear = years?.querySelectorAll('a').find(a => a.text === '2018/19')
    assert.equal(deckYear?.getAttribute('href'), '/performance?asAt=2019-03-31')
    const repeat = page.querySelector('[data-qa="kpi-row-asb-repeat-callers"]')
    assert.equal(repeat?.querySelector('[data-qa="ytd"]')?.text.trim(), 'No data', 'a deck figure is not this year')
    assert.equal(repeat?.querySelector('[data-qa="manual"]')?.text, 'Manual values')
    assert.equal(page.querySelector('[data-qa="kpi-row-asb-cases-opened"] [data-qa="manual"]'), null)

    const api = await t.app.inject({ method: 'GET', url: '/api/v1/kpis' })
    const kpis = api.json<{ id: string; asAt: string }[]>()
    assert.deepEqual([...new Set(kpis.map(kpi => kpi.asAt))], ['2026-11-20'])
  })

  describe('figures counted from records', () => {
    const [first, second, third] = [0, 1, 2].map(index => {
      return () => {
        const ward = t.deps.geography.wards()[index]
        assert.ok(ward)
        return ward.code
      }
    }) as [() => string, () => string, () => string]

    before(async () => {
      const { db } = t.deps.database
      const team = await db.selectFrom('team').select(['id', 'partner_id']).executeTakeFirstOrThrow()
      const cases: [string, string][] = [
        ['2025-06-10', first()],
        ['2026-05-15', first()],
        ['2026-05-20', second()],
        ['2026-08-10', first()],
      ]
      for (const [index, [date, ward]] of cases.entries()) {
        await db
          .insertInto('asb_case')
          .values({
            reference: `KPI-${String(index)}`,
            title: 'Counted case',
            category: 'noise',
            priority: 'standard',
            status: 'open',
            owning_team_id: team.id,
            owning_partner_id: team.partner_id,
            ward_code: ward,
            opened_at: new Date(`${date}T11:00:00Z`),
            updated_at: new Date(`${date}T11:00:00Z`),
          })
          .execute()
      }
    })

    it("shows the source in its own words on the indicator's page, and real zeros beside the months with cases", async () => {
      const response = await get('/performance/indicators/asb-cases-opened')
      assert.equal(response.statusCode, 200)
      const page = parse(response.body)
      assert.equal(
        page.querySelector('[data-qa="indicator-source"]')?.text,
        "Counted from Safer's casework: ASB cases opened in the month, by the ward of the case.",
      )
      // Year to date at 20 November: April to October (November is not over), against the same months of 2025.
      assert.match(page.querySelector('[data-qa="indicator-summary"]')?.text ?? '', /3[\s\S]*1[\s\S]*\+200\.00/)
      const month = (label: string) =>
        page
          .querySelectorAll('[data-qa="month-table"] tbody tr')
          .find(tr => tr.querySelector('th')?.text === label)
          ?.querySelectorAll('td')
          .map(td => td.text)
      assert.deepEqual(month('Apr 2026'), ['0', 'No data'], 'before the first case: no data; after it: a real 0')
      assert.deepEqual(month('May 2026'), ['2', 'No data'])
      assert.deepEqual(month('Jun 2026'), ['0', '1'])
      const wardRow = (code: string) =>
        page
          .querySelectorAll('[data-qa="ward-table"] tbody tr')
          .find(tr => tr.querySelector('a')?.getAttribute('href')?.endsWith(code))
          ?.querySelectorAll('td')
          .map(td => td.text.trim())
      assert.deepEqual(wardRow(first())?.slice(0, 3), ['2', '1', '+100.00'])
      assert.deepEqual(wardRow(third())?.slice(0, 2), ['0', '0'], 'a ward with no cases while cases are recorded: 0')

      const manual = parse((await get('/performance/indicators/asb-repeat-callers?asAt=2019-03-31')).body)
      assert.match(
        manual.querySelector('[data-qa="indicator-source"]')?.text ?? '',
        /^Manual values: figures an analyst/,
      )
      assert.equal(manual.querySelector('[data-qa="manual-tag"]')?.text, 'Manual values')
    })

    it('says "No data", never 0, for a source with no records for the period', async () => {
      const page = parse((await get('/performance')).body)
      const cell = (id: string, qa: string) =>
        page.querySelector(`[data-qa="kpi-row-${id}"] [data-qa="${qa}"]`)?.text.trim()
      // No MPS recorded-crime file imported, no case review made: no data, not 0.
      assert.equal(cell('residential-burglary-recorded', 'ytd'), 'No data')
      assert.equal(cell('case-review-applications', 'ytd'), 'No data')
      assert.equal(cell('asb-cases-opened', 'ytd'), '3')
      assert.equal(cell('asb-cases-opened', 'previous-ytd'), '1')
    })

    it('adds the source and asAt to each KPI of the API', async () => {
      const kpis = (await t.app.inject({ method: 'GET', url: '/api/v1/kpis' })).json<Record<string, unknown>[]>()
      const opened = kpis.find(kpi => kpi.id === 'asb-cases-opened')
      assert.deepEqual(
        { ytd: opened?.ytd, previousYtd: opened?.previousYtd, source: opened?.source, asAt: opened?.asAt },
        {
          ytd: 3,
          previousYtd: 1,
          source: {
            kind: 'count',
            key: 'cases:opened',
            description: "Counted from Safer's casework: ASB cases opened in the month, by the ward of the case.",
          },
          asAt: '2026-11-20',
        },
      )
      assert.equal(kpis.find(kpi => kpi.id === 'residential-burglary-recorded')?.ytd, null)
    })

    it('answers a monthly series for the borough or a ward, null where there is no data', async () => {
      const series = await t.app.inject({
        method: 'GET',
        url: '/api/v1/kpis/asb-cases-opened/series?from=2025-04-01&to=2026-12-31',
      })
      assert.equal(series.statusCode, 200)
      const body = series.json<{
        area: { level: string }
        from: string
        to: string
        months: { month: string; value: number | null }[]
      }>()
      assert.equal(body.area.level, 'borough')
      assert.deepEqual([body.from, body.to], ['2025-04-01', '2026-12-31'])
      const values = Object.fromEntries(body.months.map(point => [point.month, point.value]))
      assert.equal(body.months.length, 21)
      assert.deepEqual(
        [
          values['2025-04'],
          values['2025-05'],
          values['2025-06'],
          values['2025-07'],
          values['2026-05'],
          values['2026-11'],
        ],
        [null, null, 1, 0, 2, 0],
      )
      assert.equal(values['2026-12'], null, 'a month not yet begun has no figure')

      const wardUrl = `/api/v1/kpis/asb-cases-opened/series?from=2026-05-01&to=2026-05-31&area=${second()}`
      const anonymous = await t.app.inject({ method: 'GET', url: wardUrl })
      assert.equal(anonymous.statusCode, 403, 'ward figures are for staff, as on /performance')
      assert.equal(anonymous.json<{ code: string }>().code, 'ward-staff-only')
      const ward = await get(wardUrl)
      const wardBody = ward.json<{ area: { code: string; level: string }; months: { value: number | null }[] }>()
      assert.deepEqual([wardBody.area.code, wardBody.area.level, wardBody.months[0]?.value], [second(), 'ward', 1])

      const imported = await t.app.inject({ method: 'GET', url: '/api/v1/kpis/residential-burglary-recorded/series' })
      const importedBody = imported.json<{ from: string; months: { value: number | null }[] }>()
      assert.equal(importedBody.from, '2026-04-01', 'the current financial year by default')
      assert.equal(importedBody.months.length, 8)
      assert.ok(importedBody.months.every(point => point.value === null))
    })

    it('refuses bad series input with structured 400s, and 404s an unknown indicator', async () => {
      const ask = (query: string, id = 'asb-cases-opened') => get(`/api/v1/kpis/${id}/series?${query}`)
      for (const [query, code, field] of [
        ['from=2026-02-30', 'start-invalid', 'from'],
        ['to=yesterday', 'end-invalid', 'to'],
        ['from=2026-06-01&to=2026-05-01', 'end-before-start', 'to'],
        ['area=E05999999', 'area-unknown', 'area'],
        ['from=2000-01-01&to=2026-01-01', 'range-too-long', 'to'],
      ] as const) {
        const response = await ask(query)
        assert.equal(response.statusCode, 400, query)
        assert.match(String(response.headers['content-type']), /application\/json/)
        const body = response.json<{ statusCode: number; code: string; field: string; message: string }>()
        assert.deepEqual([body.statusCode, body.code, body.field], [400, code, field], query)
        assert.ok(body.message.length > 0)
      }
      const missing = await ask('', 'no-such-indicator')
      assert.equal(missing.statusCode, 404)
      assert.equal(missing.json<{ code: string }>().code, 'indicator-missing')

      const openapi = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
      assert.ok(openapi.json<{ paths: Record<string, unknown> }>().paths['/api/v1/kpis/{id}/series'])
    })
  })

  it('knows every count source without a database, each saying what its figures mean', () => {
    const registered = t.deps.performanceSources.list()
    assert.deepEqual([...declaredSourceKeys()].sort(), registered.map(source => source.key).sort())
    assert.deepEqual(
      registered.filter(source => !source.description).map(source => source.key),
      [],
      'every source declares a description',
    )
  })

  it('404s an unknown indicator', async () => {
    const response = await get('/performance/indicators/nope')
    assert.equal(response.statusCode, 404)
  })
})
