/**
 * Writing CSV (RFC 4180): every field quoted when it needs to be, CRLF line ends, a byte-order mark so Excel reads
 * UTF-8. Text that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe; numbers
 * are written as numbers, so "-9.06" stays a figure. (csv-stringify needs Node 22; Safer runs on Node 20.)
 */
export type CsvCell = string | number | null | undefined

function field(cell: CsvCell): string {
  if (cell === null || cell === undefined) return ''
  let text = typeof cell === 'number' ? (Number.isFinite(cell) ? String(cell) : '') : cell
  if (typeof cell === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return `\uFEFF${[header, ...rows].map(row => row.map(field).join(',')).join('\r\n')}\r\n`
}
