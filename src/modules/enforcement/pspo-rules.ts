/**
 * The rules of a Public Spaces Protection Order (Anti-social Behaviour, Crime and Policing Act 2014 ss.59–75), as
 * pure functions on the form's answers: no I/O, every problem a code the presenters word (`enforcement.errors.*`).
 *
 * An order may not have effect for more than 3 years (s.60(1)): its expiry is at most 3 years after the day it was
 * made. Before it expires it may be extended by up to 3 years at a time, more than once (s.60(2)); it may be varied
 * or discharged (s.61). Dates are London calendar days, `YYYY-MM-DD`; the expiry is the last day the order has effect.
 */
import { addDays, addMonths } from '../../platform/working-days.js'

export const MAX_YEARS = 3
/** Review reminders: the months before expiry at which an order is "review due", widest first. */
export const REVIEW_THRESHOLDS = [
  { code: '6-months', months: 6 },
  { code: '3-months', months: 3 },
] as const
export type ReviewThreshold = (typeof REVIEW_THRESHOLDS)[number]['code']
export const MAX_TEXT = 4000

export interface FieldError {
  field: string
  code: string
}

/** The latest expiry an order made (or extended) on `from` may have. */
export function latestExpiry(from: string): string {
  return addMonths(from, 12 * MAX_YEARS)
}

/** The expiry the form offers when left blank: the day before the third anniversary of the making. */
export function defaultExpiry(madeOn: string): string {
  return addDays(latestExpiry(madeOn), -1)
}

export type OrderStatus = 'not-yet-in-force' | 'in-force' | 'expired' | 'discharged'

export function orderStatus(
  order: { inForceFrom: string; expiresOn: string; dischargedOn: string | null },
  today: string,
): OrderStatus {
  if (order.dischargedOn !== null && order.dischargedOn <= today) return 'discharged'
  if (order.expiresOn < today) return 'expired'
  if (order.inForceFrom > today) return 'not-yet-in-force'
  return 'in-force'
}

/** The narrowest review threshold the order has reached (its expiry within 3 or 6 months), or null. */
export function reviewDue(
  order: { expiresOn: string; dischargedOn: string | null },
  today: string,
): ReviewThreshold | null {
  if (order.dischargedOn !== null || order.expiresOn < today) return null
  let reached: ReviewThreshold | null = null
  for (const threshold of REVIEW_THRESHOLDS) {
    if (order.expiresOn <= addMonths(today, threshold.months)) reached = threshold.code
  }
  return reached
}

/** Lines of a textarea, trimmed, blanks dropped. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line !== '')
}

/** A date field as the form gave it: '' empty, undefined not a real date. */
export type DateAnswer = string | undefined

export interface OrderAnswers {
  title: string
  prohibitions: string
  requirements: string
  wards: string[]
  signage: string
  consultationStart: DateAnswer
  consultationEnd: DateAnswer
  consultees: string
  consultationSummary: string
  madeOn: DateAnswer
  inForceFrom: DateAnswer
  expiresOn: DateAnswer
}

export interface ValidOrder {
  title: string
  prohibitions: string[]
  requirements: string[]
  wardCodes: string[]
  signage: string
  consultationStart: string
  consultationEnd: string
  consultees: string
  consultationSummary: string
  madeOn: string
  inForceFrom: string
  expiresOn: string
}

type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

function text(errors: FieldError[], field: string, value: string, required: boolean): void {
  if (required && value.trim() === '') errors.push({ field, code: `${field}-missing` })
  else if (value.length > MAX_TEXT) errors.push({ field, code: 'too-long' })
  // A NUL cannot be stored (PostgreSQL text): a form field holding one is refused, never a 500.
  else if (value.includes('\u0000')) errors.push({ field, code: 'invalid-characters' })
}

function date(errors: FieldError[], field: string, value: DateAnswer): string | null {
  if (value === undefined) {
    errors.push({ field, code: `${field}-invalid` })
    return null
  }
  if (value === '') {
    errors.push({ field, code: `${field}-missing` })
    return null
  }
  return value
}

/** The terms an order and its variation both state: prohibitions (at least one), requirements, wards, signage. */
function terms(
  errors: FieldError[],
  answers: { prohibitions: string; requirements: string; wards: string[]; signage: string },
  knownWards: ReadonlySet<string>,
): { prohibitions: string[]; wardCodes: string[] } {
  const prohibitions = lines(answers.prohibitions)
  if (prohibitions.length === 0) errors.push({ field: 'prohibitions', code: 'prohibitions-missing' })
  else text(errors, 'prohibitions', answers.prohibitions, false)
  text(errors, 'requirements', answers.requirements, false)
  const wardCodes = [...new Set(answers.wards)]
  if (wardCodes.length === 0) errors.push({ field: 'wards', code: 'wards-missing' })
  else if (wardCodes.some(code => !knownWards.has(code))) errors.push({ field: 'wards', code: 'wards-unknown' })
  text(errors, 'signage', answers.signage, true)
  return { prohibitions, wardCodes }
}

