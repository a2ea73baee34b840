import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { sql } from 'kysely'
import { parse } from 'node-html-parser'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { createRandom } from '../../db/seeds/random.js'
import { activityDemoSeeder } from './activity-demo.js'

const HEADER = 'type,date,ward,priority,quantity,operation,partner,evidence'

describe('Integration: outputs register', () => {
  let t: TestApp
  let officer: StaffSession
  let analyst: StaffSession
  before(async () => {
    t = await buildTestApp()
    await t.deps.performance.seedDefaults()
    await t.deps.activity.seedDefaults()
    officer = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['officer'] }))
    analyst = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['analyst'] }))
  })
  after(async () => {
    await t.close()
  })

  async function count(): Promise<number> {
    const row = await t.deps.database.db
      .selectFrom('activity_record')
      .select(eb => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  it('records activity from the form, once even when posted twice, and redirects', async () => {
    const { token, cookie } = officer
    const form = await t.app.inject({ method: 'GET', url: '/activity/new', headers: { cookie } })
    const submissionId = /name="submissionId" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
    const payload = {
      _csrf: token,
      submissionId,
      type: 'sanctuary-installation',
      'date-day': '12',
      'date-month': '3',
      'date-year': '2019',
      quantity: '4',
      ward: 'E05009336',
      priority: 'violence',
      operation: 'Sanctuary scheme',
      partner: 'DA service',
      evidence: 'Installer job sheets, March',
    }
    const before = await count()
    for (let i = 0; i < 2; i += 1) {
      const response = await t.app.inject({ method: 'POST', url: '/activity/new', headers: { cookie }, payload })
      assert.equal(response.statusCode, 303)
      assert.equal(response.headers.location, '/activity?added=1')
    }
    assert.equal(await count(), before + 1)
    const register = await t.app.inject({ method: 'GET', url: '/activity?added=1', headers: { cookie } })
    assert.match(register.body, /data-qa="activity-added"/)
    assert.match(register.body, /Sanctuary installations/)
    assert.match(register.body, /Whitechapel/)
  })

  it('re-shows the form with 400, a GOV.UK error summary and the answers kept', async () => {
    const { token, cookie } = officer
    const response = await t.app.inject({
      method: 'POST',
      url: '/activity/new',
      headers: { cookie },
      payload: {
        _csrf: token,
        type: '',
        'date-day': '31',
        'date-month': '2',
        'date-year': '2019',
        quantity: 'lots',
        operation: 'Op X',
        evidence: '',
      },
    })
    assert.equal(response.statusCode, 400)
    const page = parse(response.body)
    const summary = page.querySelectorAll('.govuk-error-summary__list a').map(a => a.getAttribute('href'))
    assert.deepEqual(summary, ['#type', '#date-day', '#quantity', '#evidence'])
    assert.match(response.body, /The date must be a real date/)
    assert.equal(page.querySelector('#operation')?.getAttribute('value'), 'Op X')
    assert.equal(page.querySelector('#quantity')?.getAttribute('value'), 'lots')
    assert.match(response.body, /<title>Error: /)
  })

  it('imports a CSV all-or-nothing, with a line-numbered report', async () => {
    const before = await count()
    const { token, cookie } = analyst
    const officerImport = await t.app.inject({
      method: 'POST',
      url: '/activity/import',
      headers: { cookie: officer.cookie },
      payload: { _csrf: officer.token, csv: HEADER },
    })
    assert.equal(officerImport.statusCode, 403, 'officers record outputs but do not import files')
    const bad = `${HEADER}\ncctv-arrest,2019-01-02,Whitechapel,,3,,MPS,CCTV log\nnot-a-type,2019-01-02,,,3,,,Log\ncctv-arrest,2019-01-40,,,2,,,Log\n`
    const refused = await t.app.inject({
      method: 'POST',
      url: '/activity/import',
      headers: { cookie },
      payload: { _csrf: token, csv: bad },
    })
    assert.equal(refused.statusCode, 400)
    const rows = parse(refused.body)
      .querySelectorAll('[data-qa="import-problems"] tbody tr')
      .map(tr =>
        tr
          .querySelectorAll('td')
          .map(td => td.text.trim())
          .slice(0, 2),
      )
    assert.deepEqual(rows, [
      ['3', 'type'],
      ['4', 'date'],
    ])
    assert.match(refused.body, /Nothing was imported/)
    assert.equal(await count(), before, 'nothing saved from a file with a bad line')

    const header = await t.app.inject({
      method: 'POST',
      url: '/activity/import',
      headers: { cookie },
      payload: { _csrf: token, csv: 'date,type\n2019-01-01,cctv-arrest\n' },
    })
    assert.equal(header.statusCode, 400)
    assert.match(header.body, /The first line must be exactly/)

    const good = `${HEADER}\ncctv-arrest,2019-01-02,Whitechapel,,3,,MPS,CCTV log\ncctv-arrest,02/02/2019,,asb-drugs-alcohol,2,,MPS,CCTV log\n`
    const accepted = await t.app.inject({
      method: 'POST',
      url: '/activity/import',
      headers: { cookie },
      payload: { _csrf: token, csv: good },
    })
    assert.equal(accepted.statusCode, 303)
    assert.equal(accepted.headers.location, '/activity?imported=2')
    assert.equal(await count(), before + 2)
    const audit = await t.deps.audit.recent(5)
    assert.ok(audit.some(event => event.action === 'ACTIVITY_IMPORTED'))
  })

  it('refuses a post without the CSRF token', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/activity/import',
      headers: { cookie: analyst.cookie },
      payload: { csv: HEADER },
    })
    assert.equal(response.statusCode, 403)
  })

  it('feeds indicators whose source is the register: borough, ward and month', async () => {
    await activityDemoSeeder.seed(t.deps, createRandom(7))
    const kpis = (await t.app.inject({ method: 'GET', url: '/api/v1/kpis?asAt=2019-03-31' })).json<
      { id: string; ytd: number | null; previousYtd: number | null }[]
    >()
    const people = kpis.find(kpi => kpi.id === 'people-trained')
    assert.deepEqual([people?.ytd, people?.previousYtd], [1742, 1510])
    const sanctuary = kpis.find(kpi => kpi.id === 'sanctuary-installations')
    assert.deepEqual([sanctuary?.ytd, sanctuary?.previousYtd], [82 + 4, 49], 'demo plus the form record')
    const cctv = kpis.find(kpi => kpi.id === 'cctv-arrests')
    assert.deepEqual([cctv?.ytd, cctv?.previousYtd], [43 + 5, 37], 'demo plus the two imported lines')

    const detail = await t.app.inject({
      method: 'GET',
      url: '/performance/indicators/people-trained?asAt=2019-03-31',
      headers: { cookie: officer.cookie },
    })
    const page = parse(detail.body)
    assert.equal(page.querySelectorAll('[data-qa="month-table"] tbody tr').length, 12)
    const wardsCsv = await t.app.inject({
      method: 'GET',
      url: '/performance/indicators/people-trained/wards.csv?asAt=2019-03-31',
      headers: { cookie: officer.cookie },
    })
    const wardLines = wardsCsv.body.trim().split('\r\n').slice(1)
    assert.equal(wardLines.length, 20)
    assert.ok(
      wardLines.every(line => /^\d+$/.test(line.split(',')[4] ?? '')),
      'a ward without records did none that month: 0, not "no data"',
    )
    const wardTotal = wardLines.reduce((sum, line) => sum + Number(line.split(',')[4] ?? 0), 0)
    const boroughWide = await t.deps.database.db
      .selectFrom('activity_record')
      .select(eb => eb.fn.sum<string | null>('quantity').as('n'))
      .where('type_code', '=', 'people-trained')
      .where('ward_code', 'is', null)
      .where('occurred_on', '>=', '2018-04-01')
      .where('occurred_on', '<=', '2019-03-31')
      .executeTakeFirstOrThrow()
    assert.equal(wardTotal + Number(boroughWide.n ?? 0), 1742, 'wards plus borough-wide records add up to the borough')
  })

  it('keeps monthly aggregates up to date on insert, update and delete (statement triggers)', async () => {
    const { db } = t.deps.database
    const fromMonthly = async () =>
      (
        await db
          .selectFrom('activity_monthly')
          .select(['type_code', 'ward_code', sql<string>`month::text`.as('month'), 'total', 'records'])
          .orderBy('type_code')
          .orderBy('ward_code')
          .orderBy('month')
          .execute()
      ).map(row => [row.type_code, row.ward_code, row.month, Number(row.total), Number(row.records)])
    const fromRecords = async () =>
      (
        await sql<{ type_code: string; ward_code: string; month: string; total: string; records: string }>`
          select type_code, coalesce(ward_code, '') as ward_code, date_trunc('month', occurred_on)::date::text as month,
                 sum(quantity) as total, count(*) as records
          from activity_record group by 1, 2, 3 order by 1, 2, 3`.execute(db)
      ).rows.map(row => [row.type_code, row.ward_code, row.month, Number(row.total), Number(row.records)])
    assert.deepEqual(await fromMonthly(), await fromRecords())
    await db
      .updateTable('activity_record')
      .set({ quantity: sql`quantity + 1`, occurred_on: '2019-01-15' })
      .where('type_code', '=', 'cctv-arrest')
      .execute()
    assert.deepEqual(await fromMonthly(), await fromRecords(), 'after an update that moves records between months')
    await db.deleteFrom('activity_record').where('type_code', '=', 'sanctuary-installation').execute()
    assert.deepEqual(await fromMonthly(), await fromRecords(), 'after a delete')
    const left = await db
      .selectFrom('activity_monthly')
      .select('type_code')
      .where('type_code', '=', 'sanctuary-installation')
      .execute()
    assert.equal(left.length, 0, 'months with no records left are removed')
  })
})
