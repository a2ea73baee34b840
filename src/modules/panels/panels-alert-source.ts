/**
 * The panels module's staff alerts (ADR 0053): an action a panel (the Community MARAC, the Hate Incident Panel…)
 * gives on a case, told to the case's lead officer and supervisors who may see it, with the panel's name, the case
 * reference and the due date. Actions recorded in the last few days are looked at; each is told once.
 */
import { formatLongDate } from '../../platform/dates.js'
import { t } from '../../platform/i18n.js'
import type { StaffAlert, StaffAlertSource } from '../accounts/index.js'
import { caseworkPaths, type Casework } from '../casework/index.js'
import type { PanelsRepository } from './panels-repository.js'

const LOOK_BACK_MS = 3 * 24 * 60 * 60 * 1000

export function createPanelsAlertSource(deps: { repository: PanelsRepository; casework: Casework }): StaffAlertSource {
  return {
    id: 'panels',
    async collect(now) {
      const actions = await deps.repository.caseActionsSince(new Date(now.getTime() - LOOK_BACK_MS))
      const alerts: StaffAlert[] = []
      for (const action of actions) {
        if (!action.case_id) continue
        const userIds = await deps.casework.alertRecipients(action.case_id)
        if (userIds.length === 0) continue
        alerts.push({
          event: 'panel-action',
          key: action.id,
          userIds,
          caseReference: action.reference,
          detail: t('staffAlerts.detail.panelAction', {
            panel: action.panel_name,
            date: formatLongDate(action.due_date),
          }),
          link: `${caseworkPaths.case(action.reference)}${action.case_task_id ? `#task-${action.case_task_id}` : '#tasks'}`,
        })
      }
      return alerts
    },
  }
}
