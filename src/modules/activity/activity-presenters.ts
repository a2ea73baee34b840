/** View data for the outputs register's pages: no I/O, every word from `activity.*` in the locale file. */
import type { CsvImportProblem } from '../../platform/csv-import.js'
import { t } from '../../platform/i18n.js'
import type { ActivityRecord, ActivityType } from './activity-repository.js'
import { MAX_TEXT, type FieldError, type ValidationContext } from './activity-validation.js'

const FIELD_ANCHOR: Record<FieldError['field'], string> = {
  type: '#type',
  date: '#date-day',
  ward: '#ward',
  priority: '#priority',
  quantity: '#quantity',
  operation: '#operation',
  partner: '#partner',
  evidence: '#evidence',
}

/** The words for a problem code of the form or of an import line (`activity.errors.<code>`). */
export function activityErrorText(error: { code: string; params?: Record<string, string | number> }): string {
  return t(`activity.errors.${error.code}`, { max: MAX_TEXT, ...error.params })
}

/** The record form with its options, values and, after a refused post, the GOV.UK error summary and messages. */
export function activityFormView(
  context: ValidationContext,
  values: Partial<Record<string, string>>,
  errors: FieldError[] = [],
) {
  const errorFor = (field: FieldError['field']) => {
    const error = errors.find(e => e.field === field)
    return error ? { text: activityErrorText(error) } : undefined
  }
  const options = (items: { value: string; text: string }[], selected: string | undefined, blank: string) => [
    { value: '', text: blank },
    ...items.map(item => ({ ...item, selected: item.value === selected })),
  ]
  return {
    values,
    errorSummary: errors.map(error => ({ text: activityErrorText(error), href: FIELD_ANCHOR[error.field] })),
    errors: Object.fromEntries(
      (Object.keys(FIELD_ANCHOR) as FieldError['field'][]).map(field => [field, errorFor(field)]),
    ),
    typeItems: options(
      context.types.map(type => ({ value: type.code, text: type.name })),
      values.type,
      t('activity.form.selectType'),
    ),
    wardItems: options(
      context.wards.map(ward => ({ value: ward.code, text: ward.name })),
      values.ward,
      t('activity.form.wholeBoroughOption'),
    ),
    priorityItems: options(
      context.priorities.map(priority => ({ value: priority.id, text: priority.name })),
      values.priority,
      t('activity.form.noPriority'),
    ),
  }
}

/** The register's latest records, with type and ward names. */
export function registerRows(
  records: ActivityRecord[],
  types: ActivityType[],
  wards: { code: string; name: string }[],
): (ActivityRecord & { typeName: string; wardName: string })[] {
  const typeName = new Map(types.map(type => [type.code, type.name]))
  const wardName = new Map(wards.map(ward => [ward.code, ward.name]))
  return records.map(record => ({
    ...record,
    typeName: typeName.get(record.typeCode) ?? record.typeCode,
    wardName:
      record.wardCode === null ? t('activity.form.wholeBorough') : (wardName.get(record.wardCode) ?? record.wardCode),
  }))
}

/** The import page after a refused file: the problems by line, each in words, and the summary. */
export function importProblemsView(problems: CsvImportProblem[]) {
  const message = t('activity.errors.import-refused', { count: problems.length })
  return {
    csvError: message,
    problems: problems.map(problem => ({ ...problem, message: activityErrorText(problem) })),
    errorSummary: [{ text: message, href: '#problems' }],
  }
}

/** The import page when nothing was pasted. */
export function missingCsvView() {
  const message = activityErrorText({ code: 'csv-missing' })
  return { csvError: message, errorSummary: [{ text: message, href: '#csv' }] }
}
