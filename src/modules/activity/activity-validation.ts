/**
 * Checking an activity record, the same way for the form and for each line of a CSV import. Pure: the lists of
 * types, wards and priorities it checks against are passed in. Problems are codes (`activity.errors.<code>` in the
 * locale file), put into words by `activity-presenters.ts`.
 */
export interface ActivityInput {
  type: string
  date: string
  ward: string
  priority: string
  quantity: string
  operation: string
  partner: string
  evidence: string
}

export interface ValidActivity {
  typeCode: string
  occurredOn: string
  wardCode: string | null
  priorityId: string | null
  quantity: number
  operation: string | null
  partner: string | null
  evidence: string
}

export type ActivityErrorCode =
  | 'type-missing'
  | 'type-unknown'
  | 'date-missing'
  | 'date-invalid'
  | 'date-future'
  | 'ward-unknown'
  | 'priority-unknown'
  | 'quantity-missing'
  | 'quantity-invalid'
  | 'evidence-missing'
  | 'operation-too-long'
  | 'partner-too-long'
  | 'evidence-too-long'

export interface FieldError {
  field: keyof ActivityInput
  code: ActivityErrorCode
  params?: Record<string, string | number>
}

export interface ValidationContext {
  types: { code: string; name: string }[]
  wards: { code: string; name: string }[]
  priorities: { id: string; name: string }[]
  today: string
}

export const CSV_HEADER = ['type', 'date', 'ward', 'priority', 'quantity', 'operation', 'partner', 'evidence'] as const

export const MAX_TEXT = 500

function realDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day))
  if (year < 1990 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null
  }
  return date.toISOString().slice(0, 10)
}

/** YYYY-MM-DD or DD/MM/YYYY (as a spreadsheet writes it). */
export function parseDate(value: string): string | null {
  const trimmed = value.trim()
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed)
  if (match) return realDate(Number(match[1]), Number(match[2]), Number(match[3]))
  match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed)
  if (match) return realDate(Number(match[3]), Number(match[2]), Number(match[1]))
  return null
}

function byCodeOrName<T extends { name: string }>(items: T[], key: (item: T) => string, value: string): T | undefined {
  const wanted = value.trim().toLowerCase()
  return items.find(item => key(item).toLowerCase() === wanted || item.name.toLowerCase() === wanted)
}

export function validateActivity(
  input: ActivityInput,
  context: ValidationContext,
): { ok: true; value: ValidActivity } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  const fail = (field: FieldError['field'], code: ActivityErrorCode, params?: FieldError['params']) =>
    errors.push({ field, code, ...(params ? { params } : {}) })
  const type = input.type.trim() === '' ? undefined : byCodeOrName(context.types, t => t.code, input.type)
  if (input.type.trim() === '') fail('type', 'type-missing')
  else if (!type) fail('type', 'type-unknown', { value: input.type.trim() })

  const occurredOn = input.date.trim() === '' ? null : parseDate(input.date)
  if (input.date.trim() === '') fail('date', 'date-missing')
  else if (occurredOn === null) fail('date', 'date-invalid')
  else if (occurredOn > context.today) fail('date', 'date-future')

  const ward = input.ward.trim() === '' ? null : (byCodeOrName(context.wards, w => w.code, input.ward) ?? undefined)
  if (ward === undefined) fail('ward', 'ward-unknown', { value: input.ward.trim() })

  const priority =
    input.priority.trim() === '' ? null : (byCodeOrName(context.priorities, p => p.id, input.priority) ?? undefined)
  if (priority === undefined) fail('priority', 'priority-unknown', { value: input.priority.trim() })

  const quantityText = input.quantity.trim().replace(/,/g, '')
  const quantity = Number(quantityText)
  if (quantityText === '') fail('quantity', 'quantity-missing')
  else if (!/^\d+$/.test(quantityText) || !Number.isSafeInteger(quantity) || quantity < 1 || quantity > 1_000_000) {
    fail('quantity', 'quantity-invalid')
  }

  const evidence = input.evidence.trim()
  if (evidence === '') fail('evidence', 'evidence-missing')
  for (const field of ['operation', 'partner', 'evidence'] as const) {
    if (input[field].trim().length > MAX_TEXT) fail(field, `${field}-too-long`, { max: MAX_TEXT })
  }

  if (errors.length > 0 || !type || occurredOn === null || ward === undefined || priority === undefined) {
    return { ok: false, errors }
  }
  return {
    ok: true,
    value: {
      typeCode: type.code,
      occurredOn,
      wardCode: ward?.code ?? null,
      priorityId: priority?.id ?? null,
      quantity,
      operation: input.operation.trim() || null,
      partner: input.partner.trim() || null,
      evidence,
    },
  }
}
