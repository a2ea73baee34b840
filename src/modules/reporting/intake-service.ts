/**
 * The intake service: the single entry point for every door (the web journey, Open311, staff-entered phone and 101
 * reports, partner imports). It validates, places the report in a ward and LSOA, categorises it, issues a reference,
 * flags repeat callers and repeat locations, finds duplicate candidates, sets a triage priority, and writes the
 * report, its first timeline entry, its audit event and its acknowledgement in one transaction. The same idempotency
 * key twice gives the same report and one row.
 */
import type { Transaction } from 'kysely'
import { Compile } from 'typebox/compile'
import Value from 'typebox/value'

import type { Database } from '../../db/schema.js'
import type { GeographyService, Point } from '../geography/index.js'
import type { Actor, AuditEventInput, AuditService } from '../../platform/audit.js'
import { DomainError } from '../../platform/errors.js'
import type { Clock } from '../../platform/clock.js'
import { IntakeInputSchema, type IntakeInput } from './intake-schema.js'
import { NOTIFICATION_TEMPLATES } from './notifications.js'
import { hashTrackingCode, newReference, newTrackingCode, reporterKey } from './reference.js'
import type {
  Box,
  IntakeChecks,
  NewReportRow,
  ReportingRepository,
  ReportRow,
  ReportStatementPart,
} from './reporting-repository.js'
import { categorise } from './taxonomy.js'

export interface Window {
  count: number
  days: number
}

export interface IntakePolicy {
  repeatCaller: Window[]
  repeatLocation: Window[]
  repeatLocationRadiusMetres: number
  duplicateRadiusMetres: number
  duplicateDays: number
  caseReview: Window
}

export const DEFAULT_INTAKE_POLICY: IntakePolicy = {
  repeatCaller: [
    { count: 2, days: 14 },
    { count: 3, days: 91 },
  ],
  repeatLocation: [
    { count: 2, days: 14 },
    { count: 3, days: 91 },
  ],
  repeatLocationRadiusMetres: 100,
  duplicateRadiusMetres: 250,
  duplicateDays: 30,
  caseReview: { count: 3, days: 183 },
}

export interface IntakeIssue {
  path: string
  message: string
}

export type IntakeErrorCode = 'invalid' | 'outside_borough' | 'location_not_found'

/**
 * Input intake refuses (a domain error, ADR 0026): `invalid` with its issues, `outside_borough` with the neighbour
 * that covers the place (when known), or `location_not_found` (a postcode not in the pack). Each door translates the
 * code into its own words: the journey, the staff form and Open311.
 */
export class IntakeError extends DomainError<IntakeErrorCode> {
  constructor(
    code: IntakeErrorCode,
    readonly issues: IntakeIssue[] = [],
    readonly neighbour: { code: string; name: string; policeForce: { name: string } | null } | null = null,
  ) {
    super(code, { status: 400, messageKey: `report.intakeErrors.${code}` })
    this.name = 'IntakeError'
  }

  /** The old name of `code`. */
  get kind(): IntakeErrorCode {
    return this.code
  }
}

export interface DuplicateCandidate {
  reference: string
  category: string
  status: string
  receivedAt: Date
  wardCode: string
  /** The report's postcode, when it was given one: shown to residents only as its sector (`E1 0`). */
  postcode: string | null
  distanceMetres: number | null
}

export interface SubmittedReport {
  id: number
  reference: string
  status: ReportRow['status']
  category: string
  nsirQualifier: ReportRow['nsir_qualifier']
  hate: boolean
  wardCode: string
  lsoaCode: string | null
  priority: ReportRow['priority']
  flags: ReportFlags
  receivedAt: Date
}

export interface ReportFlags {
  repeatCaller: Window[]
  repeatLocation: Window[]
  duplicateCandidates: string[]
  priorityReasons: string[]
}

