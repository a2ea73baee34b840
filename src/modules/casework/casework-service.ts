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
import { partyFor, partyLabel } from './casework-presenters.js'
import {
  allowed,
  canOverrideClosure,
  grantOf,
  partyDetailsShown,
  type CaseAction,
  type CaseResource,
} from './policy.js'

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

/**
 * How a would-be task owner stands to a case (handoffs, ADR 0053): `sees` when they can open the case's tasks;
 * `share` when a recorded share with their partner would let them (the caller may offer it); `cannot` otherwise, with
 * the reason in words on the page: `sensitive` (a domestic abuse, hate or safeguarding case is for officers and
 * supervisors only), `other-team` (another team of the owning partner: a case is not shared inside its own partner),
 * `role` (their roles give no access to casework), `unknown` (no such active account).
 */
export type AssigneeAccess =
  | { kind: 'sees' }
  | { kind: 'share'; partnerId: string; partnerName: string; displayName: string }
  | { kind: 'cannot'; reason: 'sensitive' | 'other-team' | 'role' | 'unknown'; displayName: string | null }

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

/**
 * What other modules know about a case that matters before it closes, given by each module through its index and
 * collected by the composition root (`registerClosureFacts`). Casework puts them into words on the closure checklist.
 */
export interface ClosureFacts {
  /** Victims whose latest risk assessment is high: their review is not done. */
  highRiskVictims?: { partyId: string; reviewDue: string }[]
  /** Parties referred to the Community MARAC (by the risk module or the panels module). */
  maracReferredPartyIds?: string[]
  /** Legal actions still inside their appeal window or compliance period. */
  activePowers?: { label: string; actionDate: string; appealBy: string | null; complianceEnds: string | null }[]
  /** ASB Case Reviews on this case that have not finished. */
  caseReviews?: { reference: string; href: string }[]
}

export type ClosureFactSource = (caseId: string, today: string, executor: Executor) => Promise<ClosureFacts>

export type ClosureCheckKind = 'risk-review' | 'marac' | 'powers' | 'case-review'

/** One reason not to close yet: closing needs a supervisor's recorded override while any remains. */
export interface ClosureBlocker {
  kind: ClosureCheckKind
  /** Who or what it is about, in words (a party's name, a power and its date, a review's reference). */
  subject: string
  /** The date that matters (review due, appeal window end, compliance end), YYYY-MM-DD, if any. */
  date: string | null
  href?: string
}

export interface ClosureChecklist {
  openTasks: { id: string; title: string; due_date: string }[]
  blockers: ClosureBlocker[]
}

