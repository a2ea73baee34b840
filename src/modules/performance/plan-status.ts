/** The status of a plan action: RAG with words, plus not started and complete. */
export type ActionStatus = 'not-started' | 'on-track' | 'at-risk' | 'off-track' | 'complete'

export const ACTION_STATUSES: { value: ActionStatus; text: string; tag: string }[] = [
  { value: 'not-started', text: 'Not started', tag: 'govuk-tag--grey' },
  { value: 'on-track', text: 'Green: on track', tag: 'govuk-tag--green' },
  { value: 'at-risk', text: 'Amber: at risk', tag: 'govuk-tag--orange' },
  { value: 'off-track', text: 'Red: off track', tag: 'govuk-tag--red' },
  { value: 'complete', text: 'Complete', tag: 'govuk-tag--blue' },
]

export function isActionStatus(value: string): value is ActionStatus {
  return ACTION_STATUSES.some(status => status.value === value)
}

export function statusTag(status: ActionStatus): { text: string; classes: string } {
  const found = ACTION_STATUSES.find(s => s.value === status) ?? ACTION_STATUSES[0]
  return { text: found?.text ?? status, classes: found?.tag ?? 'govuk-tag--grey' }
}
