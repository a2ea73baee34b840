import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { CSV_PROBLEM, readCsvImport, runCsvImport, type CsvImportFormat } from './csv-import.js'

/** Two columns: a name and a whole number; a repeated name is a problem naming the earlier line. */
function format(): CsvImportFormat<{ name: string; count: number }> {
  const seen = new Map<string, number>()
  return {
    header: ['name', 'count'],
    headerIgnoresCase: true,
    maxRows: 3,
    row([name = '', count = ''], line) {
      const problems: { field: string; code: string; params?: Record<string, string | number> }[] = []
      if (!/^\d+$/.test(count)) problems.push({ field: 'count', code: 'count-invalid' })
      const earlier = seen.get(name)
      if (earlier !== undefined) problems.push({ field: 'name', code: 'repeated', params: { line: earlier } })
      seen.set(name, line)
      return problems.length > 0 ? { ok: false, problems } : { ok: true, row: { name, count: Number(count) } }
    },
  }
}

describe('All-or-nothing CSV import', () => {
  it('reads a good file, with the header in any case', () => {
    assert.deepEqual(readCsvImport('\uFEFFName, COUNT\r\na,1\r\n\r\nb,2\r\n', format()), {
      ok: true,
      rows: [
        { name: 'a', count: 1 },
        { name: 'b', count: 2 },
      ],
    })
  })

  it('collects every problem of every line with its line number, the header being line 1', () => {
    assert.deepEqual(readCsvImport('name,count\na,x\nb,2,3\na,4\n', format()), {
      ok: false,
      problems: [
        { line: 2, field: 'count', code: 'count-invalid' },
        { line: 3, field: 'line', code: CSV_PROBLEM.columns, params: { has: 3, needs: 2 } },
        { line: 4, field: 'name', code: 'repeated', params: { line: 2 } },
      ],
    })
  })

  it('refuses the file as a whole before its lines: not CSV, empty, wrong header, no rows, too many', () => {
    const only = (text: string) => {
      const read = readCsvImport(text, format())
      return read.ok ? null : read.problems
    }
    assert.deepEqual(only('name,count\na,"1\n'), [{ line: 2, field: 'file', code: CSV_PROBLEM.invalid }])
    assert.deepEqual(only(''), [{ line: 1, field: 'file', code: CSV_PROBLEM.empty }])
    assert.deepEqual(only('name,total\na,1\n'), [
      { line: 1, field: 'header', code: CSV_PROBLEM.header, params: { header: 'name,count' } },
    ])
    assert.deepEqual(only('name,count\n'), [{ line: 2, field: 'file', code: CSV_PROBLEM.noRows }])
    assert.deepEqual(only('name,count\na,1\nb,1\nc,1\nd,1\n'), [
      { line: 1, field: 'file', code: CSV_PROBLEM.tooMany, params: { max: 3 } },
    ])
  })

  it('writes nothing when any line has a problem, and everything in one call otherwise', async () => {
    const writes: unknown[][] = []
    const write = async (rows: { name: string; count: number }[], file: { sha256: string }) => {
      writes.push([rows, file.sha256])
      return rows.length
    }
    const refused = await runCsvImport('name,count\na,1\nb,x\n', format(), write)
    assert.equal(refused.ok, false)
    assert.equal(writes.length, 0)
    const done = await runCsvImport('name,count\na,1\nb,2\n', format(), write)
    assert.deepEqual(done, { ok: true, written: 2, rows: 2 })
    assert.equal(writes.length, 1)
    assert.match(String(writes[0]?.[1]), /^[0-9a-f]{64}$/)
  })
})
