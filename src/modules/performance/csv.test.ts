import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { toCsv } from './csv.js'

describe('CSV writer', () => {
  it('quotes commas, quotes and line breaks, and keeps numbers as numbers', () => {
    const csv = toCsv(
      ['Name', 'Change'],
      [
        ['Calls, "101"', -9.06],
        ['Two\nlines', null],
      ],
    )
    assert.equal(csv, '\uFEFFName,Change\r\n"Calls, ""101""",-9.06\r\n"Two\nlines",\r\n')
  })

  it('defuses text a spreadsheet would run as a formula, and never writes Infinity or NaN', () => {
    assert.equal(
      toCsv(['a', 'b'], [['=HYPERLINK("x")', Number.POSITIVE_INFINITY]]),
      '\uFEFFa,b\r\n"\'=HYPERLINK(""x"")",\r\n',
    )
    assert.equal(toCsv(['a'], [['-5 text']]), "\uFEFFa\r\n'-5 text\r\n")
  })
})
