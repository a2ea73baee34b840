/**
 * Decisions and appeals: the threshold decision (never an automatic refusal: below the threshold a person decides on
 * persistence, harm and the adequacy of the response, s104(5)), and the appeal against the threshold decision or the
 * outcome, decided by someone independent of both.
 */
import type { Actor } from '../../platform/audit.js'
import type { FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import {
  actorUser,
  CaseReviewError,
  fail,
  type ReviewContext,
  type ReviewUser,
  type Result,
} from './case-review-context.js'
import type { ReviewRow } from './case-review-repository.js'
import type { Eligibility } from './eligibility.js'

export function createReviewDecisions(
  context: ReviewContext,
  applications: { currentEligibility(review: ReviewRow): Promise<Eligibility> },
) {
  const { repository, policy, clock } = context.deps
  const { clocks, record, chronology, change, requireWorker, requireDecider, reviewStarted } = context
  const part = {
    /**
     * The threshold decision. When the policy's threshold is met it must be treated as met (s104(4)); otherwise the
     * decision is a person's, on persistence, harm and the adequacy of the response (s104(5)), each recorded.
     */
    async decideThreshold(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      input: { decision: string; persistence: string; harm: string; adequacy: string; reason: string },
    ): Promise<Result> {
      requireDecider(user)
      if (review.status !== 'received' || review.threshold_decision) throw new CaseReviewError('state')
      if (review.linked_review_id) throw new CaseReviewError('state')
      const eligibility = await applications.currentEligibility(review)
      const errors: FieldErrors = {}
      if (input.decision !== 'met' && input.decision !== 'not-met')
        errors.decision = t('caseReview.staff.errors.decisionRequired')
      if (eligibility.met && input.decision === 'not-met') errors.decision = t('caseReview.staff.errors.mustBeMet')
      if (!eligibility.met) {
        for (const name of ['persistence', 'harm', 'adequacy'] as const) {
          if (!input[name]) errors[name] = t(`caseReview.staff.errors.${name}Required`)
        }
      }
      if (!input.reason) errors.reason = t('caseReview.staff.errors.reasonRequired')
      if (Object.keys(errors).length > 0) return fail(errors)
      const met = input.decision === 'met'
      const now = clock.now()
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          {
            threshold_decision: met ? 'met' : 'not-met',
            threshold_route: eligibility.met ? eligibility.route : 'discretionary',
            threshold_reason: input.reason,
            discretionary: eligibility.met
              ? null
              : JSON.stringify({ persistence: input.persistence, harm: input.harm, adequacy: input.adequacy }),
            threshold_policy_version: policy.version,
            threshold_decided_at: now,
            threshold_decided_by: actorUser(actor),
            eligibility: JSON.stringify(eligibility),
            status: met ? 'review' : 'not-met',
            acknowledged_at: review.acknowledged_at ?? now,
            updated_at: now,
          },
          trx,
        )
        await record(
          actor,
          'CASE_REVIEW_THRESHOLD_DECIDED',
          review,
          { decision: met ? 'met' : 'not-met', route: eligibility.route, policyVersion: policy.version },
          trx,
        )
        await chronology(
          review,
          `ASB Case Review ${review.reference}: threshold ${met ? 'met' : 'not met'}`,
          actor,
          trx,
        )
        if (met) await reviewStarted(review, eligibility.met ? eligibility.route : 'discretionary', actor, trx)
      })
      return { ok: true }
    },

    /** Records an appeal the applicant made (by letter, email, phone or online) within the window. */
    async receiveAppeal(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      input: { grounds: string },
    ): Promise<Result> {
      requireWorker(user)
      if ((review.status !== 'not-met' && review.status !== 'outcome') || review.appeal_received_at)
        throw new CaseReviewError('state')
      const window = clocks(review).find(entry => entry.name === 'appealWindow')
      if (window?.state !== 'open') return fail({ grounds: t('caseReview.staff.errors.windowClosed') })
      if (!input.grounds) return fail({ grounds: t('caseReview.staff.errors.groundsRequired') })
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          {
            appeal_against: review.status === 'not-met' ? 'threshold' : 'outcome',
            appeal_grounds: input.grounds,
            appeal_received_at: clock.now(),
            status: 'appealed',
            updated_at: clock.now(),
          },
          trx,
        )
        await record(actor, 'CASE_REVIEW_APPEAL_RECEIVED', review, {}, trx)
        await chronology(review, `ASB Case Review ${review.reference}: appeal received`, actor, trx)
      })
      return { ok: true }
    },

    /**
     * The appeal decision, by someone who neither made the threshold decision nor chaired the review. Upheld: the
     * review is carried out (again). Not upheld: the application is closed.
     */
    async decideAppeal(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      input: { decision: string; reason: string },
    ): Promise<Result> {
      requireDecider(user)
      if (review.status !== 'appealed') throw new CaseReviewError('state')
      const errors: FieldErrors = {}
      if (user.id === review.threshold_decided_by || user.id === review.chair_user_id || user.id === review.outcome_by)
        errors.decision = t('caseReview.staff.errors.appealIndependence')
      else if (input.decision !== 'upheld' && input.decision !== 'not-upheld')
        errors.decision = t('caseReview.staff.errors.appealDecisionRequired')
      if (!input.reason) errors.reason = t('caseReview.staff.errors.reasonRequired')
      if (Object.keys(errors).length > 0) return fail(errors)
      const upheld = input.decision === 'upheld'
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          {
            appeal_decision: upheld ? 'upheld' : 'not-upheld',
            appeal_reason: input.reason,
            appeal_decided_at: clock.now(),
            appeal_decided_by: actorUser(actor),
            status: upheld ? 'review' : 'closed',
            // An upheld appeal against the outcome reopens the review; its outcome is sent again.
            ...(upheld && review.appeal_against === 'outcome' ? { outcome_at: null, outcome_summary: null } : {}),
            updated_at: clock.now(),
          },
          trx,
        )
        await record(actor, 'CASE_REVIEW_APPEAL_DECIDED', review, { decision: upheld ? 'upheld' : 'not-upheld' }, trx)
        await chronology(
          review,
          `ASB Case Review ${review.reference}: appeal ${upheld ? 'upheld' : 'not upheld'}`,
          actor,
          trx,
        )
        if (upheld && review.appeal_against === 'threshold') await reviewStarted(review, 'appeal', actor, trx)
      })
      return { ok: true }
    },
  }

  return part
}
