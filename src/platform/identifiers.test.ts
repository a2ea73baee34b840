import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { isUuid } from './identifiers.js'

describe('record identifiers', () => {
  it('accepts a UUID in either case and nothing else', () => {
    assert.equal(isUuid('3f0c4a52-9d1e-4b7a-8c2f-5e6d7a8b9c0d'), true)
    assert.equal(isUuid('3F0C4A52-9D1E-4B7A-8C2F-5E6D7A8B9C0D'), true)
    for (const value of [
      '',
      'council',
      '3f0c4a52-9d1e-4b7a-8c2f-5e6d7a8b9c0',
      ' 3f0c4a52-9d1e-4b7a-8c2f-5e6d7a8b9c0d',
      '3f0c4a52-9d1e-4b7a-8c2f-5e6d7a8b9c0d\n',
      null,
      undefined,
      42,
    ])
      assert.equal(isUuid(value), false, String(value))
  })
})
