/**
 * The risk module's staff alerts (ADR 0053): a victim assessed at high risk, told to the case's lead officer and
 * supervisors who may see it, with the case reference and the date of the assessment (never the victim's name).
 * Assessments recorded in the last few days are looked at; each is told once.
 */
import { formatLongDate } from '../../platform/dates.js'
import { t } from '../../platform/i18n.js'
import type { StaffAlert, StaffAlertSource } from '../accounts/index.js'
import { caseworkPaths, type Casework } from '../casework/index.js'
import type { RiskRepository } from './risk-repository.js'

const LOOK_BACK_MS = 3 * 24 * 60 * 60 * 1000

export function createRiskAlertSource(deps: { repository: RiskRepository; casework: Casework }): StaffAlertSource {
  return {
    id: 'risk',
    async collect(now) {
      const assessments = await deps.repository.highSince(new Date(now.getTime() - LOOK_BACK_MS))
      const alerts: StaffAlert[] = []
      for (const assessment of assessments) {
        const userIds = await deps.casework.alertRecipients(assessment.case_id)
        if (userIds.length === 0) continue
        alerts.push({
          event: 'high-risk',
          key: assessment.id,
          userIds,
          caseReference: assessment.reference,
          detail: t('staffAlerts.detail.highRisk', { date: formatLongDate(assessment.assessed_on) }),
          link: caseworkPaths.case(assessment.reference),
        })
      }
      return alerts
    },
  }
}
