/**
 * The real open data in ../shared/data/police imports with exact row counts, on PGlite (array INSERTs) and on
 * PostgreSQL (COPY). The counts are the files' data rows, counted independently of Safer (a CSV reader, minus the
 * header): every row is valid, so every row is imported and none rejected.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { projectRoot } from '../../config.js'
import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createIntelligenceRepository, type IntelligenceRepository } from './index.js'

const police = path.resolve(projectRoot, '..', 'shared', 'data', 'police')
const missing = !fs.existsSync(police)

/** Month (YYYY-MM) → the file's total, read with a plain split (the Tower Hamlets files have no quoting). */
function monthTotals(file: string): Map<string, number> {
  const [header = '', ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n')
  assert.ok(!fs.readFileSync(file, 'utf8').includes('"'), 'a file with quoting needs a CSV reader')
  const columns = header.split(',')
  const totals = new Map<string, number>()
  for (const line of lines)
    line.split(',').forEach((value, i) => {
      const column = columns[i] ?? ''
      if (!/^\d{6}$/.test(column)) return
      const month = `${column.slice(0, 4)}-${column.slice(4)}`
      totals.set(month, (totals.get(month) ?? 0) + Number(value || 0))
    })
  return totals
}

describe(
  'Integration: the shared police data imports with exact row counts',
  { skip: missing && 'no shared data' },
  () => {
    let t: TestApp
    let repository: IntelligenceRepository
    before(async () => {
      t = await buildTestApp()
      repository = createIntelligenceRepository(t.deps.database.db)
    })
    after(async () => {
      await t.close()
    })

    it('City of London street crime: 24 months, 12,523 rows, 562 without a location', async () => {
      const summary = await t.deps.intelligenceImports.importPoliceStreet([path.join(police, 'city-of-london-street')])
      assert.equal(summary.files, 24)
      assert.equal(summary.imported, 12_523)
      assert.deepEqual(summary.rejected, [])
      assert.equal(summary.months.length, 24)
      assert.equal(summary.months[0], 'City of London Police 2014-09')
      assert.equal(summary.months.at(-1), 'City of London Police 2016-08')
      assert.equal(summary.noLocation, 562)
      // Placed by the files' own LSOA codes (every located row has one): 311 in Tower Hamlets. The 25 m point
      // tolerance alone counted 475 (and this test, before the codes were used, 11,486 outside).
      assert.deepEqual(summary.placement, {
        byLsoaCode: 11_961,
        byPoint: 0,
        inArea: 311,
        inAreaByPointTolerance: 475,
      })
      assert.equal(summary.outsideArea, 11_650, 'the City is outside Tower Hamlets; the rest are the borders')
      assert.equal(await repository.countStreet(), 12_523)
      const months = await repository.streetMonths()
      assert.equal(months.length, 24)
      assert.equal(
        months.reduce((sum, month) => sum + month.rows, 0),
        12_523,
      )

      const again = await t.deps.intelligenceImports.importPoliceStreet([path.join(police, 'city-of-london-street')])
      assert.equal(again.imported, 12_523)
      assert.equal(await repository.countStreet(), 12_523, 'a re-import replaces every month, never doubles')
    })

    it('Metropolitan stop and search, June 2016: 10,490 rows', async () => {
      const summary = await t.deps.intelligenceImports.importStopSearch([
        path.join(police, '2016-06-metropolitan-stop-and-search.csv'),
      ])
      assert.equal(summary.imported, 10_490)
      assert.deepEqual(summary.rejected, [])
      assert.deepEqual(summary.months, ['metropolitan 2016-06'])
      assert.equal(summary.noLocation, 871)
      assert.equal((await repository.stopSearchRows('metropolitan', '2016-06')).length, 10_490)
    })

    it("MPS recorded crime by ward: the borough's 570 rows over 19 months", async () => {
      const summary = await t.deps.intelligenceImports.importMpsRecordedCrime(
        path.join(police, 'mps-recorded-crime', 'recorded-crime-ward.csv'),
      )
      assert.equal(summary.imported, 570)
      assert.deepEqual(summary.rejected, [])
      assert.equal(summary.months.length, 19)
      const totals = await repository.recordedCrimeTotals('ward')
      assert.equal(totals.length, 19)
      // Its first month is nearly empty: imported (nothing was held) but reported.
      assert.deepEqual(
        summary.partialMonths?.map(month => [month.month, month.total, month.action]),
        [['2024-02', 1, 'imported']],
      )
    })

    it('MPS ward tables, current then historical then current again: every month as the fuller file has it', async () => {
      const dir = path.join(police, 'mps-recorded-crime')
      const current = path.join(dir, 'recorded-crime-ward_tower-hamlets.csv')
      const historical = path.join(dir, 'recorded-crime-ward-historical_tower-hamlets.csv')
      const fuller = new Map<string, number>()
      for (const file of [current, historical])
        for (const [month, total] of monthTotals(file)) fuller.set(month, Math.max(total, fuller.get(month) ?? 0))
      assert.equal(monthTotals(current).get('2024-02'), 1, "the current file's first month is nearly empty")
      assert.equal(monthTotals(historical).get('2024-02'), 2873)
      const stored = async () =>
        new Map((await repository.recordedCrimeTotals('ward')).map(row => [row.month, row.total]))

      const fromHistorical = await t.deps.intelligenceImports.importMpsRecordedCrime(historical)
      assert.deepEqual(fromHistorical.partialMonths ?? [], [], 'the fuller 2024-02 replaces the partial one')
      assert.deepEqual(await stored(), fuller)

      const again = await t.deps.intelligenceImports.importMpsRecordedCrime(current)
      assert.deepEqual(
        again.partialMonths?.map(month => [month.month, month.total, month.held, month.action]),
        [['2024-02', 1, 2873, 'kept']],
      )
      assert.ok(!again.months.includes('ward 2024-02'))
      assert.deepEqual(await stored(), fuller, 'historical then current: every month as the fuller file has it')
      assert.equal((await stored()).size, 185)
    })
  },
)
