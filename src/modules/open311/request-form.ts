/**
 * POST requests: the form-encoded body as GeoReport v2 (and FixMyStreet) send it, checked against our service
 * definition, then turned into the intake's input. `attribute[CODE]=v` and `attribute[CODE][]=v` (or the key
 * repeated) both carry values; attributes we do not define are ignored, as the spec allows.
 */
import { createHash } from 'node:crypto'

import type { IntakeInput } from '../reporting/index.js'
import { t } from '../../platform/i18n.js'
import { londonDateAndTime, parseW3cDateTime, type SpecError } from './open311-formats.js'
import { ATTRIBUTES, isServiceCode } from './service-catalogue.js'

export type FormBody = Record<string, unknown>

export interface Open311Submission {
  serviceCode: string
  point: { latitude: number; longitude: number } | null
  postcode: string | null
  addressString: string | null
  description: string
  name: string | null
  email: string | null
  phone: string | null
  attributes: Record<string, string[]>
}

const POSTCODE_IN_TEXT = /\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b/i

function values(body: FormBody, key: string): string[] {
  const raw = body[key]
  if (raw === undefined || raw === null) return []
  const list = Array.isArray(raw) ? raw : [raw]
  return list.filter((item): item is string => typeof item === 'string')
}

/** One field: the last value sent, trimmed; empty counts as absent (the spec's rule for optional arguments). */
export function field(body: FormBody, key: string): string | null {
  const list = values(body, key)
  const value = list[list.length - 1]?.trim() ?? ''
  return value === '' ? null : value
}

export function attributeValues(body: FormBody): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const key of Object.keys(body)) {
    const match = /^attribute\[([^\]]+)\](\[\])?$/.exec(key)
    if (!match?.[1]) continue
    const list = values(body, key)
      .map(value => value.trim())
      .filter(value => value !== '')
    if (list.length > 0) out[match[1]] = [...(out[match[1]] ?? []), ...list]
  }
  return out
}

const bad = (description: string): SpecError => ({ code: 400, description })

/** Checks the form; errors are the spec's (400, or 404 for a service code we do not have). */
export function readSubmission(
  body: FormBody,
): { ok: true; value: Open311Submission } | { ok: false; errors: SpecError[] } {
  const errors: SpecError[] = []
  const serviceCode = field(body, 'service_code')
  if (!serviceCode) errors.push(bad(t('open311.errors.serviceCodeMissing')))
  else if (!isServiceCode(serviceCode))
    return {
      ok: false,
      errors: [{ code: 404, description: t('open311.errors.serviceCodeUnknown', { code: serviceCode }) }],
    }

  const lat = field(body, 'lat')
  const long = field(body, 'long')
  let point: Open311Submission['point'] = null
  if (lat !== null || long !== null) {
    const latitude = Number(lat)
    const longitude = Number(long)
    if (lat === null || long === null || !Number.isFinite(latitude) || !Number.isFinite(longitude))
      errors.push(bad(t('open311.errors.latLong')))
    else if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) errors.push(bad(t('open311.errors.latLong')))
    else point = { latitude, longitude }
  }
  const addressString = field(body, 'address_string')
  const postcodeMatch = addressString ? POSTCODE_IN_TEXT.exec(addressString) : null
  const postcode = postcodeMatch ? `${postcodeMatch[1] ?? ''} ${postcodeMatch[2] ?? ''}`.toUpperCase() : null
  if (!point && !postcode && errors.length === 0) errors.push(bad(t('open311.errors.location')))

  const description = field(body, 'description')
  if (!description) errors.push(bad(t('open311.errors.descriptionMissing')))
  else if (description.length > 4000) errors.push(bad(t('open311.errors.descriptionTooLong')))

  const attributes = attributeValues(body)
  for (const spec of ATTRIBUTES) {
    if (!spec.variable) continue
    const given = attributes[spec.code] ?? []
    if (given.length === 0) {
      if (spec.required) errors.push(bad(t('open311.errors.attributeRequired', { code: spec.code })))
      continue
    }
    if (spec.datatype !== 'multivaluelist' && given.length > 1)
      errors.push(bad(t('open311.errors.attributeOneValue', { code: spec.code })))
    if (spec.values && given.some(value => !spec.values?.includes(value)))
      errors.push(bad(t('open311.errors.attributeValue', { code: spec.code, values: spec.values.join(', ') })))
    if (spec.datatype === 'datetime' && given.some(value => !parseW3cDateTime(value)))
      errors.push(bad(t('open311.errors.attributeDatetime', { code: spec.code })))
  }

  const first = field(body, 'first_name')
  const last = field(body, 'last_name')
  const name = [first, last === '-' ? null : last].filter(Boolean).join(' ').trim()
  if (errors.length > 0 || !serviceCode || !description) return { ok: false, errors }
  return {
    ok: true,
    value: {
      serviceCode,
      point,
      postcode: point ? null : postcode,
      addressString,
      description,
      name: name === '' ? null : name,
      email: field(body, 'email'),
      phone: field(body, 'phone'),
      attributes,
    },
  }
}

