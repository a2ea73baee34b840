/**
 * DA MARAC referral support: the DASH-based risk indicator checklist recorded on a case, the referral criteria it
 * meets (marac-rules.ts), the referral onto the DA MARAC panel and the victim's safe-contact details.
 *
 * Nothing here can reach the perpetrator: safe-contact details live in `marac_safe_contact`, a table only
 * `safeContact` reads (audited, for the DA MARAC's members who work with victims); the case chronology gets a
 * neutral line with no answers, score detail or contact details; no notification, letter or public page is made
 * (docs/panels.md "Nothing disclosed to the perpetrator").
 */
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { londonDate } from '../../platform/working-days.js'
import { partyLabel, type Casework, type CaseRow, type PartyRow } from '../casework/index.js'
import { canSeeSafeContact, type PanelUser } from './panel-access.js'
import { DASH_ANSWERS, DASH_TOPICS, decideMaracReferral, scoreDash, type MaracPolicy } from './marac-rules.js'
import type { PanelsRepository } from './panels-repository.js'
import type { PanelsService } from './panels-service.js'

export interface DashInput {
  partyId: string
  answers: Record<string, string>
  incidentOn: string | null
  calloutDates: string[]
  invalidCallouts: string[]
  refer: string
  judgementReasons: string
  safePhone: string
  safeEmail: string
  safeTimes: string
  avoid: string
  submissionId: string
}

export function isVictim(party: PartyRow): boolean {
  return party.kind === 'person' && (party.role === 'victim' || party.role === 'complainant')
}

