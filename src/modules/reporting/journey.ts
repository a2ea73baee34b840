/**
 * The resident journey's steps: validation of each page's form (messages from the locale file), how answers become an
 * intake submission, and where each answer is changed. Pure functions: no I/O.
 */
import { isValidPostcode } from '../geography/index.js'
import { t } from '../../platform/i18n.js'
import {
  CONTACT_PREFERENCES,
  FREQUENCIES,
  HOW_OFTEN,
  REPORTER_MODES,
  REPORTER_ROLES,
  TARGETED,
  YES_NO_PREFER,
  type IntakeInput,
} from './intake-schema.js'
import { CATEGORY_CODES, PROTECTED_CHARACTERISTICS } from './taxonomy.js'

export type Answers = Record<string, unknown>
export type Body = Record<string, unknown>
export type Errors = Record<string, string>

export interface StepResult {
  values: Answers
  errors: Errors
}

export const TRIAGE = ['emergency', 'crime', 'hate', 'asb', 'not_sure'] as const
export const PATTERNS = ['one_off', 'ongoing'] as const
export const CONSENT = ['yes', 'no'] as const

const MAX_DESCRIPTION = 5000
const MAX_LOCATION_DESCRIPTION = 1000
const DAY = 24 * 60 * 60 * 1000

/** A form value as one trimmed string (the first, when a field was sent twice). */
export function text(body: Body, name: string): string {
  const value = body[name]
  const first: unknown = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first.trim() : ''
}

function list(body: Body, name: string): string[] {
  const value = body[name]
  const items: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return items.filter((item): item is string => typeof item === 'string' && item !== '')
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value)
}

const message = (key: string, params: Record<string, string | number> = {}) => t(`report.${key}`, params)

export function validateTriage(body: Body): StepResult {
  const triage = text(body, 'triage')
  return { values: { triage }, errors: oneOf(triage, TRIAGE) ? {} : { triage: message('triage.errors.required') } }
}

export function validateCategory(body: Body): StepResult {
  const category = text(body, 'category')
  return {
    values: { category },
    errors: oneOf(category, CATEGORY_CODES) ? {} : { category: message('what.errors.required') },
  }
}

/** "Enter a real postcode", with the CSP pack's example postcode when it has one. */
export function postcodeInvalidMessage(examplePostcode?: string): string {
  return examplePostcode
    ? message('where.errors.postcodeInvalid', { example: examplePostcode })
    : message('where.errors.postcodeInvalidNoExample')
}

/**
 * The postcode page's own checks; whether the postcode is in the borough is the route's question for geography. A
 * pack without postcodes (`postcodes: false`) has no postcode box: a pin on the map is the answer, or the ward list.
 * The map is drawn by JavaScript, which says so in the form (`map=shown`): without it, the page has only the ward list
 * to offer, and its error says that.
 */
export function validatePostcode(
  body: Body,
  options: { postcodes?: boolean; examplePostcode?: string } = {},
): StepResult & { point: { latitude: number; longitude: number } | null } {
  const postcodes = options.postcodes ?? true
  const mapShown = text(body, 'map') === 'shown'
  const postcode = postcodes ? text(body, 'postcode') : ''
  const locationDescription = text(body, 'locationDescription')
  const latitude = Number.parseFloat(text(body, 'latitude'))
  const longitude = Number.parseFloat(text(body, 'longitude'))
  // A typed postcode wins over a pin left from before (a no-JavaScript browser cannot clear the hidden fields).
  const point =
    postcode === '' &&
    Number.isFinite(latitude) &&
    Number.isFinite(longitude) &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180
      ? { latitude, longitude }
      : null
  const values = { postcode, locationDescription }
  const errors: Errors = {}
  if (!point && !postcodes) {
    errors.place = message(mapShown ? 'where.errors.placeRequired' : 'where.errors.wardListRequired')
  } else if (!point) {
    if (postcode === '') errors.postcode = message('where.errors.postcodeRequired')
    else if (!isValidPostcode(postcode)) errors.postcode = postcodeInvalidMessage(options.examplePostcode)
  }
  if (locationDescription.length > MAX_LOCATION_DESCRIPTION)
    errors.locationDescription = message('where.errors.descriptionTooLong', { max: MAX_LOCATION_DESCRIPTION })
  return { values, errors, point }
}

export function validateWard(body: Body, wardCodes: readonly string[]): StepResult {
  const wardCode = text(body, 'wardCode')
  const locationDescription = text(body, 'locationDescription')
  const errors: Errors = {}
  if (!wardCodes.includes(wardCode)) errors.wardCode = message('whereWard.errors.wardRequired')
  if (locationDescription === '') errors.locationDescription = message('whereWard.errors.descriptionRequired')
  else if (locationDescription.length > MAX_LOCATION_DESCRIPTION)
    errors.locationDescription = message('where.errors.descriptionTooLong', { max: MAX_LOCATION_DESCRIPTION })
  return { values: { wardCode, locationDescription }, errors }
}

