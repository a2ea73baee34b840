/**
 * What is read about reviews in bulk: the statutory annual figures (counts only), and for the panels module the
 * reviews awaiting their meeting and one agenda item.
 */
import { dateOf, type ReviewContext } from './case-review-context.js'
import type { ReviewRow } from './case-review-repository.js'
import type { Clock as ReviewClock } from './clocks.js'
import { annualFigures } from './publication.js'

export function createReviewFigures(
  context: ReviewContext,
  applications: { get(id: string): Promise<{ row: ReviewRow; clocks: ReviewClock[] } | undefined> },
) {
  const { repository, policy } = context.deps
  const { today } = context
  const part = {
    /** The statutory annual figures, newest year first. */
    async figures() {
      const facts = await repository.publicationFacts()
      return annualFigures(
        facts.map(fact => ({
          receivedOn: fact.received_on,
          duplicate: fact.linked_review_id !== null,
          thresholdDecision: fact.threshold_decision,
          thresholdDecidedOn: dateOf(fact.threshold_decided_at),
          outcomeOn: dateOf(fact.outcome_at),
          recommendations: fact.recommendations,
        })),
        policy.yearStartMonth,
        today(),
      )
    },

    /** For the panels module: what a Case Review agenda item needs. */
    async agendaItem(id: string) {
      const found = await applications.get(id)
      if (!found) return undefined
      const { row } = found
      return {
        reviewId: row.id,
        reference: row.reference,
        caseId: row.case_id,
        caseReference: row.case_reference,
        applicantName: row.applicant_name,
        status: row.status,
        meetingOn: row.meeting_on,
        chairUserId: row.chair_user_id,
      }
    },

    /** Open reviews about a case, with their staff clocks (for staff alerts: a time limit about to run out). */
    async openClocks() {
      const rows = await repository.list({ open: true })
      return rows
        .filter(row => row.case_id !== null && row.case_reference !== null)
        .map(row => ({
          reviewId: row.id,
          reference: row.reference,
          caseId: row.case_id ?? '',
          caseReference: row.case_reference ?? '',
          clocks: context.clocks(row),
        }))
    },

    /** Reviews awaiting their meeting (threshold met, no outcome yet), for the panels module's agenda. */
    async awaitingMeeting() {
      const rows = await repository.list({ open: true })
      return rows
        .filter(row => row.status === 'review')
        .map(row => ({
          reviewId: row.id,
          reference: row.reference,
          caseId: row.case_id,
          caseReference: row.case_reference,
          applicantName: row.applicant_name,
          meetingOn: row.meeting_on,
        }))
    },
  }

  return part
}
