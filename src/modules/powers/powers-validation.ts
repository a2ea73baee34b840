/**
 * The issue-an-action form: which fields each power asks for, and turning the posted strings into the facts the
 * guardrails check. Messages come from en.json (`powers.errors`); field ids are the inputs' ids.
 */
import { field } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { addDays, isIsoDate, londonInstant } from '../../platform/working-days.js'
import type { ActionFacts } from './powers-engine.js'
import type { PowerCode, PowerRule } from './powers-policy.js'

export type FormField =
  | 'party'
  | 'premises'
  | 'prior'
  | 'actionDate'
  | 'time'
  | 'conduct'
  | 'requirements'
  | 'complianceDays'
  | 'months'
  | 'hours'
  | 'authorisationReference'
  | 'authorisationLevel'
  | 'pspoReference'
  | 'endDate'
  | 'court'
  | 'yotConsulted'
  | 'powerOfArrest'
  | 'convictionDate'
  | 'durationYears'

/** The fields a power's form shows, after the subject and the date. */
export const POWER_FIELDS: Record<PowerCode, readonly FormField[]> = {
  'warning-letter': ['conduct', 'requirements'],
  abc: ['conduct', 'requirements', 'months'],
  cpw: ['conduct', 'requirements', 'complianceDays'],
  cpn: ['conduct', 'requirements', 'complianceDays'],
  'pspo-fpn': ['pspoReference', 'conduct'],
  dispersal: ['time', 'hours', 'authorisationReference', 'conduct', 'requirements'],
  'closure-notice': ['premises', 'time', 'authorisationLevel', 'conduct'],
  'closure-order': ['prior', 'time', 'months', 'court', 'conduct'],
  'civil-injunction': ['court', 'endDate', 'yotConsulted', 'powerOfArrest', 'conduct', 'requirements'],
  cbo: ['convictionDate', 'court', 'durationYears', 'yotConsulted', 'conduct', 'requirements'],
}

export const OPTIONAL_FIELDS: ReadonlySet<FormField> = new Set(['endDate', 'yotConsulted'])

export interface ParsedAction {
  facts: ActionFacts
  partyId: string | null
  premises: string | null
  /** What is stored as the action's details (strings and numbers as entered, validated). */
  details: Record<string, string | number | boolean | null>
  /** Recorded late (dated more than the policy's days before today): the officer's reason, else null. */
  lateReason: string | null
}

/** Whether an action dated `actionDate` and entered `today` is recorded late under the policy's number of days. */
export function isRecordedLate(actionDate: string, today: string, lateRecordingDays: number): boolean {
  return actionDate < addDays(today, -lateRecordingDays)
}

function dateField(body: unknown, name: string): { value: string; given: boolean } {
  const day = field(body, `${name}-day`)
  const month = field(body, `${name}-month`)
  const year = field(body, `${name}-year`)
  return {
    value: `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`,
    given: day !== '' || month !== '' || year !== '',
  }
}

function wholeNumber(text: string): number | null {
  return /^\d{1,4}$/.test(text) ? Number(text) : null
}

