/** View data for the Case Review pages: presenters shape, templates only show (ADR 0005). No I/O here. */
import { t } from '../../platform/i18n.js'
import { formatLongDate } from '../../platform/dates.js'
import { addWorkingDays, londonDate } from '../../platform/working-days.js'
import type { CalendarPeriod, CaseReviewPolicy } from './case-review-policy.js'
import type { InformationRow, RecommendationRow, ReviewRow } from './case-review-repository.js'
import type { Clock } from './clocks.js'
import { currentClock, lateDecisions } from './clocks.js'
import type { Eligibility } from './eligibility.js'
import type { YearFigures } from './publication.js'

const TAG_CLASSES: Record<Clock['state'], string> = {
  'on-track': 'govuk-tag--green',
  'due-soon': 'govuk-tag--yellow',
  overdue: 'govuk-tag--red',
  met: 'govuk-tag--grey',
  late: 'govuk-tag--red',
  open: 'govuk-tag--blue',
  closed: 'govuk-tag--grey',
  used: 'govuk-tag--grey',
}

const STATUS_CLASSES: Record<ReviewRow['status'], string> = {
  received: 'govuk-tag--blue',
  review: 'govuk-tag--purple',
  'not-met': 'govuk-tag--orange',
  outcome: 'govuk-tag--green',
  appealed: 'govuk-tag--pink',
  closed: 'govuk-tag--grey',
}

export function formatDate(iso: string | Date | null | undefined): string {
  if (iso === null || iso === undefined) return ''
  return formatLongDate(typeof iso === 'string' ? iso : londonDate(iso))
}

export function describePeriod(period: CalendarPeriod): string {
  const unit = period.unit === 'months' ? 'month' : 'day'
  return `${String(period.amount)} ${unit}${period.amount === 1 ? '' : 's'}`
}

export function clockTag(clock: Clock) {
  return { text: t(`caseReview.clockStates.${clock.state}`), classes: TAG_CLASSES[clock.state] }
}

export function statusTag(status: ReviewRow['status']) {
  return { text: t(`caseReview.statuses.${status}`), classes: STATUS_CLASSES[status] }
}

/** The public procedure page: the rules as the policy states them. */
export function presentProcedure(policy: CaseReviewPolicy) {
  const lookBack = describePeriod(policy.lookBack)
  const rules = [
    t('caseReview.start.ruleComplaints', {
      count: policy.minimumComplaints,
      lookBack,
      within: describePeriod(policy.complaintWithin),
    }),
  ]
  if (policy.applicationAfterLastReport)
    rules.push(t('caseReview.start.ruleApplication', { after: describePeriod(policy.applicationAfterLastReport) }))
  if (policy.variants.differentReporters > 0)
    rules.push(t('caseReview.start.ruleReporters', { count: policy.variants.differentReporters, lookBack }))
  if (policy.variants.singleHateIncident) rules.push(t('caseReview.start.ruleHate', { lookBack }))
  if (policy.variants.highRiskVictim) rules.push(t('caseReview.start.ruleHighRisk', { lookBack }))
  const ts = policy.timescales
  return {
    rules,
    timescales: [
      t('caseReview.start.timescaleAcknowledge', { days: ts.acknowledge }),
      t('caseReview.start.timescaleThreshold', { days: ts.thresholdDecision }),
      t('caseReview.start.timescaleOutcome', { days: ts.outcome }),
      t('caseReview.start.timescaleAppeal', { days: ts.appealWindow, decision: ts.appealDecision }),
    ],
    version: policy.version,
  }
}

export function presentConfirmation(policy: CaseReviewPolicy, receivedOn: string) {
  return {
    acknowledgeBy: formatDate(addWorkingDays(receivedOn, policy.timescales.acknowledge)),
    decisionBy: formatDate(addWorkingDays(receivedOn, policy.timescales.thresholdDecision)),
  }
}

export function presentDashboard(entries: readonly { row: ReviewRow; clocks: Clock[] }[], policy: CaseReviewPolicy) {
  let overdue = 0
  let dueSoon = 0
  let late = 0
  const rows = entries.map(({ row, clocks }) => {
    const next = row.linked_review_id ? undefined : currentClock(clocks)
    const lateOnes = lateDecisions(clocks)
    overdue += clocks.filter(clock => clock.state === 'overdue').length
    dueSoon += clocks.filter(clock => clock.state === 'due-soon').length
    late += lateOnes.length
    return {
      id: row.id,
      reference: row.reference,
      received: formatDate(row.received_on),
      applicant: row.applicant_name,
      status: statusTag(row.status),
      linkedTo: row.linked_reference,
      next: next
        ? { name: t(`caseReview.clocks.${next.name}`), due: formatDate(next.dueOn), tag: clockTag(next) }
        : null,
      late: lateOnes.map(clock => t(`caseReview.clocks.${clock.name}`)),
    }
  })
  return { rows, overdue, dueSoon, late, warn: policy.warnWorkingDays }
}

