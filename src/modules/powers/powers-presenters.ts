/** Words and view data for the powers pages: no I/O, copy from en.json. */
import { randomUUID } from 'node:crypto'

import { errorSummary, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { formatDateTime, formatLongDate } from '../../platform/dates.js'
import { londonDate } from '../../platform/working-days.js'
import type { PartyRow } from '../casework/index.js'
import type { Block, Deadlines, LadderStep, Reminder } from './powers-engine.js'
import type { PowerCode, PowerRule } from './powers-policy.js'
import type { ActionRow, ChangeRow } from './powers-repository.js'
import { POWER_FIELDS } from './powers-validation.js'
import { powersPaths } from './powers-paths.js'

export function formatDate(iso: string): string {
  return formatLongDate(iso)
}

/** The one date-and-time format (src/platform/dates.ts): `5 December 2026 at 11:00 pm`. */
export function formatInstant(iso: string): string {
  return formatDateTime(iso)
}

/** The London date of a stored instant. */
export function londonDateOf(instant: Date | string): string {
  return londonDate(new Date(instant))
}

/** An action's changes in words, oldest first. */
export function presentChanges(changes: readonly ChangeRow[]): string[] {
  return changes.map(change => {
    const parts = [
      t('powers.change.row', {
        kind: t(`powers.change.kindName.${change.kind}`),
        date: formatDate(change.effective_date),
        name: change.recorded_by_name,
        reason: change.reason,
      }),
    ]
    if (change.new_end_date) parts.push(t('powers.change.rowEnd', { end: formatDate(change.new_end_date) }))
    if (change.requirements) parts.push(t('powers.change.rowRequirements', { requirements: change.requirements }))
    return parts.join('; ')
  })
}

const powerName = (code: PowerCode) => t(`powers.power.${code}.name`)

export function describeBlock(block: Block, context: { power: PowerCode; name: string }): string {
  switch (block.code) {
    case 'no-subject':
      return t('powers.block.noSubject')
    case 'dob-unknown':
      return t('powers.block.dobUnknown', { name: context.name, min: block.minimumAge })
    case 'too-young':
      return t('powers.block.tooYoung', { name: context.name, age: block.age, min: block.minimumAge })
    case 'needs-prior':
      return t('powers.block.needsPrior', { prior: powerName(block.prior), power: powerName(context.power) })
    case 'compliance-not-ended':
      return t('powers.block.complianceNotEnded', { ends: formatDate(block.ends), from: formatDate(block.from) })
    case 'notice-window-passed':
      return t('powers.block.noticeWindowPassed', { deadline: formatInstant(block.deadline) })
    case 'before-notice':
      return t('powers.block.beforeNotice')
    case 'needs-yot':
      return t('powers.block.needsYot')
    case 'under18-too-long':
      return t('powers.block.under18TooLong', { months: block.maxMonths })
    case 'under18-years':
      return t('powers.block.under18Years', { min: block.minYears, max: block.maxYears })
    case 'adult-years':
      return t('powers.block.adultYears', { min: block.minYears })
    case 'conviction-after-order':
      return t('powers.block.convictionAfterOrder')
    case 'before-case-opened':
      return t('powers.block.beforeCaseOpened', { opened: formatDate(block.opened) })
  }
}

export function reminderTitle(reminder: Reminder, power: string, subject: string): string {
  return t(`powers.reminder.${reminder.kind}`, { power, subject, date: formatDate(reminder.on) })
}

export function presentDeadlines(d: Deadlines): { key: { text: string }; value: { text: string } }[] {
  const rows: { key: { text: string }; value: { text: string } }[] = []
  const add = (key: string, value: string | undefined, format: (v: string) => string = formatDate) => {
    if (value) rows.push({ key: { text: t(`powers.deadline.${key}`) }, value: { text: format(value) } })
  }
  add('complianceEnds', d.complianceEnds)
  add('nextStepFrom', d.nextStepFrom)
  add('appealBy', d.appealBy)
  add('payBy', d.payBy)
  add('reviewOn', d.reviewOn)
  add('expiresOn', d.expiresOn)
  add('expiresAt', d.expiresAt, formatInstant)
  add('hearingBy', d.hearingBy, formatInstant)
  if (d.annualReviews?.length) {
    rows.push({
      key: { text: t('powers.deadline.annualReviews') },
      value: { text: d.annualReviews.map(formatDate).join(', ') },
    })
  }
  return rows
}

export function presentLadder(caseId: string, steps: LadderStep[], party: PartyRow | undefined, canIssue: boolean) {
  return steps.map(step => ({
    code: step.rule.code,
    name: powerName(step.rule.code),
    statute: t(`powers.power.${step.rule.code}.statute`),
    summary: t(`powers.power.${step.rule.code}.summary`),
    available: step.available,
    tag: step.available
      ? { text: t('powers.ladder.available'), classes: 'govuk-tag--green' }
      : { text: t('powers.ladder.blocked'), classes: 'govuk-tag--grey' },
    reasons: step.blocks.map(block => describeBlock(block, { power: step.rule.code, name: party?.name ?? '' })),
    // A blocked power says why in words; only an available one offers to issue it.
    href: canIssue && step.available ? powersPaths.issue(caseId, step.rule.code, party?.id) : null,
  }))
}

export function presentAction(caseId: string, row: ActionRow, rule: PowerRule | undefined) {
  const details = row.details
  const detailRows = Object.entries(details)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => ({
      key: { text: t(`powers.field.${key}.label`) },
      value: {
        text:
          typeof value === 'boolean'
            ? t(value ? 'powers.yes' : 'powers.no')
            : /^\d{4}-\d{2}-\d{2}$/.test(String(value))
              ? formatDate(String(value))
              : String(value),
      },
    }))
  return {
    name: powerName(row.power as PowerCode),
    subject: row.party_name ?? row.premises ?? '',
    actionDate: formatDate(row.action_date),
    deadlines: presentDeadlines(row.deadlines),
    details: detailRows,
    hasLetter: rule?.letter ?? false,
    breachable: rule?.breachable ?? false,
    letterHref: powersPaths.letter(caseId, row.id),
    letterPdfHref: powersPaths.letterPdf(caseId, row.id),
    breachHref: powersPaths.breach(caseId, row.id),
    href: powersPaths.action(caseId, row.id),
  }
}

