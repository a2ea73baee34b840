/** The application form: body → answers and GOV.UK errors (ADR 0004). Not anonymous; a representative needs consent. */
import { field, fields, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { isUuid } from '../../platform/identifiers.js'
import { OTHER_AGENCIES, type ApplicationInput } from './case-review-service.js'

export type ApplicationValues = Record<string, string | string[] | undefined>

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+?[0-9 ()-]{10,20}$/

const LIMITS: Record<string, number> = {
  name: 200,
  email: 254,
  phone: 30,
  address: 500,
  victimName: 200,
  relationship: 200,
  reportReference: 20,
  trackingCode: 20,
  description: 5000,
  dissatisfaction: 5000,
}

/** Every field the application form posts. */
export const APPLICATION_FIELDS = [
  'applicantType',
  'submissionId',
  'consent',
  'hate',
  'name',
  'email',
  'phone',
  'address',
  'victimName',
  'relationship',
  'reportReference',
  'trackingCode',
  'description',
  'dissatisfaction',
  'otherAgencies',
] as const

export function applicationValues(body: unknown): ApplicationValues {
  const values: ApplicationValues = {}
  for (const name of ['applicantType', 'submissionId', 'consent', 'hate', ...Object.keys(LIMITS)]) {
    values[name] = field(body, name)
  }
  values.otherAgencies = fields(body, 'otherAgencies').filter(value =>
    (OTHER_AGENCIES as readonly string[]).includes(value),
  )
  return values
}

export function validateApplication(
  values: ApplicationValues,
): { ok: true; input: ApplicationInput } | { ok: false; errors: FieldErrors } {
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : '')
  const errors: FieldErrors = {}
  const type = text('applicantType')
  if (type !== 'victim' && type !== 'representative') errors.applicantType = t('caseReview.apply.errors.applicantType')
  if (!text('name')) errors.name = t('caseReview.apply.errors.name')
  const email = text('email')
  const phone = text('phone')
  if (!email && !phone) errors.email = t('caseReview.apply.errors.contact')
  else if (email && !EMAIL.test(email)) errors.email = t('caseReview.apply.errors.email')
  if (phone && !PHONE.test(phone)) errors.phone = t('caseReview.apply.errors.phone')
  if (type === 'representative') {
    if (!text('victimName')) errors.victimName = t('caseReview.apply.errors.victimName')
    if (!text('relationship')) errors.relationship = t('caseReview.apply.errors.relationship')
    if (text('consent') !== 'yes') errors.consent = t('caseReview.apply.errors.consent')
  }
  if (text('reportReference') && !text('trackingCode')) errors.trackingCode = t('caseReview.apply.errors.trackingCode')
  if (!text('description')) errors.description = t('caseReview.apply.errors.description')
  if (!text('dissatisfaction')) errors.dissatisfaction = t('caseReview.apply.errors.dissatisfaction')
  for (const [name, max] of Object.entries(LIMITS)) {
    if (!errors[name] && text(name).length > max)
      errors[name] = t('caseReview.apply.errors.tooLong', { max: String(max) })
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  const orNull = (name: string) => text(name) || null
  return {
    ok: true,
    input: {
      submissionId: isUuid(text('submissionId')) ? text('submissionId') : crypto.randomUUID(),
      applicantType: type as 'victim' | 'representative',
      name: text('name'),
      email: orNull('email'),
      phone: orNull('phone'),
      address: orNull('address'),
      victimName: orNull('victimName'),
      relationship: orNull('relationship'),
      consent: text('consent') === 'yes',
      reportReference: orNull('reportReference'),
      trackingCode: orNull('trackingCode'),
      description: text('description'),
      dissatisfaction: text('dissatisfaction'),
      hate: text('hate') === 'yes',
      otherAgencies: Array.isArray(values.otherAgencies) ? values.otherAgencies : [],
    },
  }
}
