/**
 * GeoReport v2 and FixMyStreet's servicerequestupdates over our reporting module. Every POST goes through the
 * intake service (validation, flags, duplicates, audit, idempotency); reads come from the report feed and carry no
 * personal data: no reporter, no free text, a generalised location. Errors are the spec's (code and description).
 */
import { randomBytes } from 'node:crypto'

import type { GeographyService } from '../geography/index.js'
import {
  CATEGORIES,
  DOOR_GUARD_REFUSED,
  findCategory,
  IntakeError,
  StatusChangeError,
  type FeedReport,
  type IntakeService,
  type ReportFeed,
} from '../reporting/index.js'
import type { Actor, AuditEventInput, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { t } from '../../platform/i18n.js'
import type { ApiKeyService } from './api-keys.js'
import { createLocationGeneraliser, parsePrecisionPolicy, type LocationGeneraliser } from './location-privacy.js'
import { parseW3cDateTime, w3cDateTime, type SpecError } from './open311-formats.js'
import { OPEN311_KEY_REFUSED, type KeyRecord, type Open311Repository } from './open311-repository.js'
import { open311Paths } from './open311-paths.js'
import type { Discovery, RequestUpdate, ServiceRequest } from './open311-schemas.js'
import { readSubmission, submissionKey, toIntakeInput, field, type FormBody } from './request-form.js'
import { isServiceCode, listServices, serviceDefinition, serviceName } from './service-catalogue.js'
import { extendedStatus, georeportStatus, incomingChange, parseIncomingStatus } from './status-map.js'

/** Sortable: the date this API's behaviour last changed. */
export const CHANGESET = '2026-11-20T00:00:00Z'
export const MAX_REQUESTS = 1000
const MAX_UPDATES = 5000
const DAY = 24 * 60 * 60 * 1000
const MAX_SPAN_DAYS = 90

export interface Open311Options {
  publicBaseUrl: string
  testEndpointUrl: string
  /** A POST whose intake has not finished by then is answered with a token and finished in the background. */
  queueAfterMs: number
  /** OPEN311_LOCATION_PRECISION. */
  locationPrecision: string
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: SpecError[] }

/** What a POST's submit did beyond its outcome: whether its write checked the key, and wrote the audit event. */
export type Submitted = (
  { ok: true; value: { service_request_id: string } | { token: string } } | { ok: false; errors: SpecError[] }
) & {
  /** The report's statement found the key active (a key from `remembered` needs no other check). */
  keyChecked: boolean
  /** The report's statement refused the key: revoked (or its partner made inactive) since this server read it. */
  keyRefused: boolean
  /** The request's audit event was written with the report. */
  audited: boolean
}

/** The report's statement refused the key: revoked (or its partner made inactive) since this server read it. */
function isKeyRefusal(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  return code === DOOR_GUARD_REFUSED && typeof message === 'string' && message.includes(OPEN311_KEY_REFUSED)
}

const fail = (code: number, description: string): { ok: false; errors: SpecError[] } => ({
  ok: false,
  errors: [{ code, description }],
})

function list(value: string | null): string[] {
  return value
    ? value
        .split(',')
        .map(item => item.trim())
        .filter(item => item !== '')
    : []
}

function intakeErrors(error: IntakeError, boroughName: string): SpecError[] {
  if (error.kind === 'outside_borough')
    return [
      {
        code: 400,
        description: error.neighbour
          ? t('open311.errors.outsideBoroughNamed', { borough: boroughName, neighbour: error.neighbour.name })
          : t('open311.errors.outsideBorough', { borough: boroughName }),
      },
    ]
  if (error.kind === 'location_not_found') return [{ code: 400, description: t('open311.errors.postcodeUnknown') }]
  return error.issues.map(issue => ({ code: 400, description: `${issue.path}: ${issue.message}` }))
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505'
}

export function createOpen311Service(deps: {
  repository: Open311Repository
  keys: ApiKeyService
  intake: IntakeService
  feed: ReportFeed
  geography: GeographyService
  audit: AuditService
  clock: Clock
  options: Open311Options
}) {
  const { repository, keys, intake, feed, geography, audit, clock, options } = deps
  // Checked at start: a bad OPEN311_LOCATION_PRECISION stops Safer rather than publishing points it should not.
  const policy = parsePrecisionPolicy(
    options.locationPrecision,
    CATEGORIES.map(category => category.code),
  )
  let generaliser: Promise<LocationGeneraliser> | undefined
  const places = () =>
    (generaliser ??= repository.postcodePoints().then(points => createLocationGeneraliser(points, policy)))

  /** Copy that depends only on a category or a status: looked up once, not once per request per response. */
  const copy = new Map<string, string>()
  const once = (key: string, make: () => string) => {
    let value = copy.get(key)
    if (value === undefined) {
      value = make()
      copy.set(key, value)
    }
    return value
  }

  function boroughName(): string {
    return geography.isLoaded() ? geography.borough().shortName : ''
  }

  function agency(category: string): string {
    return t(`open311.agencies.${findCategory(category)?.owner ?? 'council'}`)
  }

  async function toServiceRequest(report: FeedReport): Promise<ServiceRequest> {
    const place = (await places()).generalise(report)
    const ward = place.wardCode ? geography.ward(place.wardCode) : undefined
    const borough = boroughName()
    return {
      service_request_id: report.reference,
      status: georeportStatus(report.status),
      status_notes: once(`status:${report.status}:${report.closureReason ?? ''}`, () =>
        report.status === 'closed' && report.closureReason
          ? t(`open311.closure.${report.closureReason}`)
          : t(`report.status.${report.status}.label`),
      ),
      service_name: once(`name:${report.category}`, () => serviceName(report.category)),
      service_code: report.category,
      agency_responsible: once(`agency:${report.category}`, () => agency(report.category)),
      requested_datetime: w3cDateTime(report.receivedAt),
      updated_datetime: w3cDateTime(report.updatedAt),
      address: ward ? `${ward.name}, ${borough}` : borough,
      address_id: null,
      zipcode: place.zipcode,
      lat: place.latitude,
      long: place.longitude,
      media_url: null,
    }
  }

  /** start/end as the spec has them: both optional, at most 90 days apart, the most recent 90 days by default. */
  function window(startText: string | null, endText: string | null): Outcome<{ from: Date; to: Date }> {
    const start = startText === null ? undefined : parseW3cDateTime(startText)
    const end = endText === null ? undefined : parseW3cDateTime(endText)
    if (startText !== null && !start) return fail(400, t('open311.errors.dateFormat', { name: 'start_date' }))
    if (endText !== null && !end) return fail(400, t('open311.errors.dateFormat', { name: 'end_date' }))
    const to = end ?? (start ? new Date(start.getTime() + MAX_SPAN_DAYS * DAY) : clock.now())
    const from = start ?? new Date(to.getTime() - MAX_SPAN_DAYS * DAY)
    if (from.getTime() > to.getTime()) return fail(400, t('open311.errors.dateOrder'))
    if (to.getTime() - from.getTime() > MAX_SPAN_DAYS * DAY) return fail(400, t('open311.errors.dateSpan'))
    return { ok: true, value: { from, to } }
  }

  async function rejectKey(route: string, correlationId: string) {
    await audit.record({
      actor: { type: 'anonymous', id: null },
      action: 'OPEN311_KEY_REJECTED',
      correlationId,
      details: { route },
    })
  }

  return {
    discovery(): Discovery {
      const formats: ('text/xml' | 'application/json')[] = ['text/xml', 'application/json']
      const endpoint = (url: string, type: 'production' | 'test') => ({
        specification: 'http://wiki.open311.org/GeoReport_v2' as const,
        url,
        changeset: CHANGESET,
        type,
        formats,
      })
      return {
        changeset: CHANGESET,
        contact: t('open311.discovery.contact', { url: `${options.publicBaseUrl}/` }),
        key_service: t('open311.discovery.keyService'),
        endpoints: [
          endpoint(`${options.publicBaseUrl}${open311Paths.v2}`, 'production'),
          endpoint(options.testEndpointUrl, 'test'),
        ],
        max_requests: MAX_REQUESTS,
      }
    },

    services: () => listServices(options.queueAfterMs === 0 ? 'batch' : 'realtime'),

    definition(code: string): Outcome<NonNullable<ReturnType<typeof serviceDefinition>>> {
      const definition = serviceDefinition(code)
      return definition ? { ok: true, value: definition } : fail(404, t('open311.errors.serviceCodeUnknown', { code }))
    },

    /** The key behind a request's api_key, or a 403 (audited: a wrong or revoked key is worth knowing about). */
    async authenticate(apiKey: string | null, route: string, correlationId: string): Promise<Outcome<KeyRecord>> {
      const key = await keys.authenticate(apiKey)
      if (key) return { ok: true, value: key }
      await rejectKey(route, correlationId)
      return fail(403, apiKey ? t('open311.errors.keyInvalid') : t('open311.errors.keyMissing'))
    },

    /** The key as this server last found it active, without a database read (see ApiKeyService.remembered). */
    rememberedKey: (apiKey: string | null) => keys.remembered(apiKey),
    forgetKey: (apiKey: string | null) => keys.forget(apiKey),

    /**
     * A POST requests: the report, its Open311 rows and (given `audit`) the request's audit event in the report's
     * one statement, which also checks the key is still active, so a key from `rememberedKey` needs no read before
     * (ADR 0060).
     */
    async submit(
      body: FormBody,
      key: KeyRecord,
      correlationId: string,
      onBackgroundError: (error: unknown) => void = () => undefined,
      auditEvent?: AuditEventInput,
    ): Promise<Submitted> {
      const unchecked = { keyChecked: false, keyRefused: false, audited: false }
      const read = readSubmission(body)
      if (!read.ok) return { ...read, ...unchecked }
      const { point } = read.value
      if (point) {
        const where = geography.whereIs(point)
        if (!where.inBorough)
          return {
            ok: false,
            errors: intakeErrors(new IntakeError('outside_borough', [], where.neighbour), boroughName()),
            ...unchecked,
          }
      }
      const now = clock.now()
      const token = randomBytes(16).toString('base64url')
      const actor: Actor = { type: 'api-key', id: key.id }
      // 0 is batch mode: every request is queued and answered with a token.
      let queuedYet = options.queueAfterMs === 0
      let audited = false
      const work = intake
        .submit(toIntakeInput(read.value, now, submissionKey(key.id, body, now)), actor, {
          correlationId,
          // Built as the report's statement is: a request already answered with a token has had its audit event
          // written as it was answered (the route's), so the statement writes none.
          door: () => {
            const event = auditEvent && !queuedYet ? audit.row(auditEvent) : null
            audited = event !== null
            return repository.postedWithReport({ apiKeyId: key.id, token, at: now, audit: event })
          },
        })
        .then(
          result => ({ result }),
          (error: unknown) => ({ error }),
        )
      let timer: NodeJS.Timeout | undefined
      const queued = new Promise<'queued'>(resolve => {
        timer = setTimeout(() => {
          queuedYet = true
          resolve('queued')
        }, options.queueAfterMs)
      })
      const first = queuedYet ? 'queued' : await Promise.race([work, queued])
      clearTimeout(timer)
      if (first !== 'queued') {
        if ('error' in first) {
          if (isKeyRefusal(first.error))
            return { ...fail(403, t('open311.errors.keyInvalid')), ...unchecked, keyRefused: true }
          if (first.error instanceof IntakeError)
            return { ok: false, errors: intakeErrors(first.error, boroughName()), ...unchecked }
          throw first.error
        }
        // An earlier identical request's report (a retry) is answered without the transaction that checks the key.
        return {
          ok: true,
          value: { service_request_id: first.result.report.reference },
          keyChecked: first.result.created,
          keyRefused: false,
          audited: first.result.created && audited,
        }
      }
      // Queued: the token exists before the answer goes out; the intake resolves or fails it when it finishes.
      await repository.saveToken({ token, apiKeyId: key.id, reportId: null, at: now })
      void work.then(async outcome => {
        try {
          if ('result' in outcome)
            await repository.saveToken({ token, apiKeyId: key.id, reportId: outcome.result.report.id, at: now })
          else if (isKeyRefusal(outcome.error)) await repository.failToken(token, t('open311.errors.keyInvalid'))
          else if (outcome.error instanceof IntakeError)
            await repository.failToken(
              token,
              intakeErrors(outcome.error, boroughName())
                .map(error => error.description)
                .join('; '),
            )
          else {
            await repository.failToken(token, t('open311.errors.queuedFailed'))
            onBackgroundError(outcome.error)
          }
        } catch (error) {
          onBackgroundError(error)
        }
      })
      return { ok: true, value: { token }, ...unchecked }
    },

    async token(token: string): Promise<Outcome<{ service_request_id?: string; token: string }>> {
      const found = token.length <= 64 ? await repository.findToken(token) : undefined
      if (!found) return fail(404, t('open311.errors.tokenUnknown'))
      if (found.reference) return { ok: true, value: { service_request_id: found.reference, token } }
      if (found.failure) return fail(400, found.failure)
      return { ok: true, value: { token } }
    },

    async listRequests(query: Record<string, string | undefined>): Promise<Outcome<ServiceRequest[]>> {
      const get = (name: string) => {
        const value = query[name]?.trim() ?? ''
        return value === '' ? null : value
      }
      const ids = list(get('service_request_id'))
      if (ids.length > MAX_REQUESTS) return fail(400, t('open311.errors.tooManyIds', { max: MAX_REQUESTS }))
      if (ids.length > 0) {
        const reports = await feed.reports({ references: ids.map(id => id.toUpperCase()), limit: MAX_REQUESTS })
        return { ok: true, value: await Promise.all(reports.map(toServiceRequest)) }
      }
      const codes = list(get('service_code'))
      const unknown = codes.filter(code => !isServiceCode(code))
      if (unknown.length > 0) return fail(400, t('open311.errors.serviceCodeUnknown', { code: unknown.join(', ') }))
      const statuses = list(get('status')).map(status => status.toLowerCase())
      if (statuses.some(status => status !== 'open' && status !== 'closed'))
        return fail(400, t('open311.errors.status'))
      const span = window(get('start_date'), get('end_date'))
      if (!span.ok) return span
      const reports = await feed.reports({
        categories: codes.length > 0 ? codes : undefined,
        from: span.value.from,
        to: span.value.to,
        statuses: [...new Set(statuses)] as ('open' | 'closed')[],
        limit: MAX_REQUESTS,
      })
      return { ok: true, value: await Promise.all(reports.map(toServiceRequest)) }
    },

    async getRequest(id: string): Promise<Outcome<ServiceRequest[]>> {
      const [report] = await feed.reports({ references: [id.toUpperCase()], limit: 1 })
      if (!report) return fail(404, t('open311.errors.requestUnknown', { id }))
      return { ok: true, value: [await toServiceRequest(report)] }
    },

    /** Updates to the requests this key's partner sent, in a window (FixMyStreet: both dates, or neither). */
    async updates(key: KeyRecord, query: Record<string, string | undefined>): Promise<Outcome<RequestUpdate[]>> {
      const start = query.start_date?.trim() ? query.start_date.trim() : null
      const end = query.end_date?.trim() ? query.end_date.trim() : null
      if ((start === null) !== (end === null)) return fail(400, t('open311.errors.datesTogether'))
      const span = window(start, end)
      if (!span.ok) return span
      const reportIds = await repository.partnerReportIdsSince(key.partnerId, new Date(0))
      const updates = await feed.updates(reportIds, span.value.from, span.value.to, MAX_UPDATES)
      return {
        ok: true,
        value: updates
          .filter(update => update.status !== 'received')
          .map(update => ({
            update_id: String(update.id),
            service_request_id: update.reference,
            status: extendedStatus(update.status, update.closureReason),
            updated_datetime: w3cDateTime(update.occurredAt),
            description: update.publicNote ?? '',
            media_url: '',
            external_status_code: update.closureReason ? `${update.status}:${update.closureReason}` : update.status,
          })),
      }
    },

    /** A partner's update to a request it sent: applied once per update_id, on the report's timeline. */
    async postUpdate(key: KeyRecord, body: FormBody): Promise<Outcome<{ update_id: string }>> {
      const requestId = field(body, 'service_request_id')
      const clientUpdateId = field(body, 'update_id') ?? field(body, 'update_id_ext')
      const statusText = field(body, 'status')
      const updatedText = field(body, 'updated_datetime')
      const description = field(body, 'description') ?? ''
      const missing = [
        ['service_request_id', requestId],
        ['update_id', clientUpdateId],
        ['status', statusText],
        ['updated_datetime', updatedText],
      ]
        .filter(([, value]) => value === null)
        .map(([name]) => ({ code: 400, description: t('open311.errors.fieldMissing', { name: name ?? '' }) }))
      if (missing.length > 0) return { ok: false, errors: missing }
      const status = parseIncomingStatus(statusText ?? '')
      if (!status) return fail(400, t('open311.errors.updateStatus', { status: statusText ?? '' }))
      if (!parseW3cDateTime(updatedText ?? ''))
        return fail(400, t('open311.errors.dateFormat', { name: 'updated_datetime' }))
      if (description.length > 4000) return fail(400, t('open311.errors.descriptionTooLong'))
      if ((clientUpdateId ?? '').length > 200) return fail(400, t('open311.errors.updateIdTooLong'))

      const existing = await repository.findUpdateIn(key.partnerId, clientUpdateId ?? '')
      if (existing) return { ok: true, value: { update_id: String(existing.report_update_id) } }
      const [report] = await feed.reports({ references: [(requestId ?? '').toUpperCase()], limit: 1 })
      if (!report) return fail(404, t('open311.errors.requestUnknown', { id: requestId ?? '' }))
      const own = await repository.partnerReportIds(key.partnerId, [report.id])
      if (!own.has(report.id)) return fail(403, t('open311.errors.notYourRequest'))

      const change = incomingChange(status, report.status, {
        note: description,
        partnerName: key.partnerName,
        referredTo: field(body, 'agency_responsible') ?? t('open311.anotherAgency'),
        defaultNote: incoming => t(`open311.defaultNotes.${incoming}`),
      })
      let updateId = 0
      try {
        await feed.recordUpdate(
          report.reference,
          change,
          description,
          { type: 'api-key', id: key.id },
          async (trx, update) => {
            updateId = update.updateId
            await repository.recordUpdateIn(
              {
                partnerId: key.partnerId,
                clientUpdateId: clientUpdateId ?? '',
                reportId: update.reportId,
                reportUpdateId: update.updateId,
                at: clock.now(),
              },
              trx,
            )
          },
        )
      } catch (error) {
        if (isUniqueViolation(error)) {
          const again = await repository.findUpdateIn(key.partnerId, clientUpdateId ?? '')
          if (again) return { ok: true, value: { update_id: String(again.report_update_id) } }
        }
        if (error instanceof StatusChangeError) return fail(400, t(`report.staff.errors.${error.code}`))
        throw error
      }
      return { ok: true, value: { update_id: String(updateId) } }
    },
  }
}

export type Open311Service = ReturnType<typeof createOpen311Service>
