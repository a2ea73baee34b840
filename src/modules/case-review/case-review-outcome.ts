/** The outcome: the letter sent to the applicant (stored exactly as sent), the other letters, and closing a review. */
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

export function createReviewOutcome(context: ReviewContext) {
  const { repository, clock } = context.deps
  const { clocks, record, chronology, change, requireWorker, requireDecider } = context
  const part = {
    /** Sends the outcome: stores the letter exactly as sent; the appeal window opens. */
    async sendOutcome(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      summary: string,
      letter: (at: Date) => Promise<string> | string,
    ): Promise<Result> {
      requireDecider(user)
      if (review.status !== 'review') throw new CaseReviewError('state')
      const errors: FieldErrors = {}
      if (!summary) errors.summary = t('caseReview.staff.errors.summaryRequired')
      if (!review.minutes) errors.summary = t('caseReview.staff.errors.minutesFirst')
      if (Object.keys(errors).length > 0) return fail(errors)
      const now = clock.now()
      const html = await letter(now)
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          {
            outcome_summary: summary,
            outcome_at: now,
            outcome_by: actorUser(actor),
            letter_html: html,
            letter_kind: 'outcome',
            letter_sent_at: now,
            status: 'outcome',
            updated_at: now,
          },
          trx,
        )
        await record(actor, 'CASE_REVIEW_OUTCOME_SENT', review, {}, trx)
        await chronology(review, `ASB Case Review ${review.reference}: outcome sent to the applicant`, actor, trx)
      })
      return { ok: true }
    },

    /** Stores the "threshold not met" letter (with the appeal route) once the decision is made. */
    async storeLetter(actor: Actor, review: ReviewRow, kind: 'not-met' | 'appeal', html: string): Promise<void> {
      await repository.transaction(async trx => {
        await repository.update(
          review.id,
          review.version,
          { letter_html: html, letter_kind: kind, letter_sent_at: clock.now(), updated_at: clock.now() },
          trx,
        )
        await record(actor, 'CASE_REVIEW_LETTER_SENT', review, { kind }, trx)
      })
    },

    /** Closes a review whose outcome was sent and whose appeal window has closed unused. */
    async close(user: ReviewUser, actor: Actor, review: ReviewRow, version: number): Promise<void> {
      requireWorker(user)
      const window = clocks(review).find(entry => entry.name === 'appealWindow')
      if ((review.status !== 'outcome' && review.status !== 'not-met') || window?.state !== 'closed')
        throw new CaseReviewError('state')
      await change(review, actor, async trx => {
        await repository.update(review.id, version, { status: 'closed', updated_at: clock.now() }, trx)
        await record(actor, 'CASE_REVIEW_CLOSED', review, {}, trx)
      })
    },
  }

  return part
}
