import assert from 'node:assert/strict'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'

import { Command } from 'commander'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { engineUnderTest } from '../../../test/helpers/database.js'
import {
  createIntelligenceRepository,
  ImportFileError,
  registerIntelligenceCommands,
  type IntelligenceRepository,
} from './index.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')
const FORCE = 'City of London Police'

describe('Integration: intelligence importers', () => {
  let t: TestApp
  let repository: IntelligenceRepository
  before(async () => {
    t = await buildTestApp()
    repository = createIntelligenceRepository(t.deps.database.db)
  })
  after(async () => {
    await t.close()
  })

  it('imports a folder of street files: normalised, flagged, located, bad rows reported by line', async () => {
    const summary = await t.deps.intelligenceImports.importPoliceStreet([path.join(fixtures, 'street')])
    assert.equal(summary.files, 2)
    assert.equal(summary.imported, 9)
    assert.deepEqual(summary.months, [`${FORCE} 2016-03`, `${FORCE} 2016-04`])
    assert.deepEqual(
      summary.rejected.map(row => [row.file, row.line]),
      [
        ['2016-03-city-of-london-street.csv', 6],
        ['2016-03-city-of-london-street.csv', 8],
      ],
    )
    assert.match(summary.rejected[0]?.reason ?? '', /Month "2016-13"/)
    assert.match(summary.rejected[1]?.reason ?? '', /has 9 fields, expected 12/)
    assert.equal(summary.noLocation, 2)
    assert.equal(summary.outsideArea, 3, 'City and Camden points are kept but flagged as outside Tower Hamlets')

    const march = await repository.streetRows({ force: FORCE, fromMonth: '2016-03', toMonth: '2016-03' })
    assert.equal(march.length, 5)
    const spitalYard = march.find(row => row.location === 'On or near Spital Yard')
    assert.equal(spitalYard?.crime_type, 'anti-social-behaviour')
    assert.equal(spitalYard?.crime_id, null)
    assert.equal(spitalYard?.outside_area, false)
    assert.equal(spitalYard?.ward_code, 'E05009333', 'Spitalfields & Banglatown')
    assert.match(spitalYard?.lsoa2021_code ?? '', /^E01\d{6}$/)
    const noLocation = march.find(row => row.location_missing)
    assert.equal(noLocation?.latitude, null)
    assert.equal(noLocation?.location, null)
    assert.equal(noLocation?.crime_type, 'bicycle-theft')
    const renamed = march.find(row => row.location === 'On or near King Edward Street')
    assert.equal(renamed?.outcome_name, 'Offender sent to prison', 'the 2014 rename is applied')
    assert.equal(renamed?.outcome_code, 'imprisoned')
    assert.equal(renamed?.outside_area, true)
    assert.equal(renamed?.ward_code, null)
  })

  it('replaces a month on re-import instead of doubling it, leaving other months alone', async () => {
    await t.deps.intelligenceImports.importPoliceStreet([path.join(fixtures, 'street')])
    assert.deepEqual(
      (await repository.streetMonths()).map(month => [month.month, month.rows]),
      [
        ['2016-03', 5],
        ['2016-04', 4],
      ],
    )
    const summary = await t.deps.intelligenceImports.importPoliceStreet([
      path.join(fixtures, 'street-replacement', '2016-03-city-of-london-street.csv'),
    ])
    assert.equal(summary.imported, 2)
    assert.deepEqual(
      (await repository.streetMonths()).map(month => [month.month, month.rows]),
      [
        ['2016-03', 2],
        ['2016-04', 4],
      ],
    )
  })

  it('writes with COPY on PostgreSQL and array INSERTs on PGlite', () => {
    assert.equal(t.deps.intelligenceImports.method, engineUnderTest === 'postgres' ? 'copy' : 'insert')
  })

  it('rolls a file back whole when its import fails part way: the month replaced is still the old one', async () => {
    await t.deps.intelligenceImports.importPoliceStreet([path.join(fixtures, 'street')])
    const before = await repository.streetRows({ force: FORCE, fromMonth: '2016-04', toMonth: '2016-04' })
    assert.equal(before.length, 4)
    const row = {
      force: FORCE,
      month: '2016-04',
      reported_by: FORCE,
      crime_type: 'burglary',
      location: 'tab\there \\ and\na new line',
      location_missing: true,
      outside_area: false,
      source_file: 'x.csv',
    }
    await assert.rejects(
      repository.importTransaction('street', async sink => {
        await sink.replaceMonth(FORCE, '2016-04')
        for (let i = 0; i < 7000; i++) await sink.add({ ...row, source_line: i })
        throw new Error('the file could not be read to the end')
      }),
      /could not be read/,
    )
    const after = await repository.streetRows({ force: FORCE, fromMonth: '2016-04', toMonth: '2016-04' })
    assert.deepEqual(
      after.map(r => r.source_line),
      before.map(r => r.source_line),
    )

    await repository.importTransaction('street', async sink => {
      await sink.replaceMonth(FORCE, '2016-04')
      await sink.add({ ...row, source_line: 2 })
    })
    const replaced = await repository.streetRows({ force: FORCE, fromMonth: '2016-04', toMonth: '2016-04' })
    assert.equal(replaced.length, 1)
    assert.equal(replaced[0]?.location, 'tab\there \\ and\na new line', 'tabs, backslashes and new lines survive COPY')
  })

  it('refuses a file of the wrong kind before writing anything', async () => {
    const before = await repository.countStreet()
    await assert.rejects(
      t.deps.intelligenceImports.importPoliceStreet([
        path.join(fixtures, 'street', '2016-04-city-of-london-street.csv'),
        path.join(fixtures, 'wrong-header'),
      ]),
      (error: unknown) =>
        error instanceof ImportFileError &&
        error.message.includes('header does not match (it has 10 columns, expected 12)') &&
        error.message.includes('Crime ID,Month,Reported by'),
    )
    assert.equal(await repository.countStreet(), before)
  })

  it('imports stop and search with the force and month from the file name', async () => {
    const file = path.join(fixtures, 'stop-search', '2016-06-metropolitan-stop-and-search.csv')
    const summary = await t.deps.intelligenceImports.importStopSearch([file])
    assert.equal(summary.imported, 3)
    assert.deepEqual(summary.months, ['metropolitan 2016-06'])
    assert.deepEqual(
      summary.rejected.map(row => row.line),
      [5],
    )
    assert.match(summary.rejected[0]?.reason ?? '', /not an ISO date/)
    assert.equal(summary.noLocation, 1)
    await t.deps.intelligenceImports.importStopSearch([file])
    const rows = await repository.stopSearchRows('metropolitan', '2016-06')
    assert.equal(rows.length, 3, 're-import replaces the month')
    const first = rows[0]
    assert.equal(first?.search_type, 'Person search')
    assert.equal(first?.occurred_at.toISOString(), '2016-06-01T12:10:00.000Z')
    assert.equal(first?.latitude, 51.489648)
    assert.equal(first?.source_line, 2)
    assert.equal(first?.part_of_operation, false)
    assert.equal(first?.outside_area, false)
    assert.match(first?.ward_code ?? '', /^E050093\d\d$/)
    // 00:10 UTC on 1 June is still the June file, whatever the clock says.
    assert.equal(rows.find(row => row.location_missing)?.month, '2016-06')
  })

  it('imports the borough rows of an MPS recorded crime table and skips other boroughs and zeros', async () => {
    const file = path.join(fixtures, 'mps', 'recorded-crime-ward-sample.csv')
    const summary = await t.deps.intelligenceImports.importMpsRecordedCrime(file)
    assert.equal(summary.imported, 2)
    assert.deepEqual(summary.months, ['ward 2024-02', 'ward 2024-03', 'ward 2024-04'])
    assert.deepEqual(
      summary.rejected.map(row => [row.line, row.reason]),
      [[5, 'count "many" is not a whole number']],
    )
    await t.deps.intelligenceImports.importMpsRecordedCrime(file)
    const totals = await repository.recordedCrimeTotals('ward')
    assert.deepEqual(
      totals.map(row => [row.month, row.total]),
      [
        ['2024-03', 13],
        ['2024-04', 12],
      ],
    )
    const april = await repository.recordedCrimeRows('ward', '2024-04')
    assert.ok(april.every(row => row.ward_code === 'E05009317' && row.area_name === 'Bethnal Green'))
  })

  it('safer import … --format json prints {imported, rejected, months}', async () => {
    let output = ''
    const program = new Command('safer').exitOverride()
    registerIntelligenceCommands(program, {
      withImports: (_name, work) => work(t.deps.intelligenceImports),
      geographyPack: () => t.deps.config.geographyPack,
      stdout: { write: (text: string) => (output += text) },
      stderr: { write: () => true },
    })
    await program.parseAsync(['import', 'police-street', path.join(fixtures, 'street'), '--format', 'json'], {
      from: 'user',
    })
    const summary = JSON.parse(output) as { imported: number; rejected: { line: number }[]; months: string[] }
    assert.equal(summary.imported, 9)
    assert.deepEqual(
      summary.rejected.map(row => row.line),
      [6, 8],
    )
    assert.deepEqual(summary.months, [`${FORCE} 2016-03`, `${FORCE} 2016-04`])

    output = ''
    await program.parseAsync(['import', 'police-street', path.join(fixtures, 'street')], { from: 'user' })
    assert.match(output, /^Imported 9 rows from 2 file\(s\); rejected 2\./)
    assert.match(output, /rejected 2016-03-city-of-london-street\.csv line 8: has 9 fields, expected 12/)
  })
})
