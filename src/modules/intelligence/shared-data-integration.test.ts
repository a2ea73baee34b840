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
      assert.equal(summary.outsideArea, 11_486, 'the City is outside Tower Hamlets; the rest are the borders')
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
    })
  },
)
