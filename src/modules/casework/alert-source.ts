/**
 * Casework's staff alerts (ADR 0053): overdue tasks (overdue.ts, the one definition), each told once to the case's
 * lead officer and supervisors who may see it. The alert names the case reference and the due date, not the task's
 * wording (which may name someone).
 */
import { formatLongDate } from '../../platform/dates.js'
import { t } from '../../platform/i18n.js'
import type { StaffAlert, StaffAlertSource } from '../accounts/index.js'
import { caseworkPaths } from './casework-paths.js'
import type { CaseworkService } from './casework-service.js'
import { taskToday } from './overdue.js'

export function createCaseworkAlertSource(casework: CaseworkService): StaffAlertSource {
  return {
    id: 'casework',
    // Overdue and due-soon are days, not moments: asked every quarter of an hour.
    everyMinutes: 15,
    async collect(now) {
      const overdue = await casework.repository.overdueTasks(taskToday(now), { limit: 5000 })
      const alerts: StaffAlert[] = []
      const recipients = new Map<string, string[]>()
      for (const task of overdue) {
        let userIds = recipients.get(task.case_id)
        if (!userIds) {
          userIds = await casework.alertRecipients(task.case_id)
          recipients.set(task.case_id, userIds)
        }
        if (userIds.length === 0) continue
        alerts.push({
          event: 'task-overdue',
          key: task.id,
          userIds,
          caseReference: task.reference,
          detail: t('staffAlerts.detail.taskOverdue', { date: formatLongDate(task.due_date) }),
          link: `${caseworkPaths.case(task.reference)}#task-${task.id}`,
        })
      }
      return alerts
    },
  }
}