export interface IntakeResult {
  created: boolean
  report: SubmittedReport
  /** The tracking code, when this call knows it: always on creation, and on a repeat when the door supplied it. */
  trackingCode: string | null
}

const DAY = 24 * 60 * 60 * 1000
/** Compiled once: checking a valid submission is then ~50x cheaper than the interpreted Value.Check. */
const checkInput = Compile(IntakeInputSchema)
const MAX_REFERENCE_ATTEMPTS = 5
type PostcodeLookup = Awaited<ReturnType<GeographyService['lookupPostcode']>>

const POSTCODE_CACHE_MS = 5 * 60 * 1000
const POSTCODE_CACHE_SIZE = 20_000
/** References tried by the checks statement: the first unused one is taken. */
const REFERENCE_CANDIDATES = 4

export function boxAround(point: Point, metres: number): Box {
  const dLat = metres / 111_320
  const dLng = metres / (111_320 * Math.cos((point.latitude * Math.PI) / 180))
  return {
    minLat: point.latitude - dLat,
    maxLat: point.latitude + dLat,
    minLng: point.longitude - dLng,
    maxLng: point.longitude + dLng,
  }
}

function toCandidate(row: IntakeChecks['duplicates'][number]): DuplicateCandidate {
  return {
    reference: row.reference,
    category: row.category,
    status: row.status,
    receivedAt: new Date(row.received_at),
    wardCode: row.ward_code,
    postcode: row.postcode,
    distanceMetres: row.distance === null ? null : Math.round(row.distance),
  }
}

function toSubmitted(row: ReportRow): SubmittedReport {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    category: row.category,
    nsirQualifier: row.nsir_qualifier,
    hate: row.hate,
    wardCode: row.ward_code,
    lsoaCode: row.lsoa_code,
    priority: row.priority,
    flags: row.flags as unknown as ReportFlags,
    receivedAt: new Date(row.received_at),
  }
}

export function emptyToNull(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? ''
  return trimmed === '' ? null : trimmed
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | null
  return e?.code === '23505' && (e.constraint === constraint || (e.message ?? '').includes(constraint))
}

/** Cross-field rules the schema cannot say. */
function crossFieldIssues(input: IntakeInput, receivedAt: Date): IntakeIssue[] {
  const issues: IntakeIssue[] = []
  const { reporter, location } = input
  if (reporter.mode !== 'anonymous' && !reporter.name?.trim())
    issues.push({ path: '/reporter/name', message: 'is required unless anonymous' })
  if (reporter.contactPreference === 'email' && !reporter.email)
    issues.push({ path: '/reporter/email', message: 'is required to contact by email' })
  if (reporter.contactPreference === 'phone' && !reporter.phone)
    issues.push({ path: '/reporter/phone', message: 'is required to contact by phone' })
  if (
    reporter.mode === 'anonymous' &&
    (reporter.name || reporter.email || reporter.phone || reporter.contactPreference !== 'none')
  )
    issues.push({ path: '/reporter', message: 'an anonymous report carries no name or contact details' })
  const hasPoint = location.latitude !== undefined && location.longitude !== undefined
  if ((location.latitude === undefined) !== (location.longitude === undefined))
    issues.push({ path: '/location', message: 'needs both latitude and longitude' })
  if (!hasPoint && !location.postcode && !(location.wardCode && location.description?.trim()))
    issues.push({ path: '/location', message: 'needs a point, a postcode, or a ward and a description' })
  if (input.pattern === 'one_off' && input.frequency)
    issues.push({ path: '/frequency', message: 'applies only to ongoing problems' })
  const occurred = new Date(`${input.occurredOn}T00:00:00Z`)
  if (occurred.getTime() > receivedAt.getTime() + DAY) issues.push({ path: '/occurredOn', message: 'is in the future' })
  if (input.impact.targeted !== 'yes' && input.impact.characteristics.length > 0)
    issues.push({ path: '/impact/characteristics', message: 'apply only when the reporter was targeted' })
  return issues
}

