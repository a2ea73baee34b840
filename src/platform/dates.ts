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

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  // 'h12' (1 to 12), not `hour12: true`: with that, some ICU versions print noon as "0:00 pm".
  hourCycle: 'h12',
  timeZone: 'Europe/London',
})

/** A moment in UK time, in words: `30 November 2026 at 5:30 pm`, noon `12:00 pm`, midnight `12:00 am`. */
export function formatDateTime(value: Date | string): string {
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? '' : DATE_TIME.format(date)
}
