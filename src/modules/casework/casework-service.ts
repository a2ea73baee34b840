/**
 * Casework: ASB cases worked by a partnership. Every read goes through the access policy (policy.ts): a case the user
 * may not see is `undefined`, exactly like a missing one, and the attempt is an audit event. Every change writes a
 * chronology entry and an audit event in the same transaction as the change.
 *
 * Other modules use this service through `deps.casework` (risk, powers, panels): `findForUser`, `canView`, `can`,
 * `addChronology`, `createTask`, `partyById`, `partyForUser` and `registerCaseLink` keep their names and shapes.
 */
import { createHash, randomBytes } from 'node:crypto'

import { sql, type Transaction } from 'kysely'

import type { CaseOutcome, CasePriority, CaseSensitivity, Database, PartyKind, PartyRole } from '../../db/schema.js'
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { DomainError, type DomainStatus } from '../../platform/errors.js'
import { isUuid } from '../../platform/identifiers.js'
import type { Role, StaffUser } from '../accounts/index.js'
import {
  CaseVersionConflictError,
  type CaseRow,
  type CaseworkRepository,
  type Executor,
  type PartyRow,
} from './casework-repository.js'
import type { LAWFUL_BASES } from './casework-forms.js'
import { partyFor } from './casework-presenters.js'
import { allowed, grantOf, partyDetailsShown, type CaseAction, type CaseResource } from './policy.js'

/** The access log's filters: every event, refused attempts, reads and exports, changes. */
export const ACCESS_LOG_FILTERS = ['all', 'refusals', 'views', 'changes'] as const
export type AccessLogFilter = (typeof ACCESS_LOG_FILTERS)[number]

export type CaseUser = Pick<StaffUser, 'id' | 'partnerId' | 'teamId' | 'roles'>

/** A page another module shows after a party is added, for this user, or undefined when it has nothing to say. */
export type PartyAddedFollowUp = (user: StaffUser, caseRow: CaseRow, partyId: string) => Promise<string | undefined>

export interface ChronologyEntry {
  kind: string
  summary: string
  /** When it happened (defaults to now). */
  occurredAt?: Date
  /** The module that wrote it ('casework', 'risk', 'powers', 'panels', ...) and its own record id. */
  sourceModule?: string
  sourceId?: string | null
}

export interface NewTask {
  caseId: string
  title: string
  ownerUserId: string | null
  /** YYYY-MM-DD */
  dueDate: string
  sourceModule: string
  sourceId?: string | null
}

export interface CaseLink {
  text: string
  href: (caseId: string) => string
  /** Only users holding one of these roles see the link (default: everyone who can see the case). */
  roles?: readonly Role[]
}

export interface NewParty {
  role: PartyRole
  kind: PartyKind
  name: string
  dateOfBirth?: string | null
  address?: string | null
  postcode?: string | null
  phone?: string | null
  email?: string | null
  vehicleRegistration?: string | null
  notes?: string | null
  /** A confidential reporter who asked not to share their details (withheld from partners a case is shared with). */
  contactWithheld?: boolean
}

export interface CaseDetails {
  title: string
  category: string
  priority: CasePriority
  sensitivity: CaseSensitivity | null
  leadOfficerId: string | null
  reviewDate: string | null
  location: string | null
}

export interface NewShare {
  partnerId: string
  /** One of the recorded bases (LAWFUL_BASES): the case page names it in words. */
  lawfulBasis: (typeof LAWFUL_BASES)[number]
  consentStatus: 'given' | 'not-required' | 'refused-overridden' | 'not-sought'
  note?: string | null
}

export interface Closure {
  outcome: CaseOutcome
  /** Shown to the residents whose reports the case came from. */
  publicNote: string | null
  referredAgency?: string | null
}

export type CaseworkErrorCode =
  | 'forbidden'
  | 'closed'
  | 'already_linked'
  | 'not_found'
  | 'already_shared'
  | 'own_partner'
  | 'task_done'
  | 'report_closed'

const CASEWORK_ERROR_STATUS: Record<CaseworkErrorCode, DomainStatus> = {
  forbidden: 403,
  closed: 409,
  already_linked: 409,
  not_found: 404,
  already_shared: 409,
  own_partner: 400,
  task_done: 409,
  report_closed: 409,
}

/**
 * Something the user asked for that the case's state or the policy does not allow: a platform `DomainError` with the
 * casework code (routes translate the codes they expect; the rest are answered with the status below).
 */