/** How the case closes: the choice for its open tasks and, when checks remain, a supervisor's override reason. */
export interface ClosureOptions {
  user: CaseUser
  tasks: 'close' | 'carry' | null
  overrideReason: string | null
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
  | 'closure_blocked'
  | 'override_forbidden'
  | 'tasks_choice'
  | 'not_closed'
  | 'assignee_cannot_see'

const CASEWORK_ERROR_STATUS: Record<CaseworkErrorCode, DomainStatus> = {
  forbidden: 403,
  closed: 409,
  already_linked: 409,
  not_found: 404,
  already_shared: 409,
  own_partner: 400,
  task_done: 409,
  report_closed: 409,
  closure_blocked: 409,
  override_forbidden: 403,
  tasks_choice: 400,
  not_closed: 409,
  assignee_cannot_see: 409,
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

/** Chronology text is stored in words, as the rest of the chronology. */
const closureKindWords: Record<ClosureCheckKind, string> = {
  'risk-review': 'high-risk victim not reviewed',
  marac: 'high-risk victim not referred to Community MARAC',
  powers: 'legal action in its appeal window or compliance period',
  'case-review': 'ASB Case Review in progress',
}

const closureOutcomeWords: Record<CaseOutcome, string> = {
  resolved: 'resolved',
  no_further_action: 'no further action',
  not_asb: 'not antisocial behaviour',
  referred: 'referred to another agency',
}

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
  const closureSources: ClosureFactSource[] = []
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

    /** Adds a source of facts for the closure checklist (risk, powers, panels, Case Review). */
    registerClosureFacts(source: ClosureFactSource): void {
      closureSources.push(source)
    },

    closureChecklist(caseRow: CaseRow, executor?: Executor): Promise<ClosureChecklist> {
      return closureChecklist(caseRow, executor ?? repository.db)
    },

    /** Whether the user may record an override of the closure checks (a supervisor working the case). */
    canOverrideClosure(user: CaseUser, caseRow: CaseRow): boolean {
      return canOverrideClosure(user, caseRow)
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

    /**
     * Who hears of events on a case (staff alerts, ADR 0053): its lead officer and its owning team's supervisors,
     * each only if they may see the case now.
     */
    async alertRecipients(caseId: string): Promise<string[]> {
      const ids = await repository.caseWatchers(caseId)
      const recipients: string[] = []
      for (const id of ids) if ((await service.assigneeAccess(caseId, id)).kind === 'sees') recipients.push(id)
      return recipients
    },

    /** Whether the user could open this case's tasks, and if not whether sharing the case would let them. */
    async assigneeAccess(caseId: string, userId: string, executor?: Executor): Promise<AssigneeAccess> {
      const [caseRow, user] = await Promise.all([
        repository.caseById(caseId, executor),
        repository.assignee(userId, executor),
      ])
      if (!caseRow || !user) return { kind: 'cannot', reason: 'unknown', displayName: user?.displayName ?? null }
      const facts = { ...user, roles: user.roles as Role[] }
      if (allowed(facts, caseRow, 'task', 'view')) return { kind: 'sees' }
      const displayName = user.displayName
      if (user.partnerId === caseRow.owning_partner_id) return { kind: 'cannot', reason: 'other-team', displayName }
      const shared = { ...caseRow, shared_partner_ids: [...caseRow.shared_partner_ids, user.partnerId] }
      if (allowed(facts, shared, 'task', 'view'))
        return { kind: 'share', partnerId: user.partnerId, partnerName: user.partnerName, displayName }
      const plain = allowed(facts, { ...shared, sensitivity: null }, 'task', 'view')
      return { kind: 'cannot', reason: plain ? 'sensitive' : 'role', displayName }
    },

    /**
     * Creates an owned task on a case, with a chronology entry. Runs in `trx` when given. Never makes a task its owner
     * cannot open: an owner who cannot see the case is refused (`assignee_cannot_see`); callers check first with
     * `assigneeAccess` and offer a share or say why.
     */
    async createTask(input: NewTask, actor: Actor, trx?: Executor): Promise<{ id: string }> {
      return inTransaction(trx, async executor => {
        if (input.ownerUserId) {
          const access = await service.assigneeAccess(input.caseId, input.ownerUserId, executor)
          if (access.kind !== 'sees') throw new CaseworkError('assignee_cannot_see')
        }
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

    async share(
      caseRow: CaseRow,
      share: NewShare,
      actor: Actor,
      partnerName: string,
      within?: Executor,
    ): Promise<void> {
      if (share.partnerId === caseRow.owning_partner_id) throw new CaseworkError('own_partner')
      if (caseRow.shared_partner_ids.includes(share.partnerId)) throw new CaseworkError('already_shared')
      await inTransaction(within, async trx => {
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
     * Closes the case at `version` (else CaseVersionConflictError), after the closure checklist: open tasks need the
     * explicit choice (closed with the case or carried), and any other check needs a supervisor's override reason,
     * recorded in the chronology and the audit trail. `within` runs in this transaction: the caller closes the case's
     * reports there (reporting's timeline, notifications and check-ins), so the case never closes without them.
     */
    async close(
      caseRow: CaseRow,
      version: number,
      closure: Closure,
      actor: Actor,
      within?: (trx: Transaction<Database>) => Promise<void>,
      options?: ClosureOptions,
    ): Promise<void> {
      if (caseRow.status === 'closed') throw new CaseworkError('closed')
      await repository.transaction(async trx => {
        const now = clock.now()
        const checklist = await closureChecklist(caseRow, trx)
        const override = options?.overrideReason?.trim() ? options.overrideReason.trim() : null
        if (options) {
          if (checklist.openTasks.length > 0 && !options.tasks) throw new CaseworkError('tasks_choice')
          if (checklist.blockers.length > 0 && !override) throw new CaseworkError('closure_blocked')
          if (checklist.blockers.length > 0 && !canOverrideClosure(options.user, caseRow))
            throw new CaseworkError('override_forbidden')
        }
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
        if (checklist.blockers.length > 0 && override) {
          await addChronology(
            caseRow.id,
            {
              kind: 'closed',
              summary: `Closure checks overridden by a supervisor: ${override} (${checklist.blockers
                .map(blocker => `${closureKindWords[blocker.kind]}: ${blocker.subject}`)
                .join('; ')})`,
            },
            actor,
            trx,
          )
          await auditCase(
            actor,
            'case.closure-overridden',
            caseRow.id,
            { reason: override, checks: checklist.blockers.map(blocker => blocker.kind) },
            trx,
          )
        }
        let tasks: { choice: 'close' | 'carry'; count: number } | null = null
        if (checklist.openTasks.length > 0) {
          // Without the form's choice (imports, the demo), the case's tasks end with it.
          const choice = options?.tasks ?? 'close'
          const count =
            choice === 'close' ? await repository.closeOpenTasks(caseRow.id, now, trx) : checklist.openTasks.length
          tasks = { choice, count }
          await addChronology(
            caseRow.id,
            {
              kind: 'task',
              summary:
                choice === 'close'
                  ? `${count} open task(s) closed with the case`
                  : `${count} open task(s) carried after closure: ${checklist.openTasks.map(task => task.title).join('; ')}`,
            },
            actor,
            trx,
          )
        }
        await addChronology(
          caseRow.id,
          { kind: 'closed', summary: `Case closed: ${closureOutcomeWords[closure.outcome]}` },
          actor,
          trx,
        )
        await auditCase(
          actor,
          'case.closed',
          caseRow.id,
          { outcome: closure.outcome, tasks, overridden: Boolean(override && checklist.blockers.length > 0) },
          trx,
        )
        if (within) await within(trx)
      })
    },

    /**
     * Reopens a closed case at `version` with the reason (chronology and audit). `within` runs in this transaction:
     * the caller reopens the case's reports there, so residents see their report in progress again.
     */
    async reopen(
      caseRow: CaseRow,
      version: number,
      reason: string,
      actor: Actor,
      within?: (trx: Transaction<Database>) => Promise<void>,
    ): Promise<void> {
      if (caseRow.status !== 'closed') throw new CaseworkError('not_closed')
      await repository.transaction(async trx => {
        const now = clock.now()
        await repository.updateCase(
          caseRow.id,
          version,
          {
            status: 'open',
            closed_at: null,
            outcome: null,
            outcome_note: null,
            referred_agency: null,
            updated_at: now,
          },
          trx,
        )
        await addChronology(caseRow.id, { kind: 'reopened', summary: `Case reopened: ${reason}` }, actor, trx)
        await auditCase(actor, 'case.reopened', caseRow.id, { reason, previousOutcome: caseRow.outcome }, trx)
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

  /** The checklist before closing: the case's open tasks, and every other module's reasons to wait. */
  async function closureChecklist(caseRow: CaseRow, executor: Executor): Promise<ClosureChecklist> {
    const today = isoDate(clock.now())
    const [tasks, parties, ...facts] = await Promise.all([
      repository.tasks(caseRow.id, executor),
      repository.parties(caseRow.id, executor),
      ...closureSources.map(source => source(caseRow.id, today, executor)),
    ])
    const nameOf = (partyId: string) => {
      const party = parties.find(candidate => candidate.id === partyId)
      return party ? partyLabel(party) : partyId
    }
    const referred = new Set(facts.flatMap(fact => fact.maracReferredPartyIds ?? []))
    const highRisk = facts.flatMap(fact => fact.highRiskVictims ?? [])
    const blockers: ClosureBlocker[] = [
      ...highRisk.map(victim => ({
        kind: 'risk-review' as const,
        subject: nameOf(victim.partyId),
        date: victim.reviewDue,
      })),
      ...highRisk
        .filter(victim => !referred.has(victim.partyId))
        .map(victim => ({ kind: 'marac' as const, subject: nameOf(victim.partyId), date: null })),
      ...facts
        .flatMap(fact => fact.activePowers ?? [])
        .map(power => ({
          kind: 'powers' as const,
          subject: power.label,
          date:
            [power.appealBy, power.complianceEnds]
              .filter((date): date is string => Boolean(date) && (date ?? '') >= today)
              .sort()
              .pop() ?? null,
        })),
      ...facts
        .flatMap(fact => fact.caseReviews ?? [])
        .map(review => ({ kind: 'case-review' as const, subject: review.reference, date: null, href: review.href })),
    ]
    return {
      openTasks: tasks
        .filter(task => task.status === 'open')
        .map(task => ({ id: task.id, title: task.title, due_date: task.due_date })),
      blockers,
    }
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
