/**
 * The powers ladder on a case. Taking an action needs the right to change the case; the guardrails (age gates,
 * prerequisites, lengths, not before the case was opened) refuse it with a reason the form shows. An action is first
 * prepared (checked and kept as a draft with the exact letter it would send, for the officer to preview) and then
 * confirmed: the action, its chronology entry, its reminder tasks, its letter and its audit event are written in one
 * transaction, once per submission, under the policy version in force. An action recorded late (dated more than the
 * policy's days before it was entered) needs a reason and a supervisor's approval before it counts. Later variations,
 * extensions, withdrawals and discharges are kept beside the action and decide whether it is still active.
 */
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { addDays, isIsoDate, londonDate, londonInstant } from '../../platform/working-days.js'
import { DomainError } from '../../platform/errors.js'
import type { StaffUser } from '../accounts/index.js'
import { partyFor, partyLabel, partyNameFor, type Casework, type CaseRow, type PartyRow } from '../casework/index.js'
import {
  computeDeadlines,
  guardrails,
  ladder,
  reminders,
  type Deadlines,
  type PriorAction,
  type Subject,
} from './powers-engine.js'
import { describeBlock, formatDate, reminderTitle } from './powers-presenters.js'
import type { PackLetterhead } from '../pack/index.js'
import { ruleFor, type PowerCode, type PowerRule, type PowersPolicy } from './powers-policy.js'
import type { ActionRow, ChangeRow, DraftRow, PowersRepository } from './powers-repository.js'
import { parseAction, type ParsedAction } from './powers-validation.js'

export type PowersUser = Pick<StaffUser, 'id' | 'partnerId' | 'teamId' | 'roles'>

export const BREACH_RESPONSES = ['fixed-penalty', 'prosecution', 'warning', 'court', 'no-further-action'] as const

/** What can happen to an action after it was taken. */
export const CHANGE_KINDS = ['variation', 'extension', 'withdrawal', 'discharge'] as const
export type ChangeKind = (typeof CHANGE_KINDS)[number]

/** Where an action stands today: only an active one is a step on the ladder or a live power on the case. */
export type ActionStatus = 'pending-approval' | 'refused' | 'withdrawn' | 'discharged' | 'expired' | 'active'

/** An action's deadlines with its extensions applied (the latest new end date wins). */
export function deadlinesWithChanges(row: ActionRow, changes: readonly ChangeRow[]): Deadlines {
  const deadlines: Deadlines = { ...row.deadlines }
  for (const change of changes) {
    if (change.action_id !== row.id || change.kind !== 'extension' || !change.new_end_date) continue
    if (deadlines.expiresOn) deadlines.expiresOn = change.new_end_date
    else if (deadlines.complianceEnds) {
      deadlines.complianceEnds = change.new_end_date
      deadlines.nextStepFrom = addDays(change.new_end_date, 1)
    }
  }
  return deadlines
}

/** Whether the action counts today: approved when recorded late, not withdrawn or discharged, not past its end. */
export function actionStatus(row: ActionRow, changes: readonly ChangeRow[], today: string): ActionStatus {
  if (row.approval_status === 'pending') return 'pending-approval'
  if (row.approval_status === 'refused') return 'refused'
  const ended = changes.find(
    change =>
      change.action_id === row.id &&
      (change.kind === 'withdrawal' || change.kind === 'discharge') &&
      change.effective_date <= today,
  )
  if (ended) return ended.kind === 'withdrawal' ? 'withdrawn' : 'discharged'
  const deadlines = deadlinesWithChanges(row, changes)
  const endsOn = deadlines.expiresOn ?? (deadlines.expiresAt ? londonDate(new Date(deadlines.expiresAt)) : undefined)
  if (endsOn && endsOn < today) return 'expired'
  return 'active'
}

/** A checked action, ready to preview and record. */
export interface PreparedAction {
  rule: PowerRule
  parsed: ParsedAction
  party: PartyRow | undefined
  premises: string | null
  age: number | null
  deadlines: Deadlines
}

export function isPerpetrator(party: PartyRow): boolean {
  return party.kind === 'person' && party.role === 'perpetrator'
}

function subjectOf(party: PartyRow | undefined): Subject | null {
  return party ? { id: party.id, name: party.name, dateOfBirth: party.date_of_birth } : null
}

