import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { binomialUpperTail, testRise } from './emerging.js'

describe('emerging hotspots', () => {
  it('computes the exact binomial upper tail', () => {
    assert.equal(binomialUpperTail(0, 10, 0.25), 1)
    assert.equal(binomialUpperTail(11, 10, 0.25), 0)
    // P(X ≥ 3) for Binomial(3, 0.5) = 1/8; P(X ≥ 2) for Binomial(4, 0.25) = 1 - (81 + 108) / 256.
    assert.ok(Math.abs(binomialUpperTail(3, 3, 0.5) - 0.125) < 1e-12)
    assert.ok(Math.abs(binomialUpperTail(2, 4, 0.25) - 67 / 256) < 1e-12)
  })

  it('flags a significant rise with enough events, and nothing else', () => {
    // 12 now against 9 over the 3 months before (mean 3): p below 0.01.
    const rise = testRise(12, 9, { periods: 3 })
    assert.equal(rise.emerging, true)
    assert.ok(rise.pValue < 0.01)
    assert.equal(rise.baseline, 3)
    assert.equal(testRise(4, 0, { periods: 3 }).emerging, false, 'fewer than 5 events now')
    assert.equal(testRise(6, 15, { periods: 3 }).emerging, false, 'a steady area (mean 5) is not emerging')
    assert.equal(testRise(6, 18, { periods: 3 }).emerging, false, 'a fall is not emerging')
  })
})
