/**
 * Reading and checking casework forms. Each reader returns the values to re-show and a map of field id → message
 * (GOV.UK error summary links move focus to the field), so a bad form re-renders with answers kept.
 */
import { dateInput, field, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { CATEGORIES } from '../reporting/index.js'

export const PRIORITIES = ['high', 'medium', 'standard'] as const
export const SENSITIVITIES = ['domestic-abuse', 'hate', 'safeguarding'] as const
export const PARTY_ROLES = ['victim', 'complainant', 'perpetrator', 'witness'] as const
export const PARTY_KINDS = ['person', 'address', 'vehicle'] as const
export const OUTCOMES = ['resolved', 'no_further_action', 'not_asb', 'referred'] as const
export const CONSENT_STATUSES = ['given', 'not-required', 'refused-overridden', 'not-sought'] as const
/** Lawful bases a share is recorded under (docs/casework.md). */
export const LAWFUL_BASES = [
  'cda-1998-s115',
  'uk-gdpr-6-1-e-public-task',
  'dpa-2018-s35-law-enforcement',
  'dpa-2018-sch1-safeguarding',
  'consent',
] as const
export const CHRONOLOGY_KINDS = ['note', 'contact', 'visit', 'action', 'letter'] as const
export const TRIAGE_CLOSE_REASONS = ['no_further_action', 'not_asb', 'resolved'] as const

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/i
const VEHICLE = /^[A-Z0-9 ]{2,10}$/i

/** '' and undefined as null: an optional answer left empty. */
export function orNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value
}

export function oneOf<T extends string>(values: readonly T[], value: string): T | undefined {
  return (values as readonly string[]).includes(value) ? (value as T) : undefined
}

/** A GOV.UK date input as YYYY-MM-DD ('' when empty, undefined when invalid): the platform's reader. */
export const dateParts = dateInput

export function categoryItems(selected?: string) {
  return CATEGORIES.map(category => ({
    value: category.code,
    text: t(`report.categories.${category.code}.label`),
    selected: category.code === selected,
  }))
}

export function categoryLabel(code: string): string {
  return CATEGORIES.some(category => category.code === code) ? t(`report.categories.${code}.label`) : code
}

export interface DetailsValues {
  title: string
  category: string
  priority: string
  sensitivity: string
  leadOfficerId: string
  reviewDate: Record<string, string>
  location: string
  version: string
}

export function readDetails(body: unknown, leadOfficerIds: readonly string[]) {
  const review = dateParts(body, 'reviewDate')
  const values: DetailsValues = {
    title: field(body, 'title'),
    category: field(body, 'category'),
    priority: field(body, 'priority'),
    sensitivity: field(body, 'sensitivity'),
    leadOfficerId: field(body, 'leadOfficerId'),
    reviewDate: review.parts,
    location: field(body, 'location'),
    version: field(body, 'version'),
  }
  const errors: FieldErrors = {}
  if (!values.title) errors.title = t('casework.errors.title')
  else if (values.title.length > 200) errors.title = t('casework.errors.titleLong')
  if (!CATEGORIES.some(category => category.code === values.category)) errors.category = t('casework.errors.category')
  const priority = oneOf(PRIORITIES, values.priority)
  if (!priority) errors.priority = t('casework.errors.priority')
  const sensitivity = values.sensitivity === '' ? null : oneOf(SENSITIVITIES, values.sensitivity)
  if (sensitivity === undefined) errors.sensitivity = t('casework.errors.sensitivity')
  if (values.leadOfficerId && !leadOfficerIds.includes(values.leadOfficerId))
    errors.leadOfficerId = t('casework.errors.leadOfficer')
  if (review.value === undefined) errors['reviewDate-day'] = t('casework.errors.reviewDate')
  if (values.location.length > 500) errors.location = t('casework.errors.locationLong')
  return {
    values,
    errors,
    details:
      Object.keys(errors).length === 0 && priority && sensitivity !== undefined
        ? {
            title: values.title,
            category: values.category,
            priority,
            sensitivity,
            leadOfficerId: values.leadOfficerId || null,
            reviewDate: orNull(review.value),
            location: values.location || null,
          }
        : undefined,
  }
}

export function readParty(body: unknown, today: string) {
  const dob = dateParts(body, 'dateOfBirth')
  const values = {
    role: field(body, 'role'),
    kind: field(body, 'kind'),
    name: field(body, 'name'),
    dateOfBirth: dob.parts,
    address: field(body, 'address'),
    postcode: field(body, 'postcode').toUpperCase(),
    phone: field(body, 'phone'),
    email: field(body, 'email'),
    vehicleRegistration: field(body, 'vehicleRegistration').toUpperCase(),
    notes: field(body, 'notes'),
  }
  const errors: FieldErrors = {}
  const role = oneOf(PARTY_ROLES, values.role)
  if (!role) errors.role = t('casework.errors.partyRole')
  const kind = oneOf(PARTY_KINDS, values.kind)
  if (!kind) errors.kind = t('casework.errors.partyKind')
  if (!values.name) errors.name = t('casework.errors.partyName')
  else if (values.name.length > 200) errors.name = t('casework.errors.partyNameLong')
  if (dob.value === undefined) errors['dateOfBirth-day'] = t('casework.errors.dateOfBirth')
  else if (dob.value && dob.value > today) errors['dateOfBirth-day'] = t('casework.errors.dateOfBirthFuture')
  if (values.postcode && !POSTCODE.test(values.postcode)) errors.postcode = t('casework.errors.postcode')
  if (values.email && !EMAIL.test(values.email)) errors.email = t('casework.errors.email')
  if (values.phone && !/^[0-9+() -]{7,30}$/.test(values.phone)) errors.phone = t('casework.errors.phone')
  if (kind === 'vehicle' && !values.vehicleRegistration)
    errors.vehicleRegistration = t('casework.errors.vehicleRegistration')
  else if (values.vehicleRegistration && !VEHICLE.test(values.vehicleRegistration))
    errors.vehicleRegistration = t('casework.errors.vehicleRegistrationFormat')
  if (values.notes.length > 2000) errors.notes = t('casework.errors.notesLong')
  return {
    values,
    errors,
    party:
      Object.keys(errors).length === 0 && role && kind
        ? {
            role,
            kind,
            name: values.name,
            dateOfBirth: orNull(dob.value),
            address: values.address || null,
            postcode: values.postcode || null,
            phone: values.phone || null,
            email: values.email || null,
            vehicleRegistration: values.vehicleRegistration || null,
            notes: values.notes || null,
          }
        : undefined,
  }
}
