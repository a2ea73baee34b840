/**
 * Subject access (UK GDPR Art. 15) and erasure (Art. 17) for one person, found by email address or as one case party.
 * `gather` finds everything Safer holds about them; `exportBundle` turns it into the disclosure bundle (JSON, the HTML
 * it prints from, evidence files and letters), third parties redacted; `erase` removes or anonymises what no duty
 * requires Safer to keep and says, record by record, why the rest is kept. Both are audited with the subject's
 * identifiers only. See docs/subject-access.md.
 */
import { createHash } from 'node:crypto'

import type { Kysely, Transaction } from 'kysely'

import type { RetentionPeriod } from '../../config.js'
import type { Database } from '../../db/schema.js'
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { DomainError } from '../../platform/errors.js'
import { t } from '../../platform/i18n.js'
import { isSealed, REDACTED as OUTBOX_REDACTED } from '../../platform/sealing.js'
import {
  createPrivacyRepository,
  type CaseRecord,
  type ChronologyRecord,
  type DraftRecord,
  type EvidenceRecord,
  type NotificationRecord,
  type PartyRecord,
  type ReportRecord,
  type ReviewRecord,
} from './privacy-repository.js'
import { createRedactor, REDACTED, staffReference, type Redactor, type StaffReference } from './redaction.js'

/** Closed case files are kept this long after closure (common council ASB practice), then may be erased. */
/** The default retention of a closed case (RETENTION_CLOSED_CASES), when no period is passed in. */
export const CASE_RETENTION_DEFAULT: RetentionPeriod = { amount: 6, unit: 'y' }
export const BUNDLE_FORMAT = 'safer-subject-access/1'
export const ERASED_DESCRIPTION = '[Erased at the reporter’s request]'
export const ERASED_PARTY_NAME = '[Erased at the person’s request]'

export type Subject = { kind: 'email'; email: string } | { kind: 'party'; partyId: string }

export type PrivacyErrorCode =
  'email-and-party' | 'email-format' | 'party-format' | 'no-subject' | 'no-party' | 'folder-not-empty'

/**
 * A subject access or erasure request Safer cannot act on as given: a platform `DomainError` with its code. Requests
 * come from the command line only, which prints the message: the locale text for the code (`subjectAccess.errors`),
 * never a database error.
 */
export class PrivacyError extends DomainError<PrivacyErrorCode> {
  constructor(code: PrivacyErrorCode, params: Record<string, string> = {}) {
    const messageKey = `subjectAccess.errors.${code}`
    super(code, { status: code === 'no-party' ? 404 : 400, messageKey, params })
    this.name = 'PrivacyError'
    this.message = t(messageKey, params)
  }
}

export function parseSubject(options: { email?: string; party?: string }): Subject {
  if (options.email && options.party) throw new PrivacyError('email-and-party')
  if (options.email) {
    const email = options.email.trim().toLowerCase()
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new PrivacyError('email-format')
    return { kind: 'email', email }
  }
  if (options.party) {
    const partyId = options.party.trim()
    if (!/^[0-9a-f-]{36}$/i.test(partyId)) throw new PrivacyError('party-format')
    return { kind: 'party', partyId }
  }
  throw new PrivacyError('no-subject')
}

/** The subject as the audit trail records them: never the email itself, which must not outlive an erasure. */
export function auditSubject(subject: Subject): { subjectType: string; subjectId: string } {
  return subject.kind === 'email'
    ? {
        subjectType: 'data-subject',
        subjectId: `email-sha256:${createHash('sha256').update(subject.email).digest('hex')}`,
      }
    : { subjectType: 'case-party', subjectId: subject.partyId }
}

export interface Holdings {
  subject: Subject
  reports: ReportRecord[]
  evidence: EvidenceRecord[]
  drafts: DraftRecord[]
  notifications: NotificationRecord[]
  parties: PartyRecord[]
  cases: CaseRecord[]
  /** Case id → ids of the subject's own reports linked to it. */
  caseReports: Map<string, number[]>
  reviews: ReviewRecord[]
  staffAccount: boolean
}

function addPeriod(date: Date, period: RetentionPeriod): Date {
  const copy = new Date(date)
  if (period.unit === 'd') copy.setUTCDate(copy.getUTCDate() + period.amount)
  else if (period.unit === 'm') copy.setUTCMonth(copy.getUTCMonth() + period.amount)
  else copy.setUTCFullYear(copy.getUTCFullYear() + period.amount)
  return copy
}

