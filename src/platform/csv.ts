/**
 * The one CSV reader and the one CSV writer (ADR 0034). Modules read and write CSV only through here.
 *
 * Reading (RFC 4180: commas, double-quoted fields with "" for a quote, CRLF or LF, a leading byte-order mark
 * ignored) gives records with the line each starts on, the header being line 1. A record that cannot be read (a
 * quote in the middle of an unquoted field, text after a closing quote, a quote never closed) comes through as an
 * error with its line, and reading carries on at the next line, so an importer can report it. Blank lines are no
 * record. `readCsv` reads text in memory (a form's upload); `csvRecordChunks` and `csvRecords` stream a file (the
 * police.uk imports, millions of rows). The parser is our own rather than csv-parse: it reads the police.uk files
 * about five times faster and names the line a bad record starts on (ADR 0011); one parser serves both entry
 * points, so an upload and a streamed file are read the same way.
 *
 * Writing (`writeCsv`, over csv-stringify): a field is quoted when it holds a comma, a quote or a line break; lines
 * end CRLF; a byte-order mark comes first unless asked not to, so Excel reads UTF-8. Formula injection: a text cell
 * that a spreadsheet would run as a formula, one starting with `=`, `+`, `-`, `@`, a tab or a carriage return, is
 * written with an apostrophe in front (`'=HYPERLINK(...)`), which spreadsheets show as text. A plain negative number
 * is not a formula and stays a number: a number cell always, and a text cell that is only a minus sign and digits,
 * with at most one decimal point (`-3`, `-0.5`). Anything else after the minus (`-3+1`, `-5 text`) gets the
 * apostrophe. A number that is not finite (Infinity, NaN) is written as an empty cell, as are null and undefined.
 */
import { stringify } from 'csv-stringify/sync'
import fs from 'node:fs'

export type CsvRecord = { line: number; fields: string[] } | { line: number; error: string }

const QUOTE = 34
const COMMA = 44
const LF = 10
const CR = 13

/** Parses as many whole records as `text` holds from `start`; `final` says no more text will come. */
export function parseRecords(
  text: string,
  firstLine: number,
  final: boolean,
): { records: CsvRecord[]; consumed: number; line: number } {
  const records: CsvRecord[] = []
  const end = text.length
  let line = firstLine
  let pos = 0
  // Each pass reads one record starting at `pos`; `break outer` leaves an incomplete record for the next chunk.
  outer: while (pos < end) {
    const start = pos
    const startLine = line
    const fields: string[] = []
    let error: string | undefined
    for (;;) {
      if (pos < end && text.charCodeAt(pos) === QUOTE) {
        // Quoted field: up to the closing quote, "" standing for one quote; new lines inside count as lines.
        let value = ''
        let from = pos + 1
        let closed = -1
        for (;;) {
          const quote = text.indexOf('"', from)
          if (quote === -1 || (quote + 1 >= end && !final)) break
          if (text.charCodeAt(quote + 1) === QUOTE) {
            value += text.slice(from, quote + 1)
            from = quote + 2
            continue
          }
          value += text.slice(from, quote)
          closed = quote
          break
        }
        if (closed === -1) {
          if (!final) {
            pos = start
            line = startLine
            break outer
          }
          error = `a quoted field opened on line ${String(startLine)} is never closed`
          pos = end
          break
        }
        for (let i = pos; i < closed; i++) if (text.charCodeAt(i) === LF) line++
        fields.push(value)
        pos = closed + 1
        const next = pos < end ? text.charCodeAt(pos) : -1
        if (next === COMMA) {
          pos++
          continue
        }
        if (next === LF || next === CR || next === -1) {
          if (next === -1 && !final) {
            pos = start
            line = startLine
            break outer
          }
          break
        }
        error = 'text after a closing quote (a quote inside a field must be written "")'
        break
      }
      // Unquoted field: up to the next comma or end of line.
      let i = pos
      let code = -1
      while (i < end) {
        code = text.charCodeAt(i)
        if (code === COMMA || code === LF || code === CR || code === QUOTE) break
        i++
      }
      if (i >= end && !final) {
        pos = start
        line = startLine
        break outer
      }
      if (i < end && code === QUOTE) {
        error = 'a quote inside an unquoted field (the field must be quoted, with "" for the quote)'
        pos = i
        break
      }
      fields.push(text.slice(pos, i))
      pos = i
      if (i < end && code === COMMA) {
        pos++
        continue
      }
      break
    }
    // At the end of the record (or of a bad one): skip to and past the end of the line.
    if (error) {
      const newline = text.indexOf('\n', pos)
      if (newline === -1 && !final) {
        pos = start
        line = startLine
        break
      }
      pos = newline === -1 ? end : newline + 1
      records.push({ line: startLine, error })
      line++
      continue
    }
    if (pos < end && text.charCodeAt(pos) === CR) {
      // CR LF may be split between two reads: wait for the next one to see whether an LF follows.
      if (pos + 1 >= end && !final) {
        pos = start
        line = startLine
        break
      }
      pos++
    }
    if (pos < end && text.charCodeAt(pos) === LF) pos++
    line++
    // A blank line is no record.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: startLine, fields })
  }
  return { records, consumed: pos, line }
}

