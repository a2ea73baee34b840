/**
 * Victim risk assessments on cases. Reads go through casework's access policy (a case the user may not see is
 * `undefined`, as a missing one); recording one needs the right to change people on the case. An assessment, its
 * chronology entry, its review task and its audit event are written in one transaction, once per submission.
 */
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { isIsoDate, londonDate } from '../../platform/working-days.js'
import type { StaffUser } from '../accounts/index.js'
import { partyLabel, partyNameFor, type Casework, type CaseRow, type PartyRow } from '../casework/index.js'
import {
  assessmentTriggers,
  checkAnswers,
  decideLevel,
  reviewDue,
  scoreAnswers,
  type Answers,
  type TriggerReason,
} from './risk-engine.js'
import { RISK_LEVELS, type RiskLevel, type RiskPolicy } from './risk-policy.js'
import type { AssessmentRow, Executor, ReferralRow, RiskRepository } from './risk-repository.js'

export type RiskUser = Pick<StaffUser, 'id' | 'partnerId' | 'teamId' | 'roles'>

/** What the panels module is told when a Community MARAC referral is made (inside the referral's transaction). */
export type MaracReferralListener = (referral: ReferralRow, trx: Executor) => Promise<void>

export interface AssessmentInput {
  partyId: string
  answers: Answers
  assessedOn: string
  overrideLevel: string
  overrideReason: string
  notes: string
  submissionId: string
}

const ASSESSABLE_ROLES = new Set(['victim', 'complainant'])

export function isAssessable(party: PartyRow): boolean {
  return party.kind === 'person' && ASSESSABLE_ROLES.has(party.role)
}