/** Field problems of a posted form (before any guardrail), or the parsed action. */
export function parseAction(
  rule: PowerRule,
  body: unknown,
  today: string,
  lateRecordingDays: number,
): { ok: true; value: ParsedAction } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const fields = POWER_FIELDS[rule.code]
  const text = (name: FormField, max = 4000) => {
    const value = field(body, name)
    if (value.length > max) errors[name] = t('powers.errors.tooLong')
    else if (value === '' && !OPTIONAL_FIELDS.has(name)) errors[name] = t(`powers.errors.required.${name}`)
    return value
  }

  const partyId = rule.subject === 'person' ? field(body, 'party') : ''
  if (rule.subject === 'person' && !/^[0-9a-f-]{36}$/i.test(partyId)) errors.party = t('powers.errors.party')

  const actionDate = dateField(body, 'actionDate')
  if (!isIsoDate(actionDate.value)) errors['actionDate-day'] = t('powers.errors.actionDate')
  else if (actionDate.value > today) errors['actionDate-day'] = t('powers.errors.actionDateFuture')
  const late = isIsoDate(actionDate.value) && isRecordedLate(actionDate.value, today, lateRecordingDays)
  const lateReason = field(body, 'lateReason')
  if (lateReason.length > 2000) errors.lateReason = t('powers.errors.tooLong')
  else if (late && lateReason === '') errors.lateReason = t('powers.errors.lateReason', { days: lateRecordingDays })

  const details: ParsedAction['details'] = {}
  const facts: ActionFacts = { power: rule.code, actionDate: actionDate.value, startsAt: null }
  let premises: string | null = null

  for (const name of fields) {
    switch (name) {
      case 'conduct':
      case 'requirements':
      case 'court':
      case 'authorisationReference':
      case 'pspoReference':
        details[name] = text(name, name === 'conduct' || name === 'requirements' ? 4000 : 200)
        break
      case 'premises':
        premises = text('premises', 500)
        break
      case 'prior': {
        const prior = field(body, 'prior')
        if (!/^[0-9a-f-]{36}$/i.test(prior)) errors.prior = t('powers.errors.prior')
        else facts.priorId = prior
        break
      }
      case 'time': {
        const time = field(body, 'time')
        if (!/^\d{1,2}:\d{2}$/.test(time)) errors.time = t('powers.errors.time')
        else if (isIsoDate(actionDate.value)) {
          const instant = londonInstant(actionDate.value, time.padStart(5, '0'))
          if (!instant) errors.time = t('powers.errors.timeMissing')
          else facts.startsAt = instant
        }
        details.time = time
        break
      }
      case 'complianceDays': {
        const days = wholeNumber(field(body, 'complianceDays'))
        const bounds = rule.compliance
        if (days === null || !bounds || days < bounds.minDays || days > bounds.maxDays) {
          errors.complianceDays = t('powers.errors.complianceDays', {
            min: bounds?.minDays ?? 1,
            max: bounds?.maxDays ?? 1,
          })
        } else facts.complianceDays = days
        details.complianceDays = days
        break
      }
      case 'months': {
        const months = wholeNumber(field(body, 'months'))
        const bounds = rule.months
        if (months === null || !bounds || months < bounds.min || months > bounds.max) {
          errors.months = t('powers.errors.months', { min: bounds?.min ?? 1, max: bounds?.max ?? 1 })
        } else facts.months = months
        details.months = months
        break
      }
      case 'hours': {
        const hours = wholeNumber(field(body, 'hours'))
        const max = rule.hours?.max ?? 0
        if (hours === null || hours < 1 || hours > max) errors.hours = t('powers.errors.hours', { max })
        else facts.hours = hours
        details.hours = hours
        break
      }
      case 'authorisationLevel': {
        const level = field(body, 'authorisationLevel')
        if (level !== 'standard' && level !== 'senior')
          errors.authorisationLevel = t('powers.errors.authorisationLevel')
        else facts.authorisationLevel = level
        details.authorisationLevel = level
        break
      }
      case 'endDate': {
        const end = dateField(body, 'endDate')
        if (end.given) {
          if (!isIsoDate(end.value)) errors['endDate-day'] = t('powers.errors.endDate')
          else if (end.value <= actionDate.value) errors['endDate-day'] = t('powers.errors.endDateBefore')
          else facts.endDate = end.value
        }
        details.endDate = facts.endDate ?? null
        break
      }
      case 'convictionDate': {
        const conviction = dateField(body, 'convictionDate')
        if (!isIsoDate(conviction.value)) errors['convictionDate-day'] = t('powers.errors.convictionDate')
        else facts.convictionDate = conviction.value
        details.convictionDate = facts.convictionDate ?? null
        break
      }
      case 'durationYears': {
        const value = field(body, 'durationYears')
        const years = value === 'indefinite' ? 'indefinite' : wholeNumber(value)
        if (years === null || (typeof years === 'number' && (years < 1 || years > (rule.adult?.maxYears ?? 10)))) {
          errors.durationYears = t('powers.errors.durationYears')
        } else facts.durationYears = years
        details.durationYears = years
        break
      }
      case 'yotConsulted':
      case 'powerOfArrest': {
        const value = field(body, name)
        if (value !== '' && value !== 'yes' && value !== 'no') errors[name] = t('powers.errors.yesNo')
        if (name === 'yotConsulted') facts.yotConsulted = value === 'yes'
        details[name] = value === '' ? null : value === 'yes'
        if (name === 'powerOfArrest' && value === '') errors.powerOfArrest = t('powers.errors.required.powerOfArrest')
        break
      }
      case 'party':
      case 'actionDate':
        break
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return {
    ok: true,
    value: {
      facts,
      partyId: rule.subject === 'person' ? partyId : null,
      premises,
      details,
      lateReason: late ? lateReason : null,
    },
  }
}
