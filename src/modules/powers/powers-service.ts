/**
 * The powers ladder on a case. Taking an action needs the right to change the case; the guardrails (age gates,
 * prerequisites, lengths) refuse it with a reason the form shows. An action, its chronology entry, its reminder
 * tasks and its audit event are written in one transaction, once per submission, under the policy version in force.
 */
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { isIsoDate, londonDate } from '../../platform/working-days.js'
import type { StaffUser } from '../accounts/index.js'
import { partyFor, partyLabel, partyNameFor, type Casework, type CaseRow, type PartyRow } from '../casework/index.js'
import { computeDeadlines, guardrails, ladder, reminders, type PriorAction, type Subject } from './powers-engine.js'
import { describeBlock, formatDate, reminderTitle } from './powers-presenters.js'
import type { Letterhead } from '../pack/index.js'
import { ruleFor, type PowerCode, type PowersPolicy } from './powers-policy.js'
import type { ActionRow, PowersRepository } from './powers-repository.js'
import { parseAction } from './powers-validation.js'

export type PowersUser = Pick<StaffUser, 'id' | 'partnerId' | 'teamId' | 'roles'>

export const BREACH_RESPONSES = ['fixed-penalty', 'prosecution', 'warning', 'court', 'no-further-action'] as const

export function isPerpetrator(party: PartyRow): boolean {
  return party.kind === 'person' && party.role === 'perpetrator'
}

function subjectOf(party: PartyRow | undefined): Subject | null {
  return party ? { id: party.id, name: party.name, dateOfBirth: party.date_of_birth } : null
}

function priorOf(row: ActionRow): PriorAction {
  return {
    id: row.id,
    power: row.power as PowerCode,
    partyId: row.party_id,
    actionDate: row.action_date,
    startsAt: row.starts_at ? new Date(row.starts_at) : null,
    deadlines: row.deadlines,
  }
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
  letterhead?: Letterhead | null
}) {
  const { repository, casework, audit, clock, policy } = deps
  const today = () => londonDate(clock.now())

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
      const [perpetrators, actions] = await Promise.all([this.perpetrators(caseRow), repository.forCase(caseRow.id)])
      const party = perpetrators.find(p => p.id === partyId) ?? perpetrators[0]
      const shown = (row: PartyRow) => partyFor(user, caseRow, row)
      return {
        party: party ? shown(party) : undefined,
        perpetrators: perpetrators.map(shown),
        actions: actions.map(row => shownTo(user, caseRow, row)),
        steps: ladder(policy, today(), clock.now(), subjectOf(party), actions.map(priorOf)),
      }
    },

    /** Validates the form, applies the guardrails and records the action. */
    async issue(
      user: PowersUser,
      actor: Actor,
      caseRow: CaseRow,
      power: PowerCode,
      body: unknown,
      submissionId: string,
      /** Renders the letter an action sends (when its rule has one); it is kept on the case exactly as sent. */
      letter?: (action: ActionRow, party: PartyRow | undefined) => string,
    ): Promise<{ ok: true; id: string } | { ok: false; errors: FieldErrors }> {
      const already = await repository.actionBySubmission(submissionId)
      if (already) return { ok: true, id: already.id }
      const rule = ruleFor(policy, power)
      const parsed = parseAction(rule, body, today())
      if (!parsed.ok) return parsed
      const { facts, partyId, details } = parsed.value
      let { premises } = parsed.value
      const perpetrators = await this.perpetrators(caseRow)
      const party = partyId ? perpetrators.find(p => p.id === partyId) : undefined
      if (partyId && !party) return { ok: false, errors: { party: t('powers.errors.party') } }
      const prior = (await repository.forCase(caseRow.id)).map(priorOf)
      if (facts.priorId) {
        const notice = await repository.action(facts.priorId)
        if (notice?.case_id !== caseRow.id || notice.power !== 'closure-notice') {
          return { ok: false, errors: { prior: t('powers.errors.prior') } }
        }
        premises = notice.premises
      }
      const { age, blocks } = guardrails(policy, facts, subjectOf(party), prior)
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
      const deadlines = computeDeadlines(policy, facts, age)
      const now = clock.now()
      const name = t(`powers.power.${power}.name`)
      // Stored text partners may read: a confidential reporter is not named in it.
      const subject = party ? partyLabel(party) : (premises ?? '')
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
          },
          trx,
        )
        await casework.addChronology(
          caseRow.id,
          {
            kind: 'power',
            summary: t('powers.chronology.issued', {
              power: name,
              subject,
              date: formatDate(facts.actionDate),
            }),
            occurredAt: facts.startsAt ?? new Date(`${facts.actionDate}T12:00:00Z`),
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
        const stored = rule.letter && letter ? await repository.action(id, trx) : undefined
        if (stored && letter) {
          await casework.addLetter(
            caseRow,
            {
              template: power,
              title: name,
              partyId: party?.id ?? null,
              html: letter(stored, party),
              sourceModule: 'powers',
              sourceId: id,
            },
            actor,
            trx,
          )
        }
        await audit.record(
          {
            actor,
            action: 'POWER_ACTION_ISSUED',
            subjectType: 'case',
            subjectId: caseRow.id,
            details: { actionId: id, power, partyId: party?.id ?? null, policyVersion: policy.version },
          },
          trx,
        )
        return id
      })
      return { ok: true, id }
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