/**
 * A time as people type it, in the system's canonical `HH:MM` (24-hour), or null when it is not a real time:
 * "11pm", "11 pm", "11.30pm", "11:30 PM", "9.30am", "23:00", "2300", "noon", "midnight" (00:00). A 12-hour time
 * needs an hour from 1 to 12 ("13pm" is not a time); a 24-hour time needs minutes ("11" alone could be either).
 */
export function parseTime(value: string): string | null {
  const input = value
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/([ap])\.? ?m\.?$/, '$1m')
    .replace(/\./g, ':')
  if (input === 'noon' || input === 'midday' || input === '12 noon') return '12:00'
  if (input === 'midnight' || input === '12 midnight') return '00:00'
  const pad = (n: number) => String(n).padStart(2, '0')
  const twelve = /^(\d{1,2})(?::(\d{2}))? ?([ap])m$/.exec(input)
  if (twelve) {
    const hours = Number(twelve[1])
    const minutes = twelve[2] === undefined ? 0 : Number(twelve[2])
    if (hours < 1 || hours > 12 || minutes > 59) return null
    return `${pad((hours % 12) + (twelve[3] === 'p' ? 12 : 0))}:${pad(minutes)}`
  }
  const twentyFour = /^(\d{1,2}):?(\d{2})$/.exec(input)
  if (!twentyFour) return null
  const hours = Number(twentyFour[1])
  const minutes = Number(twentyFour[2])
  if (hours > 23 || minutes > 59) return null
  return `${pad(hours)}:${pad(minutes)}`
}

export function validateWhen(body: Body, now: Date): StepResult {
  const occurredDay = text(body, 'occurredDay')
  const occurredMonth = text(body, 'occurredMonth')
  const occurredYear = text(body, 'occurredYear')
  const occurredTime = text(body, 'occurredTime')
  const pattern = text(body, 'pattern')
  const frequency = pattern === 'ongoing' ? text(body, 'frequency') : ''
  const values: Answers = { occurredDay, occurredMonth, occurredYear, occurredTime, pattern, frequency }
  const errors: Errors = {}
  if (occurredDay === '' && occurredMonth === '' && occurredYear === '') {
    errors.occurredDay = message('when.errors.dateRequired')
  } else {
    const day = Number(occurredDay)
    const month = Number(occurredMonth)
    const year = Number(occurredYear)
    const date = new Date(Date.UTC(year, month - 1, day))
    const real =
      /^\d{1,2}$/.test(occurredDay) &&
      /^\d{1,2}$/.test(occurredMonth) &&
      /^\d{4}$/.test(occurredYear) &&
      date.getUTCFullYear() === year &&
      date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day
    if (!real) errors.occurredDay = message('when.errors.dateInvalid')
    else if (date.getTime() > now.getTime()) errors.occurredDay = message('when.errors.dateFuture')
    else if (date.getTime() < now.getTime() - 2 * 366 * DAY) errors.occurredDay = message('when.errors.dateTooOld')
    else values.occurredOn = date.toISOString().slice(0, 10)
  }
  if (occurredTime !== '') {
    const time = parseTime(occurredTime)
    if (time) values.occurredTimeNormalised = time
    else errors.occurredTime = message('when.errors.timeInvalid')
  }
  if (!oneOf(pattern, PATTERNS)) errors.pattern = message('when.errors.patternRequired')
  else if (pattern === 'ongoing' && !oneOf(frequency, FREQUENCIES))
    errors.frequency = message('when.errors.frequencyRequired')
  return { values, errors }
}

export function validateDescription(body: Body): StepResult {
  const description = text(body, 'description')
  const errors: Errors = {}
  if (description === '') errors.description = message('description.errors.required')
  else if (description.length > MAX_DESCRIPTION)
    errors.description = message('description.errors.tooLong', { max: MAX_DESCRIPTION })
  return { values: { description }, errors }
}

