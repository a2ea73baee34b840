/**
 * The CSP pack's files, as TypeBox schemas: `pack.json` (the manifest: the geography layers, as in a geography pack,
 * and the names of the pack's other files), the plan, the indicator definitions and the historic manual values.
 * The format is documented in docs/csp-pack.md.
 */
import Type, { type Static } from 'typebox'

import { PackSchema as GeographyManifestSchema } from '../geography/index.js'
import { PANEL_KINDS } from '../panels/index.js'

const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 80 })
const Text = Type.String({ minLength: 1 })
const FileName = Type.String({ minLength: 1, pattern: '^[^/\\\\]+$' })
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

/**
 * Who letters come from: the organisation that sends them, the team, its postal address and how to contact it. Only
 * what the partnership publishes: a pack without a phone number prints none.
 */
export const LetterheadSchema = Type.Object(
  {
    organisation: Type.String({ minLength: 1, maxLength: 120 }),
    team: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    address: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 120 }), { maxItems: 6 })),
    email: Type.Optional(Type.String({ pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', maxLength: 254 })),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9][0-9 ]{5,19}$' })),
    website: Type.Optional(Type.String({ pattern: '^https://[^\\s]+$', maxLength: 200 })),
    /** The council's logo: an SVG or PNG file in the pack folder, printed at the head of every letter. */
    logo: Type.Optional(FileName),
    /** The logo's text alternative (the organisation's name when left out). */
    logoAlt: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  },
  { additionalProperties: false },
)
export type Letterhead = Static<typeof LetterheadSchema>

/** The letterhead as modules use it: the logo read from the pack and inlined, so a letter carries it as sent. */
export type PackLetterhead = Letterhead & {
  /** A `data:` URI of the logo (letters are stored whole, and print without fetching anything); null: no logo. */
  logoSrc: string | null
}

export const ManifestSchema = Type.Object({
  ...GeographyManifestSchema.properties,
  $comment: Type.Optional(Type.String()),
  plan: Type.Optional(FileName),
  indicators: Type.Optional(FileName),
  historicValues: Type.Optional(FileName),
  demo: Type.Optional(FileName),
  /**
   * The public pages' wording that is particular to the partnership (all optional): the example postcode in the report
   * journey's hint and errors (a pack with postcodes only), and who residents contact about the service.
   */
  publicWording: Type.Optional(
    Type.Object(
      {
        $comment: Type.Optional(Type.String()),
        examplePostcode: Type.Optional(Type.String({ minLength: 5, maxLength: 8 })),
        contact: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
  ),
  panels: Type.Optional(FileName),
  policies: Type.Optional(FileName),
  letterhead: Type.Optional(LetterheadSchema),
})
export type CspManifest = Static<typeof ManifestSchema>

export const PlanFileSchema = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    priorities: Type.Array(
      Type.Object({ id: Id, name: Text, plan: Text, sortOrder: Type.Integer() }, { additionalProperties: false }),
    ),
    outcomes: Type.Array(
      Type.Object(
        { id: Id, priorityId: Id, text: Text, indicatorIds: Type.Array(Id) },
        { additionalProperties: false },
      ),
    ),
    demoActions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            outcomeId: Id,
            title: Text,
            owner: Text,
            partner: Type.Union([Text, Type.Null()]),
            dueDate: Type.Union([IsoDate, Type.Null()]),
            status: Type.Union(
              ['not-started', 'on-track', 'at-risk', 'off-track', 'complete'].map(value => Type.Literal(value)),
            ),
            narrative: Type.String(),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
)
export type PlanFile = Static<typeof PlanFileSchema>

const IndicatorSourceSchema = Type.Union([
  Type.Object({ kind: Type.Literal('manual') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('activity'), activityType: Id }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('count'), key: Text }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('survey'), measure: Id }, { additionalProperties: false }),
])