export function validateOrder(answers: OrderAnswers, knownWards: ReadonlySet<string>): Result<ValidOrder> {
  const errors: FieldError[] = []
  text(errors, 'title', answers.title, true)
  if (answers.title.length > 200) errors.push({ field: 'title', code: 'too-long' })
  const { prohibitions, wardCodes } = terms(errors, answers, knownWards)
  const consultationStart = date(errors, 'consultationStart', answers.consultationStart)
  const consultationEnd = date(errors, 'consultationEnd', answers.consultationEnd)
  text(errors, 'consultees', answers.consultees, true)
  text(errors, 'consultationSummary', answers.consultationSummary, true)
  const madeOn = date(errors, 'madeOn', answers.madeOn)
  const inForceFrom = date(errors, 'inForceFrom', answers.inForceFrom)
  let expiresOn: string | null = null
  if (answers.expiresOn === undefined) errors.push({ field: 'expiresOn', code: 'expiresOn-invalid' })
  else if (answers.expiresOn === '') expiresOn = madeOn ? defaultExpiry(madeOn) : null
  else expiresOn = answers.expiresOn
  if (consultationStart && consultationEnd && consultationEnd < consultationStart)
    errors.push({ field: 'consultationEnd', code: 'consultation-ends-before-start' })
  if (consultationEnd && madeOn && consultationEnd > madeOn)
    errors.push({ field: 'consultationEnd', code: 'consultation-after-made' })
  if (madeOn && inForceFrom && inForceFrom < madeOn) errors.push({ field: 'inForceFrom', code: 'in-force-before-made' })
  if (expiresOn && inForceFrom && expiresOn <= inForceFrom)
    errors.push({ field: 'expiresOn', code: 'expiry-before-in-force' })
  else if (expiresOn && madeOn && expiresOn > latestExpiry(madeOn))
    errors.push({ field: 'expiresOn', code: 'expiry-too-late' })
  if (errors.length > 0) return { ok: false, errors }
  return {
    ok: true,
    value: {
      title: answers.title.trim(),
      prohibitions,
      requirements: lines(answers.requirements),
      wardCodes,
      signage: answers.signage.trim(),
      consultationStart: consultationStart ?? '',
      consultationEnd: consultationEnd ?? '',
      consultees: answers.consultees.trim(),
      consultationSummary: answers.consultationSummary.trim(),
      madeOn: madeOn ?? '',
      inForceFrom: inForceFrom ?? '',
      expiresOn: expiresOn ?? '',
    },
  }
}

/** The order as the lifecycle rules need it. */
export interface OrderDates {
  madeOn: string
  inForceFrom: string
  expiresOn: string
  dischargedOn: string | null
}

function eventDate(errors: FieldError[], value: DateAnswer, order: OrderDates): string | null {
  const on = date(errors, 'occurredOn', value)
  if (on === null) return null
  if (on < order.madeOn) errors.push({ field: 'occurredOn', code: 'event-before-made' })
  return on
}

function reasonOf(errors: FieldError[], reason: string): string {
  text(errors, 'reason', reason, true)
  return reason.trim()
}

/** Extension (s.60(2)): before the order expires, to a new expiry after the current one and at most 3 years on. */
export function validateExtension(
  order: OrderDates,
  answers: { occurredOn: DateAnswer; newExpiry: DateAnswer; reason: string },
): Result<{ occurredOn: string; newExpiry: string; reason: string }> {
  const errors: FieldError[] = []
  if (order.dischargedOn !== null) return { ok: false, errors: [{ field: 'occurredOn', code: 'already-discharged' }] }
  const occurredOn = eventDate(errors, answers.occurredOn, order)
  if (occurredOn && occurredOn > order.expiresOn) errors.push({ field: 'occurredOn', code: 'extension-after-expiry' })
  const newExpiry = date(errors, 'newExpiry', answers.newExpiry)
  if (newExpiry && newExpiry <= order.expiresOn) errors.push({ field: 'newExpiry', code: 'new-expiry-not-later' })
  else if (newExpiry && occurredOn && newExpiry > latestExpiry(occurredOn))
    errors.push({ field: 'newExpiry', code: 'new-expiry-too-late' })
  const reason = reasonOf(errors, answers.reason)
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, value: { occurredOn: occurredOn ?? '', newExpiry: newExpiry ?? '', reason } }
}

/** Discharge (s.61): on or after the day it was made, no later than its expiry, once. */
export function validateDischarge(
  order: OrderDates,
  answers: { occurredOn: DateAnswer; reason: string },
): Result<{ occurredOn: string; reason: string }> {
  const errors: FieldError[] = []
  if (order.dischargedOn !== null) return { ok: false, errors: [{ field: 'occurredOn', code: 'already-discharged' }] }
  const occurredOn = eventDate(errors, answers.occurredOn, order)
  if (occurredOn && occurredOn > order.expiresOn) errors.push({ field: 'occurredOn', code: 'discharge-after-expiry' })
  const reason = reasonOf(errors, answers.reason)
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, value: { occurredOn: occurredOn ?? '', reason } }
}

export interface VariationAnswers {
  occurredOn: DateAnswer
  reason: string
  prohibitions: string
  requirements: string
  wards: string[]
  signage: string
}

/** Variation (s.61): what the order prohibits or requires, or where it applies, changed on a day while it has effect. */
export function validateVariation(
  order: OrderDates,
  answers: VariationAnswers,
  knownWards: ReadonlySet<string>,
): Result<{
  occurredOn: string
  reason: string
  prohibitions: string[]
  requirements: string[]
  wardCodes: string[]
  signage: string
}> {
  const errors: FieldError[] = []
  if (order.dischargedOn !== null) return { ok: false, errors: [{ field: 'occurredOn', code: 'already-discharged' }] }
  const occurredOn = eventDate(errors, answers.occurredOn, order)
  if (occurredOn && occurredOn > order.expiresOn) errors.push({ field: 'occurredOn', code: 'variation-after-expiry' })
  const reason = reasonOf(errors, answers.reason)
  const { prohibitions, wardCodes } = terms(errors, answers, knownWards)
  if (errors.length > 0) return { ok: false, errors }
  return {
    ok: true,
    value: {
      occurredOn: occurredOn ?? '',
      reason,
      prohibitions,
      requirements: lines(answers.requirements),
      wardCodes,
      signage: answers.signage.trim(),
    },
  }
}
