import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'

import { csvRecords, parseRecords, readHeader, type CsvRecord } from './csv-records.js'

const SAMPLE = [
  'a,b,c',
  '1,"two, with a comma",3',
  '"say ""hi""",,"x"',
  '',
  '"over',
  'two lines",y,z',
  'bad"quote,2,3',
  '"closed"then,2,3',
  'last,row,here',
].join('\r\n')

const EXPECTED: CsvRecord[] = [
  { line: 1, fields: ['a', 'b', 'c'] },
  { line: 2, fields: ['1', 'two, with a comma', '3'] },
  { line: 3, fields: ['say "hi"', '', 'x'] },
  { line: 5, fields: ['over\r\ntwo lines', 'y', 'z'] },
  { line: 7, error: 'a quote inside an unquoted field (the field must be quoted, with "" for the quote)' },
  { line: 8, error: 'text after a closing quote (a quote inside a field must be written "")' },
  { line: 9, fields: ['last', 'row', 'here'] },
]

/** Feeds `text` in pieces split at `cuts`, as a stream of reads would. */
function parseInPieces(text: string, cuts: number[]): CsvRecord[] {
  const records: CsvRecord[] = []
  let rest = ''
  let line = 1
  let from = 0
  for (const cut of [...cuts, text.length]) {
    const parsed = parseRecords(rest + text.slice(from, cut), line, cut === text.length)
    records.push(...parsed.records)
    rest = (rest + text.slice(from, cut)).slice(parsed.consumed)
    line = parsed.line
    from = cut
  }
  return records
}

describe('csv records', () => {
  it('reads quoted fields, doubled quotes, blank lines, CRLF and fields over two lines, numbering lines', () => {
    assert.deepEqual(parseRecords(SAMPLE, 1, true).records, EXPECTED)
  })

  it('gives the same records however the text is split between reads', () => {
    for (let cut = 1; cut < SAMPLE.length; cut++)
      assert.deepEqual(parseInPieces(SAMPLE, [cut]), EXPECTED, `split at ${String(cut)}`)
    assert.deepEqual(
      parseInPieces(
        SAMPLE,
        Array.from({ length: SAMPLE.length - 1 }, (_, i) => i + 1),
      ),
      EXPECTED,
      'one character at a time',
    )
  })

  it('reports a quote never closed at the end of the file', () => {
    assert.deepEqual(parseRecords('a,b\n1,"open\n2,3\n', 1, true).records, [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: 'a quoted field opened on line 2 is never closed' },
    ])
  })

  it('reads a file with a byte order mark, and its header alone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-csv-'))
    const file = path.join(dir, 'bom.csv')
    fs.writeFileSync(file, '\ufeffCrime ID,Month\n,2016-03\n"x",2016-04')
    try {
      const records: CsvRecord[] = []
      for await (const record of csvRecords(file)) records.push(record)
      assert.deepEqual(records, [
        { line: 1, fields: ['Crime ID', 'Month'] },
        { line: 2, fields: ['', '2016-03'] },
        { line: 3, fields: ['x', '2016-04'] },
      ])
      assert.deepEqual(await readHeader(file), ['Crime ID', 'Month'])
      fs.writeFileSync(file, '')
      assert.equal(await readHeader(file), null)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
