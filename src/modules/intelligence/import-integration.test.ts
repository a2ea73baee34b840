import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'

import { Command } from 'commander'
import { parse } from 'node-html-parser'

import { projectRoot } from '../../config.js'
import { csvRecords } from '../../platform/csv.js'
import { createRandom } from '../../db/seeds/random.js'
import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { engineUnderTest } from '../../../test/helpers/database.js'
import {
  createIntelligenceRepository,
  createRecordedCrimeCounts,
  ImportFileError,
  intelligenceDemoSeeder,
  recordedCrimeIndicatorSources,
  registerIntelligenceCommands,
  type IntelligenceRepository,
} from './index.js'
import { packPoliceFiles } from './intelligence-demo.js'
import { parseStreetRow } from './police-formats.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')
const shipped = path.join(projectRoot, 'reference-data', 'tower-hamlets', 'police')

/** Month (YYYY-MM) → the sum of the rows `keep` accepts, read with a plain split (the files have no quoting). */
function fileMonthTotals(file: string, keep: (row: string[]) => boolean = () => true): Map<string, number> {
  const [header = '', ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n')
  assert.ok(!header.includes('"'), 'a file with quoting needs a CSV reader')
  const columns = header.split(',')
  const totals = new Map<string, number>()
  for (const line of lines) {
    const row = line.split(',')
    if (!keep(row)) continue
    columns.forEach((column, i) => {
      if (!/^\d{6}$/.test(column)) return
      const month = `${column.slice(0, 4)}-${column.slice(4)}`
      totals.set(month, (totals.get(month) ?? 0) + Number(row[i] ?? 0))
    })
  }
  return totals
}

function tempCsv(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-import-test-'))
  const file = path.join(dir, name)
  fs.writeFileSync(file, text)
  return file
}
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

  it('reads a large street file by its repeated parts exactly as row by row: values, lines, reasons', async () => {
    // Over a megabyte of real rows in two months and two forces, with what the fast reader must hand to the record
    // reader or judge the same way: padded values, CRLF, blank lines, quoted fields (one over two lines), a bad
    // quote, and rows wrong in each column. The expectation is the record reader and parseStreetRow, row by row.
    const base = ['2016-03', '2016-04'].flatMap(month =>
      fs
        .readFileSync(path.join(fixtures, 'street', `${month}-city-of-london-street.csv`), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map(line => line.split(','))
        .filter(fields => fields.length === 12 && fields[1] === month),
    )
    const random = createRandom(17)
    const hex = () => Array.from({ length: 64 }, () => '0123456789abcdef'.charAt(random.int(0, 15))).join('')
    const lines: string[] = []
    for (let i = 0; i < 8000; i++) {
      const fields = [...(base[i % base.length] ?? [])]
      fields[1] = i % 3 === 0 ? '2017-02' : '2017-01'
      if (fields[0]) fields[0] = i % 11 === 0 ? ` ${hex()} ` : hex()
      if (i % 13 === 0) fields[3] = 'Metropolitan Police Service'
      if (i % 17 === 0) fields[1] = ` ${fields[1] ?? ''} `
      // Rows wrong in one column, and in several (the first problem in the row's order is the reason).
      const wrong = i % 100
      if (wrong === 1 || wrong === 7 || wrong === 8) fields[1] = '2017-13'
      if (wrong === 2 || wrong === 7 || wrong === 8 || wrong === 9) fields[9] = 'Jaywalking'
      if (wrong === 3 || wrong === 7) fields[0] = 'not-an-id'
      if (wrong === 4 || wrong === 7 || wrong === 9) fields[5] = fields[5] ? '' : '51.5'
      if (wrong === 5) fields[3] = ' '
      if (i % 419 === 0) fields[6] = ' No location '
      if (i >= 2500 && i < 2510) fields[6] = `"${fields[6] ?? ''}, by the ""Corner""${i === 2505 ? '\n' : ''} "`
      if (i === 2507) fields[2] = 'bad"quote'
      const line = (wrong === 6 ? fields.slice(0, 11) : fields).join(',')
      lines.push(i >= 1000 && i < 1500 ? line + '\r' : line)
      if (i % 997 === 0) lines.push('')
    }
    const [header = ''] = fs
      .readFileSync(path.join(fixtures, 'street', '2016-04-city-of-london-street.csv'), 'utf8')
      .split('\n')
    const file = tempCsv('2017-01-city-of-london-street.csv', [header, ...lines].join('\n') + '\n')
    try {
      assert.ok(fs.statSync(file).size > 1_000_000, 'several reads of the file')
      const rejected: { file: string; line: number; reason: string }[] = []
      const expected: unknown[][] = []
      for await (const record of csvRecords(file)) {
        if (record.line === 1) continue
        const parsed = 'error' in record ? { ok: false as const, reason: record.error } : parseStreetRow(record.fields)
        if (!parsed.ok) rejected.push({ file: path.basename(file), line: record.line, reason: parsed.reason })
        else {
          const row = parsed.row
          expected.push([
            row.month,
            record.line,
            row.force,
            row.crimeId,
            row.crimeType,
            row.outcomeCode,
            row.outcomeName,
            row.location,
            row.point?.latitude ?? null,
            row.point?.longitude ?? null,
            row.point === null,
          ])
        }
      }
      assert.ok(rejected.length > 600 && expected.length > 7000)

      const summary = await t.deps.intelligenceImports.importPoliceStreet([file])
      assert.deepEqual(summary.rejected, rejected)
      assert.equal(summary.imported, expected.length)
      const stored = await repository.streetRows({ fromMonth: '2017-01', toMonth: '2017-02' })
      assert.deepEqual(
        stored.map(row => [
          row.month,
          row.source_line,
          row.force,
          row.crime_id,
          row.crime_type,
          row.outcome_code,
          row.outcome_name,
          row.location,
          row.latitude,
          row.longitude,
          row.location_missing,
        ]),
        expected.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1])),
      )
      assert.equal(summary.noLocation, stored.filter(row => row.location_missing).length)
      assert.equal(summary.outsideArea, stored.filter(row => row.outside_area && !row.location_missing).length)
      assert.deepEqual(summary.months, [
        'City of London Police 2017-01',
        'City of London Police 2017-02',
        'Metropolitan Police Service 2017-01',
        'Metropolitan Police Service 2017-02',
      ])
    } finally {
      // Later tests read the latest months held: these are not the borough's.
      await t.deps.database.db
        .deleteFrom('intelligence_street_crime')
        .where('month', 'in', ['2017-01', '2017-02'])
        .execute()
      fs.rmSync(path.dirname(file), { recursive: true, force: true })
    }
  })

  it('places street rows by their own LSOA code, by point only without one, and says the file is another force', async () => {
    const summary = await t.deps.intelligenceImports.importPoliceStreet([path.join(fixtures, 'street')])
    assert.deepEqual(summary.placement, { byLsoaCode: 7, byPoint: 0, inArea: 4, inAreaByPointTolerance: 4 })
    assert.equal(summary.notes.length, 1)
    assert.match(summary.notes[0] ?? '', /^9 rows are from City of London Police, not Metropolitan Police Service/)
    assert.match(summary.notes[0] ?? '', /4 of them lie in the borough\.$/)

    // The same point three times: coded to the Tower Hamlets LSOA it lies in (placed by the code), coded to a City
    // LSOA (outside, whatever the point says), and with no code (placed by point, with the tolerance).
    const point = { longitude: -0.0785, latitude: 51.5205 }
    const location = t.deps.geography.locate(point)
    const ownCode = location?.lsoa2011?.code ?? ''
    const codeWard = t.deps.geography.lsoas(2011).find(lsoa => lsoa.code === ownCode)?.wardCode
    assert.ok(ownCode && codeWard && location)
    const [header = ''] = fs
      .readFileSync(path.join(fixtures, 'street', '2016-04-city-of-london-street.csv'), 'utf8')
      .split('\n')
    const row = (code: string) =>
      `,2016-05,City of London Police,City of London Police,${String(point.longitude)},${String(point.latitude)},` +
      `On or near Test Street,${code},,Burglary,,`
    const file = tempCsv(
      '2016-05-city-of-london-street.csv',
      [header, row(ownCode), row('E01000005'), row('')].join('\n') + '\n',
    )
    try {
      const coded = await t.deps.intelligenceImports.importPoliceStreet([file])
      assert.deepEqual(coded.placement, { byLsoaCode: 2, byPoint: 1, inArea: 2, inAreaByPointTolerance: 3 })
      const rows = await repository.streetRows({ force: FORCE, fromMonth: '2016-05', toMonth: '2016-05' })
      assert.deepEqual(
        rows.map(r => [r.source_line, r.outside_area, r.ward_code, r.lsoa2011_code]),
        [
          [2, false, codeWard, ownCode],
          [3, true, null, null],
          [4, false, location.ward.code, ownCode],
        ],
      )
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true })
    }
  })

  it("burglary indicator for a month equals the sum of the file's burglary rows for the borough", async () => {
    const file = path.join(shipped, 'recorded-crime-borough_tower-hamlets.csv')
    await t.deps.intelligenceImports.importMpsRecordedCrime(file)
    const expected = fileMonthTotals(file, row => row[0] === 'BURGLARY' && row[2] === 'Tower Hamlets')
    const burglary = recordedCrimeIndicatorSources(createRecordedCrimeCounts(t.deps.database.db)).find(
      source => source.key === 'mps-crime:burglary',
    )
    const counts = (await burglary?.monthlyCounts('2024-01-01', '2025-12-31')) ?? []
    const indicator = new Map<string, number>()
    for (const count of counts)
      indicator.set(count.month.slice(0, 7), (indicator.get(count.month.slice(0, 7)) ?? 0) + count.total)
    assert.deepEqual(indicator, expected, 'every month of the file')
    // The three months for the note: the file's first, a middle and its last month.
    assert.deepEqual(
      ['2024-03', '2024-12', '2025-08'].map(month => [month, indicator.get(month)]),
      [
        ['2024-03', 191],
        ['2024-12', 251],
        ['2025-08', 199],
      ],
    )
  })

  it('keeps a fuller month over a partial one, and reports it, unless the import is told to replace it', async () => {
    const ward = path.join(shipped, 'recorded-crime-ward_tower-hamlets.csv')
    const first = await t.deps.intelligenceImports.importMpsRecordedCrime(ward)
    // The current ward table's first month holds 1 record where the next months hold thousands: imported, because
    // Safer held nothing for it, and reported.
    assert.deepEqual(
      first.partialMonths?.map(month => [month.month, month.total, month.held, month.neighbours, month.action]),
      [['2024-02', 1, 0, 2773, 'imported']],
    )
    assert.match(first.notes.join(' '), /ward 2024-02 looks partial: the file has 1 record where the nearest months/)
    const totals = async () =>
      new Map((await repository.recordedCrimeTotals('ward')).map(row => [row.month, row.total]))
    const before = await totals()
    assert.equal(before.get('2024-03'), 2773)

    // The small sample file holds a few records for March and April: Safer keeps the full months.
    const sample = path.join(fixtures, 'mps', 'recorded-crime-ward-sample.csv')
    const kept = await t.deps.intelligenceImports.importMpsRecordedCrime(sample)
    assert.deepEqual(
      kept.partialMonths?.map(month => [month.month, month.total, month.held, month.action]),
      [
        ['2024-03', 13, 2773, 'kept'],
        ['2024-04', 12, 2714, 'kept'],
      ],
    )
    assert.ok(!kept.months.includes('ward 2024-03'))
    assert.equal((await totals()).get('2024-03'), 2773)
    assert.equal((await totals()).get('2024-04'), 2714)

    // Told the file is complete (--replace-partial, or the box on the import page), it replaces them.
    const replaced = await t.deps.intelligenceImports.importMpsRecordedCrime(sample, { replacePartial: true })
    assert.deepEqual(
      replaced.partialMonths?.map(month => month.action),
      ['replaced', 'replaced'],
    )
    assert.equal((await totals()).get('2024-03'), 13)
  })

  it('explains a table for another borough or with months out of order, and changes nothing it should not', async () => {
    const file = path.join(shipped, 'recorded-crime-borough_tower-hamlets.csv')
    const totals = async () => (await repository.recordedCrimeTotals('borough')).map(row => [row.month, row.total])
    await t.deps.intelligenceImports.importMpsRecordedCrime(file)
    const before = await totals()
    const [header = '', ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n')

    const hackney = tempCsv(
      'recorded-crime-borough_hackney.csv',
      [header, ...lines.map(line => line.replace(',Tower Hamlets,', ',Hackney,'))].join('\n'),
    )
    const reversed = (line: string) => {
      const fields = line.split(',')
      return [...fields.slice(0, 3), ...fields.slice(3).reverse()].join(',')
    }
    const shuffled = tempCsv('recorded-crime-borough_reversed.csv', [header, ...lines].map(reversed).join('\n'))
    try {
      const other = await t.deps.intelligenceImports.importMpsRecordedCrime(hackney)
      assert.equal(other.imported, 0)
      assert.match(other.notes.join(' '), /The file has no rows for Tower Hamlets: it may be for another borough/)
      assert.deepEqual(await totals(), before, "another borough's file wipes no month")

      const outOfOrder = await t.deps.intelligenceImports.importMpsRecordedCrime(shuffled)
      assert.match(outOfOrder.notes.join(' '), /The month columns are not in date order/)
      assert.deepEqual(outOfOrder.partialMonths ?? [], [])
      assert.deepEqual(await totals(), before, 'each month read from its own column')
    } finally {
      for (const temp of [hackney, shuffled]) fs.rmSync(path.dirname(temp), { recursive: true, force: true })
    }
  })

  it("seeds the demo with the pack's police data: the hotspot page ranks wards and cells for the latest year", async () => {
    assert.deepEqual(packPoliceFiles(path.join(projectRoot, 'reference-data', 'city-of-london')), {
      street: [],
      stopSearch: [],
      mps: [],
    })
    assert.deepEqual(
      packPoliceFiles(path.dirname(shipped)).mps.map(file => path.basename(file)),
      ['recorded-crime-borough_tower-hamlets.csv', 'recorded-crime-ward_tower-hamlets.csv'],
      'borough tables first, so ward months are checked against them',
    )
    const seeded = await intelligenceDemoSeeder.seed(t.deps, createRandom(1))
    assert.deepEqual(seeded, {
      streetRows: 475,
      streetInArea: 311,
      stopSearchRows: 661,
      recordedCrimeRows: 602,
      partialMonths: 1,
    })
    const page = parse((await t.app.inject({ method: 'GET', url: '/intelligence/hotspots' })).body)
    assert.match(page.querySelector('[data-qa="hotspot-total"]')?.text ?? '', /2015-09 to 2016-08/)
    assert.match(
      page.querySelector('[data-qa="hotspot-period"]')?.text ?? '',
      /latest 12 months that have police data, 2015-09 to 2016-08; the data starts in 2014-09/,
    )
    assert.match(page.querySelector('[data-qa="hotspot-forces"]')?.text ?? '', /City of London Police/)
    const top = page.querySelectorAll('[data-qa="hotspot-wards"] tbody tr')[0]?.querySelectorAll('td, th')
    assert.equal(top?.[0]?.text.trim(), 'Spitalfields & Banglatown')
    assert.ok(Number(top?.[1]?.text.trim()) > 0)
    assert.equal(page.querySelectorAll('[data-qa="hotspot-places"] tbody tr').length, 10)
  })
})