interface Placed {
  point: Point | null
  postcode: string | null
  wardCode: string
  lsoaCode: string | null
}

export function createIntakeService(deps: {
  repository: ReportingRepository
  geography: GeographyService
  audit: AuditService
  clock: Clock
  /** Secret for pseudonymous reporter keys. */
  pepper: string
  policy?: IntakePolicy
}) {
  const { repository, geography, audit, clock, pepper } = deps
  const policy = deps.policy ?? DEFAULT_INTAKE_POLICY
  /** Told of each new report a resident added to another report, once it is committed (casework joins it to a case). */
  const addedToListeners: ((report: { id: number; reference: string }) => Promise<void>)[] = []

  /**
   * Postcode lookups, remembered for a few minutes: intake asks for the same postcodes again and again (one street's
   * reports), and a lookup is a database round trip on every submission otherwise. A geography import is seen within
   * POSTCODE_CACHE_MS.
   */
  const postcodes = new Map<string, { at: number; result: Promise<PostcodeLookup> }>()
  function lookupPostcode(input: string): Promise<PostcodeLookup> {
    const key = input.toUpperCase().replace(/\s+/g, '')
    const now = Date.now()
    const cached = postcodes.get(key)
    if (cached && now - cached.at < POSTCODE_CACHE_MS) return cached.result
    if (postcodes.size >= POSTCODE_CACHE_SIZE) postcodes.clear()
    const result = geography.lookupPostcode(input)
    postcodes.set(key, { at: now, result })
    result.catch(() => postcodes.delete(key))
    return result
  }

  async function place(location: IntakeInput['location']): Promise<Placed> {
    if (location.latitude !== undefined && location.longitude !== undefined) {
      const where = geography.whereIs({ latitude: location.latitude, longitude: location.longitude })
      if (!where.inBorough) throw new IntakeError('outside_borough', [], where.neighbour)
      return {
        point: where.location.point,
        postcode: null,
        wardCode: where.location.ward.code,
        lsoaCode: where.location.lsoa.code,
      }
    }
    if (location.postcode) {
      const found = await lookupPostcode(location.postcode)
      if (found.status === 'invalid')
        throw new IntakeError('invalid', [{ path: '/location/postcode', message: 'is not a postcode' }])
      if (found.status === 'unknown')
        throw new IntakeError('location_not_found', [{ path: '/location/postcode', message: 'is not known here' }])
      if (!found.location) {
        const where = geography.whereIs(found.point)
        throw new IntakeError('outside_borough', [], where.inBorough ? null : where.neighbour)
      }
      return {
        point: found.point,
        postcode: found.postcode,
        wardCode: found.location.ward.code,
        lsoaCode: found.location.lsoa.code,
      }
    }
    const ward = location.wardCode ? geography.ward(location.wardCode) : undefined
    if (!ward)
      throw new IntakeError('invalid', [{ path: '/location/wardCode', message: 'is not a ward of the borough' }])
    return { point: null, postcode: null, wardCode: ward.code, lsoaCode: null }
  }

  /** Same category within the configured distance and time, closed ones included; nearest and newest first. */
  /**
   * `ownOf`: a report the resident proved theirs (by its tracking code, "report it again"): it and the other reports
   * of its reporter are theirs, never offered to them as someone else's. Only a proven report's reporter is left out,
   * so typing someone else's email address cannot tell whether they reported something nearby.
   */
  async function findDuplicateCandidates(query: {
    category: string
    point: Point | null
    wardCode: string
    at?: Date
    ownOf?: string
  }): Promise<DuplicateCandidate[]> {
    const at = query.at ?? clock.now()
    const duplicateSince = new Date(at.getTime() - policy.duplicateDays * DAY)
    const own = new Set<string>()
    if (query.ownOf) {
      own.add(query.ownOf)
      const proven = await repository.findByReference(query.ownOf)
      if (proven?.reporter_key)
        for (const row of await repository.reportsByReporterSince(proven.reporter_key, duplicateSince))
          own.add(row.reference)
    }
    const checks = await repository.intakeChecks({
      idempotencyKey: null,
      linkedReference: null,
      reporterKey: null,
      reporterSinces: [],
      point: query.point,
      locationMetres: 0,
      locationBox: null,
      locationSinces: [],
      category: query.category,
      wardCode: query.wardCode,
      duplicateMetres: policy.duplicateRadiusMetres,
      duplicateBox: query.point ? boxAround(query.point, policy.duplicateRadiusMetres) : null,
      duplicateSince,
      until: at,
      duplicateLimit: 10 + own.size,
      referenceCandidates: [],
    })
    return checks.duplicates
      .map(toCandidate)
      .filter(candidate => !own.has(candidate.reference))
      .slice(0, 10)
  }

  const windowStarts = (windows: Window[], at: Date) =>
    windows.map(window => new Date(at.getTime() - window.days * DAY))

  function triage(input: IntakeInput, hate: boolean, qualifier: string, flags: Omit<ReportFlags, 'priorityReasons'>) {
    const high: string[] = []
    const medium: string[] = []
    const { impact } = input
    if (hate) high.push('hate')
    if (impact.unsafeAtHome === 'yes') high.push('unsafe_at_home')
    if (impact.healthAffected === 'yes' && impact.howOften === 'regularly') high.push('health_affected_repeatedly')
    if (flags.repeatCaller.some(window => window.count >= 3)) high.push('repeat_caller')
    if (qualifier === 'personal') medium.push('personal')
    if (impact.healthAffected === 'yes') medium.push('health_affected')
    if (flags.repeatCaller.length > 0) medium.push('repeat_caller')
    if (flags.repeatLocation.length > 0) medium.push('repeat_location')
    if (input.frequency === 'daily') medium.push('daily')
    const priority: ReportRow['priority'] = high.length > 0 ? 'high' : medium.length > 0 ? 'medium' : 'standard'
    return { priority, reasons: [...new Set([...high, ...medium])] }
  }

  return {
    policy,
    findDuplicateCandidates,

    /**
     * `listener` is called after each new report added to another report ("added to", from any door) is committed.
     * The report is accepted whatever the listener does: a listener that fails leaves it for staff in triage.
     */
    onAddedTo(listener: (report: { id: number; reference: string }) => Promise<void>): void {
      addedToListeners.push(listener)
    },

    /**
     * Takes a report from any door. Throws IntakeError for input it cannot accept (invalid, outside the borough,
     * unknown postcode). `within` runs inside the report's transaction (the web journey marks its draft there).
     */
    async submit(
      raw: unknown,
      actor: Actor,
      options: {
        within?: (trx: Transaction<Database>, report: ReportRow) => Promise<void>
        correlationId?: string
        /** A seeded source for reference characters (the demo seeder); defaults to crypto. */
        referenceRandom?: (max: number) => number
        /** Stored evidence (see EvidenceService) the report takes over, in the same statement as the report. */
        evidenceIds?: string[]
        /**
         * The door's own audit event about this submission (its subject is the new report), written after
         * REPORT_RECEIVED in the report's statement rather than in one of its own: one round trip and one wait for
         * the audit chain's lock fewer (ADR 0056). Written only when a report is created (`created: true`); for a
         * submission that repeats an earlier one the door writes its event itself, as before.
         */
        audit?: Omit<AuditEventInput, 'subjectId' | 'correlationId'>
        /**
         * The door's own rows and guard, written in the report's statement (ADR 0060): they commit with the report,
         * and only when a report is created. Unlike `within`, no transaction and no further round trip. Called as the
         * statement is built, once per attempt.
         */
        door?: () => ReportStatementPart
      } = {},
    ): Promise<IntakeResult> {
      if (!checkInput.Check(raw)) {
        const issues = [...Value.Errors(IntakeInputSchema, raw)].map(error => ({
          path: error.instancePath || '/',
          message: error.message,
        }))
        throw new IntakeError('invalid', issues)
      }
      const input = raw
      const receivedAt = input.receivedAt ? new Date(input.receivedAt) : clock.now()
      const issues = crossFieldIssues(input, receivedAt)
      if (issues.length > 0) throw new IntakeError('invalid', issues)

      const existingFor = async (): Promise<IntakeResult | undefined> => {
        if (!input.idempotencyKey) return undefined
        const existing = await repository.findByIdempotencyKey(input.idempotencyKey)
        return existing
          ? { created: false, report: toSubmitted(existing), trackingCode: input.trackingCode ?? null }
          : undefined
      }

      let placed: Placed
      try {
        placed = await place(input.location)
      } catch (error) {
        // A submission already taken stays taken, even if its place would no longer be accepted.
        if (error instanceof IntakeError) {
          const existing = await existingFor()
          if (existing) return existing
        }
        throw error
      }
      const { category, qualifier, hate } = categorise({
        category: input.category,
        reporterRole: input.impact.reporterRole,
        targeted: input.impact.targeted,
        characteristics: input.impact.characteristics,
      })
      const anonymous = input.reporter.mode === 'anonymous'
      const key = anonymous ? null : reporterKey(pepper, input.reporter)

      // One round trip for every question asked before writing.
      const checks = await repository.intakeChecks({
        idempotencyKey: input.idempotencyKey ?? null,
        linkedReference: input.linkedReference ?? null,
        reporterKey: key,
        reporterSinces: windowStarts(policy.repeatCaller, receivedAt),
        point: placed.point,
        locationMetres: policy.repeatLocationRadiusMetres,
        locationBox: placed.point ? boxAround(placed.point, policy.repeatLocationRadiusMetres) : null,
        locationSinces: windowStarts(policy.repeatLocation, receivedAt),
        category: category.code,
        wardCode: placed.wardCode,
        duplicateMetres: policy.duplicateRadiusMetres,
        duplicateBox: placed.point ? boxAround(placed.point, policy.duplicateRadiusMetres) : null,
        duplicateSince: new Date(receivedAt.getTime() - policy.duplicateDays * DAY),
        until: receivedAt,
        duplicateLimit: 10,
        referenceCandidates: Array.from({ length: REFERENCE_CANDIDATES }, () =>
          newReference(receivedAt, options.referenceRandom),
        ),
      })
      if (checks.existingId !== null) {
        const existing = await existingFor()
        if (existing) return existing
      }
      if (input.linkedReference && checks.linkedId === null)
        throw new IntakeError('invalid', [{ path: '/linkedReference', message: 'is not a known report' }])
      const linkedReportId = checks.linkedId
      const reached = (windows: Window[], counts: number[]) =>
        windows.filter((window, index) => (counts[index] ?? 0) + 1 >= window.count)
      const repeatCaller = key ? reached(policy.repeatCaller, checks.reporterCounts) : []
      const repeatLocation = placed.point ? reached(policy.repeatLocation, checks.locationCounts) : []
      const duplicates = checks.duplicates.map(toCandidate)
      const partialFlags = { repeatCaller, repeatLocation, duplicateCandidates: duplicates.map(d => d.reference) }
      const { priority, reasons } = triage(input, hate, qualifier, partialFlags)
      const flags: ReportFlags = { ...partialFlags, priorityReasons: reasons }
      const trackingCode = input.trackingCode ?? newTrackingCode()
      const recipient =
        input.reporter.contactPreference === 'email'
          ? { channel: 'email' as const, to: input.reporter.email }
          : input.reporter.contactPreference === 'phone'
            ? { channel: 'sms' as const, to: input.reporter.phone }
            : null

      for (let attempt = 1; ; attempt++) {
        const reference =
          attempt === 1 && checks.reference ? checks.reference : newReference(receivedAt, options.referenceRandom)
        const row: NewReportRow = {
          reference,
          tracking_hash: hashTrackingCode(trackingCode),
          idempotency_key: input.idempotencyKey ?? null,
          channel: input.channel,
          received_at: receivedAt,
          category: category.code,
          nsir_qualifier: qualifier,
          hate,
          occurred_on: input.occurredOn,
          occurred_time: input.occurredTime ?? null,
          pattern: input.pattern,
          frequency: input.frequency ?? null,
          description: input.description.trim(),
          latitude: placed.point?.latitude ?? null,
          longitude: placed.point?.longitude ?? null,
          postcode: placed.postcode,
          location_description: emptyToNull(input.location.description),
          ward_code: placed.wardCode,
          lsoa_code: placed.lsoaCode,
          impact: JSON.stringify(input.impact),
          reporter_mode: input.reporter.mode,
          reporter_name: anonymous ? null : (input.reporter.name?.trim() ?? null),
          reporter_email: anonymous ? null : (input.reporter.email?.trim() ?? null),
          reporter_phone: anonymous ? null : (input.reporter.phone?.trim() ?? null),
          reporter_key: key,
          contact_preference: input.reporter.contactPreference,
          consent_to_share: input.reporter.consentToShare,
          priority,
          flags: JSON.stringify(flags),
          linked_report_id: linkedReportId,
          status: 'received',
          closure_reason: null,
          closure_note: null,
          referred_agency: null,
          updated_at: receivedAt,
        }
        const effects = {
          update: { occurredAt: receivedAt, actorType: actor.type, actorId: actor.id },
          audit: [
            audit.row({
              actor,
              action: 'REPORT_RECEIVED',
              subjectType: 'report',
              correlationId: options.correlationId ?? null,
              details: {
                channel: input.channel,
                category: category.code,
                priority,
                hate,
                repeatCaller: repeatCaller.length > 0,
                repeatLocation: repeatLocation.length > 0,
                duplicateCandidates: duplicates.length,
              },
            }),
            ...(options.audit
              ? [audit.row({ ...options.audit, subjectType: options.audit.subjectType ?? 'report' })]
              : []),
          ],
          acknowledgement: recipient?.to
            ? {
                template: NOTIFICATION_TEMPLATES.acknowledgement,
                channel: recipient.channel,
                recipient: recipient.to,
                trackingCode,
              }
            : null,
          evidenceIds: options.evidenceIds ?? [],
          ...(options.door ? { door: options.door() } : {}),
        }
        try {
          // The report and everything it brings is one statement; a door's `within` makes it a transaction.
          const within = options.within
          const outcome = within
            ? await repository.transaction(async trx => {
                const inserted = await repository.insertReceivedReport(row, effects, trx)
                if (inserted) await within(trx, inserted)
                return inserted
              })
            : await repository.insertReceivedReport(row, effects)
          if (outcome) {
            if (outcome.linked_report_id !== null) {
              for (const listener of addedToListeners) {
                try {
                  await listener({ id: outcome.id, reference: outcome.reference })
                } catch {
                  // Accepted all the same: the report waits in triage, tagged as added to another report.
                }
              }
            }
            return { created: true, report: toSubmitted(outcome), trackingCode }
          }
          // Another request with the same key committed first: answer with its report.
          const existing = await existingFor()
          if (!existing) throw new Error('idempotent insert found no report')
          return existing
        } catch (error) {
          if (isUniqueViolation(error, 'report_reference_key') && attempt < MAX_REFERENCE_ATTEMPTS) continue
          if (isUniqueViolation(error, 'report_idempotency_key_key') && input.idempotencyKey) {
            const existing = await existingFor()
            if (existing) return existing
          }
          throw error
        }
      }
    },
  }
}

export type IntakeService = ReturnType<typeof createIntakeService>
