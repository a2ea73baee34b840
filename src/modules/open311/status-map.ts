/**
 * Our report lifecycle (received → assessed → in progress → action taken → closed with a reason) in Open311's words,
 * and FixMyStreet's update statuses in ours. GeoReport itself knows only open and closed; the extended statuses
 * appear on servicerequestupdates only.
 */
import type { StatusChange } from '../reporting/index.js'
import type { RequestUpdate } from './open311-schemas.js'

export type ReportStatus = 'received' | 'assessed' | 'in_progress' | 'action_taken' | 'closed'

export function georeportStatus(status: string): 'open' | 'closed' {
  return status === 'closed' ? 'closed' : 'open'
}

/** A timeline entry's status as FixMyStreet's status_extended. */
export function extendedStatus(status: string, closureReason: string | null): RequestUpdate['status'] {
  switch (status) {
    case 'received':
      return 'open'
    case 'assessed':
      return 'investigating'
    case 'in_progress':
      return 'in_progress'
    case 'action_taken':
      return 'action_scheduled'
    case 'closed':
      switch (closureReason) {
        case 'resolved':
          return 'fixed'
        case 'no_further_action':
          return 'no_further_action'
        case 'referred':
          return 'not_councils_responsibility'
        default:
          return 'closed'
      }
    default:
      return 'open'
  }
}

/** Statuses a partner may send on POST servicerequestupdates (upper case, as FixMyStreet sends them). */
export const INCOMING_STATUSES = [
  'OPEN',
  'UNCHANGED',
  'FOR_TRIAGE',
  'REOPEN',
  'INVESTIGATING',
  'IN_PROGRESS',
  'PLANNED',
  'ACTION_SCHEDULED',
  'FIXED',
  'CLOSED',
  'NO_FURTHER_ACTION',
  'NOT_COUNCILS_RESPONSIBILITY',
  'INTERNAL_REFERRAL',
  'DUPLICATE',
  'CANCELLED',
] as const
export type IncomingStatus = (typeof INCOMING_STATUSES)[number]

export function parseIncomingStatus(input: string): IncomingStatus | undefined {
  const upper = input.trim().toUpperCase().replace(/ /g, '_')
  return (INCOMING_STATUSES as readonly string[]).includes(upper) ? (upper as IncomingStatus) : undefined
}

/**
 * What an incoming status does to a report: a status change, or null for a note at the current status. Statuses
 * that keep a report open reopen a closed one (as `assessed`); closing statuses on a closed report add a note.
 */
export function incomingChange(
  status: IncomingStatus,
  current: string,
  context: { note: string; partnerName: string; referredTo: string; defaultNote: (status: IncomingStatus) => string },
): StatusChange | null {
  const note = context.note.trim()
  const publicNote = note === '' ? undefined : note
  const closed = current === 'closed'
  const move = (to: Exclude<ReportStatus, 'closed' | 'received'>): StatusChange | null =>
    current === to ? null : { status: to, publicNote }
  const close = (change: StatusChange): StatusChange | null => (closed ? null : change)
  switch (status) {
    case 'OPEN':
    case 'UNCHANGED':
    case 'FOR_TRIAGE':
    case 'REOPEN':
      return closed ? { status: 'assessed', publicNote } : null
    case 'INVESTIGATING':
      return move('assessed')
    case 'IN_PROGRESS':
    case 'PLANNED':
    case 'ACTION_SCHEDULED':
      return move('in_progress')
    case 'FIXED':
    case 'CLOSED':
      return close({ status: 'closed', closureReason: 'resolved', publicNote })
    case 'NO_FURTHER_ACTION':
    case 'DUPLICATE':
    case 'CANCELLED':
      return close({
        status: 'closed',
        closureReason: 'no_further_action',
        publicNote: publicNote ?? context.defaultNote(status),
      })
    case 'NOT_COUNCILS_RESPONSIBILITY':
      return close({ status: 'closed', closureReason: 'referred', referredAgency: context.referredTo, publicNote })
    case 'INTERNAL_REFERRAL':
      return close({ status: 'closed', closureReason: 'referred', referredAgency: context.partnerName, publicNote })
  }
}
