/**
 * The Case Review eligibility engine: pure, deterministic, every date a London calendar date (YYYY-MM-DD), so the
 * answer never depends on the hour or on the clocks changing. Given the complaints about the problem and the policy,
 * it says which routes to the threshold are met and why; below every threshold the result is the discretionary
 * route, never a refusal (s104(5)).
 *
 * - A complaint qualifies when it was made within `complaintWithin` of the behaviour (exactly one month is in time).
 * - It counts when it was made within `lookBack` before the application (exactly six months is in time) and, unless
 *   the policy excludes them, whether or not it was a hate incident.
 * - Route "complaints": the applicant's (or the victim's) counted complaints reach `minimumComplaints`.
 * - Route "different-reporters": counted complaints from that many different people about the same problem.
 * - Route "hate": one counted hate incident reported by the applicant or victim.
 * - Route "high-risk": the victim was assessed as high risk within the look-back.
 * - With `applicationAfterLastReport`, the report routes also need the application within that period of the last
 *   counted report they rely on (Tower Hamlets: one month).
 */
import { addDays, addMonths, daysBetween, londonDate } from '../../platform/working-days.js'
import type { CalendarPeriod, CaseReviewPolicy } from './case-review-policy.js'

export interface ComplaintFact {
  id: number
  reference: string
  /** The London date the complaint was made (received by any agency, through any channel). */
  receivedOn: string
  /** The date of the behaviour. */
  occurredOn: string
  hate: boolean
  /** Made by the applicant or the victim they act for. */
  byApplicant: boolean
  /** Who made it (a stable pseudonymous key); null when anonymous. */
  reporterKey: string | null
  channel: string
}

export interface EligibilityInput {
  applicationOn: string
  complaints: readonly ComplaintFact[]
  /** The most recent date the victim was assessed as high risk, if ever. */
  highRiskAssessedOn: string | null
}

export const ROUTES = ['complaints', 'different-reporters', 'hate', 'high-risk'] as const
export type Route = (typeof ROUTES)[number]

export type ComplaintProblem = 'late' | 'outside-window' | 'after-application' | 'hate-excluded'

export interface AssessedComplaint {
  id: number
  reference: string
  receivedOn: string
  occurredOn: string
  hate: boolean
  byApplicant: boolean
  counted: boolean
  problem: ComplaintProblem | null
}

export interface RouteResult {
  route: Route
  enabled: boolean
  met: boolean
  /** How many (complaints, people, incidents) the route found, against what it needs. */
  found: number
  needed: number
  /** Set when the route's reports are enough but the application came too long after the last of them. */
  lastReportOn: string | null
  applicationInTime: boolean | null
}

export interface Eligibility {
  policyVersion: string
  applicationOn: string
  windowStart: string
  complaints: AssessedComplaint[]
  routes: RouteResult[]
  met: boolean
  /** The first route met, or 'discretionary' (s104(5)). */
  route: Route | 'discretionary'
}

/**
 * A report as the engine sees it: the day it was made is its London calendar date, so a report made at 00:30 on a
 * summer night (23:30 the day before in UTC) is made on the London day.
 */
export function complaintFact(
  report: {
    id: number
    reference: string
    receivedAt: Date
    occurredOn: string
    hate: boolean
    reporterKey: string | null
    channel: string
  },
  byApplicant: boolean,
): ComplaintFact {
  return {
    id: report.id,
    reference: report.reference,
    receivedOn: londonDate(report.receivedAt),
    occurredOn: report.occurredOn,
    hate: report.hate,
    byApplicant,
    reporterKey: report.reporterKey,
    channel: report.channel,
  }
}

export function periodAfter(iso: string, period: CalendarPeriod): string {
  return period.unit === 'months' ? addMonths(iso, period.amount) : addDays(iso, period.amount)
}

export function periodBefore(iso: string, period: CalendarPeriod): string {
  return period.unit === 'months' ? addMonths(iso, -period.amount) : addDays(iso, -period.amount)
}

function latest(dates: readonly string[]): string | null {
  return dates.reduce<string | null>((max, date) => (max === null || date > max ? date : max), null)
}

export function assessEligibility(policy: CaseReviewPolicy, input: EligibilityInput): Eligibility {
  const { applicationOn } = input
  const windowStart = periodBefore(applicationOn, policy.lookBack)

  const complaints: AssessedComplaint[] = input.complaints
    .map(complaint => {
      let problem: ComplaintProblem | null = null
      if (daysBetween(complaint.receivedOn, applicationOn) < 0) problem = 'after-application'
      else if (daysBetween(windowStart, complaint.receivedOn) < 0) problem = 'outside-window'
      else if (daysBetween(complaint.receivedOn, periodAfter(complaint.occurredOn, policy.complaintWithin)) < 0)
        problem = 'late'
      else if (complaint.hate && !policy.countHateIncidents) problem = 'hate-excluded'
      return {
        id: complaint.id,
        reference: complaint.reference,
        receivedOn: complaint.receivedOn,
        occurredOn: complaint.occurredOn,
        hate: complaint.hate,
        byApplicant: complaint.byApplicant,
        counted: problem === null,
        problem,
      }
    })
    .sort((a, b) => (a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : a.id - b.id))

  const counted = complaints.filter(complaint => complaint.counted)
  const reporterOf = new Map(input.complaints.map(complaint => [complaint.id, complaint.reporterKey]))

  function inTime(relied: readonly AssessedComplaint[]) {
    const lastReportOn = latest(relied.map(complaint => complaint.receivedOn))
    if (!policy.applicationAfterLastReport || lastReportOn === null) return { lastReportOn, applicationInTime: null }
    return {
      lastReportOn,
      applicationInTime: daysBetween(applicationOn, periodAfter(lastReportOn, policy.applicationAfterLastReport)) >= 0,
    }
  }

  function reportRoute(
    route: Route,
    enabled: boolean,
    relied: readonly AssessedComplaint[],
    found: number,
    needed: number,
  ) {
    const timing = inTime(relied)
    return {
      route,
      enabled,
      met: enabled && found >= needed && timing.applicationInTime !== false,
      found,
      needed,
      ...timing,
    } satisfies RouteResult
  }

  const mine = counted.filter(complaint => complaint.byApplicant)
  // Anonymous complaints cannot be told apart: they count as reports, not as different people.
  const people = new Set(counted.map(complaint => reporterOf.get(complaint.id)).filter(key => key !== null))
  const hate = mine.filter(complaint => complaint.hate)
  const highRisk =
    input.highRiskAssessedOn !== null &&
    daysBetween(windowStart, input.highRiskAssessedOn) >= 0 &&
    daysBetween(input.highRiskAssessedOn, applicationOn) >= 0

  const routes: RouteResult[] = [
    reportRoute('complaints', true, mine, mine.length, policy.minimumComplaints),
    reportRoute(
      'different-reporters',
      policy.variants.differentReporters > 0,
      counted.filter(complaint => reporterOf.get(complaint.id) !== null),
      people.size,
      policy.variants.differentReporters,
    ),
    reportRoute('hate', policy.variants.singleHateIncident, hate, hate.length, 1),
    {
      route: 'high-risk',
      enabled: policy.variants.highRiskVictim,
      met: policy.variants.highRiskVictim && highRisk,
      found: highRisk ? 1 : 0,
      needed: 1,
      lastReportOn: null,
      applicationInTime: null,
    },
  ]
  const first = routes.find(route => route.met)
  return {
    policyVersion: policy.version,
    applicationOn,
    windowStart,
    complaints,
    routes,
    met: Boolean(first),
    route: first ? first.route : 'discretionary',
  }
}
