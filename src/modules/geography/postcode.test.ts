import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { formatPostcode, isValidPostcode, normalisePostcode } from './postcode.js'

describe('postcode', () => {
  it('accepts any spacing and case', () => {
    for (const input of ['E14 5AB', 'e145ab', ' e14  5ab ', 'E14\u00a05AB', 'e14-5ab']) {
      assert.equal(normalisePostcode(input), 'E145AB', input)
      assert.equal(isValidPostcode(input), true, input)
      assert.equal(formatPostcode(input), 'E14 5AB', input)
    }
  })

  it('formats every outward code length', () => {
    assert.equal(formatPostcode('e10aa'), 'E1 0AA')
    assert.equal(formatPostcode('EC1A1BB'), 'EC1A 1BB')
    assert.equal(formatPostcode('w1a0ax'), 'W1A 0AX')
  })

  it('rejects things that are not postcodes', () => {
    for (const input of ['', 'E14', '12345', 'E14 5A', 'QQ1 1AA', 'E14 5ABC', '<script>']) {
      assert.equal(isValidPostcode(input), false, input)
    }
  })
})
