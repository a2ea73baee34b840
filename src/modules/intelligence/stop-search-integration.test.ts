/**
 * The stop and search scrutiny page over HTTP, on the Metropolitan Police's September 2022 searches in Tower Hamlets
 * (shipped in the pack): its figures equal the file's, read here with a plain CSV reader, and a bad month is a
 * GOV.UK error, not a 500.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { parse as parseCsv } from 'csv-parse/sync'
import { parse } from 'node-html-parser'

import { projectRoot } from '../../config.js'
import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { NO_FURTHER_ACTION } from './stop-search-scrutiny.js'

const file = path.join(
  projectRoot,
  'reference-data',
  'tower-hamlets',
  'police',
  '2022-09-metropolitan-stop-and-search_tower-hamlets-subset.csv',
)
const rows = parseCsv<Record<string, string>>(fs.readFileSync(file, 'utf8'), { columns: true })

function cells(body: string, qa: string): string[][] {
  return parse(body)
    .querySelectorAll(`[data-qa="${qa}"] tbody tr`)
    .map(row => row.querySelectorAll('th, td').map(cell => cell.text.trim()))
}

describe('Integration: stop and search scrutiny', () => {
  let test: TestApp
  let officer: StaffSession

  before(async () => {
    test = await buildTestApp()
    officer = await signIn(test.app, test.deps, await createStaff(test.deps, { roles: ['officer'] }))
  })
  after(() => test.close())

  const page = (query = '') =>
    test.app.inject({ url: `/intelligence/stop-search${query}`, headers: { cookie: officer.cookie } })

  it('says nothing has been imported yet, and is for staff only', async () => {
    const empty = await page()
    assert.equal(empty.statusCode, 200)
    assert.match(empty.body, /No stop and search records have been imported for Metropolitan Police Service/)
    const signedOut = await test.app.inject({ url: '/intelligence/stop-search' })
    assert.notEqual(signedOut.statusCode, 200)
  })

  it("shows the month's searches exactly as the file has them", async () => {
    await test.deps.intelligenceImports.importStopSearch([file])
    const response = await page()
    assert.equal(response.statusCode, 200)
    const withOutcome = rows.filter(row => row.Outcome)
    const actioned = withOutcome.filter(row => !(NO_FURTHER_ACTION as readonly string[]).includes(row.Outcome ?? ''))
    const summary = parse(response.body).querySelector('[data-qa="stop-search-summary"]')?.text ?? ''
    assert.match(summary, new RegExp(`^${String(rows.length)} searches in September 2022\\.`))
    const share = ((100 * actioned.length) / withOutcome.length).toFixed(1)
    assert.match(summary, new RegExp(`${share.replace('.', '\\.')}% of searches with a recorded outcome`))

    const asian = rows.filter(row => row['Self-defined ethnicity']?.startsWith('Asian/Asian British - ')).length
    const ethnicity = cells(response.body, 'stop-search-ethnicity')
    assert.deepEqual(ethnicity.find(row => row[0] === 'Asian/Asian British')?.slice(0, 2), [
      'Asian/Asian British',
      String(asian),
    ])
    const drugs = rows.filter(row => row['Object of search'] === 'Controlled drugs').length
    assert.equal(
      cells(response.body, 'stop-search-object').find(row => row[0] === 'Controlled drugs')?.[1],
      String(drugs),
    )
    const wards = cells(response.body, 'stop-search-wards')
    assert.equal(wards.length, 20, 'every ward, searched or not')
    const placed = wards.reduce((sum, row) => sum + Number(row[1]?.replaceAll(',', '')), 0)
    assert.ok(placed <= rows.length && placed > rows.length * 0.9)
    assert.match(response.body, /data-qa="stop-search-chart"/)
  })

  it('refuses a month that is not one, with a GOV.UK error summary', async () => {
    const response = await page('?from=2022-13&to=2022-09')
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /govuk-error-summary/)
    assert.match(response.body, /Choose a month to start from/)
    const order = await page('?from=2022-10&to=2022-09')
    assert.equal(order.statusCode, 400)
    assert.match(order.body, /The end month must be the same as or after the start month/)
  })
})
