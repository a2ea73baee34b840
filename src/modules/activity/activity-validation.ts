/**
 * Checking an activity record, the same way for the form and for each line of a CSV import. Pure: the lists of
 * types, wards and priorities it checks against are passed in.
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

export interface FieldError {
  field: keyof ActivityInput
  message: string
}

export interface ValidationContext {
  types: { code: string; name: string }[]
  wards: { code: string; name: string }[]
  priorities: { id: string; name: string }[]
  today: string
}

export const CSV_HEADER = ['type', 'date', 'ward', 'priority', 'quantity', 'operation', 'partner', 'evidence'] as const

const MAX_TEXT = 500

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
  const type = input.type.trim() === '' ? undefined : byCodeOrName(context.types, t => t.code, input.type)
  if (input.type.trim() === '') errors.push({ field: 'type', message: 'Select the type of activity' })
  else if (!type) errors.push({ field: 'type', message: `"${input.type.trim()}" is not a type of activity` })

  const occurredOn = input.date.trim() === '' ? null : parseDate(input.date)
  if (input.date.trim() === '') errors.push({ field: 'date', message: 'Enter the date of the activity' })
  else if (occurredOn === null) errors.push({ field: 'date', message: 'The date must be a real date, like 2019-03-31' })
  else if (occurredOn > context.today) errors.push({ field: 'date', message: 'The date must be today or in the past' })

  const ward = input.ward.trim() === '' ? null : (byCodeOrName(context.wards, w => w.code, input.ward) ?? undefined)
  if (ward === undefined) errors.push({ field: 'ward', message: `"${input.ward.trim()}" is not a ward of the borough` })

  const priority =
    input.priority.trim() === '' ? null : (byCodeOrName(context.priorities, p => p.id, input.priority) ?? undefined)
  if (priority === undefined) {
    errors.push({ field: 'priority', message: `"${input.priority.trim()}" is not a CSP priority` })
  }

  const quantityText = input.quantity.trim().replace(/,/g, '')
  const quantity = Number(quantityText)
  if (quantityText === '') errors.push({ field: 'quantity', message: 'Enter how many' })
  else if (!/^\d+$/.test(quantityText) || !Number.isSafeInteger(quantity) || quantity < 1 || quantity > 1_000_000) {
    errors.push({ field: 'quantity', message: 'How many must be a whole number from 1 to 1,000,000' })
  }

  const evidence = input.evidence.trim()
  if (evidence === '') errors.push({ field: 'evidence', message: 'Enter the evidence for this activity' })
  for (const field of ['operation', 'partner', 'evidence'] as const) {
    if (input[field].trim().length > MAX_TEXT) {
      errors.push({
        field,
        message: `${field[0]?.toUpperCase() ?? ''}${field.slice(1)} must be ${String(MAX_TEXT)} characters or fewer`,
      })
    }
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