export function createMaracService(deps: {
  repository: PanelsRepository
  panels: PanelsService
  casework: Casework
  audit: AuditService
  clock: Clock
  policy: MaracPolicy
}) {
  const { repository, panels, casework, audit, clock, policy } = deps
  const today = () => londonDate(clock.now())

  return {
    policy,
    today,

    canRecord(user: PanelUser, caseRow: CaseRow): boolean {
      return caseRow.status === 'open' && casework.can(user, caseRow, 'person', 'change')
    },

    /** The victims on the case as stored (recording a checklist needs their ids; stored text uses `partyLabel`). */
    async victims(caseRow: CaseRow): Promise<PartyRow[]> {
      return (await casework.repository.parties(caseRow.id)).filter(isVictim)
    },

    /** The victims on the case as the user may see them (casework's withholding), for pages. */
    async victimsFor(user: PanelUser, caseRow: CaseRow): Promise<PartyRow[]> {
      return (await casework.partiesForUser(user, caseRow)).filter(isVictim)
    },

    /** The date the victim was last heard at a DA MARAC on or before `on`. */
    async lastMaracOn(partyId: string, on: string): Promise<string | null> {
      return repository.lastHeardOn(partyId, 'da-marac', on)
    },

    async record(
      user: PanelUser,
      actor: Actor,
      caseRow: CaseRow,
      input: DashInput,
    ): Promise<{ ok: true; id: string } | { ok: false; errors: FieldErrors }> {
      const already = await repository.dashBySubmission(input.submissionId)
      if (already) return { ok: true, id: already.id }
      const errors: FieldErrors = {}
      const party = (await this.victims(caseRow)).find(row => row.id === input.partyId)
      if (!party) errors.party = t('panels.dash.errors.party')
      const { missing } = scoreDash(policy, input.answers)
      for (const topic of missing) {
        errors[`q-${topic}`] = t('panels.dash.errors.answer', { topic: t(`panels.dash.topics.${topic}`) })
      }
      const assessedOn = today()
      if (!input.incidentOn) errors['incident-day'] = t('panels.dash.errors.incident')
      else if (input.incidentOn > assessedOn) errors['incident-day'] = t('panels.dash.errors.incidentFuture')
      if (input.invalidCallouts.length > 0) {
        errors.callouts = t('panels.dash.errors.callouts', { lines: input.invalidCallouts.slice(0, 3).join(', ') })
      } else if (input.calloutDates.some(date => date > assessedOn)) {
        errors.callouts = t('panels.dash.errors.calloutsFuture')
      }
      if (input.refer !== 'yes' && input.refer !== 'no') errors.refer = t('panels.dash.errors.refer')
      for (const [key, value, max] of [
        ['judgementReasons', input.judgementReasons, 4000],
        ['safePhone', input.safePhone, 40],
        ['safeEmail', input.safeEmail, 200],
        ['safeTimes', input.safeTimes, 500],
        ['avoid', input.avoid, 500],
      ] as const) {
        if (value.length > max) errors[key] = t('panels.errors.tooLong')
      }
      if (Object.keys(errors).length > 0 || !party || !input.incidentOn) return { ok: false, errors }

      const incidentOn = input.incidentOn
      const lastMaracOn = await this.lastMaracOn(party.id, incidentOn)
      const decision = decideMaracReferral(policy, {
        answers: input.answers,
        assessedOn,
        incidentOn,
        calloutDates: input.calloutDates,
        lastMaracOn,
        refer: input.refer === 'yes',
        judgementReasons: input.judgementReasons,
      })
      if (!decision.ok) {
        const field = decision.problem === 'cannot-downgrade' ? 'refer' : 'judgementReasons'
        return {
          ok: false,
          errors: {
            [field]: t(`panels.dash.errors.${decision.problem}`, {
              criteria: decision.criteria.map(c => t(`panels.dash.criteria.${c}`).toLowerCase()).join(', '),
            }),
          },
        }
      }
      const { score, level: computedLevel } = scoreDash(policy, input.answers)
      const id = await repository.transaction(async trx => {
        const now = clock.now()
        const id = await repository.insertDash(
          {
            case_id: caseRow.id,
            party_id: party.id,
            policy_version: policy.version,
            form_version: policy.formVersion,
            answers: JSON.stringify(input.answers),
            score,
            computed_level: computedLevel,
            judgement_reasons: input.judgementReasons === '' ? null : input.judgementReasons,
            callout_dates: JSON.stringify(input.calloutDates),
            callouts_in_window: decision.callouts,
            incident_on: incidentOn,
            last_marac_on: lastMaracOn,
            criteria: JSON.stringify(decision.criteria),
            referred: decision.refer,
            referral_id: null,
            assessed_by: user.id,
            assessed_on: assessedOn,
            created_at: now,
            submission_id: input.submissionId,
          },
          trx,
        )
        if (input.safePhone || input.safeEmail || input.safeTimes || input.avoid) {
          await repository.insertSafeContact(
            {
              dash_id: id,
              safe_phone: input.safePhone || null,
              safe_email: input.safeEmail || null,
              safe_times: input.safeTimes || null,
              avoid: input.avoid || null,
              recorded_by: user.id,
              recorded_at: now,
            },
            trx,
          )
        }
        await casework.addChronology(
          caseRow.id,
          {
            kind: 'dash-checklist',
            summary: t('panels.dash.chronology', { score, of: DASH_TOPICS.length }),
            sourceModule: 'panels',
            sourceId: id,
          },
          actor,
          trx,
        )
        if (decision.refer) {
          const referral = await panels.refer(
            {
              panel: 'da-marac',
              caseId: caseRow.id,
              partyId: party.id,
              subject: t('panels.subject.party', {
                name: partyLabel(party),
                role: party.role,
                reference: caseRow.reference,
              }),
              reason: [...decision.criteria.map(c => t(`panels.dash.criteria.${c}`)), input.judgementReasons]
                .filter(Boolean)
                .join('. '),
              sourceModule: 'panels-dash',
              sourceId: id,
              wardCode: caseRow.ward_code,
              criteria: decision.criteria,
              referredBy: { userId: user.id, partnerId: user.partnerId },
            },
            actor,
            trx,
          )
          await repository.setDashReferral(id, referral.id, trx)
        }
        await audit.record(
          {
            actor,
            action: 'MARAC_DASH_RECORDED',
            subjectType: 'case',
            subjectId: caseRow.id,
            details: {
              dashId: id,
              score,
              criteria: decision.criteria,
              referred: decision.refer,
              policyVersion: policy.version,
            },
          },
          trx,
        )
        return id
      })
      return { ok: true, id }
    },

    /** A checklist on this case with the victim, as the user may see them. */
    async dash(user: PanelUser, caseRow: CaseRow, id: string) {
      const row = await repository.dash(id)
      if (row?.case_id !== caseRow.id) return undefined
      const party = await casework.partyOnCase(user, caseRow, row.party_id)
      return party ? { row, party } : undefined
    },

    async dashById(id: string) {
      return repository.dash(id)
    },

    /** Safe-contact details for a DA MARAC referral, for the members allowed them; every read audited. */
    async safeContact(user: PanelUser, referralId: string) {
      const panel = await repository.panelByKind('da-marac')
      const referral = panel ? await repository.referral(referralId) : undefined
      const dash = referral ? await repository.dashForReferral(referral.id) : undefined
      if (!panel || referral?.panel_id !== panel.id || !dash || !canSeeSafeContact(user, panel)) {
        await audit.record({
          actor: { type: 'user', id: user.id },
          action: 'MARAC_SAFE_CONTACT_REFUSED',
          subjectType: 'panel_referral',
          subjectId: referralId,
        })
        return undefined
      }
      const contact = await repository.safeContact(dash.id)
      await audit.record({
        actor: { type: 'user', id: user.id },
        action: 'MARAC_SAFE_CONTACT_VIEWED',
        subjectType: 'panel_referral',
        subjectId: referralId,
        details: { recorded: Boolean(contact) },
      })
      return { referral, contact: contact ?? null }
    },

    answerOptions: DASH_ANSWERS,
    topics: DASH_TOPICS,
  }
}

export type MaracService = ReturnType<typeof createMaracService>
