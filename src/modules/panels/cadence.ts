/**
 * When a panel meets, read from its configured cadence (the CSP pack's `meetingCadence`, editable on the panel's
 * settings page): "Monthly, second Thursday", "Fortnightly, Tuesday", "Weekly, Monday", "Every two months, first
 * Wednesday". Meetings are dated by it: the new-meeting form offers the next date and the demo holds its meetings on
 * it. A cadence that names no day ("As needed", "Every two months") gives no date, and nothing is guessed.
 */
import { addDays } from '../../platform/working-days.js'

export interface Cadence {
  every: 'week' | 'fortnight' | 'month' | 'two-months'
  /** 0 Sunday to 6 Saturday. */
  weekday: number
  /** For monthly cadences: 1 to 4 (first to fourth), or -1 for the last; weekly ones have none. */
  nth: number | null
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const
const ORDINALS: Record<string, number> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  last: -1,
}

/** The cadence a panel's wording describes, or null when it names no regular day. */
export function parseCadence(text: string): Cadence | null {
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
  const has = (...wanted: string[]) => wanted.some(word => words.includes(word))
  const every: Cadence['every'] | null =
    has('bimonthly', 'bi') || (has('every') && has('two') && has('months'))
      ? 'two-months'
      : has('fortnightly', 'fortnight')
        ? 'fortnight'
        : has('weekly', 'week')
          ? 'week'
          : has('monthly', 'month')
            ? 'month'
            : null
  const weekday = WEEKDAYS.findIndex(day => words.some(word => word === day || word === `${day}s`))
  if (!every || weekday < 0) return null
  const ordinal = words.find(word => word in ORDINALS)
  const nth = every === 'month' || every === 'two-months' ? (ordinal ? (ORDINALS[ordinal] ?? 1) : 1) : null
  return { every, weekday, nth }
}

const weekdayOf = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay()
const DAY = 86_400_000
/** A Monday long ago: fortnightly panels meet in the weeks an even number of weeks after it. */
const FORTNIGHT_ANCHOR = Date.UTC(2001, 0, 1)

/** The nth (or last) given weekday of a month, as YYYY-MM-DD. */
function nthWeekdayOfMonth(year: number, month: number, weekday: number, nth: number): string {
  if (nth === -1) {
    const last = new Date(Date.UTC(year, month + 1, 0))
    const back = (last.getUTCDay() - weekday + 7) % 7
    return new Date(last.getTime() - back * DAY).toISOString().slice(0, 10)
  }
  const first = new Date(Date.UTC(year, month, 1))
  const ahead = (weekday - first.getUTCDay() + 7) % 7
  return new Date(first.getTime() + (ahead + (nth - 1) * 7) * DAY).toISOString().slice(0, 10)
}

/** Whether a panel with this cadence meets on this day. */
export function meetsOn(cadence: Cadence, iso: string): boolean {
  if (weekdayOf(iso) !== cadence.weekday) return false
  if (cadence.every === 'week') return true
  if (cadence.every === 'fortnight') {
    const weeks = Math.round((Date.parse(`${iso}T00:00:00Z`) - FORTNIGHT_ANCHOR) / (7 * DAY))
    return weeks % 2 === 0
  }
  const [year, month] = iso.split('-').map(Number) as [number, number]
  if (cadence.every === 'two-months' && (month - 1) % 2 !== 0) return false
  return nthWeekdayOfMonth(year, month - 1, cadence.weekday, cadence.nth ?? 1) === iso
}

/** The first meeting day on or after `from` (within about two months), or null when the cadence names no day. */
export function nextMeetingOn(cadenceText: string, from: string): string | null {
  const cadence = parseCadence(cadenceText)
  if (!cadence) return null
  for (let day = 0; day < 70; day += 1) {
    const date = addDays(from, day)
    if (meetsOn(cadence, date)) return date
  }
  return null
}

/** The last meeting day on or before `from`, or null when the cadence names no day. */
export function previousMeetingOn(cadenceText: string, from: string): string | null {
  const cadence = parseCadence(cadenceText)
  if (!cadence) return null
  for (let day = 0; day < 70; day += 1) {
    const date = addDays(from, -day)
    if (meetsOn(cadence, date)) return date
  }
  return null
}
