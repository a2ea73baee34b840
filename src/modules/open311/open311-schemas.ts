/**
 * GeoReport v2 response shapes, written from the specification (wiki.open311.org/GeoReport_v2, Service_Discovery,
 * JSON_and_XML_Conversion) and FixMyStreet's servicerequestupdates extension. They describe the Spark-convention
 * JSON; the contract tests convert each XML response to the same shape and check it against the same schema.
 */
import Type, { type Static } from 'typebox'

/** W3C-DTF with a mandatory zone and no fractions (open311-adapter's check). */
export const W3C_DATETIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})$'
const DateTime = Type.String({ pattern: W3C_DATETIME })
const Id = Type.String({ minLength: 1 })

export const DiscoverySchema = Type.Object(
  {
    changeset: Type.String({ minLength: 1 }),
    contact: Type.String({ minLength: 1 }),
    key_service: Type.String({ minLength: 1 }),
    endpoints: Type.Array(
      Type.Object(
        {
          specification: Type.Literal('http://wiki.open311.org/GeoReport_v2'),
          url: Type.String({ pattern: '^https?://' }),
          changeset: Type.String({ minLength: 1 }),
          type: Type.Union([Type.Literal('production'), Type.Literal('test')]),
          formats: Type.Array(Type.Union([Type.Literal('text/xml'), Type.Literal('application/json')]), {
            minItems: 1,
          }),
        },
        { additionalProperties: false },
      ),
      { minItems: 2 },
    ),
    max_requests: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)

export const ServiceSchema = Type.Object(
  {
    service_code: Id,
    service_name: Type.String({ minLength: 1 }),
    description: Type.String(),
    metadata: Type.Boolean(),
    type: Type.Union([Type.Literal('realtime'), Type.Literal('batch'), Type.Literal('blackbox')]),
    keywords: Type.Optional(Type.String()),
    group: Type.Optional(Type.String()),
    groups: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
)
export const ServicesSchema = Type.Array(ServiceSchema)

export const DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const

export const AttributeSchema = Type.Object(
  {
    variable: Type.Boolean(),
    code: Id,
    datatype: Type.Enum(DATATYPES),
    required: Type.Boolean(),
    datatype_description: Type.String(),
    order: Type.Integer({ minimum: 1 }),
    description: Type.String({ minLength: 1 }),
    values: Type.Optional(
      Type.Array(Type.Object({ key: Id, name: Type.String({ minLength: 1 }) }, { additionalProperties: false })),
    ),
  },
  { additionalProperties: false },
)

export const ServiceDefinitionSchema = Type.Object(
  { service_code: Id, attributes: Type.Array(AttributeSchema) },
  { additionalProperties: false },
)

/** A request as GET requests and GET requests/{id} return it (open311-adapter's required set, spec optionals). */
export const ServiceRequestSchema = Type.Object(
  {
    service_request_id: Id,
    status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
    status_notes: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    service_name: Type.String({ minLength: 1 }),
    service_code: Id,
    description: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])),
    agency_responsible: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    service_notice: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    requested_datetime: DateTime,
    updated_datetime: DateTime,
    expected_datetime: Type.Optional(Type.Union([DateTime, Type.Null()])),
    address: Type.Union([Type.String(), Type.Null()]),
    address_id: Type.Union([Type.String(), Type.Null()]),
    zipcode: Type.Union([Type.String(), Type.Null()]),
    lat: Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()]),
    long: Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()]),
    media_url: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
)
export const ServiceRequestsSchema = Type.Array(ServiceRequestSchema)

/** POST requests: an id or a token, never both. */
export const PostRequestResponseSchema = Type.Array(
  Type.Union([
    Type.Object(
      {
        service_request_id: Id,
        service_notice: Type.Optional(Type.String()),
        account_id: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      { token: Id, service_notice: Type.Optional(Type.String()), account_id: Type.Optional(Type.String()) },
      { additionalProperties: false },
    ),
  ]),
  { minItems: 1, maxItems: 1 },
)

/** GET tokens/{token}: the token, and the request id once the request exists. */
export const TokenResponseSchema = Type.Array(
  Type.Object({ service_request_id: Type.Optional(Id), token: Id }, { additionalProperties: false }),
  { minItems: 1, maxItems: 1 },
)

export const ErrorsSchema = Type.Array(
  Type.Object({ code: Type.Integer(), description: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  { minItems: 1 },
)

/** FixMyStreet's status_extended values, lower case. */
export const EXTENDED_STATUSES = [
  'open',
  'closed',
  'fixed',
  'in_progress',
  'action_scheduled',
  'investigating',
  'duplicate',
  'not_councils_responsibility',
  'no_further_action',
  'internal_referral',
] as const

export const RequestUpdateSchema = Type.Object(
  {
    update_id: Id,
    service_request_id: Id,
    status: Type.Enum(EXTENDED_STATUSES),
    updated_datetime: DateTime,
    description: Type.String(),
    media_url: Type.String(),
    external_status_code: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export const RequestUpdatesSchema = Type.Array(RequestUpdateSchema)

export const PostUpdateResponseSchema = Type.Array(Type.Object({ update_id: Id }, { additionalProperties: false }), {
  minItems: 1,
  maxItems: 1,
})

export type Discovery = Static<typeof DiscoverySchema>
export type Service = Static<typeof ServiceSchema>
export type Attribute = Static<typeof AttributeSchema>
export type ServiceDefinition = Static<typeof ServiceDefinitionSchema>
export type ServiceRequest = Static<typeof ServiceRequestSchema>
export type RequestUpdate = Static<typeof RequestUpdateSchema>