export function validateImpact(body: Body): StepResult {
  const reporterRole = text(body, 'reporterRole')
  const howOften = text(body, 'howOften')
  const unsafeAtHome = text(body, 'unsafeAtHome')
  const healthAffected = text(body, 'healthAffected')
  const targeted = text(body, 'targeted')
  const characteristics = targeted === 'yes' ? list(body, 'characteristics') : []
  const errors: Errors = {}
  if (!oneOf(reporterRole, REPORTER_ROLES)) errors.reporterRole = message('impact.errors.reporterRole')
  if (!oneOf(howOften, HOW_OFTEN)) errors.howOften = message('impact.errors.howOften')
  if (!oneOf(unsafeAtHome, YES_NO_PREFER)) errors.unsafeAtHome = message('impact.errors.unsafeAtHome')
  if (!oneOf(healthAffected, YES_NO_PREFER)) errors.healthAffected = message('impact.errors.healthAffected')
  if (!oneOf(targeted, TARGETED)) errors.targeted = message('impact.errors.targeted')
  else if (
    targeted === 'yes' &&
    (characteristics.length === 0 || !characteristics.every(item => oneOf(item, PROTECTED_CHARACTERISTICS)))
  )
    errors.characteristics = message('impact.errors.characteristics')
  return { values: { reporterRole, howOften, unsafeAtHome, healthAffected, targeted, characteristics }, errors }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+?[0-9 ()-]{10,20}$/

export function validateWho(body: Body): StepResult {
  const mode = text(body, 'mode')
  const name = text(body, 'name')
  const contactPreference = text(body, 'contactPreference')
  const email = contactPreference === 'email' ? text(body, 'email') : ''
  const phone = contactPreference === 'phone' ? text(body, 'phone') : ''
  const consent = text(body, 'consent')
  const errors: Errors = {}
  if (!oneOf(mode, REPORTER_MODES)) errors.mode = message('who.errors.mode')
  if (mode === 'anonymous') {
    if (name !== '') errors.name = message('who.errors.nameAnonymous')
    if (contactPreference !== 'none') errors.contactPreference = message('who.errors.contactAnonymous')
  } else {
    if (name === '') errors.name = message('who.errors.nameRequired')
    else if (name.length > 200) errors.name = message('who.errors.nameTooLong')
    if (!oneOf(contactPreference, CONTACT_PREFERENCES)) errors.contactPreference = message('who.errors.contactRequired')
  }
  if (contactPreference === 'email' && !EMAIL.test(email)) errors.email = message('who.errors.email')
  if (contactPreference === 'phone' && !PHONE.test(phone)) errors.phone = message('who.errors.phone')
  if (!oneOf(consent, CONSENT)) errors.consent = message('who.errors.consent')
  return { values: { mode, name, contactPreference, email, phone, consent }, errors }
}

/** The first step whose answers are missing, or null when the report can be checked and sent. */
export function firstMissingStep(answers: Answers): string | null {
  const has = (key: string) => typeof answers[key] === 'string' && answers[key] !== ''
  if (!has('category')) return 'what'
  if (!has('wardCode')) return 'where'
  if (!has('occurredOn') || !has('pattern')) return 'when'
  if (!has('description')) return 'description'
  if (!has('targeted')) return 'impact'
  if (!has('mode') || !has('consent')) return 'who'
  return null
}

/** Turns complete journey answers into the intake service's input. */
export function toIntakeInput(
  answers: Answers,
  options: { idempotencyKey: string; trackingCode: string },
): IntakeInput {
  const str = (key: string) => (typeof answers[key] === 'string' ? answers[key] : '')
  const optional = (key: string) => (str(key) === '' ? undefined : str(key))
  const latitude = typeof answers.latitude === 'number' ? answers.latitude : undefined
  const longitude = typeof answers.longitude === 'number' ? answers.longitude : undefined
  const location: IntakeInput['location'] =
    answers.locationMode === 'ward'
      ? { wardCode: str('wardCode'), description: str('locationDescription') }
      : latitude !== undefined && longitude !== undefined
        ? { latitude, longitude, description: optional('locationDescription') }
        : { postcode: str('postcode'), description: optional('locationDescription') }
  const contactPreference = str('contactPreference') as IntakeInput['reporter']['contactPreference']
  return {
    channel: 'web',
    idempotencyKey: options.idempotencyKey,
    trackingCode: options.trackingCode,
    category: str('category'),
    location,
    occurredOn: str('occurredOn'),
    occurredTime: optional('occurredTimeNormalised'),
    pattern: str('pattern') as IntakeInput['pattern'],
    frequency: str('pattern') === 'ongoing' ? (optional('frequency') as IntakeInput['frequency']) : undefined,
    description: str('description'),
    impact: {
      reporterRole: str('reporterRole') as IntakeInput['impact']['reporterRole'],
      howOften: optional('howOften') as IntakeInput['impact']['howOften'],
      unsafeAtHome: str('unsafeAtHome') as IntakeInput['impact']['unsafeAtHome'],
      healthAffected: str('healthAffected') as IntakeInput['impact']['healthAffected'],
      targeted: str('targeted') as IntakeInput['impact']['targeted'],
      characteristics: (Array.isArray(answers.characteristics)
        ? answers.characteristics
        : []) as IntakeInput['impact']['characteristics'],
    },
    reporter: {
      mode: str('mode') as IntakeInput['reporter']['mode'],
      name: str('mode') === 'anonymous' ? undefined : optional('name'),
      email: contactPreference === 'email' ? optional('email') : undefined,
      phone: contactPreference === 'phone' ? optional('phone') : undefined,
      contactPreference: str('mode') === 'anonymous' ? 'none' : contactPreference,
      consentToShare: str('consent') === 'yes',
    },
    linkedReference: optional('linkedReference'),
  }
}

/** GOV.UK error summary entries, in the page's field order. */
export function errorSummary(errors: Errors): { text: string; href: string }[] {
  return Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` }))
}
