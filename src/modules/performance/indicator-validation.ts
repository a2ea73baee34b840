/**
 * Checking an indicator definition from the staff form. Pure. An indicator without polarity cannot be saved: its
 * direction of travel would mean nothing. Every problem names its field, for the GOV.UK error summary.
 */
import type { IndicatorSource } from './performance-plan.js'
import { POLARITIES, TARGET_KINDS, UNITS, type Polarity, type TargetKind, type Unit } from './kpi-engine.js'

export interface IndicatorForm {
  name: string
  priorityId: string
  unit: string
  polarity: string
  targetKind: string
  targetValue: string
  tolerancePct: string
  stableBandPct: string
  source: string
  surveyMeasure: string
  description: string
}

export interface ValidIndicator {
  name: string
  priorityId: string
  unit: Unit
  polarity: Polarity
  target: { kind: TargetKind; value: number } | null
  tolerancePct: number
  stableBandPct: number
  source: IndicatorSource
  description: string
}

/** A refused field of the indicator form, by code: `performanceEditing.indicatorErrors.<code>` in the locale file. */
export type IndicatorErrorCode =
  | 'name-missing'
  | 'name-too-long'
  | 'priority-missing'
  | 'unit-missing'
  | 'polarity-missing'
  | 'target-kind-missing'
  | 'target-value-invalid'
  | 'tolerancePct-invalid'
  | 'stableBandPct-invalid'
  | 'survey-measure-invalid'
  | 'source-missing'
  | 'survey-unit'
  | 'description-too-long'

export interface FieldError {
  field: keyof IndicatorForm
  code: IndicatorErrorCode
}

const NUMBER = /^-?\d{1,9}(\.\d{1,4})?$/
const MEASURE = /^[a-z0-9][a-z0-9-]*$/

export function validateIndicator(
  form: IndicatorForm,
  context: { priorities: ReadonlySet<string>; activityTypes: ReadonlySet<string>; countSources: ReadonlySet<string> },
): { ok: true; value: ValidIndicator } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  const name = form.name.trim()
  if (name === '') errors.push({ field: 'name', code: 'name-missing' })
  else if (name.length > 200) errors.push({ field: 'name', code: 'name-too-long' })
  if (!context.priorities.has(form.priorityId)) errors.push({ field: 'priorityId', code: 'priority-missing' })
  const unit = UNITS.find(u => u === form.unit)
  if (!unit) errors.push({ field: 'unit', code: 'unit-missing' })
  const polarity = POLARITIES.find(p => p === form.polarity)
  if (!polarity) {
    errors.push({ field: 'polarity', code: 'polarity-missing' })
  }
  let target: ValidIndicator['target'] = null
  if (form.targetKind !== 'none') {
    const kind = TARGET_KINDS.find(k => k === form.targetKind)
    if (!kind) errors.push({ field: 'targetKind', code: 'target-kind-missing' })
    const text = form.targetValue.trim().replace(/^\+/, '').replace(/%$/, '')
    if (!NUMBER.test(text)) errors.push({ field: 'targetValue', code: 'target-value-invalid' })
    else if (kind) target = { kind, value: Number(text) }
  }
  const percentage = (field: 'tolerancePct' | 'stableBandPct') => {
    const text = form[field].trim().replace(/%$/, '')
    if (!NUMBER.test(text) || Number(text) < 0 || Number(text) > 100) {
      errors.push({ field, code: `${field}-invalid` })
      return 0
    }
    return Number(text)
  }
  const tolerancePct = percentage('tolerancePct')
  const stableBandPct = percentage('stableBandPct')
  let source: IndicatorSource | null = null
  if (form.source === 'manual') source = { kind: 'manual' }
  else if (form.source.startsWith('activity:') && context.activityTypes.has(form.source.slice(9)))
    source = { kind: 'activity', activityType: form.source.slice(9) }
  else if (form.source.startsWith('count:') && context.countSources.has(form.source.slice(6)))
    source = { kind: 'count', key: form.source.slice(6) }
  else if (form.source === 'survey') {
    const measure = form.surveyMeasure.trim()
    if (!MEASURE.test(measure) || measure.length > 60)
      errors.push({ field: 'surveyMeasure', code: 'survey-measure-invalid' })
    else source = { kind: 'survey', measure }
  } else errors.push({ field: 'source', code: 'source-missing' })
  if (source?.kind === 'survey' && unit && unit !== 'percent') errors.push({ field: 'unit', code: 'survey-unit' })
  const description = form.description.trim()
  if (description.length > 2000) errors.push({ field: 'description', code: 'description-too-long' })
  if (errors.length > 0 || !unit || !polarity || !source) return { ok: false, errors }
  return {
    ok: true,
    value: {
      name,
      priorityId: form.priorityId,
      unit,
      polarity,
      target,
      tolerancePct,
      stableBandPct,
      source,
      description,
    },
  }
}

/** `"ASB calls to 101"` → `asb-calls-to-101`. */
export function indicatorIdFrom(name: string): string {
  const id = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return /^[a-z0-9]/.test(id) ? id : `indicator-${id}`.replace(/-+$/, '')
}