const one = (submission: Open311Submission, code: string) => submission.attributes[code]?.[0]

/** The intake's input for a checked submission. Defaults keep reporters private: no mode given means confidential
 * with contact details, anonymous without; no consent answer means no sharing. */
export function toIntakeInput(submission: Open311Submission, now: Date, idempotencyKey: string): IntakeInput {
  const occurred = one(submission, 'occurred_datetime')
  const when = occurred ? londonDateAndTime(parseW3cDateTime(occurred) ?? now) : null
  const pattern = one(submission, 'pattern') === 'ongoing' ? 'ongoing' : 'one_off'
  const hasContact = Boolean(submission.name ?? submission.email ?? submission.phone)
  const mode = (one(submission, 'reporter_mode') ??
    (hasContact ? 'confidential' : 'anonymous')) as IntakeInput['reporter']['mode']
  const contactPreference = (one(submission, 'contact_preference') ??
    (mode === 'anonymous'
      ? 'none'
      : submission.email
        ? 'email'
        : submission.phone
          ? 'phone'
          : 'none')) as IntakeInput['reporter']['contactPreference']
  const frequency = one(submission, 'frequency') as IntakeInput['frequency']
  const howOften = one(submission, 'how_often') as IntakeInput['impact']['howOften']
  return {
    channel: 'open311',
    idempotencyKey,
    category: submission.serviceCode,
    location: {
      ...(submission.point ?? {}),
      ...(submission.postcode ? { postcode: submission.postcode } : {}),
      ...(submission.addressString ? { description: submission.addressString.slice(0, 1000) } : {}),
    },
    occurredOn: when?.date ?? londonDateAndTime(now).date,
    ...(when ? { occurredTime: when.time } : {}),
    pattern,
    ...(pattern === 'ongoing' && frequency ? { frequency } : {}),
    description: submission.description,
    impact: {
      reporterRole: one(submission, 'reporter_role') as IntakeInput['impact']['reporterRole'],
      ...(howOften ? { howOften } : {}),
      unsafeAtHome: one(submission, 'unsafe_at_home') as IntakeInput['impact']['unsafeAtHome'],
      healthAffected: one(submission, 'health_affected') as IntakeInput['impact']['healthAffected'],
      targeted: one(submission, 'targeted') as IntakeInput['impact']['targeted'],
      characteristics: [
        ...new Set(submission.attributes.characteristics ?? []),
      ] as IntakeInput['impact']['characteristics'],
    },
    reporter: {
      mode,
      ...(mode !== 'anonymous' && submission.name ? { name: submission.name.slice(0, 200) } : {}),
      ...(mode !== 'anonymous' && submission.email ? { email: submission.email } : {}),
      ...(mode !== 'anonymous' && submission.phone ? { phone: submission.phone } : {}),
      contactPreference,
      consentToShare: one(submission, 'consent_to_share') === 'yes',
    },
  }
}

/** The same form from the same key on the same (London) day is the same report: a client's retry, not a new one. */
export function submissionKey(keyId: string, body: FormBody, now: Date): string {
  const canonical = Object.keys(body)
    .filter(key => key !== 'api_key')
    .sort()
    .map(key => [key, values(body, key)])
  const digest = createHash('sha256')
    .update(JSON.stringify([keyId, londonDateAndTime(now).date, canonical]))
    .digest('base64url')
  return `open311:${digest}`
}
