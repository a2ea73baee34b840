/**
 * The review meeting: the independent chair (with the conflict check), the agencies' information, the applicant's
 * invitation, the restricted minutes (every read audited, so is every refusal) and the recommendations, each owned and
 * due, and a task on the case.
 */
import type { Actor } from '../../platform/audit.js'
import type { FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { addWorkingDays, daysBetween, isIsoDate } from '../../platform/working-days.js'
import type { Role, StaffUser } from '../accounts/index.js'
import type { CaseRow } from '../casework/index.js'
import {
  actorUser,
  CaseReviewError,
  fail,
  has,
  type ChairConflict,
  type ReviewContext,
  type ReviewUser,
  type Result,
} from './case-review-context.js'
import type { InformationRow, ReviewRow } from './case-review-repository.js'

/** Who may chair a review (subject to the conflict check). */
export const DECIDER_ROLES: readonly Role[] = ['supervisor', 'panel-coordinator']

export function createReviewMeeting(context: ReviewContext) {
  const { repository, casework, audit, policy, clock } = context.deps
  const { today, record, chronology, change, requireWorker, requireDecider, canWork, canDecide, canReadMinutes } =
    context
  const part = {
    /** Users who could chair, each with the reasons they may not (the conflict check). */
    async chairCandidates(review: ReviewRow) {
      const [users, caseRow, information] = await Promise.all([
        context.deps.accounts.listUsers(),
        review.case_id ? casework.repository.caseById(review.case_id) : Promise.resolve(undefined),
        repository.information(review.id),
      ])
      return users
        .filter(user => !user.disabledAt && has(user, DECIDER_ROLES))
        .map(user => ({ user, conflicts: conflictsOf(user, review, caseRow, information) }))
    },

    async appointChair(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      chairId: string,
    ): Promise<Result> {
      requireDecider(user)
      if (review.status !== 'review') throw new CaseReviewError('state')
      const candidate = (await part.chairCandidates(review)).find(entry => entry.user.id === chairId)
      if (!candidate) return fail({ chair: t('caseReview.staff.errors.chairRequired') })
      if (candidate.conflicts.length > 0) {
        return fail({
          chair: t('caseReview.staff.errors.chairConflict', {
            reasons: candidate.conflicts.map(reason => t(`caseReview.conflicts.${reason}`)).join('; '),
          }),
        })
      }
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          { chair_user_id: chairId, chair_appointed_at: clock.now(), updated_at: clock.now() },
          trx,
        )
        await record(actor, 'CASE_REVIEW_CHAIR_APPOINTED', review, { chairId }, trx)
        await chronology(review, `ASB Case Review ${review.reference}: independent chair appointed`, actor, trx)
      })
      return { ok: true }
    },

    async partners() {
      return (await context.deps.accounts.listPartners()).filter(partner => partner.active)
    },

    async requestInformation(user: ReviewUser, actor: Actor, review: ReviewRow, partnerIds: string[]): Promise<Result> {
      requireWorker(user)
      if (review.status !== 'review') throw new CaseReviewError('state')
      const partners = await part.partners()
      const chosen = partners.filter(partner => partnerIds.includes(partner.id))
      if (chosen.length === 0) return fail({ partners: t('caseReview.staff.errors.partnersRequired') })
      const dueOn = addWorkingDays(today(), policy.timescales.informationRequest)
      await change(review, actor, async trx => {
        for (const partner of chosen) {
          await repository.insertInformation(
            {
              review_id: review.id,
              partner_id: partner.id,
              requested_at: clock.now(),
              requested_by: actorUser(actor),
              due_on: dueOn,
            },
            trx,
          )
        }
        await record(actor, 'CASE_REVIEW_INFORMATION_REQUESTED', review, { partners: chosen.map(p => p.id) }, trx)
      })
      return { ok: true }
    },

    /** The agency asked answers its own request; a coordinator may record an answer for it. */
    canRespond(user: ReviewUser, request: Pick<InformationRow, 'partner_id'>): boolean {
      return request.partner_id === user.partnerId || canWork(user)
    },

    async respondInformation(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      requestId: string,
      response: string,
    ): Promise<Result> {
      const request = (await repository.information(review.id)).find(row => row.id === requestId)
      if (!request) throw new CaseReviewError('not-found')
      if (!part.canRespond(user, request)) throw new CaseReviewError('forbidden')
      if (!response) return fail({ [`response-${requestId}`]: t('caseReview.staff.errors.responseRequired') })
      await repository.transaction(async trx => {
        if (!(await repository.respond(requestId, review.id, { response, at: clock.now(), by: actorUser(actor) }, trx)))
          throw new CaseReviewError('state')
        await record(actor, 'CASE_REVIEW_INFORMATION_GIVEN', review, { requestId, partnerId: request.partner_id }, trx)
      })
      return { ok: true }
    },

    async inviteApplicant(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      input: { meetingOn: string; note: string },
    ): Promise<Result> {
      requireWorker(user)
      if (review.status !== 'review') throw new CaseReviewError('state')
      const errors: FieldErrors = {}
      if (!isIsoDate(input.meetingOn)) errors['meetingOn-day'] = t('caseReview.staff.errors.meetingDate')
      else if (daysBetween(today(), input.meetingOn) < 0)
        errors['meetingOn-day'] = t('caseReview.staff.errors.meetingPast')
      if (!input.note) errors.note = t('caseReview.staff.errors.invitationNote')
      if (Object.keys(errors).length > 0) return fail(errors)
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          {
            meeting_on: input.meetingOn,
            applicant_invited_at: clock.now(),
            invitation_note: input.note,
            updated_at: clock.now(),
          },
          trx,
        )
        await record(actor, 'CASE_REVIEW_APPLICANT_INVITED', review, { meetingOn: input.meetingOn }, trx)
        await chronology(review, `ASB Case Review ${review.reference}: applicant invited to the meeting`, actor, trx)
      })
      return { ok: true }
    },

    async recordMinutes(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      input: { attendees: string; minutes: string },
    ): Promise<Result> {
      if (!canReadMinutes(user, review)) throw new CaseReviewError('forbidden')
      if (review.status !== 'review' || !review.chair_user_id) throw new CaseReviewError('state')
      const errors: FieldErrors = {}
      if (!input.attendees) errors.attendees = t('caseReview.staff.errors.attendeesRequired')
      if (!input.minutes) errors.minutes = t('caseReview.staff.errors.minutesRequired')
      if (Object.keys(errors).length > 0) return fail(errors)
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          {
            attendees: input.attendees,
            minutes: input.minutes,
            minutes_recorded_at: clock.now(),
            minutes_recorded_by: actorUser(actor),
            updated_at: clock.now(),
          },
          trx,
        )
        await record(actor, 'CASE_REVIEW_MINUTES_RECORDED', review, {}, trx)
      })
      return { ok: true }
    },

    /** The minutes for a member, the read audited; a refused read is audited too and answers undefined. */
    async readMinutes(user: ReviewUser, actor: Actor, review: ReviewRow) {
      if (!canReadMinutes(user, review)) {
        await audit.record({
          actor,
          action: 'CASE_REVIEW_MINUTES_REFUSED',
          subjectType: 'case_review',
          subjectId: review.id,
        })
        return undefined
      }
      await audit.record({
        actor,
        action: 'CASE_REVIEW_MINUTES_VIEWED',
        subjectType: 'case_review',
        subjectId: review.id,
      })
      return { attendees: review.attendees, minutes: review.minutes, recordedAt: review.minutes_recorded_at }
    },

    /** Staff who can own a recommendation (active users of any partner). */
    async owners() {
      return (await context.deps.accounts.listUsers()).filter(user => !user.disabledAt)
    },

    /** A recommendation with its owner and due date, and its task on the case, in one transaction. */
    async addRecommendation(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      input: { text: string; ownerUserId: string; dueOn: string; updateFrequency: string },
    ): Promise<Result> {
      if (!canReadMinutes(user, review) && !canDecide(user)) throw new CaseReviewError('forbidden')
      if (review.status !== 'review') throw new CaseReviewError('state')
      const errors: FieldErrors = {}
      if (!review.case_id) errors.text = t('caseReview.staff.errors.caseRequired')
      if (!input.text) errors.text = t('caseReview.staff.errors.recommendationRequired')
      const owner = (await part.owners()).find(candidate => candidate.id === input.ownerUserId)
      if (!owner) errors.owner = t('caseReview.staff.errors.ownerRequired')
      else if (review.case_id) {
        // Never a task its owner cannot open (ADR 0053): say why, and let the case's owners share it first.
        const access = await casework.assigneeAccess(review.case_id, owner.id)
        if (access.kind !== 'sees') errors.owner = t('handoffs.taskCannotSee', { name: owner.displayName })
      }
      if (!isIsoDate(input.dueOn)) errors['dueOn-day'] = t('caseReview.staff.errors.dueDate')
      else if (daysBetween(today(), input.dueOn) < 0) errors['dueOn-day'] = t('caseReview.staff.errors.duePast')
      if (!input.updateFrequency) errors.updateFrequency = t('caseReview.staff.errors.updateFrequency')
      if (Object.keys(errors).length > 0 || !owner || !review.case_id) return fail(errors)
      const caseId = review.case_id
      await repository.transaction(async trx => {
        const id = await repository.insertRecommendation(
          {
            review_id: review.id,
            text: input.text,
            lead_partner_id: owner.partnerId,
            owner_user_id: owner.id,
            due_on: input.dueOn,
            update_frequency: input.updateFrequency,
            created_by: actorUser(actor),
            created_at: clock.now(),
          },
          trx,
        )
        const task = await casework.createTask(
          {
            caseId,
            title: `ASB Case Review ${review.reference} recommendation: ${input.text}`,
            ownerUserId: owner.id,
            dueDate: input.dueOn,
            sourceModule: 'case-review',
            sourceId: id,
          },
          actor,
          trx,
        )
        await repository.setRecommendationTask(id, task.id, trx)
        await record(actor, 'CASE_REVIEW_RECOMMENDATION_ADDED', review, { recommendationId: id, taskId: task.id }, trx)
      })
      return { ok: true }
    },
  }

  function conflictsOf(
    candidate: Pick<StaffUser, 'id' | 'partnerId' | 'teamId'>,
    review: ReviewRow,
    caseRow: CaseRow | undefined,
    information: readonly InformationRow[],
  ): ChairConflict[] {
    const conflicts: ChairConflict[] = []
    if (caseRow && candidate.teamId !== null && candidate.teamId === caseRow.owning_team_id)
      conflicts.push('owning-team')
    const involved = new Set([
      ...(caseRow ? [caseRow.owning_partner_id, ...caseRow.shared_partner_ids] : []),
      ...information.map(request => request.partner_id),
    ])
    if (involved.has(candidate.partnerId)) conflicts.push('involved-partner')
    if (caseRow?.lead_officer_id === candidate.id) conflicts.push('lead-officer')
    if (review.threshold_decided_by === candidate.id) conflicts.push('decided-threshold')
    return conflicts
  }

  return part
}
