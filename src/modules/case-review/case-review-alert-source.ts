/**
 * The Case Review's staff alerts (ADR 0053): a staff time limit (acknowledgement, threshold decision, outcome, appeal
 * decision) due within the policy's warning days, told to the lead officer and supervisors of the case the review is
 * about, who may see it. Each clock's due date is told once; the review page opens for anyone who sees the case.
 */
import { formatLongDate } from '../../platform/dates.js'
import { t } from '../../platform/i18n.js'
import type { StaffAlert, StaffAlertSource } from '../accounts/index.js'
import type { Casework } from '../casework/index.js'
import { caseReviewPaths } from './case-review-paths.js'
import type { CaseReviewService } from './case-review-service.js'

export function createCaseReviewAlertSource(deps: {
  caseReview: CaseReviewService
  casework: Casework
}): StaffAlertSource {
  return {
    id: 'case-review',
    // Overdue and due-soon are days, not moments: asked every quarter of an hour.
    everyMinutes: 15,
    async collect() {
      const alerts: StaffAlert[] = []
      for (const review of await deps.caseReview.openClocks()) {
        const closing = review.clocks.filter(clock => clock.state === 'due-soon')
        if (closing.length === 0) continue
        const userIds = await deps.casework.alertRecipients(review.caseId)
        if (userIds.length === 0) continue
        for (const clock of closing)
          alerts.push({
            event: 'case-review-clock',
            key: `${review.reviewId}:${clock.name}:${clock.dueOn}`,
            userIds,
            caseReference: review.caseReference,
            detail: t('staffAlerts.detail.clock', {
              clock: t(`staffAlerts.clocks.${clock.name}`),
              date: formatLongDate(clock.dueOn),
            }),
            link: caseReviewPaths.review(review.reviewId),
          })
      }
      return alerts
    },
  }
}
