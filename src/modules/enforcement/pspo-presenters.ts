/** View data for the PSPO register's pages: no I/O, every word from `enforcement.*` in the locale file. */
import { formatLongDate } from '../../platform/dates.js'
import { t } from '../../platform/i18n.js'
import { enforcementPaths } from './enforcement-paths.js'
import type { PspoEvent, PspoOrder, ReviewReminder } from './pspo-repository.js'
import { MAX_TEXT, orderStatus, reviewDue, type FieldError } from './pspo-rules.js'

/** The field a problem is shown against, as the id of its first input (the summary link moves focus there). */
const ANCHOR: Record<string, string> = {
  consultationStart: 'consultationStart-day',
  consultationEnd: 'consultationEnd-day',
  madeOn: 'madeOn-day',
  inForceFrom: 'inForceFrom-day',
  expiresOn: 'expiresOn-day',
  occurredOn: 'occurredOn-day',
  newExpiry: 'newExpiry-day',
  wards: 'wards',
}

export function pspoErrorText(error: FieldError): string {
  return t(`enforcement.errors.${error.code}`, { max: MAX_TEXT })
}

/** The GOV.UK error summary and each field's message. */
export function errorView(errors: FieldError[]) {
  const byField: Record<string, { text: string }> = {}
  for (const error of errors) byField[error.field] ??= { text: pspoErrorText(error) }
  return {
    errorSummary: errors.map(error => ({ text: pspoErrorText(error), href: `#${ANCHOR[error.field] ?? error.field}` })),
    errors: byField,
  }
}

export function wardItems(wards: { code: string; name: string }[], chosen: readonly string[]) {
  return wards.map(ward => ({ value: ward.code, text: ward.name, checked: chosen.includes(ward.code) }))
}

export function wardNames(codes: readonly string[], wards: { code: string; name: string }[]): string[] {
  const names = new Map(wards.map(ward => [ward.code, ward.name]))
  return codes.map(code => names.get(code) ?? code)
}

/** Date parts of an ISO date, as a GOV.UK date input's values. */
export function dateParts(name: string, iso: string | null | undefined): Record<string, string> {
  if (!iso) return {}
  const [year = '', month = '', day = ''] = iso.split('-')
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year }
}

function statusTag(status: ReturnType<typeof orderStatus>) {
  const classes: Record<typeof status, string> = {
    'in-force': 'govuk-tag--green',
    'not-yet-in-force': 'govuk-tag--blue',
    expired: 'govuk-tag--grey',
    discharged: 'govuk-tag--grey',
  }
  return { text: t(`enforcement.status.${status}`), classes: classes[status] }
}

export function reviewTag(order: PspoOrder, today: string) {
  const due = reviewDue(order, today)
  if (due === null) return null
  return { text: t(`enforcement.review.${due}`), classes: due === '3-months' ? 'govuk-tag--red' : 'govuk-tag--yellow' }
}

export function registerRows(orders: PspoOrder[], wards: { code: string; name: string }[], today: string) {
  return orders.map(order => ({
    id: order.id,
    href: enforcementPaths.order(order.id),
    reference: order.reference,
    title: order.title,
    wards: wardNames(order.wardCodes, wards).join(', '),
    inForceFrom: order.inForceFrom,
    expiresOn: order.expiresOn,
    owner: order.ownerName ?? t('enforcement.register.noOwner'),
    status: statusTag(orderStatus(order, today)),
    review: reviewTag(order, today),
  }))
}

export function reminderRows(reminders: ReviewReminder[]) {
  return reminders.map(reminder => ({
    href: enforcementPaths.order(reminder.orderId),
    text: t('enforcement.reminders.line', {
      reference: reminder.reference,
      title: reminder.title,
      threshold: t(`enforcement.review.${reminder.threshold}`),
      expiry: formatLongDate(reminder.expiresOn),
    }),
  }))
}

function eventSummary(event: PspoEvent, wards: { code: string; name: string }[]): string {
  const details = event.details
  switch (event.kind) {
    case 'made':
      return t('enforcement.history.made', {
        wards: wardNames((details.wards as string[] | undefined) ?? [], wards).join(', '),
        expiry: formatLongDate(String(details.expiresOn)),
      })
    case 'extended':
      return t('enforcement.history.extended', {
        from: formatLongDate(String(details.previousExpiry)),
        to: formatLongDate(String(details.newExpiry)),
      })
    case 'varied':
      return t('enforcement.history.varied', {
        wards: wardNames((details.wards as string[] | undefined) ?? [], wards).join(', '),
      })
    case 'discharged':
      return t('enforcement.history.discharged')
  }
}

export function historyRows(
  events: (PspoEvent & { recordedByName: string | null })[],
  wards: { code: string; name: string }[],
) {
  return events.map(event => ({
    kind: t(`enforcement.history.kinds.${event.kind}`),
    occurredOn: event.occurredOn,
    summary: eventSummary(event, wards),
    reason: event.reason,
    recordedBy: event.recordedByName ?? t('enforcement.history.system'),
  }))
}

/** The public page's order: what it prohibits and requires, where and when; no staff detail. */
export function publicOrder(order: PspoOrder, wards: { code: string; name: string }[]) {
  return {
    reference: order.reference,
    title: order.title,
    href: enforcementPaths.publicOrder(order.reference),
    prohibitions: order.prohibitions,
    requirements: order.requirements,
    wards: wardNames(order.wardCodes, wards),
    signage: order.signage,
    madeOn: order.madeOn,
    inForceFrom: order.inForceFrom,
    expiresOn: order.expiresOn,
    consultationStart: order.consultationStart,
    consultationEnd: order.consultationEnd,
    consultees: order.consultees,
    consultationSummary: order.consultationSummary,
  }
}
