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
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number) as [number, number, number]
  return `${String(day)} ${LONG_MONTHS[month - 1] ?? ''} ${String(year)}`
}

const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  // The 24-hour parts, turned into a 12-hour clock below: ICU's own 12-hour English clock prints noon as "0:00 pm"
  // in some versions (and some options), so the hour is never left to it.
  hourCycle: 'h23',
  timeZone: 'Europe/London',
})

/** `23`, `5` → `11:05 pm`; noon `12:00 pm`, midnight `12:00 am`. */
function twelveHour(hours: number, minutes: number): string {
  const hour = hours % 12 === 0 ? 12 : hours % 12
  return `${String(hour)}:${String(minutes).padStart(2, '0')} ${hours < 12 ? 'am' : 'pm'}`
}

/** A moment in UK time, in words: `30 November 2026 at 5:30 pm`, noon `12:00 pm`, midnight `12:00 am`. */
export function formatDateTime(value: Date | string): string {
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return ''
  const parts = LONDON_PARTS.formatToParts(date)
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find(p => p.type === type)?.value ?? 0)
  const day = `${String(part('year'))}-${String(part('month')).padStart(2, '0')}-${String(part('day')).padStart(2, '0')}`
  return `${formatLongDate(day)} at ${twelveHour(part('hour') % 24, part('minute'))}`
}

/** A time of day as typed or stored (`23:00`, `9:30`) in the same 12-hour words: `11:00 pm`; '' when not a time. */
export function formatTime(hhmm: string | null | undefined): string {
  const match = /^(\d{1,2}):(\d{2})/.exec(hhmm ?? '')
  if (!match) return ''
  const [hours, minutes] = [Number(match[1]), Number(match[2])]
  return hours > 23 || minutes > 59 ? '' : twelveHour(hours, minutes)
}

/** A calendar date with an optional time of day, in the one format: `5 December 2026 at 11:00 pm`, or the date alone. */
export function formatDateAndTime(iso: string, hhmm?: string | null): string {
  const time = formatTime(hhmm)
  return time ? `${formatLongDate(iso)} at ${time}` : formatLongDate(iso)
}
