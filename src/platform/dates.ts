/**
 * Dates in words, the GOV.UK way ("30 November 2026"), from ISO calendar dates. One list of month names for every
 * module, so pages and PDFs cannot disagree.
 */
export const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

/** `2026-11-30` → `30 November 2026`. */
export function formatLongDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number]
  return `${String(day)} ${LONG_MONTHS[month - 1] ?? ''} ${String(year)}`
}