export type FormValues = Record<string, string>

/** The issue form for one power: only its fields, answers kept, errors inline. */
export function presentIssueForm(
  rule: PowerRule,
  caseRow: { id: string; reference: string },
  context: { perpetrators: PartyRow[]; notices: ActionRow[]; today: string },
  values: FormValues,
  errors: FieldErrors = {},
) {
  const [year, month, day] = context.today.split('-')
  const message = (id: string) => (errors[id] ? { text: errors[id] } : undefined)
  const fields = new Set(POWER_FIELDS[rule.code])
  const dateItems = (prefix: string, defaults: [string, string, string] | null) => [
    { name: 'day', classes: 'govuk-input--width-2', value: values[`${prefix}-day`] ?? defaults?.[2] ?? '' },
    { name: 'month', classes: 'govuk-input--width-2', value: values[`${prefix}-month`] ?? defaults?.[1] ?? '' },
    { name: 'year', classes: 'govuk-input--width-4', value: values[`${prefix}-year`] ?? defaults?.[0] ?? '' },
  ]
  const yesNo = (name: string) => [
    { value: 'yes', text: t('powers.yes'), checked: values[name] === 'yes' },
    { value: 'no', text: t('powers.no'), checked: values[name] === 'no' },
  ]
  const label = (name: string) => t(`powers.field.${name}.label`)
  const hint = (name: string, params: Record<string, string | number> = {}) => t(`powers.field.${name}.hint`, params)
  return {
    rule,
    caseRow,
    name: powerName(rule.code),
    statute: t(`powers.power.${rule.code}.statute`),
    guidance: t(`powers.power.${rule.code}.summary`),
    submissionId: values.submissionId ?? randomUUID(),
    show: Object.fromEntries([...fields].map(name => [name, true])),
    label,
    hint,
    values,
    errors: Object.fromEntries(Object.keys(errors).map(id => [id, message(id)])),
    errorSummary: errorSummary(errors),
    partyItems: context.perpetrators.map(p => ({
      value: p.id,
      text: p.name,
      hint: {
        text: p.date_of_birth
          ? t('powers.form.born', { date: formatDate(p.date_of_birth) })
          : t('powers.form.dobUnknown'),
      },
      checked: values.party === p.id,
    })),
    noticeItems: context.notices.map(notice => ({
      value: notice.id,
      text: t('powers.form.notice', {
        premises: notice.premises ?? '',
        served: notice.starts_at
          ? formatInstant(new Date(notice.starts_at).toISOString())
          : formatDate(notice.action_date),
      }),
      checked: values.prior === notice.id,
    })),
    actionDateItems: dateItems('actionDate', [year ?? '', month ?? '', day ?? '']),
    endDateItems: dateItems('endDate', null),
    convictionDateItems: dateItems('convictionDate', null),
    yotItems: yesNo('yotConsulted'),
    arrestItems: yesNo('powerOfArrest'),
    levelItems: ['standard', 'senior'].map(level => ({
      value: level,
      text: t(`powers.field.authorisationLevel.${level}`),
      checked: values.authorisationLevel === level,
    })),
    yearsItems: [
      { value: '', text: t('powers.form.chooseYears') },
      ...Array.from({ length: rule.adult?.maxYears ?? 3 }, (_, index) => ({
        value: String(index + 1),
        text: t('powers.form.years', { years: index + 1 }),
        selected: values.durationYears === String(index + 1),
      })),
      ...(rule.adult?.indefinite
        ? [{ value: 'indefinite', text: t('powers.form.indefinite'), selected: values.durationYears === 'indefinite' }]
        : []),
    ],
    complianceDefault: values.complianceDays ?? String(rule.compliance?.defaultDays ?? ''),
    monthsDefault: values.months ?? String(rule.months?.default ?? ''),
    hoursDefault: values.hours ?? String(rule.hours?.max ?? ''),
    complianceHint: hint('complianceDays', { min: rule.compliance?.minDays ?? 1, max: rule.compliance?.maxDays ?? 1 }),
    monthsHint: hint('months', { min: rule.months?.min ?? 1, max: rule.months?.max ?? 1 }),
    hoursHint: hint('hours', { max: rule.hours?.max ?? 0 }),
  }
}