export class CaseworkError extends DomainError<CaseworkErrorCode> {
  constructor(code: CaseworkErrorCode) {
    super(code, { status: CASEWORK_ERROR_STATUS[code] })
    this.name = 'CaseworkError'
  }
}

/** True for a casework refusal with one of these codes: catch only what the route means to translate. */
export function isCaseworkError(error: unknown, ...codes: CaseworkErrorCode[]): error is CaseworkError {
  return error instanceof CaseworkError && codes.includes(error.code)
}

export { CaseVersionConflictError }

const DAY = 24 * 60 * 60 * 1000

function actorUserId(actor: Actor): string | null {
  return actor.type === 'user' ? actor.id : null
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function createCaseworkService(deps: { repository: CaseworkRepository; audit: AuditService; clock: Clock }) {
  const { repository, audit, clock } = deps
  const caseLinks: CaseLink[] = []
  const partyAddedFollowUps: PartyAddedFollowUp[] = []

  async function auditCase(
    actor: Actor,
    action: string,
    caseId: string,
    details: Record<string, unknown>,
    executor: Executor,
  ) {
    await audit.record({ actor, action, subjectType: 'case', subjectId: caseId, details }, executor)
  }

  async function addChronology(caseId: string, entry: ChronologyEntry, actor: Actor, trx?: Executor): Promise<number> {
    const now = clock.now()
    return repository.insertChronology(
      {
        case_id: caseId,
        occurred_at: entry.occurredAt ?? now,
        recorded_at: now,
        kind: entry.kind,
        summary: entry.summary,
        actor_id: actorUserId(actor),
        source_module: entry.sourceModule ?? 'casework',
        source_id: entry.sourceId ?? null,
      },
      trx ?? repository.db,
    )
  }

  async function inTransaction<T>(trx: Executor | undefined, work: (trx: Executor) => Promise<T>): Promise<T> {
    return trx ? work(trx) : repository.transaction(work)
  }

  const service = {
    repository,
    caseLinks,
    /** The module's clock (fixed in tests). */
    now: () => clock.now(),

    /** Adds a link shown on every case page (risk assessment, powers, panel actions). */
    registerCaseLink(link: CaseLink): void {
      caseLinks.push(link)
    },

    /** Another module's page to show after a person is added as a party (people: "known to" warnings). */
    registerPartyAddedFollowUp(followUp: PartyAddedFollowUp): void {
      partyAddedFollowUps.push(followUp)
    },

    /** Where to go after a party is added: the first follow-up page that has something to say, or none. */
    async afterPartyAdded(user: StaffUser, caseRow: CaseRow, partyId: string): Promise<string | undefined> {
      for (const followUp of partyAddedFollowUps) {
        const next = await followUp(user, caseRow, partyId)
        if (next) return next
      }
      return undefined
    },

    /** The links a user sees on a case page. */
    linksFor(user: CaseUser, caseRow: CaseRow) {
      return caseLinks
        .filter(link => !link.roles || user.roles.some(role => link.roles?.includes(role)))
        .map(link => ({ text: link.text, href: link.href(caseRow.id) }))
    },

    can(user: CaseUser, caseRow: CaseRow, resource: CaseResource, action: CaseAction): boolean {
      return allowed(user, caseRow, resource, action)
    },

    canView(user: CaseUser, caseRow: CaseRow): boolean {
      return allowed(user, caseRow, 'case', 'view')
    },

    canChange(user: CaseUser, caseRow: CaseRow, resource: CaseResource = 'case'): boolean {
      return allowed(user, caseRow, resource, 'change')
    },

    grant(user: CaseUser, caseRow: CaseRow) {
      return grantOf(user, caseRow)
    },

    /**
     * The case if it exists and the user may see it; otherwise undefined (the caller answers 404 either way). A case
     * that exists but is hidden from the user is recorded as a refused access attempt.
     */
    async findForUser(user: CaseUser, caseId: string, executor?: Executor): Promise<CaseRow | undefined> {
      const row = await repository.caseById(caseId, executor)
      return visibleOrAudit(user, row, { caseId })
    },

    async findByReferenceForUser(user: CaseUser, reference: string): Promise<CaseRow | undefined> {
      const row = await repository.caseByReference(reference.trim().toUpperCase())
      return visibleOrAudit(user, row, { reference })
    },

    async partyById(partyId: string, executor?: Executor): Promise<PartyRow | undefined> {
      return repository.partyById(partyId, executor)
    },

    /**
     * The parties of a case the user may see, each as the user may see it (`partyFor`: a confidential reporter who
     * asked not to share their details is withheld from partners the case is shared with). Other modules read parties
     * through this, never from the repository, so no page shows a withheld party.
     */
    async partiesForUser(user: CaseUser, caseRow: CaseRow, executor?: Executor): Promise<PartyRow[]> {
      return (await repository.parties(caseRow.id, executor)).map(party => partyFor(user, caseRow, party))
    },

    /** One party of this case as the user may see it; undefined when it is not a party of this case. */
    async partyOnCase(user: CaseUser, caseRow: CaseRow, partyId: string): Promise<PartyRow | undefined> {
      const party = await repository.partyById(partyId)
      return party?.case_id === caseRow.id ? partyFor(user, caseRow, party) : undefined
    },

    /** Whether the user may see who the party is (the withholding behind `partyFor`). */
    partyShown(user: CaseUser, caseRow: CaseRow, party: Pick<PartyRow, 'contact_withheld'>): boolean {
      return partyDetailsShown(user, caseRow, party)
    },

    /** A party and its case if the user may see people on that case; otherwise undefined. */
    async partyForUser(user: CaseUser, partyId: string) {
      const party = await repository.partyById(partyId)
      const caseRow = party ? await repository.caseById(party.case_id) : undefined
      if (!party || !caseRow || !allowed(user, caseRow, 'person', 'view')) {
        await recordRefusal(user, caseRow, { partyId })
        return undefined
      }
      return { party, caseRow }
    },

    addChronology,

    /** Creates an owned task on a case, with a chronology entry. Runs in `trx` when given. */
    async createTask(input: NewTask, actor: Actor, trx?: Executor): Promise<{ id: string }> {
      return inTransaction(trx, async executor => {
        const id = await repository.insertTask(
          {
            case_id: input.caseId,
            title: input.title,
            owner_user_id: input.ownerUserId,
            due_date: input.dueDate,
            status: 'open',
            source_module: input.sourceModule,
            source_id: input.sourceId ?? null,
            completed_at: null,
            created_by: actorUserId(actor),
            created_at: clock.now(),
          },
          executor,
        )
        await addChronology(
          input.caseId,
          {
            kind: 'task',
            summary: `Task set: ${input.title} (due ${input.dueDate})`,
            sourceModule: input.sourceModule,
            sourceId: id,
          },
          actor,
          executor,
        )
        await auditCase(actor, 'case.task-created', input.caseId, { taskId: id, source: input.sourceModule }, executor)
        return { id }
      })
    },

    async completeTask(caseRow: CaseRow, taskId: string, actor: Actor): Promise<void> {
      await repository.transaction(async trx => {
        const task = await repository.taskById(taskId, trx)
        if (task?.case_id !== caseRow.id) throw new CaseworkError('not_found')
        if (!(await repository.completeTask(taskId, clock.now(), trx))) throw new CaseworkError('task_done')
        await addChronology(
          caseRow.id,
          { kind: 'task', summary: `Task done: ${task.title}`, sourceId: taskId },
          actor,
          trx,
        )
        await auditCase(actor, 'case.task-completed', caseRow.id, { taskId }, trx)
      })
    },

    /** Opens a case; `reportIds` are linked to it (each report belongs to at most one case). */
    async openCase(
      input: {
        title: string
        category: string
        priority: CasePriority
        sensitivity: CaseSensitivity | null
        owningTeamId: string
        owningPartnerId: string
        leadOfficerId: string | null
        wardCode: string | null
        location?: string | null
        reportIds?: number[]
        openedAt?: Date
        reviewDate?: string | null
      },
      actor: Actor,
      trx?: Executor,
    ): Promise<{ id: string; reference: string }> {
      const now = clock.now()
      const openedAt = input.openedAt ?? now
      return inTransaction(trx, async executor => {
        for (const reportId of input.reportIds ?? []) {
          if (await repository.caseForReport(reportId, executor)) throw new CaseworkError('already_linked')
        }
        const reference = await repository.nextReference(openedAt.getUTCFullYear(), executor)
        const id = await repository.insertCase(
          {
            reference,
            title: input.title,
            category: input.category,
            sensitivity: input.sensitivity,
            priority: input.priority,
            status: 'open',
            owning_team_id: input.owningTeamId,
            owning_partner_id: input.owningPartnerId,
            lead_officer_id: input.leadOfficerId,
            ward_code: input.wardCode,
            location: input.location ?? null,
            opened_at: openedAt,
            review_date: input.reviewDate ?? isoDate(new Date(openedAt.getTime() + 28 * DAY)),
            closed_at: null,
            outcome: null,
            outcome_note: null,
            referred_agency: null,
            created_by: actorUserId(actor),
            updated_at: now,
          },
          executor,
        )
        await addChronology(
          id,
          { kind: 'opened', summary: `Case opened: ${input.title}`, occurredAt: openedAt },
          actor,
          executor,
        )
        for (const reportId of input.reportIds ?? []) {
          await repository.linkReport(id, reportId, actorUserId(actor), now, executor)
          await addChronology(
            id,
            { kind: 'report', summary: 'Report linked', sourceModule: 'reporting', sourceId: String(reportId) },
            actor,
            executor,
          )
        }
        await auditCase(actor, 'case.opened', id, { reports: input.reportIds ?? [] }, executor)
        return { id, reference }
      })
    },

    async linkReport(caseRow: CaseRow, reportId: number, reportReference: string, actor: Actor, trx?: Executor) {
      await inTransaction(trx, async executor => {
        if (await repository.caseForReport(reportId, executor)) throw new CaseworkError('already_linked')
        await repository.linkReport(caseRow.id, reportId, actorUserId(actor), clock.now(), executor)
        await repository.touchCase(caseRow.id, clock.now(), executor)
        await addChronology(
          caseRow.id,
          {
            kind: 'report',
            summary: `Report ${reportReference} linked`,
            sourceModule: 'reporting',
            sourceId: String(reportId),
          },
          actor,
          executor,
        )
        await auditCase(actor, 'case.report-linked', caseRow.id, { reportId }, executor)
      })
    },

    /** Saves the case's details if nobody changed the case since `version` (else CaseVersionConflictError). */
    async updateDetails(caseRow: CaseRow, version: number, details: CaseDetails, actor: Actor): Promise<void> {
      await repository.transaction(async trx => {
        await repository.updateCase(
          caseRow.id,
          version,
          {
            title: details.title,
            category: details.category,
            priority: details.priority,
            sensitivity: details.sensitivity,
            lead_officer_id: details.leadOfficerId,
            review_date: details.reviewDate,
            location: details.location,
            updated_at: clock.now(),
          },
          trx,
        )
        const changed = (
          [
            ['title', caseRow.title, details.title],
            ['category', caseRow.category, details.category],
            ['priority', caseRow.priority, details.priority],
            ['sensitivity', caseRow.sensitivity, details.sensitivity],
            ['lead officer', caseRow.lead_officer_id, details.leadOfficerId],
            ['review date', caseRow.review_date, details.reviewDate],
            ['location', caseRow.location, details.location],
          ] as const
        )
          .filter(([, before, after]) => (before ?? null) !== (after ?? null))
          .map(([name]) => name)
        if (changed.length > 0) {
          await addChronology(
            caseRow.id,
            { kind: 'details', summary: `Details changed: ${changed.join(', ')}` },
            actor,
            trx,
          )
        }
        await auditCase(actor, 'case.details-changed', caseRow.id, { fields: changed }, trx)
      })
    },

    async addParty(caseRow: CaseRow, party: NewParty, actor: Actor, trx?: Executor): Promise<string> {
      return inTransaction(trx, async executor => {
        const id = await repository.insertParty(
          {
            case_id: caseRow.id,
            role: party.role,
            kind: party.kind,
            name: party.name,
            date_of_birth: party.dateOfBirth ?? null,
            address: party.address ?? null,
            postcode: party.postcode ?? null,
            phone: party.phone ?? null,
            email: party.email ?? null,
            vehicle_registration: party.vehicleRegistration ?? null,
            notes: party.notes ?? null,
            contact_withheld: party.contactWithheld ?? false,
            created_by: actorUserId(actor),
            created_at: clock.now(),
          },
          executor,
        )
        await repository.touchCase(caseRow.id, clock.now(), executor)
        await addChronology(
          caseRow.id,
          { kind: 'party', summary: `${party.role} added (${party.kind})`, sourceId: id },
          actor,
          executor,
        )
        await auditCase(
          actor,
          'case.party-added',
          caseRow.id,
          { partyId: id, role: party.role, kind: party.kind },
          executor,
        )
        return id
      })
    },

    async addNote(caseRow: CaseRow, note: { kind: string; summary: string; occurredAt?: Date }, actor: Actor) {
      await repository.transaction(async trx => {
        const id = await addChronology(caseRow.id, note, actor, trx)
        await auditCase(actor, 'case.chronology-added', caseRow.id, { entryId: id, kind: note.kind }, trx)
      })
    },

    async share(caseRow: CaseRow, share: NewShare, actor: Actor, partnerName: string): Promise<void> {
      if (share.partnerId === caseRow.owning_partner_id) throw new CaseworkError('own_partner')
      if (caseRow.shared_partner_ids.includes(share.partnerId)) throw new CaseworkError('already_shared')
      await repository.transaction(async trx => {
        const id = await repository.insertShare(
          {
            case_id: caseRow.id,
            partner_id: share.partnerId,
            lawful_basis: share.lawfulBasis,
            consent_status: share.consentStatus,
            note: share.note ?? null,
            shared_by: actorUserId(actor),
            shared_at: clock.now(),
          },
          trx,
        )
        await repository.touchCase(caseRow.id, clock.now(), trx)
        await addChronology(
          caseRow.id,
          { kind: 'share', summary: `Shared with ${partnerName}`, sourceId: id },
          actor,
          trx,
        )
        await auditCase(
          actor,
          'case.shared',
          caseRow.id,
          { shareId: id, partnerId: share.partnerId, lawfulBasis: share.lawfulBasis, consent: share.consentStatus },
          trx,
        )
      })
    },

    async revokeShare(caseRow: CaseRow, shareId: string, actor: Actor): Promise<void> {
      await repository.transaction(async trx => {
        const revoked = await repository.revokeShare(caseRow.id, shareId, actorUserId(actor) ?? '', clock.now(), trx)
        if (!revoked) throw new CaseworkError('not_found')
        await repository.touchCase(caseRow.id, clock.now(), trx)
        await addChronology(caseRow.id, { kind: 'share', summary: 'Sharing revoked', sourceId: shareId }, actor, trx)
        await auditCase(actor, 'case.share-revoked', caseRow.id, { shareId, partnerId: revoked.partner_id }, trx)
      })
    },

    /**
     * Closes the case at `version` (else CaseVersionConflictError). The reports it came from are closed separately by
     * the caller (reporting's own transaction, its timeline and notifications); `within` runs in this transaction.
     */
    async close(
      caseRow: CaseRow,
      version: number,
      closure: Closure,
      actor: Actor,
      within?: (trx: Transaction<Database>) => Promise<void>,
    ): Promise<void> {
      if (caseRow.status === 'closed') throw new CaseworkError('closed')
      await repository.transaction(async trx => {
        const now = clock.now()
        await repository.updateCase(
          caseRow.id,
          version,
          {
            status: 'closed',
            closed_at: now,
            outcome: closure.outcome,
            outcome_note: closure.publicNote,
            referred_agency: closure.referredAgency ?? null,
            updated_at: now,
          },
          trx,
        )
        await addChronology(caseRow.id, { kind: 'closed', summary: `Case closed: ${closure.outcome}` }, actor, trx)
        await auditCase(actor, 'case.closed', caseRow.id, { outcome: closure.outcome }, trx)
        if (within) await within(trx)
      })
    },

    /** Creates a satisfaction check-in for a report on a closed case; returns the token for the link. */
    async createCheckin(caseId: string, reportId: number, trx: Executor): Promise<string> {
      const token = randomBytes(24).toString('base64url')
      const now = clock.now()
      await trx
        .insertInto('case_checkin')
        .values({
          case_id: caseId,
          report_id: reportId,
          token_hash: hashToken(token),
          created_at: now,
          expires_at: new Date(now.getTime() + 60 * DAY),
        })
        .execute()
      return token
    },

    /** Records a refused attempt to see or change a case (or a missing one). */
    recordRefusal(user: CaseUser, caseRow: CaseRow | undefined, details: Record<string, unknown>) {
      return recordRefusal(user, caseRow, details)
    },

    async addAllocationRule(
      rule: {
        position: number
        category: string | null
        wardCode: string | null
        channel: string | null
        teamId: string
        leadOfficerId: string | null
      },
      actor: Actor,
    ): Promise<string> {
      return repository.transaction(async trx => {
        const row = await trx
          .insertInto('case_allocation_rule')
          .values({
            position: rule.position,
            category: rule.category,
            ward_code: rule.wardCode,
            channel: rule.channel,
            team_id: rule.teamId,
            lead_officer_id: rule.leadOfficerId,
            created_at: clock.now(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await audit.record(
          {
            actor,
            action: 'casework.allocation-rule-added',
            subjectType: 'allocation_rule',
            subjectId: row.id,
            details: { ...rule },
          },
          trx,
        )
        return row.id
      })
    },

    async deleteAllocationRule(id: string, actor: Actor): Promise<boolean> {
      if (!isUuid(id)) return false
      return repository.transaction(async trx => {
        const deleted = await trx
          .deleteFrom('case_allocation_rule')
          .where('id', '=', id)
          .returning('id')
          .executeTakeFirst()
        if (!deleted) return false
        await audit.record(
          { actor, action: 'casework.allocation-rule-deleted', subjectType: 'allocation_rule', subjectId: id },
          trx,
        )
        return true
      })
    },

    /** Records how a staff-entered report reached the officer (phone, 101, walk-in). */
    async recordStaffReport(actor: Actor, reportId: number, source: string) {
      await audit.record({
        actor,
        action: 'triage.report-entered',
        subjectType: 'report',
        subjectId: String(reportId),
        details: { source },
      })
    },

    /**
     * Stores a letter exactly as generated, with a chronology entry: letters come from the action that sends them
     * (a powers action names itself as the source), inside that action's transaction when it passes one.
     */
    async addLetter(
      caseRow: CaseRow,
      letter: {
        template: string
        title: string
        partyId: string | null
        html: string
        sourceModule: string
        sourceId: string
      },
      actor: Actor,
      trx?: Executor,
    ) {
      return inTransaction(trx, async executor => {
        const id = await repository.insertLetter(
          {
            case_id: caseRow.id,
            party_id: letter.partyId,
            template: letter.template,
            title: letter.title,
            html: letter.html,
            source_module: letter.sourceModule,
            source_id: letter.sourceId,
            created_by: actorUserId(actor),
            created_at: clock.now(),
          },
          executor,
        )
        await addChronology(
          caseRow.id,
          { kind: 'letter', summary: `Letter: ${letter.title}`, sourceId: id },
          actor,
          executor,
        )
        await auditCase(
          actor,
          'case.letter-created',
          caseRow.id,
          { letterId: id, template: letter.template, source: letter.sourceModule },
          executor,
        )
        return id
      })
    },

    /**
     * Who has seen or changed the case, newest first, a page at a time (supervisors only, enforced by the route).
     * Filters split every event three ways: refusals (a refused attempt), views (reads and exports), changes.
     */
    async accessLog(caseId: string, options: { filter?: AccessLogFilter; limit?: number; offset?: number } = {}) {
      const filter = options.filter ?? 'all'
      const refusal = sql<boolean>`(a.action = 'case.access-refused' or coalesce(a.details -> 'refused' = 'true'::jsonb, false))`
      const read = sql<boolean>`(lower(a.action) like '%viewed' or lower(a.action) like '%exported')`
      const condition =
        filter === 'refusals'
          ? refusal
          : filter === 'views'
            ? sql<boolean>`(not ${refusal} and ${read})`
            : filter === 'changes'
              ? sql<boolean>`(not ${refusal} and not ${read})`
              : sql<boolean>`true`
      const events = repository.db
        .selectFrom('audit_event as a')
        .where('a.subject_type', '=', 'case')
        .where('a.subject_id', '=', caseId)
        .where(condition)
      const [rows, count] = await Promise.all([
        events
          .leftJoin('staff_user as u', join => join.on(sql<boolean>`a.actor_type = 'user' and u.id::text = a.actor_id`))
          .leftJoin('partner as p', 'p.id', 'u.partner_id')
          .select([
            'a.id',
            'a.occurred_at',
            'a.action',
            'a.actor_type',
            'a.details',
            'u.display_name',
            'p.name as partner_name',
          ])
          .orderBy('a.occurred_at', 'desc')
          .orderBy('a.id', 'desc')
          .limit(options.limit ?? 50)
          .offset(options.offset ?? 0)
          .execute(),
        events.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow(),
      ])
      return { rows, total: count.total }
    },
  }

  async function recordRefusal(user: CaseUser, caseRow: CaseRow | undefined, details: Record<string, unknown>) {
    await audit.record({
      actor: { type: 'user', id: user.id },
      action: 'case.access-refused',
      subjectType: caseRow ? 'case' : null,
      subjectId: caseRow?.id ?? null,
      details: { ...details, found: Boolean(caseRow) },
    })
  }

  async function visibleOrAudit(user: CaseUser, row: CaseRow | undefined, details: Record<string, unknown>) {
    if (row && allowed(user, row, 'case', 'view')) return row
    await recordRefusal(user, row, details)
    return undefined
  }

  return service
}

export type CaseworkService = ReturnType<typeof createCaseworkService>
