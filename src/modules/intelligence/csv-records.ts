/**
 * Streams a CSV file as records with their line numbers. Rows csv-parse cannot read (a broken quote, say) come
 * through as errors with their line, so the importer reports them and carries on.
 */
import fs from 'node:fs'

import { parse, type CsvError } from 'csv-parse'

export type CsvRecord = { line: number; fields: string[] } | { line: number; error: string }

export async function* csvRecords(file: string, options: { toLine?: number } = {}): AsyncGenerator<CsvRecord> {
  const skipped: CsvRecord[] = []
  const input = fs.createReadStream(file)
  const parser = input.pipe(
    parse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      ...(options.toLine ? { to_line: options.toLine } : {}),
      // Cheaper than `info: true`, which copies a whole info object for every record.
      on_record: (record: string[], context) => Object.assign(record, { line: context.lines }),
    }),
  )
  parser.on('skip', (error: CsvError & { lines?: number }) => {
    skipped.push({ line: error.lines ?? 0, error: error.message })
  })
  try {
    for await (const record of parser as AsyncIterable<string[] & { line: number }>) {
      yield* skipped.splice(0)
      yield { line: record.line, fields: record }
    }
    yield* skipped.splice(0)
  } finally {
    input.destroy()
  }
}

/** The first row of a file, or null when it is empty. */
export async function readHeader(file: string): Promise<string[] | null> {
  for await (const record of csvRecords(file, { toLine: 1 })) {
    return 'fields' in record ? record.fields : null
  }
  return null
}