/** A file's text as the stream reads it (256 KB at a time), without its byte order mark. */
async function* fileTexts(file: string): AsyncGenerator<string> {
  const input = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 })
  let first = true
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      yield first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk
      first = false
    }
  } finally {
    input.destroy()
  }
}

/** The file's records a chunk at a time (a few thousand records per chunk for a 64 KB read). */
export async function* csvRecordChunks(file: string, options: { toLine?: number } = {}): AsyncGenerator<CsvRecord[]> {
  let rest = ''
  let line = 1
  for await (const chunk of fileTexts(file)) {
    const text = rest + chunk
    const parsed = parseRecords(text, line, false)
    rest = text.slice(parsed.consumed)
    line = parsed.line
    if (parsed.records.length > 0) yield limit(parsed.records, options.toLine)
    if (options.toLine && line > options.toLine) return
  }
  if (rest === '') return
  const parsed = parseRecords(rest, line, true)
  if (parsed.records.length > 0) yield limit(parsed.records, options.toLine)
}

function limit(records: CsvRecord[], toLine: number | undefined): CsvRecord[] {
  return toLine === undefined ? records : records.filter(record => record.line <= toLine)
}

/**
 * A piece of a file as `csvChunks` gives it: `plain` text is whole lines, from line `line`, with no quote and no
 * carriage return except before a line feed, which a reader may split at line feeds and commas itself and get
 * exactly the records `parseRecords` would (a line that is empty once its CR is dropped is no record); anything else
 * comes as `records`, already parsed.
 */
export type CsvChunk = { plain: string; line: number } | { records: CsvRecord[] }

/** Whether text[0, end) is plain (see CsvChunk). */
function isPlain(text: string, end: number): boolean {
  const quote = text.indexOf('"')
  if (quote !== -1 && quote < end) return false
  for (let cr = text.indexOf('\r'); cr !== -1 && cr < end; cr = text.indexOf('\r', cr + 1))
    if (text.charCodeAt(cr + 1) !== LF) return false
  return true
}

function lineFeeds(text: string): number {
  let count = 0
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++
  return count
}

/**
 * The file a chunk at a time, for a reader of millions of simple lines (the police.uk street files, ADR 0058): the
 * common plain text as it is, so the reader can split it without building a record per line; the rest parsed.
 */
export async function* csvChunks(file: string): AsyncGenerator<CsvChunk> {
  let rest = ''
  let line = 1
  for await (const chunk of fileTexts(file)) {
    const text = rest + chunk
    const cut = text.lastIndexOf('\n') + 1
    if (cut > 0 && isPlain(text, cut)) {
      const plain = text.slice(0, cut)
      yield { plain, line }
      line += lineFeeds(plain)
      rest = text.slice(cut)
      continue
    }
    const parsed = parseRecords(text, line, false)
    rest = text.slice(parsed.consumed)
    line = parsed.line
    if (parsed.records.length > 0) yield { records: parsed.records }
  }
  if (rest === '') return
  if (isPlain(rest, rest.length)) {
    yield { plain: rest, line }
    return
  }
  const parsed = parseRecords(rest, line, true)
  if (parsed.records.length > 0) yield { records: parsed.records }
}

/** The file's records one at a time. */
export async function* csvRecords(file: string, options: { toLine?: number } = {}): AsyncGenerator<CsvRecord> {
  for await (const chunk of csvRecordChunks(file, options)) yield* chunk
}

/** The first row of a file, or null when it is empty. */
export async function readHeader(file: string): Promise<string[] | null> {
  for await (const record of csvRecords(file, { toLine: 1 })) {
    return 'fields' in record ? record.fields : null
  }
  return null
}

/** Every record of CSV text held in memory (an upload), read exactly as a streamed file is. */
export function readCsv(text: string): CsvRecord[] {
  return parseRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 1, true).records
}

export type CsvCell = string | number | null | undefined

const FORMULA_START = /^[=+\-@\t\r]/
const PLAIN_NEGATIVE_NUMBER = /^-\d+(\.\d+)?$/

/** One cell as it is written: formula-like text defused with an apostrophe, numbers kept as numbers. */
export function safeCell(cell: CsvCell): string {
  if (cell === null || cell === undefined) return ''
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : ''
  return FORMULA_START.test(cell) && !PLAIN_NEGATIVE_NUMBER.test(cell) ? `'${cell}` : cell
}

/** A CSV file: the header, then each row; see the top of this file for quoting and formula injection. */
export function writeCsv(
  header: readonly string[],
  rows: readonly CsvCell[][],
  options: { bom?: boolean } = {},
): string {
  return stringify([header.map(safeCell), ...rows.map(row => row.map(safeCell))], {
    bom: options.bom ?? true,
    record_delimiter: '\r\n',
    // csv-stringify quotes a field holding a comma, a quote or a whole CRLF; a lone CR or LF must be quoted too.
    quoted_match: /[\r\n]/,
  })
}
