/** View data for the panels pages: no I/O, copy from en.json. */
import { writeCsv } from '../../platform/csv.js'
import { errorSummary, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { formatDate } from './panels-forms.js'
import { panelsPaths } from './panels-paths.js'
import type { ActionRow, PanelRow, ReferralRow } from './panels-repository.js'

export function formView(errors: FieldErrors = {}) {
  return { errors, errorSummary: errorSummary(errors) }
}

/** GOV.UK component error message for a field, or undefined. */
export function errorFor(errors: FieldErrors, name: string) {
  return errors[name] ? { text: errors[name] } : undefined
}

export function statusTag(status: ReferralRow['status']) {
  const classes = { open: 'govuk-tag--blue', closed: 'govuk-tag--grey', withdrawn: 'govuk-tag--grey' }[status]
  return { text: t(`panels.referralStatus.${status}`), classes }
}

export function presentReferralRow(panel: PanelRow, row: ReferralRow) {
  return {
    href: panelsPaths.referral(panel.code, row.id),
    subject: row.subject,
    referredOn: formatDate(new Date(row.referred_at).toISOString().slice(0, 10)),
    referredBy: row.referred_by_name ?? t('panels.export.system'),
    partner: row.referring_partner_name ?? '',
    caseReference: row.case_reference,
    status: statusTag(row.status),
    criteria: row.criteria.map(c =>
      panel.kind === 'da-marac'
        ? t(`panels.dash.criteria.${c}`)
        : panel.kind === 'hate-incident'
          ? t(`panels.hate.characteristics.${c}`)
          : c,
    ),
  }
}

export function presentAction(action: ActionRow, taskStatus: string | undefined) {
  return {
    title: action.title,
    owner: `${action.owner_name} (${action.owner_partner_name})`,
    due: formatDate(action.due_date),
    onCase: action.case_task_id !== null,
    taskStatus: taskStatus ? t(`panels.taskStatus.${taskStatus}`) : t('panels.taskStatus.none'),
  }
}

/** Chronology entries as CSV; cells that a spreadsheet would run as a formula are defused (platform/csv.ts). */
export function chronologyCsv(entries: { date: string; kind: string; text: string; detail: string }[]): string {
  return writeCsv(
    [t('panels.export.date'), t('panels.export.entry'), t('panels.export.what'), t('panels.export.detail')],
    entries.map(entry => [entry.date, entry.kind, entry.text, entry.detail]),
    { bom: false },
  )
}

export { panelsPaths } from './panels-paths.js'