function priorOf(row: ActionRow, changes: readonly ChangeRow[] = []): PriorAction {
  return {
    id: row.id,
    power: row.power as PowerCode,
    partyId: row.party_id,
    actionDate: row.action_date,
    startsAt: row.starts_at ? new Date(row.starts_at) : null,
    deadlines: deadlinesWithChanges(row, changes),
  }
}

/**
 * The actions that count as steps on the ladder: not awaiting approval, refused, withdrawn or discharged. An action
 * that has simply run its course (expired) still counts as having been taken.
 */
function counting(rows: readonly ActionRow[], changes: readonly ChangeRow[], today: string): PriorAction[] {
  return rows
    .filter(row => ['active', 'expired'].includes(actionStatus(row, changes, today)))
    .map(row => priorOf(row, changes))
}

/** The action with its subject named as the user may see them (casework's withholding). */
function shownTo(user: PowersUser, caseRow: CaseRow, row: ActionRow): ActionRow {
  if (row.party_name === null) return row
  return {
    ...row,
    party_name: partyNameFor(user, caseRow, {
      name: row.party_name,
      contact_withheld: row.party_contact_withheld ?? false,
    }),
  }
}

export function createPowersService(deps: {
  repository: PowersRepository
  casework: Casework
  audit: AuditService
  clock: Clock
  policy: PowersPolicy
  letterhead?: PackLetterhead | null
}) {
  const { repository, casework, audit, clock, policy } = deps
  const today = () => londonDate(clock.now())
  const openedOn = (caseRow: CaseRow) => londonDate(new Date(caseRow.opened_at))

  return {
    policy,
    /** Who the letters come from, printed at their head and foot. */
    letterhead: deps.letterhead ?? null,
    today,

    canIssue(user: PowersUser, caseRow: CaseRow): boolean {
      return caseRow.status === 'open' && casework.can(user, caseRow, 'case', 'change')
    },

    /** The alleged perpetrators on the case as stored (the guardrails need their dates of birth). */
    async perpetrators(caseRow: CaseRow): Promise<PartyRow[]> {
      return (await casework.repository.parties(caseRow.id)).filter(isPerpetrator)
    },

    /** The alleged perpetrators as the user may see them (casework's withholding), for pages. */
    async perpetratorsFor(user: PowersUser, caseRow: CaseRow): Promise<PartyRow[]> {
      return (await casework.partiesForUser(user, caseRow)).filter(isPerpetrator)
    },

    async actions(caseRow: CaseRow): Promise<ActionRow[]> {
      return repository.forCase(caseRow.id)
    },

    /** The case's actions, naming their subject as the user may see them (for pages). */
    async actionsFor(user: PowersUser, caseRow: CaseRow): Promise<ActionRow[]> {
      return (await repository.forCase(caseRow.id)).map(row => shownTo(user, caseRow, row))
    },

    /** One action of this case, naming its subject as the user may see them (for pages). */
    async actionFor(user: PowersUser, caseRow: CaseRow, id: string): Promise<ActionRow | undefined> {
      const row = await repository.action(id)
      return row?.case_id === caseRow.id ? shownTo(user, caseRow, row) : undefined
    },

    /** Whether the user may see who the action's subject is (a letter names them). */
    subjectShown(user: PowersUser, caseRow: CaseRow, action: ActionRow): boolean {
      return casework.partyShown(user, caseRow, { contact_withheld: action.party_contact_withheld ?? false })
    },

    async breaches(caseRow: CaseRow) {
      return repository.breaches(caseRow.id)
    },

    /** The ladder for one perpetrator (or none) today, the people named as the user may see them. */
    async ladderFor(user: PowersUser, caseRow: CaseRow, partyId: string | undefined) {
      const [perpetrators, actions, changes] = await Promise.all([
        this.perpetrators(caseRow),
        repository.forCase(caseRow.id),
        repository.changes(caseRow.id),
      ])
      const party = perpetrators.find(p => p.id === partyId) ?? perpetrators[0]
      const shown = (row: PartyRow) => partyFor(user, caseRow, row)
      return {
        party: party ? shown(party) : undefined,
        perpetrators: perpetrators.map(shown),
        actions: actions.map(row => shownTo(user, caseRow, row)),
        changes,
        steps: ladder(policy, today(), clock.now(), subjectOf(party), counting(actions, changes, today())),
      }
    },

    /** The changes recorded against the case's actions (variations, extensions, withdrawals, discharges). */
    async changes(caseRow: CaseRow): Promise<ChangeRow[]> {
      return repository.changes(caseRow.id)
    },

    /** The case's actions still in force today (for the case's closure checklist and pages). */
    async activeActions(caseRow: CaseRow): Promise<ActionRow[]> {
      const [rows, changes] = await Promise.all([repository.forCase(caseRow.id), repository.changes(caseRow.id)])
      return rows.filter(row => actionStatus(row, changes, today()) === 'active')
    },

    statusOf(row: ActionRow, changes: readonly ChangeRow[]): ActionStatus {
      return actionStatus(row, changes, today())
    },

    /** Validates the form and applies the guardrails, writing nothing: what a preview shows and a confirm records. */
    async prepare(
      caseRow: CaseRow,
      power: PowerCode,
      body: unknown,
    ): Promise<{ ok: true; value: PreparedAction } | { ok: false; errors: FieldErrors }> {
      const rule = ruleFor(policy, power)
      const parsed = parseAction(rule, body, today(), policy.lateRecordingDays)
      if (!parsed.ok) return parsed
      const { facts, partyId } = parsed.value
      let { premises } = parsed.value
      const perpetrators = await this.perpetrators(caseRow)
      const party = partyId ? perpetrators.find(p => p.id === partyId) : undefined
      if (partyId && !party) return { ok: false, errors: { party: t('powers.errors.party') } }
      const [rows, changes] = await Promise.all([repository.forCase(caseRow.id), repository.changes(caseRow.id)])
      const prior = counting(rows, changes, today())
      if (facts.priorId) {
        const notice = await repository.action(facts.priorId)
        if (notice?.case_id !== caseRow.id || notice.power !== 'closure-notice') {
          return { ok: false, errors: { prior: t('powers.errors.prior') } }
        }
        premises = notice.premises
      }
      const { age, blocks } = guardrails(policy, facts, subjectOf(party), prior, openedOn(caseRow))
      if (blocks.length > 0) {
        const errors: FieldErrors = {}
        for (const block of blocks) {
          const id = ['actionDate', 'endDate', 'convictionDate'].includes(block.field)
            ? `${block.field}-day`
            : block.field
          errors[id] ??= describeBlock(block, { power, name: party?.name ?? '' })
        }
        return { ok: false, errors }
      }
      return {
        ok: true,
        value: { rule, parsed: parsed.value, party, premises, age, deadlines: computeDeadlines(policy, facts, age) },
      }
    },

    /**
     * The action as it would be stored, for its preview and the letter it would send: the same fields a recorded
     * action has, issued by the user today.
     */
    previewRow(
      user: PowersUser & Pick<StaffUser, 'displayName'>,
      teamName: string | null,
      caseRow: CaseRow,
      prepared: PreparedAction,
      submissionId: string,
    ): ActionRow {
      const { parsed, party } = prepared
      return {
        id: submissionId,
        case_id: caseRow.id,
        party_id: party?.id ?? null,
        premises: prepared.premises,
        power: prepared.rule.code,
        policy_version: policy.version,
        action_date: parsed.facts.actionDate,
        starts_at: parsed.facts.startsAt,
        subject_age: prepared.age,
        details: parsed.details,
        deadlines: prepared.deadlines as Record<string, unknown>,
        prior_action_id: parsed.facts.priorId ?? null,
        issued_by: user.id,
        created_at: clock.now(),
        submission_id: submissionId,
        late_reason: parsed.lateReason,
        approval_status: parsed.lateReason === null ? 'not-needed' : 'pending',
        approved_by: null,
        approved_at: null,
        approval_note: null,
        issued_by_name: user.displayName,
        issued_by_team: teamName,
        approved_by_name: null,
        party_name: party ? partyNameFor(user, caseRow, party) : null,
        party_contact_withheld: party?.contact_withheld ?? null,
      }
    },

    /** The name of the user's team, for the letter's signature. */
    async teamNameOf(user: PowersUser): Promise<string | null> {
      return repository.teamName(user.teamId)
    },

    /** Keeps a prepared action and the exact letter its preview shows, until the officer confirms it. */
    async saveDraft(
      user: PowersUser,
      caseRow: CaseRow,
      power: PowerCode,
      body: Record<string, string>,
      submissionId: string,
      letterHtml: string | null,
    ): Promise<void> {
      await repository.saveDraft({
        id: submissionId,
        case_id: caseRow.id,
        power,
        body: JSON.stringify(body),
        letter_html: letterHtml,
        created_by: user.id,
        created_at: clock.now(),
      })
    },

    /** The user's own draft on this case, if it is still waiting to be confirmed. */
    async draftFor(user: PowersUser, caseRow: CaseRow, id: string): Promise<DraftRow | undefined> {
      const draft = await repository.draft(id)
      return draft?.case_id === caseRow.id && draft.created_by === user.id ? draft : undefined
    },

    /** The action a submission (or a confirmed draft) recorded, if any. */
    async recorded(submissionId: string): Promise<{ id: string; case_id: string } | undefined> {
      return repository.actionBySubmission(submissionId)
    },

    /**
     * Records the action (after the guardrails again, as the case may have moved on since the preview), with the
     * exact letter the preview showed when there is one. The same submission records once.
     */
    async issue(
      user: PowersUser,
      actor: Actor,
      caseRow: CaseRow,
      power: PowerCode,
      body: unknown,
      submissionId: string,
      /** The letter the action sends, exactly as previewed; it is kept on the case as sent. */
      letterHtml?: string | null,
    ): Promise<{ ok: true; id: string } | { ok: false; errors: FieldErrors }> {
      const already = await repository.actionBySubmission(submissionId)
      if (already) return { ok: true, id: already.id }
      const prepared = await this.prepare(caseRow, power, body)
      if (!prepared.ok) return prepared
      const { rule, parsed, party, premises, age, deadlines } = prepared.value
      const { facts, details, lateReason } = parsed
      const now = clock.now()
      const name = t(`powers.power.${power}.name`)
      // Stored text partners may read: a confidential reporter is not named in it.
      const subject = party ? partyLabel(party) : (premises ?? '')
      // The real time: when it was recorded for an action dated today; the start of its day for one dated earlier.
      const occurredAt =
        facts.startsAt ?? (facts.actionDate === today() ? now : (londonInstant(facts.actionDate, '00:00') ?? now))
      const id = await repository.transaction(async trx => {
        await repository.policies.remember(policy, now, trx)
        const id = await repository.insertAction(
          {
            case_id: caseRow.id,
            party_id: party?.id ?? null,
            premises,
            power,
            policy_version: policy.version,
            action_date: facts.actionDate,
            starts_at: facts.startsAt,
            subject_age: age,
            details: JSON.stringify(details),
            deadlines: JSON.stringify(deadlines),
            prior_action_id: facts.priorId ?? null,
            issued_by: user.id,
            created_at: now,
            submission_id: submissionId,
            late_reason: lateReason,
            approval_status: lateReason === null ? 'not-needed' : 'pending',
          },
          trx,
        )
        const issued = t('powers.chronology.issued', { power: name, subject, date: formatDate(facts.actionDate) })
        await casework.addChronology(
          caseRow.id,
          {
            kind: 'power',
            summary:
              lateReason === null
                ? issued
                : `${issued}. ${t('powers.chronology.recordedLate', { entered: formatDate(today()), reason: lateReason })}`,
            occurredAt,
            sourceModule: 'powers',
            sourceId: id,
          },
          actor,
          trx,
        )
        for (const reminder of reminders(policy, power, facts.actionDate, deadlines)) {
          await casework.createTask(
            {
              caseId: caseRow.id,
              title: reminderTitle(reminder, name, subject),
              ownerUserId: caseRow.lead_officer_id ?? user.id,
              dueDate: reminder.due,
              sourceModule: 'powers',
              sourceId: id,
            },
            actor,
            trx,
          )
        }
        if (rule.letter && letterHtml) {
          await casework.addLetter(
            caseRow,
            {
              template: power,
              title: name,
              partyId: party?.id ?? null,
              html: letterHtml,
              sourceModule: 'powers',
              sourceId: id,
            },
            actor,
            trx,
          )
        }
        await repository.deleteDraft(submissionId, trx)
        await audit.record(
          {
            actor,
            action: 'POWER_ACTION_ISSUED',
            subjectType: 'case',
            subjectId: caseRow.id,
            details: {
              actionId: id,
              power,
              partyId: party?.id ?? null,
              policyVersion: policy.version,
              recordedLate: lateReason !== null,
            },
          },
          trx,
        )
        return id
      })
      return { ok: true, id }
    },

    /** Whether the user may approve (or refuse) this late-recorded action: a supervisor who did not record it. */
    canApprove(user: PowersUser, caseRow: CaseRow, action: ActionRow): boolean {
      return (
        action.approval_status === 'pending' &&
        user.roles.includes('supervisor') &&
        action.issued_by !== user.id &&
        this.canIssue(user, caseRow)
      )
    },

    /** A supervisor approves or refuses a late-recorded action, once; the chronology and the audit log say so. */
    async decideLate(
      user: PowersUser,
      actor: Actor,
      caseRow: CaseRow,
      action: ActionRow,
      input: { decision: string; note: string },
    ): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      if (action.approval_status !== 'pending') return { ok: true }
      if (!this.canApprove(user, caseRow, action)) {
        throw new DomainError('powers.approval-not-allowed', {
          status: 403,
          messageKey: 'powers.errors.approvalNotAllowed',
        })
      }
      const errors: FieldErrors = {}
      if (input.decision !== 'approved' && input.decision !== 'refused') errors.decision = t('powers.errors.decision')
      if (input.note.length > 2000) errors.note = t('powers.errors.tooLong')
      else if (input.decision === 'refused' && input.note === '') errors.note = t('powers.errors.refusalNote')
      if (Object.keys(errors).length > 0) return { ok: false, errors }
      const status = input.decision as 'approved' | 'refused'
      const now = clock.now()
      await repository.transaction(async trx => {
        if (
          !(await repository.decideApproval(action.id, { status, by: user.id, at: now, note: input.note || null }, trx))
        )
          return
        await casework.addChronology(
          caseRow.id,
          {
            kind: 'power',
            summary: t(`powers.chronology.late.${status}`, {
              power: t(`powers.power.${action.power}.name`),
              date: formatDate(action.action_date),
            }),
            sourceModule: 'powers',
            sourceId: action.id,
          },
          actor,
          trx,
        )
        await audit.record(
          {
            actor,
            action: status === 'approved' ? 'POWER_LATE_RECORD_APPROVED' : 'POWER_LATE_RECORD_REFUSED',
            subjectType: 'case',
            subjectId: caseRow.id,
            details: { actionId: action.id, power: action.power },
          },
          trx,
        )
      })
      return { ok: true }
    },

    /**
     * Records a variation (new requirements), an extension (a new end date), a withdrawal or a discharge of an action,
     * once per submission, with its chronology entry and audit event. A withdrawn or discharged action is no longer
     * active and no longer counts as a step on the ladder.
     */
    async recordChange(
      user: PowersUser,
      actor: Actor,
      caseRow: CaseRow,
      action: ActionRow,
      input: {
        kind: string
        effectiveDate: string
        reason: string
        requirements: string
        newEndDate: string
        submissionId: string
      },
    ): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      if (await repository.changeBySubmission(input.submissionId)) return { ok: true }
      const errors: FieldErrors = {}
      const kind = (CHANGE_KINDS as readonly string[]).includes(input.kind) ? (input.kind as ChangeKind) : null
      if (!kind) errors.kind = t('powers.errors.changeKind')
      if (!isIsoDate(input.effectiveDate)) errors['effectiveDate-day'] = t('powers.errors.changeDate')
      else if (input.effectiveDate > today()) errors['effectiveDate-day'] = t('powers.errors.changeDateFuture')
      else if (input.effectiveDate < action.action_date) errors['effectiveDate-day'] = t('powers.errors.changeBefore')
      if (input.reason === '') errors.reason = t('powers.errors.required.reason')
      else if (input.reason.length > 2000) errors.reason = t('powers.errors.tooLong')
      const changes = await repository.changes(caseRow.id)
      const status = actionStatus(action, changes, today())
      if (kind && status !== 'active' && status !== 'pending-approval') {
        errors.kind = t('powers.errors.notActive', { status: t(`powers.status.${status}`) })
      }
      if (kind === 'variation') {
        if (input.requirements === '') errors.requirements = t('powers.errors.required.requirements')
        else if (input.requirements.length > 4000) errors.requirements = t('powers.errors.tooLong')
      }
      const current = deadlinesWithChanges(action, changes)
      const currentEnd = current.expiresOn ?? current.complianceEnds
      if (kind === 'extension') {
        if (!currentEnd) errors.kind = t('powers.errors.noEndToExtend')
        else if (!isIsoDate(input.newEndDate)) errors['newEndDate-day'] = t('powers.errors.newEndDate')
        else if (input.newEndDate <= currentEnd)
          errors['newEndDate-day'] = t('powers.errors.newEndDateBefore', { date: formatDate(currentEnd) })
      }
      if (Object.keys(errors).length > 0 || !kind) return { ok: false, errors }
      const now = clock.now()
      await repository.transaction(async trx => {
        const id = await repository.insertChange(
          {
            action_id: action.id,
            case_id: caseRow.id,
            kind,
            effective_date: input.effectiveDate,
            reason: input.reason,
            requirements: kind === 'variation' ? input.requirements : null,
            new_end_date: kind === 'extension' ? input.newEndDate : null,
            recorded_by: user.id,
            recorded_at: now,
            submission_id: input.submissionId,
          },
          trx,
        )
        await casework.addChronology(
          caseRow.id,
          {
            kind: 'power',
            summary: t(`powers.chronology.change.${kind}`, {
              power: t(`powers.power.${action.power}.name`),
              date: formatDate(input.effectiveDate),
              end: kind === 'extension' ? formatDate(input.newEndDate) : '',
              reason: input.reason,
            }),
            occurredAt: input.effectiveDate === today() ? now : (londonInstant(input.effectiveDate, '00:00') ?? now),
            sourceModule: 'powers',
            sourceId: id,
          },
          actor,
          trx,
        )
        await audit.record(
          {
            actor,
            action: 'POWER_ACTION_CHANGED',
            subjectType: 'case',
            subjectId: caseRow.id,
            details: { actionId: action.id, changeId: id, kind },
          },
          trx,
        )
      })
      return { ok: true }
    },

    async recordBreach(
      user: PowersUser,
      actor: Actor,
      caseRow: CaseRow,
      action: ActionRow,
      input: { occurredOn: string; description: string; response: string; submissionId: string },
    ): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      if (await repository.breachBySubmission(input.submissionId)) return { ok: true }
      const errors: FieldErrors = {}
      if (!isIsoDate(input.occurredOn)) errors['occurredOn-day'] = t('powers.errors.breachDate')
      else if (input.occurredOn > today()) errors['occurredOn-day'] = t('powers.errors.breachDateFuture')
      else if (input.occurredOn < action.action_date) errors['occurredOn-day'] = t('powers.errors.breachBefore')
      if (input.description === '') errors.description = t('powers.errors.required.description')
      else if (input.description.length > 4000) errors.description = t('powers.errors.tooLong')
      if (!(BREACH_RESPONSES as readonly string[]).includes(input.response)) {
        errors.response = t('powers.errors.response')
      }
      if (Object.keys(errors).length > 0) return { ok: false, errors }
      const now = clock.now()
      await repository.transaction(async trx => {
        const id = await repository.insertBreach(
          {
            action_id: action.id,
            case_id: caseRow.id,
            occurred_on: input.occurredOn,
            description: input.description,
            response: input.response,
            recorded_by: user.id,
            recorded_at: now,
            submission_id: input.submissionId,
          },
          trx,
        )
        await casework.addChronology(
          caseRow.id,
          {
            kind: 'power-breach',
            summary: t('powers.chronology.breach', {
              power: t(`powers.power.${action.power}.name`),
              date: formatDate(input.occurredOn),
              response: t(`powers.breach.response.${input.response}`),
            }),
            sourceModule: 'powers',
            sourceId: id,
          },
          actor,
          trx,
        )
        await audit.record(
          {
            actor,
            action: 'POWER_BREACH_RECORDED',
            subjectType: 'case',
            subjectId: caseRow.id,
            details: { breachId: id, actionId: action.id },
          },
          trx,
        )
      })
      return { ok: true }
    },
  }
}

export type PowersService = ReturnType<typeof createPowersService>
