/**
 * MPS recorded crime as indicator sources: after importing the Tower Hamlets borough and ward tables shipped in the
 * pack, a category's borough total for a month is exactly the sum of that month's rows for the category in the
 * borough file (read here with a plain CSV reader, not Safer's importer), and each ward's figure is the ward file's.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { parse } from 'csv-parse/sync'

import { projectRoot } from '../../config.js'
import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'

const folder = path.join(projectRoot, 'reference-data', 'tower-hamlets', 'police')
const boroughFile = path.join(folder, 'recorded-crime-borough_tower-hamlets.csv')
const wardFile = path.join(folder, 'recorded-crime-ward_tower-hamlets.csv')

/** Σ of a month column (YYYYMM) over the rows matching a major (and minor) category, optionally one ward. */
function fileSum(file: string, month: string, major: string, minor?: string, ward?: string): number {
  const rows = parse<Record<string, string>>(fs.readFileSync(file, 'utf8'), { columns: true })
  return rows
    .filter(row => row.majortext === major && (!minor || row.minortext === minor) && (!ward || row.wardcode === ward))
    .reduce((sum, row) => sum + Number(row[month] ?? 0), 0)
}

describe('Integration: MPS recorded crime feeds indicators exactly', () => {
  let test: TestApp

  before(async () => {
    test = await buildTestApp()
    await test.deps.intelligenceImports.importMpsRecordedCrime(boroughFile)
    await test.deps.intelligenceImports.importMpsRecordedCrime(wardFile)
  })
  after(() => test.close())

  const sourceTotal = async (key: string, month: string, ward?: string | null) => {
    const source = test.deps.performanceSources.get(key)
    assert.ok(source, key)
    const from = `${month.slice(0, 4)}-${month.slice(4)}-01`
    const counts = await source.monthlyCounts(from, from.replace(/-01$/, '-28'))
    return counts
      .filter(count => ward === undefined || count.wardCode === ward)
      .reduce((sum, count) => sum + count.total, 0)
  }

  for (const month of ['202406', '202412', '202507']) {
    it(`burglary in ${month}: the borough file's rows, summed`, async () => {
      const expected = fileSum(boroughFile, month, 'BURGLARY')
      assert.ok(expected > 0)
      assert.equal(await sourceTotal('mps-crime:burglary', month), expected)
      assert.equal(
        await sourceTotal('mps-crime:personal-robbery', month),
        fileSum(boroughFile, month, 'ROBBERY', 'ROBBERY OF PERSONAL PROPERTY'),
      )
    })
  }

  it("gives each ward the ward file's figure (Bethnal Green, E05009317)", async () => {
    for (const month of ['202406', '202412']) {
      assert.equal(
        await sourceTotal('mps-crime:criminal-damage-and-arson', month, 'E05009317'),
        fileSum(wardFile, month, 'ARSON AND CRIMINAL DAMAGE', undefined, 'E05009317'),
      )
    }
  })

  it('says when its latest month ends', async () => {
    const source = test.deps.performanceSources.get('mps-crime:all')
    assert.equal(await source?.latestMonthEnd?.(), '2025-08-31')
  })
})
