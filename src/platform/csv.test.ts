import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'

import {
  csvChunks,
  csvRecords,
  parseRecords,
  readCsv,
  readHeader,
  safeCell,
  writeCsv,
  type CsvChunk,
  type CsvRecord,
} from './csv.js'

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

/** The records of a plain chunk, split as CsvChunk says a reader may split it. */
function plainRecords(chunk: Extract<CsvChunk, { plain: string }>): CsvRecord[] {
  const lines = chunk.plain.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines.flatMap((text, i) => {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text
    return line === '' ? [] : [{ line: chunk.line + i, fields: line.split(',') }]
  })
}

describe('CSV chunks for fast readers', () => {
  it('gives plain text and parsed records that together read exactly as the record reader does', async () => {
    // Over a megabyte, so several reads: plain lines with LF and CRLF, blank lines, then a stretch with quotes (a
    // field over two lines, a bad quote), a lone carriage return, more plain lines, and a last line with no newline.
    const plain = (n: number, end: string) =>
      Array.from({ length: n }, (_, i) => `${String(i)},on or near a street,${i % 7 === 0 ? '' : 'E01000001'}`).join(
        end,
      )
    const text = [
      '\ufeffid,location,lsoa',
      plain(9000, '\n'),
      '',
      plain(9000, '\r\n'),
      '1,"over\ntwo lines",x',
      '2,bad"quote,y',
      '3,lone\rreturn,z',
      plain(20000, '\n'),
      '4,"quoted, at the end",w',
      plain(9000, '\n'),
      'last,line,here',
    ].join('\n')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-csv-'))
    const file = path.join(dir, 'mixed.csv')
    fs.writeFileSync(file, text)
    try {
      const records: CsvRecord[] = []
      const kinds = new Set<string>()
      for await (const chunk of csvChunks(file)) {
        kinds.add('plain' in chunk ? 'plain' : 'records')
        records.push(...('plain' in chunk ? plainRecords(chunk) : chunk.records))
      }
      assert.deepEqual(kinds, new Set(['plain', 'records']))
      assert.deepEqual(records, readCsv(text))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('CSV text in memory', () => {
  it('reads text as a streamed file is read, ignoring a byte-order mark', () => {
    assert.deepEqual(readCsv(`\uFEFF${SAMPLE}`), EXPECTED)
    assert.deepEqual(readCsv(''), [])
  })

  it('reports a quote never closed on the line it opens, as one error', () => {
    assert.deepEqual(readCsv('a,b\n1,"open\n2,3\n'), [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: 'a quoted field opened on line 2 is never closed' },
    ])
  })
})

describe('CSV writer', () => {
  it('quotes commas, quotes and line breaks, and keeps numbers as numbers', () => {
    const csv = writeCsv(
      ['Name', 'Change'],
      [
        ['Calls, "101"', -9.06],
        ['Two\nlines', null],
        ['Carriage\rreturn', undefined],
      ],
    )
    assert.equal(csv, '\uFEFFName,Change\r\n"Calls, ""101""",-9.06\r\n"Two\nlines",\r\n"Carriage\rreturn",\r\n')
  })

  it('leaves the byte-order mark out when asked', () => {
    assert.equal(writeCsv(['a'], [['b']], { bom: false }), 'a\r\nb\r\n')
  })

  it('defuses every cell a spreadsheet would run as a formula', () => {
    for (const [cell, written] of [
      ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
      ['+44 20 7364 5000', "'+44 20 7364 5000"],
      ['-5 text', "'-5 text"],
      ['-3+cmd|calc', "'-3+cmd|calc"],
      ['-', "'-"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\t=1', "'\t=1"],
      ['\r=1', '"\'\r=1"'],
    ]) {
      assert.equal(writeCsv(['a'], [[cell]], { bom: false }), `a\r\n${written}\r\n`, JSON.stringify(cell))
    }
    // The header is a cell like any other.
    assert.equal(writeCsv(['=x'], [], { bom: false }), "'=x\r\n")
  })

  it('keeps plain negative numbers as numbers, as numbers or as text', () => {
    assert.equal(safeCell(-3), '-3')
    assert.equal(safeCell(-0.5), '-0.5')
    assert.equal(safeCell('-3'), '-3')
    assert.equal(safeCell('-0.5'), '-0.5')
    assert.equal(safeCell('-1.2.3'), "'-1.2.3")
    assert.equal(safeCell('-.5'), "'-.5")
  })

  it('never writes Infinity or NaN, and writes nothing for a missing value', () => {
    assert.equal(
      writeCsv(['a', 'b', 'c', 'd'], [[Number.POSITIVE_INFINITY, Number.NaN, null, undefined]], { bom: false }),
      'a,b,c,d\r\n,,,\r\n',
    )
  })

  it('round-trips through the reader', () => {
    const rows = [['x, y', 'say "hi"', 'two\r\nlines', '-2.5']]
    assert.deepEqual(readCsv(writeCsv(['a', 'b', 'c', 'd'], rows)), [
      { line: 1, fields: ['a', 'b', 'c', 'd'] },
      { line: 2, fields: rows[0] },
    ])
  })
})
