/** View data for the risk pages: no I/O, copy from en.json. */
import { randomUUID } from 'node:crypto'

import { formatLongDate } from '../../platform/dates.js'
import { errorSummary, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import type { PartyRow } from '../casework/index.js'
import type { TriggerReason } from './risk-engine.js'
import { maximumScore, RISK_DOMAINS, RISK_LEVELS, type RiskLevel, type RiskPolicy } from './risk-policy.js'
import type { AssessmentRow } from './risk-repository.js'

const LEVEL_TAG: Record<RiskLevel, string> = {
  standard: 'govuk-tag--grey',
  medium: 'govuk-tag--yellow',
  high: 'govuk-tag--red',
}

export function levelTag(level: RiskLevel) {
  return { text: t(`risk.level.${level}`), classes: LEVEL_TAG[level] }
}

export function describeTrigger(reason: TriggerReason): string {
  if (reason.kind === 'repeat-victim') return t('risk.trigger.repeatVictim')
  if (reason.kind === 'review-due') return t('risk.trigger.reviewDue', { date: formatDate(reason.due) })
  return t('risk.trigger.reports', { count: reason.count, days: reason.withinDays })
}

export function formatDate(iso: string): string {
  return formatLongDate(iso)
}

export interface FormValues {
  party?: string
  answers: Record<string, string>
  'assessedOn-day'?: string
  'assessedOn-month'?: string
  'assessedOn-year'?: string
  overrideLevel?: string
  overrideReason?: string
  notes?: string
  submissionId?: string
}

export function presentForm(
  policy: RiskPolicy,
  caseRow: { id: string; reference: string },
  victims: PartyRow[],
  values: FormValues,
  errors: FieldErrors = {},
  today = '',
) {
  const [year, month, day] = today.split('-')
  const message = (field: string) => (errors[field] ? { text: errors[field] } : undefined)
  const domains = RISK_DOMAINS.map(domain => ({
    heading: t(`risk.domain.${domain}.heading`),
    hint: t(`risk.domain.${domain}.hint`),
    questions: policy.questions
      .filter(question => question.domain === domain)
      .map(question => {
        const options =
          question.kind === 'scale'
            ? [...(question.options ?? []).map(option => option.value), 'not-known']
            : ['yes', 'no', 'not-known']
        return {
          idPrefix: `q-${question.id}`,
          name: `q-${question.id}`,
          legend: t(`risk.questions.${question.id}.label`),
          redFlag: question.redFlag === true,
          errorMessage: message(`q-${question.id}`),
          items: options.map(value => ({
            value,
            text:
              question.kind === 'scale' && value !== 'not-known'
                ? t(`risk.questions.${question.id}.${value}`)
                : t(`risk.answer.${value}`),
            checked: values.answers[question.id] === value,
          })),
        }
      }),
  }))
  return {
    caseRow,
    policyVersion: policy.version,
    domains,
    submissionId: values.submissionId ?? randomUUID(),
    partyItems: victims.map(victim => ({ value: victim.id, text: victim.name, checked: values.party === victim.id })),
    partyError: message('party'),
    dateItems: [
      { name: 'day', classes: 'govuk-input--width-2', value: values['assessedOn-day'] ?? day },
      { name: 'month', classes: 'govuk-input--width-2', value: values['assessedOn-month'] ?? month },
      { name: 'year', classes: 'govuk-input--width-4', value: values['assessedOn-year'] ?? year },
    ],
    dateError: message('assessedOn-day'),
    overrideItems: [
      { value: '', text: t('risk.form.overrideNone'), checked: !values.overrideLevel },
      ...RISK_LEVELS.map(level => ({
        value: level,
        text: t(`risk.level.${level}`),
        checked: values.overrideLevel === level,
      })),
    ],
    overrideLevelError: message('overrideLevel'),
    overrideReason: values.overrideReason ?? '',
    overrideReasonError: message('overrideReason'),
    notes: values.notes ?? '',
    notesError: message('notes'),
    errorSummary: errorSummary(errors),
    thresholds: t('risk.form.thresholds', {
      medium: policy.thresholds.medium,
      high: policy.thresholds.high,
      max: maximumScore(policy),
    }),
  }
}

export function presentAssessment(policy: RiskPolicy, row: AssessmentRow) {
  const answerText = (id: string, value: string | undefined) => {
    if (value === undefined) return ''
    const question = policy.questions.find(q => q.id === id)
    return question?.kind === 'scale' && value !== 'not-known'
      ? t(`risk.questions.${id}.${value}`)
      : t(`risk.answer.${value}`)
  }
  const known = new Set(policy.questions.map(question => question.id))
  return {
    level: levelTag(row.level),
    computedLevel: levelTag(row.computed_level),
    overridden: row.level !== row.computed_level,
    rows: RISK_DOMAINS.map(domain => ({
      heading: t(`risk.domain.${domain}.heading`),
      rows: policy.questions
        .filter(question => question.domain === domain)
        .map(question => ({
          key: { text: t(`risk.questions.${question.id}.label`) },
          value: { text: answerText(question.id, row.answers[question.id]) },
        })),
    })),
    // Answers to questions a later policy dropped are still shown, by their key.
    otherAnswers: Object.entries(row.answers)
      .filter(([id]) => !known.has(id))
      .map(([id, value]) => ({ key: { text: id }, value: { text: value } })),
    redFlags: row.red_flags.map(id => t(`risk.questions.${id}.label`)),
    triggers: (row.triggers as TriggerReason[]).map(describeTrigger),
  }
}