export function createRiskService(deps: {
  repository: RiskRepository
  casework: Casework
  audit: AuditService
  clock: Clock
  policy: RiskPolicy
}) {
  const { repository, casework, audit, clock, policy } = deps
  const listeners: MaracReferralListener[] = []
  const today = () => londonDate(clock.now())

  async function triggersFor(caseId: string, party: PartyRow, latest: AssessmentRow | undefined) {
    const reports = await repository.linkedReportFacts(caseId)
    return assessmentTriggers(policy, {
      today: today(),
      reportDates: reports.map(report => londonDate(report.receivedAt)),
      repeatVictimFlag: reports.some(report => report.repeatCaller),
      latest: latest ? { assessedOn: latest.assessed_on, reviewDue: latest.review_due } : null,
    })
  }

  return {
    policy,
    /** Today in London, by the service's clock. */
    today,

    /** Registers the panels module's listener for new Community MARAC referrals. */
    onMaracReferral(listener: MaracReferralListener): void {
      listeners.push(listener)
    },

    canAssess(user: RiskUser, caseRow: CaseRow): boolean {
      return caseRow.status === 'open' && casework.can(user, caseRow, 'person', 'change')
    },

    canView(user: RiskUser, caseRow: CaseRow): boolean {
      return casework.can(user, caseRow, 'person', 'view')
    },

    /** Each victim on the case, as the user may see them, with their latest assessment and what forces a new one. */
    async caseOverview(user: RiskUser, caseRow: CaseRow) {
      const [parties, assessments] = await Promise.all([
        casework.partiesForUser(user, caseRow),
        repository.forCase(caseRow.id),
      ])
      return Promise.all(
        parties.filter(isAssessable).map(async party => {
          const mine = assessments.filter(assessment => assessment.party_id === party.id)
          const latest = mine[0]
          const triggers = await triggersFor(caseRow.id, party, latest)
          return { party, latest, count: mine.length, triggers }
        }),
      )
    },

    /** The people on the case who may be assessed, as the user may see them. */
    async victims(user: RiskUser, caseRow: CaseRow): Promise<PartyRow[]> {
      return (await casework.partiesForUser(user, caseRow)).filter(isAssessable)
    },

    async triggersForParty(caseRow: CaseRow, party: PartyRow): Promise<TriggerReason[]> {
      const latest = (await repository.forParty(party.id))[0]
      return triggersFor(caseRow.id, party, latest)
    },

    /** An assessment on this case with the person assessed, as the user may see them. */
    async assessment(user: RiskUser, caseRow: CaseRow, id: string) {
      const row = await repository.assessment(id)
      if (row?.case_id !== caseRow.id) return undefined
      const party = await casework.partyOnCase(user, caseRow, row.party_id)
      const referral = await repository.referralForAssessment(id)
      return party ? { row, party, referral } : undefined
    },

    async history(user: RiskUser, caseRow: CaseRow, partyId: string) {
      const party = await casework.partyOnCase(user, caseRow, partyId)
      if (!party || !isAssessable(party)) return undefined
      return { party, assessments: await repository.forParty(partyId) }
    },

    /** Validates, scores and records an assessment. Idempotent: the same submission answers with the same record. */
    async record(
      user: RiskUser,
      actor: Actor,
      caseRow: CaseRow,
      input: AssessmentInput,
    ): Promise<{ ok: true; id: string } | { ok: false; errors: FieldErrors }> {
      const already = await repository.assessmentBySubmission(input.submissionId)
      if (already) return { ok: true, id: already.id }
      const errors: FieldErrors = {}
      const victims = await this.victims(user, caseRow)
      const party = victims.find(victim => victim.id === input.partyId)
      if (!party) errors.party = t('risk.errors.party')
      for (const problem of checkAnswers(policy, input.answers)) {
        errors[`q-${problem.question}`] = t('risk.errors.answer', {
          question: t(`risk.questions.${problem.question}.label`),
        })
      }
      if (!isIsoDate(input.assessedOn)) errors['assessedOn-day'] = t('risk.errors.date')
      else if (input.assessedOn > today()) errors['assessedOn-day'] = t('risk.errors.dateFuture')
      const overrideLevel = (RISK_LEVELS as readonly string[]).includes(input.overrideLevel)
        ? (input.overrideLevel as RiskLevel)
        : null
      if (input.overrideLevel !== '' && overrideLevel === null) errors.overrideLevel = t('risk.errors.overrideLevel')
      if (input.overrideReason.length > 2000) errors.overrideReason = t('risk.errors.tooLong')
      if (input.notes.length > 4000) errors.notes = t('risk.errors.tooLong')
      if (Object.keys(errors).length > 0 || !party) return { ok: false, errors }

      const score = scoreAnswers(policy, input.answers)
      const decision = decideLevel(
        score,
        { level: overrideLevel, reason: input.overrideReason },
        { isSupervisor: user.roles.includes('supervisor') },
      )
      if (!decision.ok) {
        const field = decision.problem === 'reason-required' ? 'overrideReason' : 'overrideLevel'
        return { ok: false, errors: { [field]: t(`risk.errors.${decision.problem}`, { level: score.computedLevel }) } }
      }
      const triggers = await this.triggersForParty(caseRow, party)
      const now = clock.now()
      const due = reviewDue(policy, decision.level, input.assessedOn)
      const id = await repository.transaction(async trx => {
        await repository.policies.remember(policy, now, trx)
        const id = await repository.insertAssessment(
          {
            case_id: caseRow.id,
            party_id: party.id,
            policy_version: policy.version,
            answers: JSON.stringify(input.answers),
            score: score.score,
            computed_level: score.computedLevel,
            level: decision.level,
            red_flags: JSON.stringify(score.redFlags),
            override_reason: decision.overridden ? input.overrideReason : null,
            triggers: JSON.stringify(triggers),
            notes: input.notes === '' ? null : input.notes,
            assessed_on: input.assessedOn,
            review_due: due,
            marac_prompted: decision.level === 'high',
            assessed_by: user.id,
            created_at: now,
            submission_id: input.submissionId,
          },
          trx,
        )
        const level = t(`risk.level.${decision.level}`)
        // Stored text partners may read: a confidential reporter is not named in it.
        const name = partyLabel(party)
        await casework.addChronology(
          caseRow.id,
          {
            kind: 'risk-assessment',
            summary: t('risk.chronology.assessed', { name, level, score: score.score }),
            sourceModule: 'risk',
            sourceId: id,
          },
          actor,
          trx,
        )
        if (decision.level === 'high') {
          await casework.addChronology(
            caseRow.id,
            {
              kind: 'risk-marac-prompt',
              summary: t('risk.chronology.maracPrompt', { name }),
              sourceModule: 'risk',
              sourceId: id,
            },
            actor,
            trx,
          )
        }
        await casework.createTask(
          {
            caseId: caseRow.id,
            title: t('risk.task.review', { name, level }),
            ownerUserId: caseRow.lead_officer_id ?? user.id,
            dueDate: due,
            sourceModule: 'risk',
            sourceId: id,
          },
          actor,
          trx,
        )
        await audit.record(
          {
            actor,
            action: 'RISK_ASSESSMENT_RECORDED',
            subjectType: 'case',
            subjectId: caseRow.id,
            details: {
              assessmentId: id,
              partyId: party.id,
              level: decision.level,
              computedLevel: score.computedLevel,
              overridden: decision.overridden,
              policyVersion: policy.version,
            },
          },
          trx,
        )
        return id
      })
      return { ok: true, id }
    },

    /** Refers the victim of a high-risk assessment to the Community MARAC (once; later calls return the first). */
    async referToMarac(
      user: RiskUser,
      actor: Actor,
      caseRow: CaseRow,
      assessmentId: string,
    ): Promise<{ ok: true; referral: ReferralRow } | { ok: false; problem: 'not-high' | 'not-found' }> {
      const found = await this.assessment(user, caseRow, assessmentId)
      if (!found) return { ok: false, problem: 'not-found' }
      if (found.referral) return { ok: true, referral: found.referral }
      if (found.row.level !== 'high') return { ok: false, problem: 'not-high' }
      const now = clock.now()
      const referral = await repository.transaction(async trx => {
        await repository.insertReferral(
          {
            assessment_id: assessmentId,
            case_id: caseRow.id,
            party_id: found.party.id,
            status: 'pending',
            reason: found.row.red_flags.length > 0 ? `red flags: ${found.row.red_flags.join(', ')}` : 'high risk',
            referred_by: user.id,
            referred_at: now,
            panel_reference: null,
            updated_at: now,
          },
          trx,
        )
        const referral = await repository.referralForAssessment(assessmentId, trx)
        if (!referral) throw new Error('referral not stored')
        await casework.addChronology(
          caseRow.id,
          {
            kind: 'marac-referral',
            summary: t('risk.chronology.referred', { name: partyLabel(found.party) }),
            sourceModule: 'risk',
            sourceId: referral.id,
          },
          actor,
          trx,
        )
        await audit.record(
          {
            actor,
            action: 'MARAC_REFERRAL_MADE',
            subjectType: 'case',
            subjectId: caseRow.id,
            details: { referralId: referral.id, assessmentId, partyId: found.party.id },
          },
          trx,
        )
        for (const listener of listeners) await listener(referral, trx)
        return referral
      })
      return { ok: true, referral }
    },

    /** Community MARAC referrals the panels module has not yet picked up. */
    async pendingReferrals(): Promise<ReferralRow[]> {
      return repository.pendingReferrals()
    },

    /** Victims whose latest assessment is high, on open cases the user may see (for the officer home). */
    async highRiskVictims(user: RiskUser) {
      const rows = await repository.latestHigh()
      const visible: { row: (typeof rows)[number]; caseRow: CaseRow }[] = []
      const cases = new Map<string, CaseRow | undefined>()
      for (const row of rows) {
        if (!cases.has(row.case_id)) cases.set(row.case_id, await casework.repository.caseById(row.case_id))
        const caseRow = cases.get(row.case_id)
        if (caseRow && casework.can(user, caseRow, 'person', 'view')) visible.push({ row, caseRow })
      }
      return visible.map(({ row, caseRow }) => ({
        caseId: row.case_id,
        caseReference: row.case_reference,
        partyId: row.party_id,
        // A confidential reporter is withheld from partners the case is shared with, as on the case page.
        name: partyNameFor(user, caseRow, { name: row.party_name, contact_withheld: row.party_contact_withheld }),
        assessmentId: row.id,
        assessedOn: row.assessed_on,
        reviewDue: row.review_due,
        reviewOverdue: row.review_due < today(),
      }))
    },
  }
}

export type RiskService = ReturnType<typeof createRiskService>