export function presentClocks(clocks: readonly Clock[]) {
  return clocks.map(clock => ({
    name: t(`caseReview.clocks.${clock.name}`),
    due: formatDate(clock.dueOn),
    done: clock.doneOn ? formatDate(clock.doneOn) : '',
    tag: clockTag(clock),
    left:
      clock.workingDaysLeft !== null && clock.workingDaysLeft >= 0
        ? t('caseReview.staff.workingDaysLeft', { days: clock.workingDaysLeft })
        : '',
    qa: clock.name,
  }))
}

export function presentEligibility(eligibility: Eligibility) {
  const route = eligibility.route
  return {
    met: eligibility.met,
    headline: eligibility.met
      ? t('caseReview.staff.eligibilityMet', { route: t(`caseReview.routes.${route}`) })
      : t('caseReview.staff.eligibilityNotMet'),
    policy: t('caseReview.staff.eligibilityPolicy', {
      version: eligibility.policyVersion,
      date: formatDate(eligibility.applicationOn),
      start: formatDate(eligibility.windowStart),
    }),
    routes: eligibility.routes
      .filter(entry => entry.enabled)
      .map(entry => ({
        name: t(`caseReview.routes.${entry.route}`),
        found: String(entry.found),
        needed: String(entry.needed),
        met: entry.met,
        lateApplication:
          entry.applicationInTime === false && entry.lastReportOn
            ? t('caseReview.staff.lateApplication', { date: formatDate(entry.lastReportOn) })
            : '',
      })),
    complaints: eligibility.complaints.map(complaint => ({
      reference: complaint.reference,
      received: formatDate(complaint.receivedOn),
      occurred: formatDate(complaint.occurredOn),
      hate: complaint.hate,
      byApplicant: complaint.byApplicant,
      counts: complaint.counted ? t('caseReview.staff.yes') : t('caseReview.staff.no'),
      problem: complaint.problem ? t(`caseReview.problems.${complaint.problem}`) : '',
    })),
  }
}

export function presentInformation(rows: readonly InformationRow[]) {
  return rows.map(row => ({
    id: row.id,
    partner: row.partner_name,
    requested: t('caseReview.staff.requestedDue', {
      requested: formatDate(row.requested_at),
      due: formatDate(row.due_on),
    }),
    response: row.response,
    responded: row.responded_at ? t('caseReview.staff.responded', { date: formatDate(row.responded_at) }) : '',
    partnerId: row.partner_id,
  }))
}

export function presentRecommendations(rows: readonly RecommendationRow[]) {
  return rows.map(row => ({
    text: row.text,
    detail: t('caseReview.staff.recommendationRow', {
      owner: row.owner_name,
      partner: row.lead_partner_name,
      due: formatDate(row.due_on),
      frequency: row.update_frequency,
    }),
    partner: row.lead_partner_name,
    due: formatDate(row.due_on),
    frequency: row.update_frequency,
  }))
}

export function presentFigures(years: readonly YearFigures[], startMonth: number) {
  const month = (m: number) => new Date(Date.UTC(2026, m - 1, 1)).toLocaleDateString('en-GB', { month: 'long' })
  return {
    intro: t('caseReview.figures.intro', {
      start: month(startMonth),
      end: month(startMonth === 1 ? 12 : startMonth - 1),
    }),
    rows: years.map(year => [
      { text: year.label },
      { text: String(year.applications), format: 'numeric' },
      { text: String(year.thresholdNotMet), format: 'numeric' },
      { text: String(year.reviews), format: 'numeric' },
      { text: String(year.reviewsWithRecommendations), format: 'numeric' },
    ]),
  }
}

export function csvHeaders(): string[] {
  return [
    t('caseReview.figures.year'),
    t('caseReview.figures.csvStart'),
    t('caseReview.figures.csvEnd'),
    t('caseReview.figures.applications'),
    t('caseReview.figures.thresholdNotMet'),
    t('caseReview.figures.reviews'),
    t('caseReview.figures.reviewsWithRecommendations'),
  ]
}

/** Date fields of a GOV.UK date input as an ISO date ('' parts stay, so a wrong date is refused by the service). */
export function isoFromParts(day: string, month: string, year: string): string {
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
}
