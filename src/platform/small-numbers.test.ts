import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { describeConfig, loadConfig } from '../config.js'
import { protectSmallNumbers, type CountCell, type ProtectedRow } from './small-numbers.js'

const cell = (key: string, count: number, sensitive = false): CountCell => ({ key, count, sensitive })
const shown = (row: ProtectedRow) => Object.fromEntries(row.cells.map(c => [c.key, c.suppressed ? c.reason : c.count]))

/**
 * What a reader of the published row can work out about each primary-suppressed cell, by brute force: every way of
 * filling the hidden cells that agrees with what is published (each hidden value within what its marker says, and
 * the hidden cells adding up to the total minus the published cells).
 */
function feasibleValues(cells: CountCell[], row: ProtectedRow, threshold: number): Map<string, Set<number>> {
  const hidden = row.cells.map((c, i) => ({ ...c, sensitive: cells[i]?.sensitive ?? false })).filter(c => c.suppressed)
  const result = new Map(hidden.filter(c => c.reason === 'primary').map(c => [c.key, new Set<number>()]))
  if (row.total === null) {
    for (const set of result.values()) for (let v = 1; v < threshold; v++) set.add(v)
    return result
  }
  const hiddenSum = row.total - row.cells.reduce((sum, c) => sum + (c.count ?? 0), 0)
  const range = (c: (typeof hidden)[number]): [number, number] =>
    c.reason === 'primary' ? [1, threshold - 1] : [c.sensitive ? threshold : 1, hiddenSum]
  const walk = (index: number, left: number, values: number[]) => {
    if (index === hidden.length) {
      if (left === 0) hidden.forEach((c, i) => result.get(c.key)?.add(values[i] ?? 0))
      return
    }
    const current = hidden[index]
    if (!current) return
    const [low, high] = range(current)
    for (let v = low; v <= Math.min(high, left); v++) walk(index + 1, left - v, [...values, v])
  }
  walk(0, hiddenSum, [])
  return result
}

describe('small-number protection', () => {
  it('publishes everything when no sensitive count is small', () => {
    const row = protectSmallNumbers([cell('noise', 12), cell('harassment', 3, true), cell('graffiti', 1)], {
      threshold: 3,
    })
    assert.deepEqual(shown(row), { noise: 12, harassment: 3, graffiti: 1 })
    assert.equal(row.total, 16)
    assert.equal(row.totalSuppressed, false)
  })

  it('suppresses a sensitive count of 1 or 2 (primary) and the smallest other cell (secondary)', () => {
    const row = protectSmallNumbers([cell('noise', 10), cell('harassment', 1, true), cell('graffiti', 4)], {
      threshold: 3,
    })
    assert.deepEqual(shown(row), { noise: 10, harassment: 'primary', graffiti: 'secondary' })
    assert.equal(row.total, 15)
    assert.deepEqual(row.cells[1], { key: 'harassment', count: null, suppressed: true, reason: 'primary' })
  })

  it('publishes zero, and small counts of categories that are not sensitive', () => {
    const row = protectSmallNumbers([cell('noise', 2), cell('hate', 0, true), cell('graffiti', 1)], { threshold: 3 })
    assert.deepEqual(shown(row), { noise: 2, hate: 0, graffiti: 1 })
    assert.equal(row.total, 3)
  })

  it('suppresses more than one cell when the smallest would give the small count away', () => {
    // Hiding harassment (1) and dog fouling (1) alone: the total says they add up to 2, so harassment is 1.
    const cells = [cell('noise', 10), cell('harassment', 1, true), cell('dog_fouling', 1)]
    const row = protectSmallNumbers(cells, { threshold: 3 })
    assert.deepEqual(shown(row), { noise: 'secondary', harassment: 'primary', dog_fouling: 'secondary' })
    assert.equal(row.total, 12)
  })

  it('withholds the total when no other cell can hide the small count', () => {
    const row = protectSmallNumbers([cell('hate', 2, true)], { threshold: 3 })
    assert.deepEqual(shown(row), { hate: 'primary' })
    assert.equal(row.total, null)
    assert.equal(row.totalSuppressed, true)
  })

  it('needs no secondary suppression when no total is published', () => {
    const row = protectSmallNumbers([cell('noise', 10), cell('hate', 1, true)], { threshold: 3, publishTotal: false })
    assert.deepEqual(shown(row), { noise: 10, hate: 'primary' })
    assert.equal(row.total, null)
    assert.equal(row.totalSuppressed, false)
  })

  it('follows the threshold, and refuses one that is not a whole number of at least 1', () => {
    const row = protectSmallNumbers([cell('noise', 30), cell('hate', 4, true), cell('graffiti', 9)], { threshold: 5 })
    assert.deepEqual(shown(row), { noise: 30, hate: 'primary', graffiti: 'secondary' })
    assert.throws(() => protectSmallNumbers([], { threshold: 0 }), RangeError)
    assert.throws(() => protectSmallNumbers([], { threshold: 2.5 }), RangeError)
  })

  it('never lets a reader pin a suppressed count to one value (every row of up to 4 small cells)', () => {
    const threshold = 3
    const values = [0, 1, 2, 3, 5]
    let rows = 0
    const cases: CountCell[][] = [[]]
    for (let size = 1; size <= 4; size++) {
      for (const base of cases.filter(c => c.length === size - 1))
        for (const count of values)
          for (const sensitive of [true, false]) cases.push([...base, cell(`c${String(size)}`, count, sensitive)])
    }
    for (const cells of cases) {
      const row = protectSmallNumbers(cells, { threshold })
      for (const [key, feasible] of feasibleValues(cells, row, threshold)) {
        rows++
        assert.deepEqual([...feasible].sort(), [1, 2], `${key} in ${JSON.stringify(cells)}`)
      }
      if (!row.totalSuppressed)
        assert.equal(
          row.total,
          cells.reduce((sum, c) => sum + c.count, 0),
        )
    }
    assert.ok(rows > 1000)
  })

  it('takes its threshold from PUBLIC_SMALL_NUMBER_THRESHOLD: 3 by default, validated, listed by `safer config`', () => {
    assert.equal(loadConfig({}).publicSmallNumberThreshold, 3)
    assert.equal(loadConfig({ PUBLIC_SMALL_NUMBER_THRESHOLD: '5' }).publicSmallNumberThreshold, 5)
    for (const bad of ['1', 'three', '100'])
      assert.throws(() => loadConfig({ PUBLIC_SMALL_NUMBER_THRESHOLD: bad }), /PUBLIC_SMALL_NUMBER_THRESHOLD/)
    assert.ok(describeConfig().some(line => line.startsWith('PUBLIC_SMALL_NUMBER_THRESHOLD (default: 3): ')))
  })
})