export const IndicatorsFileSchema = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    indicators: Type.Array(
      Type.Object(
        {
          id: Id,
          name: Text,
          priorityId: Id,
          unit: Type.Union([Type.Literal('count'), Type.Literal('percent'), Type.Literal('rate-per-1000')]),
          polarity: Type.Union([
            Type.Literal('lower-better'),
            Type.Literal('higher-better'),
            Type.Literal('awareness'),
          ]),
          description: Type.String(),
          sortOrder: Type.Integer(),
          target: Type.Optional(
            Type.Object(
              { kind: Type.Union([Type.Literal('value'), Type.Literal('change-pct')]), value: Type.Number() },
              { additionalProperties: false },
            ),
          ),
          tolerancePct: Type.Optional(Type.Number({ minimum: 0 })),
          stableBandPct: Type.Optional(Type.Number({ minimum: 0 })),
          source: Type.Optional(IndicatorSourceSchema),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)
export type IndicatorsFile = Static<typeof IndicatorsFileSchema>

export const HistoricValuesFileSchema = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    sets: Type.Array(
      Type.Object(
        {
          id: Id,
          /** The last day of the year-to-date the figures describe. */
          asAt: IsoDate,
          /** Stored with each value as its evidence. */
          evidence: Text,
          /** Where the figures were published. */
          source: Text,
          /** How figures were matched to indicators, in plain words. */
          pairing: Text,
          figures: Type.Array(
            Type.Object(
              {
                indicatorId: Id,
                ytd: Type.Number(),
                previousYtd: Type.Union([Type.Number(), Type.Null()]),
                printedChangePct: Type.Union([Type.String({ pattern: '^[+-]?\\d+(\\.\\d+)?$' }), Type.Null()]),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)
export type HistoricValuesFile = Static<typeof HistoricValuesFileSchema>

export const DemoFileSchema = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    /** Names of the demo partnership's organisations, by the demo's partner code (council, police, housing, …). */
    partnerNames: Type.Optional(Type.Record(Type.String(), Text)),
    /** Names of the demo's teams, by team code. */
    teamNames: Type.Optional(Type.Record(Type.String(), Text)),
    /** The demo partners (by code) who sit on each panel (by the panel's code in panels.json). */
    panelMembers: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    /** The triage queue's allocation rules the demo starts with: the first whose conditions match, by position. */
    allocationRules: Type.Optional(
      Type.Array(
        Type.Object(
          {
            position: Type.Integer({ minimum: 0, maximum: 9999 }),
            /** A report category code (`fly_tipping`); absent: any category. */
            category: Type.Optional(Type.String({ minLength: 1 })),
            /** How the report came in; absent: any channel. */
            channel: Type.Optional(
              Type.Union(['web', 'open311', 'phone', 'partner'].map(value => Type.Literal(value))),
            ),
            /** The demo team the report goes to, by code. */
            team: Type.String({ minLength: 1 }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
)
export type DemoFile = Static<typeof DemoFileSchema>

/**
 * The multi-agency panels the partnership runs, in the order they are listed. `kind` says what the panel engine does
 * for it (a DA MARAC keeps safe-contact details; a Case Review panel receives the reviews that are to take place; a
 * Hate Incident Panel the hate incidents referred to it; a Tension Monitoring Group keeps the tension log).
 */
export const PanelsFileSchema = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    panels: Type.Array(
      Type.Object(
        {
          code: Id,
          kind: Type.Union(PANEL_KINDS.map(kind => Type.Literal(kind))),
          name: Text,
          purpose: Text,
          referralCriteria: Text,
          meetingCadence: Text,
          /** Who may read a meeting's minutes: every member partner, or only those who attended. */
          minutesRestriction: Type.Union([Type.Literal('members'), Type.Literal('attendees')]),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
)
export type PanelsFile = Static<typeof PanelsFileSchema>
export type PackPanel = PanelsFile['panels'][number]

/**
 * The partnership's choices within the law for the ASB Case Review and the powers ladder: changes to Safer's
 * defaults, each policy then versioned as any other (docs/csp-pack.md says which parts are law and stay fixed).
 * Each part's own schema is checked by the module that owns the policy.
 */
export const PoliciesFileSchema = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    caseReview: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    powers: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
)
export type PoliciesFile = Static<typeof PoliciesFileSchema>
