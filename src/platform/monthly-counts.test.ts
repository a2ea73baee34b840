import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { batchedByPeriod } from './monthly-counts.js'

describe('batchedByPeriod', () => {
  it('shares one load between the calls made together for the same months, and not between different months', async () => {
    const loads: string[] = []
    const read = batchedByPeriod(async (from, to) => {
      loads.push(`${from}..${to}`)
      return loads.length
    })
    const results = await Promise.all([
      read('2026-04-01', '2026-11-30'),
      read('2026-04-01', '2026-11-30'),
      read('2025-04-01', '2025-11-30'),
    ])
    assert.deepEqual(loads, ['2026-04-01..2026-11-30', '2025-04-01..2025-11-30'])
    assert.equal(results[0], results[1])
    assert.notEqual(results[0], results[2])
  })

  it('starts a new load for a call made after the last one started, so a later read sees later writes', async () => {
    let value = 1
    const read = batchedByPeriod(async () => value)
    const first = read('2026-04-01', '2026-11-30')
    await Promise.resolve()
    await Promise.resolve()
    value = 2
    const second = read('2026-04-01', '2026-11-30')
    assert.deepEqual(await Promise.all([first, second]), [1, 2])
  })

  it('passes a failed load to every caller that shared it', async () => {
    const read = batchedByPeriod(async () => {
      throw new Error('database unavailable')
    })
    const results = await Promise.allSettled([read('a', 'b'), read('a', 'b')])
    assert.deepEqual(
      results.map(result => result.status),
      ['rejected', 'rejected'],
    )
  })
})

describe('batchedByPeriod with named figures', () => {
  it('gives the shared load every figure the calls of the turn named, and a later load only its own', async () => {
    const seen: string[][] = []
    const read = batchedByPeriod(async (_from, _to, wanted: ReadonlySet<string>) => {
      seen.push([...wanted].sort())
      return wanted.size
    })
    const together = await Promise.all([
      read('2026-04-01', '2026-11-30', 'burglary'),
      read('2026-04-01', '2026-11-30', 'robbery'),
      read('2026-04-01', '2026-11-30', 'burglary'),
    ])
    assert.deepEqual(together, [2, 2, 2])
    assert.deepEqual(await read('2026-04-01', '2026-11-30', 'arson'), 1)
    assert.deepEqual(await read('2026-04-01', '2026-11-30'), 0)
    assert.deepEqual(seen, [['burglary', 'robbery'], ['arson'], []])
  })
})