function describePeriod(period: RetentionPeriod): string {
  const unit = { d: 'day', m: 'month', y: 'year' }[period.unit]
  return `${String(period.amount)} ${unit}${period.amount === 1 ? '' : 's'}`
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

function mentions(text: string, needles: string[]): boolean {
  const lower = text.toLowerCase()
  return needles.some(needle => needle.length >= 3 && lower.includes(needle.toLowerCase()))
}

export interface PrivacyServiceOptions {
  db: Kysely<Database>
  audit: AuditService
  clock: Clock
  /** How long a closed case is kept (RETENTION_CLOSED_CASES): erasure refuses its records until then. */
  closedCaseRetention?: RetentionPeriod
  /**
   * Opens the notification outbox's sealed personalisation (the reporting module's sealer). Without it, sealed
   * values are shown as not reproduced.
   */
  openPersonalisation?: (personalisation: Record<string, unknown>) => Record<string, string>
}

/** Personalisation fields that held a one-time secret (a tracking code, a reset or check-in link). */
const SECRET_FIELD = /code|link|url|token/i
const SECRET_NOT_REPRODUCED = '[a one-time code or link, for this person only: not reproduced]'

export function createPrivacyService({
  db,
  audit,
  clock,
  closedCaseRetention = CASE_RETENTION_DEFAULT,
  openPersonalisation,
}: PrivacyServiceOptions) {
  const repository = createPrivacyRepository(db)

  /** What the bundle shows of a message's personalisation: what was sent, less one-time secrets. */
  function messageContent(personalisation: unknown): Record<string, string> {
    if (!personalisation || typeof personalisation !== 'object') return {}
    const fields = personalisation as Record<string, unknown>
    let opened: Record<string, string> | undefined
    try {
      opened = openPersonalisation?.(fields)
    } catch {
      opened = undefined
    }
    return Object.fromEntries(
      Object.entries(fields).map(([name, value]) => {
        if (value === OUTBOX_REDACTED) return [name, OUTBOX_REDACTED]
        if (SECRET_FIELD.test(name)) return [name, SECRET_NOT_REPRODUCED]
        if (opened?.[name] !== undefined) return [name, opened[name]]
        return [name, isSealed(value) ? '[held encrypted: not reproduced]' : String(value)]
      }),
    )
  }

  async function gather(subject: Subject): Promise<Holdings> {
    if (subject.kind === 'party') {
      const party = await repository.partyById(subject.partyId)
      if (!party) throw new PrivacyError('no-party', { partyId: subject.partyId })
      const cases = await repository.casesByIds([party.case_id])
      return {
        subject,
        reports: [],
        evidence: [],
        drafts: [],
        notifications: [],
        parties: [party],
        cases,
        caseReports: new Map(),
        reviews: [],
        staffAccount: false,
      }
    }
    const { email } = subject
    const reports = await repository.reportsByEmail(email)
    const drafts = await repository.draftsByEmail(email)
    const phones = [...new Set(reports.map(report => report.reporter_phone).filter(phone => phone !== null))]
    const notifications = await repository.notificationsTo([email, ...phones.map(phone => phone.toLowerCase())])
    const parties = await repository.partiesFor(email, reports)
    const links = await repository.casesForReports(reports.map(report => report.id))
    const caseReports = new Map<string, number[]>()
    for (const link of links) caseReports.set(link.case_id, [...(caseReports.get(link.case_id) ?? []), link.report_id])
    const cases = await repository.casesByIds([
      ...new Set([...parties.map(party => party.case_id), ...caseReports.keys()]),
    ])
    const evidence = await repository.evidenceFor({
      reportIds: reports.map(report => report.id),
      draftIds: drafts.map(draft => draft.id),
    })
    const reviews = await repository.reviewsByEmail(email)
    const staffAccount = (await repository.staffByEmail(email)) !== undefined
    return { subject, reports, evidence, drafts, notifications, parties, cases, caseReports, reviews, staffAccount }
  }

  function caseKept(row: CaseRecord, now: Date): string | null {
    if (row.status === 'open') return `case ${row.reference} is open`
    const closedAt = row.closed_at ?? row.updated_at
    const until = addPeriod(closedAt, closedCaseRetention)
    if (until > now)
      return (
        `case ${row.reference} was closed on ${isoDate(closedAt)} and is kept until ${isoDate(until)} ` +
        `(${describePeriod(closedCaseRetention)} after closure)`
      )
    return null
  }

  async function exportBundle(subject: Subject, options: { actor: Actor; request?: string }) {
    const held = await gather(subject)
    const now = clock.now()
    const reportIds = held.reports.map(report => report.id)
    const caseIds = held.cases.map(row => row.id)
    const partyIds = held.parties.map(party => party.id)
    const ownNames = [
      ...held.reports.map(report => report.reporter_name),
      ...held.parties.map(party => party.name),
      ...held.reviews.map(review => review.applicant_name),
    ].filter((name): name is string => Boolean(name))
    const ownNeedles = [...ownNames, ...(subject.kind === 'email' ? [subject.email] : [])]

    const [updates, allParties, chronology, tasks, letters, checkins, risks, powers, caseLinks, staffNames] =
      await Promise.all([
        repository.reportUpdates(reportIds),
        repository.otherParties(caseIds),
        repository.chronology(caseIds),
        repository.tasks(caseIds),
        repository.lettersTo(partyIds),
        repository.checkins(reportIds),
        repository.riskAssessments(partyIds),
        repository.powerActions(partyIds),
        repository.caseReports(caseIds),
        repository.allStaffNames(),
      ])
    const others = allParties.filter(party => !partyIds.includes(party.id))
    const otherReportIds = caseLinks.map(link => link.report_id).filter(id => !reportIds.includes(id))
    const otherReporters = (await repository.reportsByIds(otherReportIds))
      .flatMap(report => [report.reporter_name, report.reporter_email, report.reporter_phone])
      .filter((value): value is string => Boolean(value))
    const redact: Redactor = createRedactor(
      [
        ...others.flatMap(party => [party.name, party.email, party.phone, party.address, party.vehicle_registration]),
        ...otherReporters,
        ...staffNames,
      ].filter((value): value is string => Boolean(value)),
      ownNames,
    )
    const staffIds = [
      ...held.cases.map(row => row.lead_officer_id),
      ...chronology.map(entry => entry.actor_id),
      ...tasks.map(task => task.owner_user_id),
      ...letters.map(letter => letter.created_by),
      ...risks.map(risk => risk.assessed_by),
      ...powers.map(power => power.issued_by),
      ...held.reviews.flatMap(review => [review.chair_user_id, review.threshold_decided_by, review.outcome_by]),
    ].filter((id): id is string => Boolean(id))
    const staff = await repository.staff(staffIds)
    const staffRef = (id: string | null): StaffReference | null => (id ? staffReference(staff.get(id)) : null)

    const evidenceFile = (item: EvidenceRecord, owner: string) =>
      `evidence/${owner}/${item.id}-${item.file_name.replace(/[^\w.-]+/g, '_')}`
    const files: { path: string; evidenceId?: string; content?: string }[] = []

    const reports = held.reports.map(report => {
      const evidence = held.evidence
        .filter(item => item.report_id === report.id)
        .map(item => {
          const file = evidenceFile(item, report.reference)
          files.push({ path: file, evidenceId: item.id })
          return {
            fileName: item.file_name,
            kind: item.kind,
            contentType: item.content_type,
            sizeBytes: item.size_bytes,
            sha256: item.sha256,
            width: item.width,
            height: item.height,
            uploadedAt: item.created_at.toISOString(),
            file,
          }
        })
      return {
        reference: report.reference,
        receivedAt: report.received_at.toISOString(),
        channel: report.channel,
        category: report.category,
        hate: report.hate,
        occurredOn: report.occurred_on,
        occurredTime: report.occurred_time,
        pattern: report.pattern,
        frequency: report.frequency,
        description: report.description,
        location: {
          postcode: report.postcode,
          description: report.location_description,
          latitude: report.latitude,
          longitude: report.longitude,
          wardCode: report.ward_code,
        },
        impact: report.impact,
        reporter: {
          mode: report.reporter_mode,
          name: report.reporter_name,
          email: report.reporter_email,
          phone: report.reporter_phone,
          contactPreference: report.contact_preference,
          consentToShare: report.consent_to_share,
        },
        status: report.status,
        closureReason: report.closure_reason,
        closureNote: redact(report.closure_note),
        referredAgency: report.referred_agency,
        statusHistory: updates
          .filter(update => update.report_id === report.id)
          .map(update => ({
            at: update.occurred_at.toISOString(),
            status: update.status,
            closureReason: update.closure_reason,
            publicNote: redact(update.public_note),
          })),
        evidence,
        caseReferences: held.cases
          .filter(row => held.caseReports.get(row.id)?.includes(report.id))
          .map(row => row.reference),
      }
    })

    const drafts = held.drafts.map(draft => {
      const evidence = held.evidence
        .filter(item => item.draft_id === draft.id && item.report_id === null)
        .map(item => {
          const file = evidenceFile(item, `draft-${draft.id.slice(0, 8)}`)
          files.push({ path: file, evidenceId: item.id })
          return { fileName: item.file_name, contentType: item.content_type, sizeBytes: item.size_bytes, file }
        })
      return {
        startedAt: draft.created_at.toISOString(),
        expiresAt: draft.expires_at.toISOString(),
        submitted: draft.report_id !== null,
        answers: draft.answers,
        evidence,
      }
    })

    const relatedIds = new Set<string>([
      ...partyIds,
      ...reportIds.map(String),
      ...letters.map(letter => letter.id),
      ...risks.map(risk => risk.id),
      ...powers.map(power => power.id),
    ])
    const aboutSubject = (entry: ChronologyRecord) =>
      entry.kind === 'opened' ||
      entry.kind === 'closed' ||
      (entry.source_id !== null && relatedIds.has(entry.source_id)) ||
      mentions(entry.summary, ownNeedles)

    const cases = held.cases.map(row => {
      const ownParties = held.parties.filter(party => party.case_id === row.id)
      const ownReports = held.caseReports.get(row.id) ?? []
      const caseTasks = tasks.filter(
        task =>
          task.case_id === row.id &&
          ((task.source_id !== null && relatedIds.has(task.source_id)) || mentions(task.title, ownNeedles)),
      )
      return {
        reference: row.reference,
        title: redact(row.title),
        category: row.category,
        status: row.status,
        openedAt: row.opened_at.toISOString(),
        closedAt: row.closed_at?.toISOString() ?? null,
        outcome: row.outcome,
        outcomeNote: redact(row.outcome_note),
        referredAgency: row.referred_agency,
        leadOfficer: staffRef(row.lead_officer_id),
        involvement: [
          ...ownReports.map(id => `reporter of ${held.reports.find(report => report.id === id)?.reference ?? ''}`),
          ...ownParties.map(party => `party: ${party.role}`),
        ],
        yourPartyRecords: ownParties.map(party => ({
          role: party.role,
          kind: party.kind,
          name: party.name,
          dateOfBirth: party.date_of_birth,
          address: party.address,
          postcode: party.postcode,
          phone: party.phone,
          email: party.email,
          vehicleRegistration: party.vehicle_registration,
          notes: redact(party.notes),
          recordedAt: party.created_at.toISOString(),
        })),
        otherParties: others
          .filter(party => party.case_id === row.id)
          .map(party => ({ role: party.role, kind: party.kind, name: REDACTED })),
        otherReportsRedacted: caseLinks.filter(link => link.case_id === row.id && !ownReports.includes(link.report_id))
          .length,
        chronology: chronology
          .filter(entry => entry.case_id === row.id && aboutSubject(entry))
          .map(entry => ({
            occurredAt: entry.occurred_at.toISOString(),
            kind: entry.kind,
            summary: redact(entry.summary),
            recordedBy: staffRef(entry.actor_id),
          })),
        tasks: caseTasks.map(task => ({
          title: redact(task.title),
          dueDate: task.due_date,
          status: task.status,
          owner: staffRef(task.owner_user_id),
        })),
        letters: letters
          .filter(letter => letter.case_id === row.id)
          .map(letter => {
            const file = `letters/${row.reference}-${letter.id}.html`
            files.push({ path: file, content: letter.html })
            return { title: letter.title, template: letter.template, sentAt: letter.created_at.toISOString(), file }
          }),
        riskAssessments: risks
          .filter(risk => risk.case_id === row.id)
          .map(risk => ({
            assessedOn: risk.assessed_on,
            level: risk.level,
            policyVersion: risk.policy_version,
            reviewDue: risk.review_due,
            maracPrompted: risk.marac_prompted,
            assessedBy: staffRef(risk.assessed_by),
          })),
        powerActions: powers
          .filter(power => power.case_id === row.id)
          .map(power => ({ power: power.power, actionDate: power.action_date, issuedBy: staffRef(power.issued_by) })),
      }
    })

    const checkinsOut = checkins.map(checkin => ({
      caseReference: held.cases.find(row => row.id === checkin.case_id)?.reference ?? null,
      sentAt: checkin.created_at.toISOString(),
      answeredAt: checkin.answered_at?.toISOString() ?? null,
      satisfaction: checkin.satisfaction,
      feelsSafer: checkin.feels_safer,
      comment: checkin.comment,
    }))

    const reviews = held.reviews.map(review => ({
      reference: review.reference,
      receivedAt: review.received_at.toISOString(),
      channel: review.channel,
      applicantType: review.applicant_type,
      applicant: {
        name: review.applicant_name,
        email: review.applicant_email,
        phone: review.applicant_phone,
        address: review.applicant_address,
      },
      victimName: review.victim_name,
      relationship: review.relationship,
      description: redact(review.description),
      dissatisfaction: redact(review.dissatisfaction),
      status: review.status,
      thresholdDecision: review.threshold_decision,
      thresholdReason: redact(review.threshold_reason),
      meetingOn: review.meeting_on,
      chair: staffRef(review.chair_user_id),
      outcomeSummary: redact(review.outcome_summary),
      letterKind: review.letter_kind,
      letterSentAt: review.letter_sent_at?.toISOString() ?? null,
      appeal: review.appeal_received_at
        ? {
            against: review.appeal_against,
            grounds: redact(review.appeal_grounds),
            decision: review.appeal_decision,
            reason: redact(review.appeal_reason),
          }
        : null,
    }))

    const notifications = held.notifications.map(message => ({
      createdAt: message.created_at.toISOString(),
      channel: message.channel,
      template: message.template,
      recipient: message.recipient,
      status: message.status,
      sentAt: message.sent_at?.toISOString() ?? null,
      content: messageContent(message.personalisation),
    }))

    const bundle = {
      format: BUNDLE_FORMAT,
      generatedAt: now.toISOString(),
      subject: subject.kind === 'email' ? { email: subject.email } : { casePartyId: subject.partyId },
      request: options.request ?? null,
      redaction: {
        otherPeople: 'Names and contact details of other parties and other residents are replaced by [redacted].',
        staff: 'Staff appear by role, team and organisation only, not by name.',
        otherReports: "Other residents' reports on the same case are counted, not shown.",
        chronology:
          'Case chronology shows the entries about you: milestones, entries recorded from your records, and entries naming you.',
      },
      reports,
      drafts,
      cases,
      checkins: checkinsOut,
      caseReviews: reviews,
      notifications,
      staffAccount: held.staffAccount,
    }

    const counts = {
      reports: reports.length,
      evidence: held.evidence.length,
      drafts: drafts.length,
      cases: cases.length,
      caseReviews: reviews.length,
      notifications: notifications.length,
      letters: letters.length,
    }
    await audit.record({
      actor: options.actor,
      action: 'privacy.sar-exported',
      ...auditSubject(subject),
      details: {
        ...(options.request ? { request: options.request } : {}),
        counts,
        reports: held.reports.map(report => report.reference),
        cases: held.cases.map(row => row.reference),
        caseReviews: held.reviews.map(review => review.reference),
      },
    })
    return { bundle, files, counts }
  }

  async function fileContent(file: { evidenceId?: string; content?: string }): Promise<Buffer> {
    if (file.content !== undefined) return Buffer.from(file.content, 'utf8')
    const content = file.evidenceId ? await repository.evidenceContent(file.evidenceId) : undefined
    return content ?? Buffer.alloc(0)
  }

  async function erase(subject: Subject, options: { actor: Actor; dryRun?: boolean; request?: string }) {
    const held = await gather(subject)
    const now = clock.now()
    const decisions: ErasureDecision[] = []
    const keptCase = new Map(held.cases.map(row => [row.id, caseKept(row, now)]))
    const referenced = await repository.reportsReferenced(held.reports.map(report => report.id))
    const keptReports = new Set<number>()

    for (const report of held.reports) {
      const caseReasons = [...held.caseReports.entries()]
        .filter(([, ids]) => ids.includes(report.id))
        .map(([caseId]) => keptCase.get(caseId))
        .filter((reason): reason is string => Boolean(reason))
      const reference = referenced.get(report.id)
      const reason =
        caseReasons[0] ??
        (reference?.startsWith('review:')
          ? `a Case Review (${reference.slice(7)}) relies on it`
          : reference === 'hate'
            ? 'it is recorded as a hate incident, kept for monitoring'
            : null)
      if (reason) {
        keptReports.add(report.id)
        decisions.push({ type: 'report', id: report.reference, action: 'kept', reason })
      } else {
        const files = held.evidence.filter(item => item.report_id === report.id).length
        decisions.push({
          type: 'report',
          id: report.reference,
          action: 'erased',
          reason: `reporter details, description and impact answers removed; ${String(files)} evidence files deleted`,
          apply: async trx => {
            await repository.anonymiseReport(trx, report.id, now, ERASED_DESCRIPTION)
          },
        })
      }
    }
    for (const draft of held.drafts) {
      decisions.push({
        type: 'draft',
        id: draft.id.slice(0, 8),
        action: 'erased',
        reason: 'unfinished report deleted with its files',
        apply: async trx => {
          await repository.deleteDraft(trx, draft.id)
        },
      })
    }
    for (const message of held.notifications) {
      if (message.report_id !== null && keptReports.has(message.report_id)) {
        const report = held.reports.find(item => item.id === message.report_id)
        decisions.push({
          type: 'notification',
          id: String(message.id),
          action: 'kept',
          reason: `a message about ${report?.reference ?? 'a report'}, which is kept`,
        })
        continue
      }
      decisions.push({
        type: 'notification',
        id: String(message.id),
        action: 'erased',
        reason: `${message.channel} message deleted`,
        apply: async trx => {
          await repository.deleteNotification(trx, message.id)
        },
      })
    }
    for (const party of held.parties) {
      const row = held.cases.find(item => item.id === party.case_id)
      const reason = keptCase.get(party.case_id) ?? null
      if (reason) {
        decisions.push({ type: 'case-party', id: `${row?.reference ?? ''}/${party.id}`, action: 'kept', reason })
      } else {
        decisions.push({
          type: 'case-party',
          id: `${row?.reference ?? ''}/${party.id}`,
          action: 'erased',
          reason: 'name and contact details removed from the closed case',
          apply: async trx => {
            await repository.anonymiseParty(trx, party.id, ERASED_PARTY_NAME)
          },
        })
      }
    }
    for (const review of held.reviews) {
      decisions.push({
        type: 'case-review',
        id: review.reference,
        action: 'kept',
        reason: 'ASB Case Review records are kept for the statutory review, its appeal and the annual publication',
      })
    }
    if (held.staffAccount)
      decisions.push({
        type: 'staff-account',
        id: 'staff account',
        action: 'kept',
        reason: 'a staff account: an administrator disables it; its audit trail must be kept',
      })

    const summary = {
      erased: decisions.filter(decision => decision.action === 'erased').length,
      kept: decisions.filter(decision => decision.action === 'kept').length,
    }
    const details = {
      ...(options.request ? { request: options.request } : {}),
      dryRun: options.dryRun ?? false,
      ...summary,
      records: decisions.map(decision => ({ type: decision.type, id: decision.id, action: decision.action })),
    }
    await db.transaction().execute(async trx => {
      if (!options.dryRun) for (const decision of decisions) await decision.apply?.(trx)
      await audit.record(
        {
          actor: options.actor,
          action: options.dryRun ? 'privacy.erasure-checked' : 'privacy.erased',
          ...auditSubject(subject),
          details,
        },
        trx,
      )
    })
    return {
      decisions: decisions.map(({ type, id, action, reason }) => ({ type, id, action, reason })),
      ...summary,
    }
  }

  return { repository, gather, exportBundle, fileContent, erase, caseKept }
}

interface ErasureDecision {
  type: 'report' | 'draft' | 'notification' | 'case-party' | 'case-review' | 'staff-account'
  id: string
  action: 'erased' | 'kept'
  reason: string
  apply?: (trx: Transaction<Database>) => Promise<void>
}

export type PrivacyService = ReturnType<typeof createPrivacyService>
export type SubjectAccessBundle = Awaited<ReturnType<PrivacyService['exportBundle']>>['bundle']
export type ErasureResult = Awaited<ReturnType<PrivacyService['erase']>>
