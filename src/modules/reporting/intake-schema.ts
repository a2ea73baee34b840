/** What every door hands the intake service: one TypeBox schema, checked before anything is written. */
import Type, { type Static } from 'typebox'

import { CATEGORY_CODES, PROTECTED_CHARACTERISTICS } from './taxonomy.js'

export const FREQUENCIES = ['daily', 'several_times_a_week', 'weekly', 'less_often'] as const
export const REPORTER_ROLES = ['victim', 'on_behalf', 'witness'] as const
export const HOW_OFTEN = ['first_time', 'a_few_times', 'regularly'] as const
export const YES_NO_PREFER = ['yes', 'no', 'prefer_not'] as const
export const TARGETED = ['yes', 'no', 'not_sure'] as const
export const REPORTER_MODES = ['named', 'confidential', 'anonymous'] as const
export const CONTACT_PREFERENCES = ['email', 'phone', 'none'] as const
export const CHANNELS = ['web', 'open311', 'phone', 'partner'] as const

export const IntakeInputSchema = Type.Object(
  {
    channel: Type.Enum(CHANNELS),
    idempotencyKey: Type.Optional(Type.String({ minLength: 8, maxLength: 200 })),
    /** Supplied by doors that show the code before the report is stored (the web journey derives it from its draft). */
    trackingCode: Type.Optional(Type.String({ pattern: '^[34679ACDEFGHJKMNPQRTWXY]{12}$' })),
    /** For imports and staff entry of an earlier call; defaults to now. */
    receivedAt: Type.Optional(Type.String({ format: 'date-time' })),
    category: Type.Enum(CATEGORY_CODES),
    location: Type.Object(
      {
        latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
        longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
        postcode: Type.Optional(Type.String({ maxLength: 16 })),
        wardCode: Type.Optional(Type.String({ maxLength: 20 })),
        description: Type.Optional(Type.String({ maxLength: 1000 })),
      },
      { additionalProperties: false },
    ),
    occurredOn: Type.String({ format: 'date' }),
    occurredTime: Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' })),
    pattern: Type.Enum(['one_off', 'ongoing'] as const),
    frequency: Type.Optional(Type.Enum(FREQUENCIES)),
    description: Type.String({ minLength: 1, maxLength: 5000 }),
    impact: Type.Object(
      {
        reporterRole: Type.Enum(REPORTER_ROLES),
        howOften: Type.Optional(Type.Enum(HOW_OFTEN)),
        unsafeAtHome: Type.Enum(YES_NO_PREFER),
        healthAffected: Type.Enum(YES_NO_PREFER),
        targeted: Type.Enum(TARGETED),
        characteristics: Type.Array(Type.Enum(PROTECTED_CHARACTERISTICS), { maxItems: 5, uniqueItems: true }),
      },
      { additionalProperties: false },
    ),
    reporter: Type.Object(
      {
        mode: Type.Enum(REPORTER_MODES),
        name: Type.Optional(Type.String({ maxLength: 200 })),
        email: Type.Optional(Type.String({ maxLength: 254, format: 'email' })),
        phone: Type.Optional(Type.String({ maxLength: 30, pattern: '^[0-9+() -]{7,30}$' })),
        contactPreference: Type.Enum(CONTACT_PREFERENCES),
        consentToShare: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    linkedReference: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
)

export type IntakeInput = Static<typeof IntakeInputSchema>
