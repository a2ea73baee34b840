/**
 * Calendar arithmetic for statutory and policy deadlines, in England and Wales.
 *
 * - Dates are calendar dates as ISO strings (`YYYY-MM-DD`): a deadline "within 21 days" is a date, not an instant,
 *   so it never moves when the clocks change.
 * - Working days are Monday to Friday except the England and Wales bank holidays, from the `date-holidays` library
 *   (region GB-ENG; Wales has the same bank holidays). It includes the substitute days and the one-off holidays
 *   (the 2022 Platinum Jubilee and State Funeral, the 2023 Coronation).
 * - Periods in hours (dispersal, closure notices) are elapsed time between instants: 48 hours across the night the
 *   clocks go forward ends at a local time one hour later than it started. `londonInstant` turns the local date and
 *   time a person typed into an instant, and `londonDate`/`londonTime` turn an instant back into what they see.
 *
 * Shared by the powers ladder, the victim risk assessment and the ASB Case Review SLA clocks.
 */
import Holidays from 'date-holidays'

export const LONDON = 'Europe/London'

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** True when the string is a real calendar date in ISO form (rejects 2026-02-30). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value)
  if (!match) return false
  const [, y, m, d] = match.map(Number) as [number, number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

function parts(iso: string): [number, number, number] {
  if (!isIsoDate(iso)) throw new RangeError(`Not a calendar date: ${iso}`)
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return [y, m, d]
}

function toIso(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** Calendar days after (or before, when negative) a date. */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = parts(iso)
  return toIso(new Date(Date.UTC(y, m - 1, d + days)))
}

/**
 * Calendar months after a date; a day the target month lacks becomes its last day (31 January + 1 month is
 * 28 or 29 February), as the courts count months.
 */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = parts(iso)
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate()
  return toIso(new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastDay))))
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = parts(from)
  const [y2, m2, d2] = parts(to)
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000)
}

/** Day of the week, 0 Sunday to 6 Saturday. */
export function weekday(iso: string): number {
  const [y, m, d] = parts(iso)
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay()
}

const holidayCache = new Map<number, Map<string, string>>()
const englandAndWales = new Holidays('GB', 'ENG')

/** England and Wales bank holidays of a year: date → name. */
export function bankHolidays(year: number): Map<string, string> {
  let found = holidayCache.get(year)
  if (!found) {
    found = new Map()
    for (const holiday of englandAndWales.getHolidays(year)) {
      if (holiday.type !== 'public' && holiday.type !== 'bank') continue
      found.set(holiday.date.slice(0, 10), holiday.name)
    }
    holidayCache.set(year, found)
  }
  return found
}

export function isBankHoliday(iso: string): boolean {
  return bankHolidays(parts(iso)[0]).has(iso)
}

export function isWorkingDay(iso: string): boolean {
  const day = weekday(iso)
  return day !== 0 && day !== 6 && !isBankHoliday(iso)
}

/**
 * The date `count` working days after `iso` (the start day itself is not counted, as in "within 10 working days
 * of receipt"). A count of 0 gives the start day if it is a working day, else the next working day.
 */
export function addWorkingDays(iso: string, count: number): string {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a whole number of days, 0 or more')
  let current = iso
  if (count === 0) {
    while (!isWorkingDay(current)) current = addDays(current, 1)
    return current
  }
  let remaining = count
  while (remaining > 0) {
    current = addDays(current, 1)
    if (isWorkingDay(current)) remaining -= 1
  }
  return current
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string): number {
  let count = 0
  for (let current = addDays(from, 1); daysBetween(current, to) >= 0; current = addDays(current, 1)) {
    if (isWorkingDay(current)) count += 1
  }
  return count
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

function localParts(instant: Date): Record<string, string> {
  return Object.fromEntries(londonParts.formatToParts(instant).map(part => [part.type, part.value]))
}

/** The calendar date in London at an instant. */
export function londonDate(instant: Date): string {
  const p = localParts(instant)
  return `${p.year ?? ''}-${p.month ?? ''}-${p.day ?? ''}`
}

/** The wall-clock time (HH:MM) in London at an instant. */
export function londonTime(instant: Date): string {
  const p = localParts(instant)
  return `${p.hour ?? ''}:${p.minute ?? ''}`
}

/** Minutes London is ahead of UTC at an instant (0 in winter, 60 in summer). */
function londonOffsetMinutes(instant: Date): number {
  const p = localParts(instant)
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute))
  return Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000)
}

/**
 * The instant a London wall-clock date and time denotes. A time that does not exist (the hour skipped when the
 * clocks go forward) is refused with `null`; a time that happens twice (the hour repeated when they go back) is
 * the first of the two, the one a person still on summer time means.
 */
export function londonInstant(date: string, time: string): Date | null {
  const [y, m, d] = parts(date)
  const match = /^(\d{1,2}):(\d{2})$/.exec(time)
  if (!match) return null
  const hour = Number(match[1])
  const minute = Number(match[2])
  if (hour > 23 || minute > 59) return null
  const asUtc = Date.UTC(y, m - 1, d, hour, minute)
  for (const offset of [60, 0]) {
    const candidate = new Date(asUtc - offset * 60_000)
    if (londonOffsetMinutes(candidate) === offset) return candidate
  }
  return null
}

/** Elapsed hours after an instant. */
export function addHours(instant: Date, hours: number): Date {
  return new Date(instant.getTime() + hours * 3_600_000)
}

/** Whole years of age on a date, for a date of birth (a 29 February birthday falls on 1 March in other years). */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = parts(dateOfBirth)
  const [y, m, d] = parts(on)
  let age = y - by
  if (m < bm || (m === bm && d < bd)) age -= 1
  return age
}

/** A length of time a policy states: calendar units, or working days. */
export interface Period {
  amount: number
  unit: 'days' | 'working-days' | 'weeks' | 'months' | 'years'
}

/** The date a period after `iso` ends on. */
export function addPeriod(iso: string, period: Period): string {
  switch (period.unit) {
    case 'days':
      return addDays(iso, period.amount)
    case 'working-days':
      return addWorkingDays(iso, period.amount)
    case 'weeks':
      return addDays(iso, period.amount * 7)
    case 'months':
      return addMonths(iso, period.amount)
    case 'years':
      return addMonths(iso, period.amount * 12)
  }
}
