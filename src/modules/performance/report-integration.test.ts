import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import { parse, type HTMLElement } from 'node-html-parser'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { pdfText } from '../../../test/helpers/pdf-text.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { systemActor } from '../../platform/audit.js'
import { createRandom } from '../../db/seeds/random.js'
import { activityDemoSeeder } from '../activity/index.js'
import { performanceDemoSeeder } from './performance-demo.js'
import { formatDate } from './performance-presenters.js'

/** A report table's body rows as the text of their cells. */
function rowsOf(page: HTMLElement, id: string): string[][] {
  return page
    .querySelectorAll(`[data-qa="report-table-${id}"] tbody tr`)
    .map(tr => tr.querySelectorAll('th, td').map(cell => cell.text.trim().replace(/\s+/g, ' ')))
}

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
    // Dated from today: the latest complete quarter and year are listed, the 2019 deck's periods are in the lists.
    const today = t.deps.clock.now().toISOString().slice(0, 10)
    const [year, month] = today.split('-').map(Number) as [number, number]
    const fy = month >= 4 ? year : year - 1
    const currentQuarter = Math.floor(((month + 8) % 12) / 3) + 1
    const lastQuarter = currentQuarter === 1 ? `${String(fy - 1)}-q4` : `${String(fy)}-q${String(currentQuarter - 1)}`
    assert.ok(page.querySelector(`[data-qa="quarter-${lastQuarter}"]`), 'the last complete quarter')
    assert.ok(page.querySelector(`[data-qa="year-${String(fy - 1)}"]`), 'the last complete financial year')
    assert.ok(page.querySelector('#quarter option[value="2018-q4"]'), 'a deck quarter can be chosen')
    assert.ok(page.querySelector('#year option[value="2017"]'), 'and a deck year')
    const chosen = await get('/performance/reports?quarter=2018-q4')
    assert.equal(chosen.statusCode, 303)
    assert.equal(chosen.headers.location, '/performance/reports/quarterly/2018-q4')
    const long = await get(`/performance/reports?quarter=${'9'.repeat(50)}`)
    assert.equal(long.statusCode, 400)
    assert.match(parse(long.body).querySelector('.govuk-error-summary')?.text ?? '', /Choose a quarter/)
    const bad = await get('/performance/reports?quarter=2018-q9')
    assert.equal(bad.statusCode, 400)
    assert.match(parse(bad.body).querySelector('.govuk-error-summary')?.text ?? '', /Choose a quarter/)
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

  it('adds Case Review, panels, powers and police sections counted from the records of the period', async () => {
    const { db } = t.deps.database
    const now = new Date()
    const staff = await createStaff(t.deps, { roles: ['officer'], teamCode: 'asb-reports' })
    const team = await t.deps.accounts.repository.teamByCode('asb-reports')
    assert.ok(team)
    const wardCode = t.deps.geography.wards()[0]?.code ?? null
    const { id: caseId } = await t.deps.casework.openCase(
      {
        title: 'Noise at the flats',
        category: 'noise',
        priority: 'high',
        sensitivity: null,
        owningTeamId: team.id,
        owningPartnerId: team.partner_id,
        leadOfficerId: null,
        wardCode,
      },
      systemActor,
    )
    const policy = { version: 'test-reports', document: JSON.stringify({}), first_used_at: now }
    await db.insertInto('power_policy').values(policy).execute()
    await db.insertInto('case_review_policy').values(policy).execute()
    // Powers: a CPW in the quarter (Q4 2018/19: January to March 2019), another a year before, one breach.
    const power = (powerCode: string, actionDate: string) =>
      db
        .insertInto('power_action')
        .values({
          case_id: caseId,
          power: powerCode,
          premises: 'Flat 3, Brick Lane',
          policy_version: policy.version,
          action_date: actionDate,
          details: JSON.stringify({}),
          deadlines: JSON.stringify({}),
          issued_by: staff.id,
          submission_id: randomUUID(),
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    const cpw = await power('cpw', '2019-02-10')
    await power('cpw', '2018-02-10')
    await power('cbo', '2018-12-20')
    await db
      .insertInto('power_breach')
      .values({
        action_id: cpw.id,
        case_id: caseId,
        occurred_on: '2019-03-01',
        description: 'Music again',
        response: 'CPN considered',
        recorded_by: staff.id,
        recorded_at: now,
        submission_id: randomUUID(),
      })
      .execute()
    // Case Reviews: one met (reviewed, with a recommendation), one not met, and a duplicate counted once.
    const review = async (reference: string, values: Record<string, unknown>) =>
      db
        .insertInto('case_review')
        .values({
          reference,
          submission_id: randomUUID(),
          received_at: '2019-01-15T10:00:00Z',
          received_on: '2019-01-15',
          channel: 'web',
          applicant_type: 'victim',
          applicant_name: 'A. Resident',
          consent_confirmed: true,
          case_id: caseId,
          description: 'Noise',
          dissatisfaction: 'Nothing done',
          hate_reported: false,
          other_agencies: JSON.stringify([]),
          status: 'received',
          eligibility: JSON.stringify({}),
          eligibility_policy_version: policy.version,
          updated_at: now,
          ...values,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    const met = await review('CR-T-1', {
      status: 'outcome',
      threshold_decision: 'met',
      threshold_decided_at: '2019-01-25T10:00:00Z',
      outcome_at: '2019-03-10T10:00:00Z',
    })
    await review('CR-T-2', {
      status: 'not-met',
      threshold_decision: 'not-met',
      threshold_decided_at: '2019-02-05T10:00:00Z',
    })
    await review('CR-T-3', { linked_review_id: met.id })
    await db
      .insertInto('case_review_recommendation')
      .values({
        review_id: met.id,
        text: 'Mediation',
        lead_partner_id: team.partner_id,
        owner_user_id: staff.id,
        due_on: '2019-04-30',
        update_frequency: 'monthly',
        created_at: now,
      })
      .execute()
    // Panels: a meeting in the quarter with two actions, one completed by its due date and one not.
    const panel = await db
      .selectFrom('panel_type')
      .select(['id', 'name'])
      .where('active', '=', true)
      .orderBy('position')
      .executeTakeFirstOrThrow()
    const referral = await db
      .insertInto('panel_referral')
      .values({
        panel_id: panel.id,
        case_id: caseId,
        subject: 'Flat 3',
        reason: 'Repeat noise',
        criteria: JSON.stringify([]),
        ward_code: wardCode,
        source_module: 'casework',
        status: 'open',
        referred_at: '2019-01-20T10:00:00Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const meeting = await db
      .insertInto('panel_meeting')
      .values({ panel_id: panel.id, meets_on: '2019-02-20', chair: 'Chair', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    const item = await db
      .insertInto('panel_agenda_item')
      .values({ meeting_id: meeting.id, referral_id: referral.id, position: 1, added_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    const task = (completedAt: string | null) =>
      db
        .insertInto('case_task')
        .values({
          case_id: caseId,
          title: 'Visit',
          due_date: '2019-03-15',
          status: completedAt ? 'done' : 'open',
          source_module: 'panels',
          completed_at: completedAt,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    for (const completedAt of ['2019-03-14T10:00:00Z', null]) {
      await db
        .insertInto('panel_action')
        .values({
          panel_id: panel.id,
          agenda_item_id: item.id,
          referral_id: referral.id,
          case_id: caseId,
          title: 'Visit',
          owner_user_id: staff.id,
          due_date: '2019-03-15',
          case_task_id: (await task(completedAt)).id,
          submission_id: randomUUID(),
          created_at: now,
        })
        .execute()
    }
    // Police data: the MPS borough table for the quarter and a year before; no stop and search imported.
    const borough = t.deps.geography.borough()
    const crime = (month: string, major: string, count: number) => ({
      level: 'borough' as const,
      area_code: borough.code,
      area_name: borough.shortName,
      ward_code: null,
      major_category: major,
      minor_category: 'ALL',
      month,
      count,
    })
    await db
      .insertInto('intelligence_recorded_crime')
      .values([
        crime('2019-01', 'BURGLARY', 100),
        crime('2019-02', 'BURGLARY', 90),
        crime('2019-03', 'BURGLARY', 110),
        crime('2018-01', 'BURGLARY', 120),
        crime('2018-02', 'BURGLARY', 130),
        crime('2018-03', 'BURGLARY', 50),
        crime('2019-03', 'ROBBERY', 40),
        crime('2018-03', 'ROBBERY', 50),
      ])
      .execute()

    const response = await get('/performance/reports/quarterly/2018-q4')
    assert.equal(response.statusCode, 200)
    const page = parse(response.body)
    for (const id of ['case-review', 'panels', 'powers', 'police']) {
      assert.ok(page.querySelector(`[data-qa="report-section-${id}"]`), id)
    }
    assert.deepEqual(rowsOf(page, 'case-review'), [
      ['ASB Case Review applications received', '2', '0', 'n/a'],
      ['ASB Case Review applications that met the threshold', '1', '0', 'n/a'],
      ['ASB Case Review applications that did not meet the threshold', '1', '0', 'n/a'],
      ['ASB Case Reviews carried out', '1', '0', 'n/a'],
      ['ASB Case Reviews that made recommendations', '1', '0', 'n/a'],
    ])
    const powers = rowsOf(page, 'powers')
    assert.deepEqual(
      powers.find(row => row[0]?.startsWith('Community Protection Warning')),
      [powers.find(row => row[0]?.startsWith('Community Protection Warning'))?.[0], '1', '1', '0.00'],
    )
    assert.deepEqual(powers.at(-1), ['Breaches of ASB powers recorded', '1', '0', 'n/a'])
    const rowOf = (start: string) => powers.findIndex(row => row[0]?.startsWith(start))
    assert.ok(
      rowOf('Community Protection Warning') < rowOf('Community Protection Notice') &&
        rowOf('Community Protection Notice') < rowOf('Criminal Behaviour Order'),
      'the powers in the order of the ladder',
    )
    assert.ok(
      powers.some(row => row[0]?.includes('Criminal Behaviour Order') && row[1] === '0'),
      'a CBO made in December is outside the quarter',
    )
    const panels = rowsOf(page, 'panels')
    assert.deepEqual(
      panels.find(row => row[0] === panel.name),
      [panel.name, '1', '1', '2', '2', '1 (50%)'],
    )
    assert.deepEqual(panels.at(-1)?.slice(0, 1), ['Total'])
    assert.deepEqual(rowsOf(page, 'recorded-crime'), [
      ['BURGLARY', '300', '300', '0.00'],
      ['ROBBERY', '40', '50', '-20.00'],
      ['Total', '340', '350', '-2.86'],
    ])
    const police = page.querySelector('[data-qa="report-section-police"]')?.text.replace(/\s+/g, ' ') ?? ''
    assert.match(police, /MPS recorded crime borough table imported into Safer; latest month held March 2019/)
    assert.match(police, /Stop and search: no data\./)
    assert.equal(page.querySelector('[data-qa="report-table-stop-search"]'), null, 'no table of zeros')
    const csv = csvLines((await get('/performance/reports/quarterly/2018-q4/recorded-crime.csv')).body)
    assert.equal(csv[1], 'BURGLARY,300,300,0,borough,2019-03')

    // The year before has no MPS data held: the police section says so rather than showing 0.
    const earlier = parse((await get('/performance/reports/annual/2016')).body)
    const earlierPolice = earlier.querySelector('[data-qa="report-section-police"]')?.text ?? ''
    assert.match(earlierPolice, /Recorded crime: no data\./)
    assert.match(earlierPolice, /Stop and search: no data\./)
    assert.deepEqual(rowsOf(earlier, 'case-review')[0], ['ASB Case Review applications received', '0', '0', 'n/a'])
  })

  it('keeps the monthly aggregates behind reports:* and police-street:* in step with inserts, updates and deletes', async () => {
    const { db } = t.deps.database
    const sources = t.deps.performanceSources
    const wardCode = t.deps.geography.wards()[1]?.code ?? ''
    const sum = async (key: string) =>
      ((await sources.get(key)?.monthlyCounts('2020-01-01', '2020-02-29')) ?? [])
        .filter(count => count.wardCode === wardCode)
        .reduce((total, count) => total + count.total, 0)
    const report = (reference: string, receivedAt: string, hate: boolean) => ({
      reference,
      tracking_hash: reference,
      channel: 'web' as const,
      received_at: receivedAt,
      category: 'noise',
      nsir_qualifier: 'nuisance' as const,
      hate,
      occurred_on: receivedAt.slice(0, 10),
      pattern: 'one_off' as const,
      description: 'Aggregate test',
      ward_code: wardCode,
      impact: JSON.stringify({}),
      reporter_mode: 'anonymous' as const,
      contact_preference: 'none' as const,
      consent_to_share: false,
      priority: 'standard' as const,
      flags: JSON.stringify({}),
      status: 'received' as const,
      updated_at: receivedAt,
    })
    // 31 January 2020 23:30 UTC is still January in London; 29 February 23:30 UTC too (GMT).
    await db
      .insertInto('report')
      .values([
        report('AGG-1', '2020-01-31T23:30:00Z', false),
        report('AGG-2', '2020-02-10T10:00:00Z', true),
        report('AGG-3', '2020-02-11T10:00:00Z', false),
      ])
      .execute()
    assert.equal(await sum('reports:all'), 3)
    assert.equal(await sum('reports:hate'), 1)
    await db.updateTable('report').set({ hate: true }).where('reference', '=', 'AGG-3').execute()
    assert.equal(await sum('reports:hate'), 2, 'an update moves the count')
    await db.deleteFrom('report').where('reference', 'in', ['AGG-1', 'AGG-2']).execute()
    assert.equal(await sum('reports:all'), 1, 'a delete takes the count down')
    const street = (month: string, crimeType: string, line: number) => ({
      force: 'metropolitan',
      month,
      reported_by: 'Metropolitan Police Service',
      crime_type: crimeType,
      location_missing: false,
      outside_area: false,
      ward_code: wardCode,
      source_file: 'aggregate-test.csv',
      source_line: line,
    })
    await db
      .insertInto('intelligence_street_crime')
      .values([
        street('2020-01', 'anti-social-behaviour', 1),
        street('2020-01', 'anti-social-behaviour', 2),
        street('2020-02', 'burglary', 3),
      ])
      .execute()
    assert.equal(await sum('police-street:anti-social-behaviour'), 2)
    assert.equal(await sum('police-street:burglary'), 1)
    await db.deleteFrom('intelligence_street_crime').where('source_file', '=', 'aggregate-test.csv').execute()
    assert.equal(await sum('police-street:anti-social-behaviour'), 0, 'a replaced month leaves no count behind')
    const left = await db
      .selectFrom('intelligence_street_monthly')
      .select('month')
      .where('month', 'in', ['2020-01', '2020-02'])
      .execute()
    assert.deepEqual(left, [], 'empty aggregate rows are removed')
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
    assert.match(text, /\d+\. ASB Case Reviews \(the Community Trigger\) /)
    assert.match(text, /\d+\. Multi-agency panels /)
    assert.match(text, /\d+\. ASB powers used /)
    assert.match(text, /Police data .*BURGLARY 300 300 0\.00/)
  })

  it('shows the public borough-wide figures to anyone, and nothing by ward', async () => {
    const current = await get('/community-safety-in-figures', null)
    assert.equal(current.statusCode, 200)
    assert.match(
      current.body,
      new RegExp(`year to date as at ${formatDate(t.deps.clock.now().toISOString().slice(0, 10))}`),
    )
    assert.ok(
      parse(current.body).querySelector('[data-qa="public-years"] a[href="/community-safety-in-figures?year=2018"]'),
    )
    assert.equal((await get('/community-safety-in-figures?year=1999', null)).statusCode, 400)
    const response = await get('/community-safety-in-figures?year=2018', null)
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
