/**
 * The panel engine: referrals onto a panel, meetings with attendance, an agenda built from open referrals, minutes
 * per item (restricted, every read audited), owned actions with due dates that become tasks on the linked case, and
 * the referral's chronology. Access decisions come from panel-access.ts; a panel the user is not a member of is
 * `undefined`, exactly like a missing one, and the attempt is recorded.
 *
 * Other modules use `refer` (through the module's index) to put an item on a panel's agenda: the risk module's
 * Community MARAC referrals and the Case Review module's reviews arrive this way, inside the caller's transaction.
 */
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { DomainError } from '../../platform/errors.js'
import type { FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { londonDate } from '../../platform/working-days.js'
import { isUuid } from '../../platform/identifiers.js'
import {
  CONSENT_STATUSES,
  LAWFUL_BASES,
  partyLabel,
  type AssigneeAccess,
  type Casework,
  type CaseRow,
} from '../casework/index.js'
import { canCoordinate, canReadMinutes, isMember, type PanelUser } from './panel-access.js'
import { formatDate } from './panels-forms.js'
import type { PanelTypeConfig } from './panel-types.js'
import type { Executor, MeetingRow, PanelRow, PanelsRepository, ReferralRow } from './panels-repository.js'
import type { PanelKind } from '../../db/schema.js'

export interface PanelReferralInput {
  /** The panel: its kind (the first active panel of that kind) or its code. */
  panel: PanelKind | { code: string }
  caseId: string | null
  partyId?: string | null
  /** A short label for the agenda ("Victim on ASB-26-00012", "Case Review application CR-26-0003"). */
  subject: string
  reason: string
  /** The module the item comes from ('risk', 'case-review', 'panels') and its own record id (idempotency key). */
  sourceModule: string
  sourceId?: string | null
  wardCode?: string | null
  criteria?: string[]
  referredBy?: { userId: string; partnerId: string } | null
  submissionId?: string | null
}

export type PanelsErrorCode = 'no-panel' | 'not-found' | 'closed'

const PANELS_ERROR_STATUS = { 'no-panel': 404, 'not-found': 404, closed: 409 } as const

/**
 * A refusal of the panels module (a domain error, ADR 0026): `no-panel` when the partnership runs no active panel of
 * the kind asked for (a Case Review with no Case Review panel is not an error for the caller to show), `closed` when a
 * referral was closed meanwhile.
 */
export class PanelsError extends DomainError<PanelsErrorCode> {
  constructor(code: PanelsErrorCode) {
    super(code, { status: PANELS_ERROR_STATUS[code], messageKey: `panels.errors.refused.${code}` })
    this.name = 'PanelsError'
  }
}

const MAX_TEXT = 4000

export function createPanelsService(deps: {
  repository: PanelsRepository
  casework: Casework
  audit: AuditService
  clock: Clock
}) {
  const { repository, casework, audit, clock } = deps
  const today = () => londonDate(clock.now())

  async function refusal(user: PanelUser, action: string, subjectType: string, subjectId: string | null) {
    await audit.record({ actor: { type: 'user', id: user.id }, action, subjectType, subjectId, details: {} })
  }

  async function resolvePanel(panel: PanelReferralInput['panel'], executor: Executor): Promise<PanelRow | undefined> {
    return typeof panel === 'string'
      ? repository.panelByKind(panel, executor)
      : repository.panelByCode(panel.code, executor)
  }

  async function referInside(input: PanelReferralInput, actor: Actor, trx: Executor) {
    const panel = await resolvePanel(input.panel, trx)
    if (!panel?.active) throw new PanelsError('no-panel')
    if (input.sourceId) {
      const existing = await repository.referralBySource(panel.id, input.sourceModule, input.sourceId, trx)
      if (existing) return { id: existing.id, panel, created: false }
    }
    if (input.submissionId) {
      const existing = await repository.referralBySubmission(input.submissionId, trx)
      if (existing) return { id: existing.id, panel, created: false }
    }
    const now = clock.now()
    const id = await repository.insertReferral(
      {
        panel_id: panel.id,
        case_id: input.caseId,
        party_id: input.partyId ?? null,
        subject: input.subject,
        reason: input.reason,
        criteria: JSON.stringify(input.criteria ?? []),
        ward_code: input.wardCode ?? null,
        source_module: input.sourceModule,
        source_id: input.sourceId ?? null,
        status: 'open',
        outcome: null,
        referred_by: input.referredBy?.userId ?? null,
        referring_partner_id: input.referredBy?.partnerId ?? null,
        referred_at: now,
        closed_at: null,
        submission_id: input.submissionId ?? null,
      },
      trx,
    )
    if (!id) throw new Error('referral not stored')
    if (input.caseId) {
      await casework.addChronology(
        input.caseId,
        {
          kind: 'panel-referral',
          summary: t('panels.chronology.referred', { panel: panel.name }),
          sourceModule: 'panels',
          sourceId: id,
        },
        actor,
        trx,
      )
    }
    await audit.record(
      {
        actor,
        action: 'PANEL_REFERRAL_MADE',
        subjectType: 'panel_referral',
        subjectId: id,
        details: { panel: panel.code, caseId: input.caseId, source: input.sourceModule },
      },
      trx,
    )
    return { id, panel, created: true }
  }

  const service = {
    repository,
    today,

    /**
     * Makes the panels the partnership runs those its CSP pack names (at every start, `prepare`): a panel the database
     * lacks is added; a named panel nobody has edited takes the pack's wording; a named panel that was made inactive is
     * active again; a panel the pack does not name is removed if nothing refers to it and nobody configured it,
     * otherwise made inactive (its records kept). Once edited on its settings page, a panel's wording and members are
     * the partnership's: the pack never overwrites them.
     */
    async applyPackPanels(configs: readonly PanelTypeConfig[]) {
      const changes = {
        added: [] as string[],
        reworded: [] as string[],
        reactivated: [] as string[],
        removed: [] as string[],
        deactivated: [] as string[],
      }
      await repository.transaction(async trx => {
        const existing = await repository.panels(trx)
        const now = clock.now()
        for (const [index, config] of configs.entries()) {
          const found = existing.find(panel => panel.code === config.code)
          if (!found) {
            await repository.insertPanel(
              {
                code: config.code,
                kind: config.kind,
                name: config.name,
                purpose: config.purpose,
                referral_criteria: config.referralCriteria,
                meeting_cadence: config.meetingCadence,
                minutes_restriction: config.minutesRestriction,
                position: index + 1,
                updated_at: now,
              },
              trx,
            )
            changes.added.push(config.code)
          } else {
            const wording = {
              name: config.name,
              purpose: config.purpose,
              referral_criteria: config.referralCriteria,
              meeting_cadence: config.meetingCadence,
              minutes_restriction: config.minutesRestriction,
              position: index + 1,
            }
            const differs = (Object.keys(wording) as (keyof typeof wording)[]).some(key => found[key] !== wording[key])
            if (differs && (await repository.rewordUneditedPanel(found.id, { ...wording, updated_at: now }, trx)))
              changes.reworded.push(config.code)
            if (!found.active) {
              await repository.setPanelActive(found.id, true, now, trx)
              changes.reactivated.push(config.code)
            }
          }
        }
        const named = new Set(configs.map(config => config.code))
        for (const panel of existing.filter(row => !named.has(row.code))) {
          if (await repository.deleteUnusedPanel(panel.id, trx)) changes.removed.push(panel.code)
          else if (panel.active) {
            await repository.setPanelActive(panel.id, false, now, trx)
            changes.deactivated.push(panel.code)
          }
        }
        if (Object.values(changes).some(codes => codes.length > 0))
          await audit.record(
            {
              actor: { type: 'system', id: null },
              action: 'PANELS_CONFIGURED',
              subjectType: 'panel_type',
              details: changes,
            },
            trx,
          )
      })
      return changes
    },

    async panels(): Promise<PanelRow[]> {
      return repository.panels()
    },

    /** The panels the user is a member of. */
    async panelsFor(user: PanelUser): Promise<PanelRow[]> {
      return (await repository.panels()).filter(panel => isMember(user, panel))
    },

    /** The panel if the user is a member; otherwise undefined (the refusal is recorded when the panel exists). */
    async panelForUser(user: PanelUser, code: string): Promise<PanelRow | undefined> {
      const panel = await repository.panelByCode(code)
      if (panel && isMember(user, panel)) return panel
      if (panel) await refusal(user, 'PANEL_ACCESS_REFUSED', 'panel_type', panel.id)
      return undefined
    },

    isMember,
    canCoordinate,

    /**
     * Puts an item on a panel: idempotent by (panel, sourceModule, sourceId) and by submission id, so a retried
     * call answers with the first referral. Runs in `trx` when given (the caller's transaction).
     */
    async refer(
      input: PanelReferralInput,
      actor: Actor,
      trx?: Executor,
    ): Promise<{ id: string; panelCode: string; created: boolean }> {
      const result = trx
        ? await referInside(input, actor, trx)
        : await repository.transaction(inner => referInside(input, actor, inner))
      return { id: result.id, panelCode: result.panel.code, created: result.created }
    },

    /** Staff refer a case they can see, with a reason (validated; GOV.UK errors). */
    async referCase(
      user: PanelUser,
      actor: Actor,
      caseRow: CaseRow,
      input: { panelCode: string; partyId: string; reason: string; submissionId: string },
    ): Promise<{ ok: true; id: string; panelCode: string } | { ok: false; errors: FieldErrors }> {
      const errors: FieldErrors = {}
      const panel = (await repository.panels()).find(row => row.code === input.panelCode && row.active)
      if (!panel || panel.kind === 'tension-monitoring') errors.panel = t('panels.errors.panel')
      const parties = await casework.repository.parties(caseRow.id)
      const party = parties.find(row => row.id === input.partyId)
      if (input.partyId !== '' && !party) errors.party = t('panels.errors.party')
      if (input.reason === '') errors.reason = t('panels.errors.reason')
      else if (input.reason.length > MAX_TEXT) errors.reason = t('panels.errors.tooLong')
      if (Object.keys(errors).length > 0 || !panel) return { ok: false, errors }
      const subject = party
        ? t('panels.subject.party', { name: partyLabel(party), role: party.role, reference: caseRow.reference })
        : t('panels.subject.case', { reference: caseRow.reference, title: caseRow.title })
      const result = await service.refer(
        {
          panel: { code: panel.code },
          caseId: caseRow.id,
          partyId: party?.id ?? null,
          subject,
          reason: input.reason,
          sourceModule: 'panels',
          sourceId: null,
          wardCode: caseRow.ward_code,
          referredBy: { userId: user.id, partnerId: user.partnerId },
          submissionId: input.submissionId,
        },
        actor,
      )
      return { ok: true, id: result.id, panelCode: result.panelCode }
    },

    async referral(panel: PanelRow, id: string): Promise<ReferralRow | undefined> {
      if (!isUuid(id)) return undefined
      const row = await repository.referral(id)
      return row?.panel_id === panel.id ? row : undefined
    },

    async referrals(panel: PanelRow, status?: ReferralRow['status']) {
      return repository.referralsForPanel(panel.id, status)
    },

    async referralsForCase(caseId: string) {
      return repository.referralsForCase(caseId)
    },

    /** Referrals and actions another module put on a panel (e.g. a Case Review's), for that module's pages. */
    async forSource(sourceModule: string, sourceId: string) {
      const rows = await repository.db
        .selectFrom('panel_referral')
        .select(['id', 'panel_id', 'status', 'outcome'])
        .where('source_module', '=', sourceModule)
        .where('source_id', '=', sourceId)
        .execute()
      return Promise.all(
        rows.map(async row => ({
          referralId: row.id,
          status: row.status,
          outcome: row.outcome,
          actions: (await repository.actionsForReferral(row.id)).map(action => ({
            title: action.title,
            ownerName: action.owner_name,
            dueDate: action.due_date,
            caseTaskId: action.case_task_id,
          })),
        })),
      )
    },

    async meetings(panel: PanelRow): Promise<MeetingRow[]> {
      return repository.meetings(panel.id)
    },

    async meeting(panel: PanelRow, id: string): Promise<MeetingRow | undefined> {
      if (!isUuid(id)) return undefined
      const row = await repository.meeting(id)
      return row?.panel_id === panel.id ? row : undefined
    },

    /** Schedules a meeting and builds its agenda from the panel's open referrals. */
    async createMeeting(
      user: PanelUser,
      actor: Actor,
      panel: PanelRow,
      input: { meetsOn: string | null; chair: string; location: string; submissionId: string },
    ): Promise<{ ok: true; id: string } | { ok: false; errors: FieldErrors }> {
      const already = await repository.meetingBySubmission(input.submissionId)
      if (already) return { ok: true, id: already.id }
      const errors: FieldErrors = {}
      if (!input.meetsOn) errors['meetsOn-day'] = t('panels.errors.meetsOn')
      if (input.chair === '') errors.chair = t('panels.errors.chair')
      else if (input.chair.length > 200) errors.chair = t('panels.errors.tooLong')
      if (input.location.length > 200) errors.location = t('panels.errors.tooLong')
      if (!canCoordinate(user, panel)) errors.chair = t('panels.errors.coordinator')
      if (Object.keys(errors).length > 0 || !input.meetsOn) return { ok: false, errors }
      const meetsOn = input.meetsOn
      const id = await repository.transaction(async trx => {
        const now = clock.now()
        const id = await repository.insertMeeting(
          {
            panel_id: panel.id,
            meets_on: meetsOn,
            chair: input.chair,
            location: input.location === '' ? null : input.location,
            created_by: user.id,
            created_at: now,
            submission_id: input.submissionId,
          },
          trx,
        )
        const added = await repository.addOpenReferralsToAgenda(id, panel.id, now, trx)
        await audit.record(
          {
            actor,
            action: 'PANEL_MEETING_CREATED',
            subjectType: 'panel_meeting',
            subjectId: id,
            details: { panel: panel.code, agendaItems: added },
          },
          trx,
        )
        return id
      })
      return { ok: true, id }
    },

    /** Adds referrals made since the agenda was built. */
    async refreshAgenda(actor: Actor, panel: PanelRow, meeting: MeetingRow): Promise<number> {
      return repository.transaction(async trx => {
        const added = await repository.addOpenReferralsToAgenda(meeting.id, panel.id, clock.now(), trx)
        await audit.record(
          {
            actor,
            action: 'PANEL_AGENDA_REFRESHED',
            subjectType: 'panel_meeting',
            subjectId: meeting.id,
            details: { added },
          },
          trx,
        )
        return added
      })
    },

    async agenda(meeting: MeetingRow) {
      return repository.agenda(meeting.id)
    },

    async attendance(meeting: MeetingRow) {
      return repository.attendance(meeting.id)
    },

    async memberPartners(panel: PanelRow) {
      return (await repository.partners()).filter(partner => panel.partner_ids.includes(partner.id))
    },

    async recordAttendance(
      actor: Actor,
      panel: PanelRow,
      meeting: MeetingRow,
      rows: { partnerId: string; present: boolean; representative: string }[],
    ): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      const errors: FieldErrors = {}
      for (const row of rows) {
        if (!panel.partner_ids.includes(row.partnerId)) errors.attendance = t('panels.errors.partner')
        if (row.representative.length > 200) errors[`rep-${row.partnerId}`] = t('panels.errors.tooLong')
        if (row.present && row.representative === '') {
          errors[`rep-${row.partnerId}`] = t('panels.errors.representative')
        }
      }
      if (Object.keys(errors).length > 0) return { ok: false, errors }
      await repository.transaction(async trx => {
        await repository.saveAttendance(
          meeting.id,
          rows.map(row => ({
            partnerId: row.partnerId,
            present: row.present,
            representative: row.representative === '' ? null : row.representative,
          })),
          trx,
        )
        await audit.record(
          {
            actor,
            action: 'PANEL_ATTENDANCE_RECORDED',
            subjectType: 'panel_meeting',
            subjectId: meeting.id,
            details: { present: rows.filter(row => row.present).length },
          },
          trx,
        )
      })
      return { ok: true }
    },

    /** An agenda item of the meeting with its referral. */
    async item(meeting: MeetingRow, itemId: string) {
      if (!isUuid(itemId)) return undefined
      const item = await repository.agendaItem(itemId)
      if (item?.meeting_id !== meeting.id) return undefined
      const referral = await repository.referral(item.referral_id)
      return referral ? { item, referral } : undefined
    },

    async mayReadMinutes(user: PanelUser, panel: PanelRow, meeting: MeetingRow): Promise<boolean> {
      return canReadMinutes(user, panel, await repository.attendance(meeting.id))
    },

    /**
     * The minutes of an item if the user may read them. Every read is an audit event; so is every refusal. Returns
     * `{ allowed: false }` when the user may not, `{ allowed: true, minute: undefined }` when none are recorded.
     */
    async readMinutes(user: PanelUser, panel: PanelRow, meeting: MeetingRow, itemId: string) {
      const allowed = await service.mayReadMinutes(user, panel, meeting)
      if (!allowed) {
        await refusal(user, 'PANEL_MINUTES_REFUSED', 'panel_agenda_item', itemId)
        return { allowed: false as const }
      }
      const minute = await repository.minute(itemId)
      await audit.record({
        actor: { type: 'user', id: user.id },
        action: 'PANEL_MINUTES_READ',
        subjectType: 'panel_agenda_item',
        subjectId: itemId,
        details: { panel: panel.code, meetingId: meeting.id, recorded: Boolean(minute) },
      })
      return { allowed: true as const, minute }
    },

    async saveMinutes(
      user: PanelUser,
      actor: Actor,
      panel: PanelRow,
      meeting: MeetingRow,
      item: { id: string; referral: ReferralRow },
      text: string,
    ): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      if (!canCoordinate(user, panel)) return { ok: false, errors: { minutes: t('panels.errors.coordinator') } }
      if (text === '') return { ok: false, errors: { minutes: t('panels.errors.minutes') } }
      if (text.length > 20_000) return { ok: false, errors: { minutes: t('panels.errors.tooLong') } }
      await repository.transaction(async trx => {
        const first = !(await repository.minute(item.id, trx))
        await repository.saveMinute(item.id, text, user.id, clock.now(), trx)
        if (first && item.referral.case_id) {
          await casework.addChronology(
            item.referral.case_id,
            {
              kind: 'panel-heard',
              summary: t('panels.chronology.heard', { panel: panel.name, date: formatDate(meeting.meets_on) }),
              sourceModule: 'panels',
              sourceId: item.id,
            },
            actor,
            trx,
          )
        }
        await audit.record(
          {
            actor,
            action: first ? 'PANEL_MINUTES_RECORDED' : 'PANEL_MINUTES_CHANGED',
            subjectType: 'panel_agenda_item',
            subjectId: item.id,
            details: { panel: panel.code, meetingId: meeting.id },
          },
          trx,
        )
      })
      return { ok: true }
    },

    /** Users who may own an action: active staff of the panel's member partners. */
    async possibleOwners(panel: PanelRow) {
      return repository.usersOfPartners(panel.partner_ids)
    },

    async actionsForItem(itemId: string) {
      return repository.actionsForItem(itemId)
    },

    /**
     * Records an action with an owner and a due date. Without either it is refused (GOV.UK errors). When the
     * referral is about a case, the action becomes an owned task on the case, with a chronology entry, in the same
     * transaction. Idempotent by submission id.
     *
     * Handoffs (ADR 0053): a task is never made for an owner who cannot open it. When the owner's partner does not see
     * the case but a share would let them, the answer offers the share (`offerShare`); the coordinator records the
     * lawful basis and consent and the case is shared with that partner in the same transaction as the task (audited
     * and in the case's chronology, as any share). When no share would help (a sensitive case and an owner who is not
     * an officer, another team of the owning partner), the action is refused with the reason in words.
     */
    async addAction(
      user: PanelUser,
      actor: Actor,
      panel: PanelRow,
      meeting: MeetingRow,
      item: { id: string; referral: ReferralRow },
      input: {
        title: string
        ownerUserId: string
        dueDate: string | null
        submissionId: string
        share?: { lawfulBasis: string; consentStatus: string; note: string }
      },
    ): Promise<
      | { ok: true; id: string; taskId: string | null; sharedWith: string | null }
      | { ok: false; errors: FieldErrors; offerShare?: { partnerName: string; ownerName: string } }
    > {
      const already = await repository.actionBySubmission(input.submissionId)
      if (already) return { ok: true, id: already.id, taskId: already.case_task_id, sharedWith: null }
      const errors: FieldErrors = {}
      if (!canCoordinate(user, panel)) errors.title = t('panels.errors.coordinator')
      if (input.title === '') errors.title = t('panels.errors.actionTitle')
      else if (input.title.length > 500) errors.title = t('panels.errors.tooLong')
      const owners = await repository.usersOfPartners(panel.partner_ids)
      const owner = owners.find(row => row.id === input.ownerUserId)
      if (input.ownerUserId === '') errors.owner = t('panels.errors.owner')
      else if (!owner) errors.owner = t('panels.errors.ownerMember')
      if (!input.dueDate) errors['due-day'] = t('panels.errors.dueDate')
      else if (input.dueDate < meeting.meets_on) errors['due-day'] = t('panels.errors.dueBeforeMeeting')
      if (Object.keys(errors).length > 0 || !owner || !input.dueDate) return { ok: false, errors }
      const caseId = item.referral.case_id
      const access: AssigneeAccess = caseId
        ? await casework.assigneeAccess(caseId, owner.id)
        : { kind: 'sees' as const }
      if (access.kind === 'cannot')
        return {
          ok: false,
          errors: { owner: t(`handoffs.cannotSee.${access.reason}`, { name: owner.display_name }) },
        }
      let share: {
        lawfulBasis: (typeof LAWFUL_BASES)[number]
        consentStatus: (typeof CONSENT_STATUSES)[number]
        note: string
      } | null = null
      if (access.kind === 'share') {
        const offerShare = { partnerName: access.partnerName, ownerName: access.displayName }
        if (!input.share)
          return { ok: false, errors: { shareLawfulBasis: t('handoffs.shareNeeded', offerShare) }, offerShare }
        const lawfulBasis = LAWFUL_BASES.find(value => value === input.share?.lawfulBasis)
        const consentStatus = CONSENT_STATUSES.find(value => value === input.share?.consentStatus)
        const note = input.share.note
        const shareErrors: FieldErrors = {}
        if (!lawfulBasis) shareErrors.shareLawfulBasis = t('casework.errors.lawfulBasis')
        if (!consentStatus) shareErrors.shareConsent = t('casework.errors.consent')
        else if (lawfulBasis === 'consent' && consentStatus !== 'given')
          shareErrors.shareConsent = t('casework.errors.consentBasis')
        else if (consentStatus === 'refused-overridden' && note === '')
          shareErrors.shareNote = t('casework.errors.overrideReason')
        if (note.length > MAX_TEXT) shareErrors.shareNote = t('panels.errors.tooLong')
        if (Object.keys(shareErrors).length > 0 || !lawfulBasis || !consentStatus)
          return { ok: false, errors: shareErrors, offerShare }
        share = { lawfulBasis, consentStatus, note }
      }
      const dueDate = input.dueDate
      return repository.transaction(async trx => {
        let sharedWith: string | null = null
        if (share && caseId && access.kind === 'share') {
          const caseRow = await casework.repository.caseById(caseId, trx)
          if (!caseRow) throw new PanelsError('not-found')
          await casework.share(
            caseRow,
            {
              partnerId: access.partnerId,
              lawfulBasis: share.lawfulBasis,
              consentStatus: share.consentStatus,
              note: share.note || t('handoffs.shareNote', { panel: panel.name }),
            },
            actor,
            access.partnerName,
            trx,
          )
          sharedWith = access.partnerName
        }
        const now = clock.now()
        const id = await repository.insertAction(
          {
            panel_id: panel.id,
            agenda_item_id: item.id,
            referral_id: item.referral.id,
            case_id: item.referral.case_id,
            title: input.title,
            owner_user_id: owner.id,
            due_date: dueDate,
            case_task_id: null,
            created_by: user.id,
            created_at: now,
            submission_id: input.submissionId,
          },
          trx,
        )
        let taskId: string | null = null
        if (item.referral.case_id) {
          const task = await casework.createTask(
            {
              caseId: item.referral.case_id,
              title: t('panels.task.title', { panel: panel.name, title: input.title }),
              ownerUserId: owner.id,
              dueDate,
              sourceModule: 'panels',
              sourceId: id,
            },
            actor,
            trx,
          )
          taskId = task.id
          await repository.setActionTask(id, taskId, trx)
        }
        await audit.record(
          {
            actor,
            action: 'PANEL_ACTION_RECORDED',
            subjectType: 'panel_action',
            subjectId: id,
            details: {
              panel: panel.code,
              meetingId: meeting.id,
              referralId: item.referral.id,
              taskId,
              sharedWithPartnerId: sharedWith && access.kind === 'share' ? access.partnerId : null,
            },
          },
          trx,
        )
        return { ok: true as const, id, taskId, sharedWith }
      })
    },

    /** Closes a referral with the panel's outcome; it leaves future agendas. */
    async closeReferral(
      user: PanelUser,
      actor: Actor,
      panel: PanelRow,
      referral: ReferralRow,
      outcome: string,
    ): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      if (!canCoordinate(user, panel)) return { ok: false, errors: { outcome: t('panels.errors.coordinator') } }
      if (outcome === '') return { ok: false, errors: { outcome: t('panels.errors.outcome') } }
      if (outcome.length > MAX_TEXT) return { ok: false, errors: { outcome: t('panels.errors.tooLong') } }
      if (referral.status !== 'open') return { ok: false, errors: { outcome: t('panels.errors.closed') } }
      await repository.transaction(async trx => {
        if (!(await repository.closeReferral(referral.id, outcome, clock.now(), trx))) {
          throw new PanelsError('closed')
        }
        if (referral.case_id) {
          await casework.addChronology(
            referral.case_id,
            {
              kind: 'panel-closed',
              summary: t('panels.chronology.closed', { panel: panel.name }),
              sourceModule: 'panels',
              sourceId: referral.id,
            },
            actor,
            trx,
          )
        }
        await audit.record(
          { actor, action: 'PANEL_REFERRAL_CLOSED', subjectType: 'panel_referral', subjectId: referral.id },
          trx,
        )
      })
      return { ok: true }
    },

    /**
     * The referral's chronology: referral, each hearing (with its minutes when the user may read them; each read
     * audited), each action with its case task's status, and the closure. Never includes safe-contact details.
     */
    async chronology(user: PanelUser, panel: PanelRow, referral: ReferralRow) {
      const entries: { date: string; kind: string; text: string; detail: string }[] = []
      entries.push({
        date: londonDate(new Date(referral.referred_at)),
        kind: t('panels.export.kind.referral'),
        text: t('panels.export.referral', {
          by: referral.referred_by_name ?? t('panels.export.system'),
          partner: referral.referring_partner_name ?? '',
        }),
        detail: referral.reason,
      })
      const items = await repository.itemsForReferral(referral.id)
      for (const item of items) {
        const meeting = await repository.meeting(item.meeting_id)
        if (!meeting) continue
        const minutes = await service.readMinutes(user, panel, meeting, item.id)
        entries.push({
          date: item.meets_on,
          kind: t('panels.export.kind.meeting'),
          text: t('panels.export.meeting', { chair: item.chair }),
          detail: minutes.allowed
            ? (minutes.minute?.text ?? t('panels.export.noMinutes'))
            : t('panels.export.minutesRestricted'),
        })
      }
      const actions = await repository.actionsForReferral(referral.id)
      const statuses = await repository.taskStatuses(
        actions.map(action => action.case_task_id).filter((id): id is string => id !== null),
      )
      for (const action of actions) {
        const status = action.case_task_id ? statuses.get(action.case_task_id) : undefined
        entries.push({
          date: londonDate(new Date(action.created_at)),
          kind: t('panels.export.kind.action'),
          text: action.title,
          detail: t('panels.export.action', {
            owner: action.owner_name,
            partner: action.owner_partner_name,
            due: formatDate(action.due_date),
            status: status ? t(`panels.taskStatus.${status}`) : t('panels.taskStatus.none'),
          }),
        })
      }
      if (referral.closed_at) {
        entries.push({
          date: londonDate(new Date(referral.closed_at)),
          kind: t('panels.export.kind.closed'),
          text: t('panels.export.closed'),
          detail: referral.outcome ?? '',
        })
      }
      return entries.sort((a, b) => a.date.localeCompare(b.date))
    },

    /** Updates a panel's configuration (settings page). */
    async updateSettings(
      actor: Actor,
      panel: PanelRow,
      version: number,
      input: {
        name: string
        purpose: string
        criteria: string
        cadence: string
        restriction: string
        partnerIds: string[]
      },
    ): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      const errors: FieldErrors = {}
      if (input.name === '') errors.name = t('panels.errors.name')
      else if (input.name.length > 120) errors.name = t('panels.errors.tooLong')
      if (input.purpose === '') errors.purpose = t('panels.errors.purpose')
      if (input.criteria === '') errors.criteria = t('panels.errors.criteria')
      if (input.cadence === '') errors.cadence = t('panels.errors.cadence')
      for (const [key, value] of [
        ['purpose', input.purpose],
        ['criteria', input.criteria],
        ['cadence', input.cadence],
      ] as const) {
        if (value.length > MAX_TEXT) errors[key] = t('panels.errors.tooLong')
      }
      if (input.restriction !== 'members' && input.restriction !== 'attendees') {
        errors.restriction = t('panels.errors.restriction')
      }
      const partners = await repository.partners()
      const partnerIds = [...new Set(input.partnerIds)]
      if (partnerIds.length === 0 || !partnerIds.every(id => partners.some(partner => partner.id === id))) {
        errors.partners = t('panels.errors.partners')
      }
      if (Object.keys(errors).length > 0) return { ok: false, errors }
      await repository.transaction(async trx => {
        await repository.updatePanel(
          panel.id,
          version,
          {
            name: input.name,
            purpose: input.purpose,
            referral_criteria: input.criteria,
            meeting_cadence: input.cadence,
            minutes_restriction: input.restriction as 'members' | 'attendees',
            updated_at: clock.now(),
          },
          partnerIds,
          trx,
        )
        await audit.record(
          {
            actor,
            action: 'PANEL_SETTINGS_CHANGED',
            subjectType: 'panel_type',
            subjectId: panel.id,
            details: { partners: partnerIds.length, restriction: input.restriction },
          },
          trx,
        )
      })
      return { ok: true }
    },
  }
  return service
}

export type PanelsService = ReturnType<typeof createPanelsService>
