/**
 * Applications: a resident applies (from the tracking page or on their own), once per submission, with the
 * eligibility under the policy of the day; coordinators list and open them, acknowledge them and link the report
 * and case they are about.
 */
import type { Actor } from '../../platform/audit.js'
import { t } from '../../platform/i18n.js'
import { londonDate } from '../../platform/working-days.js'
import {
  CaseReviewError,
  fail,
  type ApplicationInput,
  type ReviewContext,
  type ReviewUser,
  type Result,
} from './case-review-context.js'
import type { ReviewRow } from './case-review-repository.js'
import { periodBefore, type Eligibility } from './eligibility.js'

export function createReviewApplications(context: ReviewContext) {
  const { repository, casework, policy, clock, reports, access, audit } = context.deps
  const { today, clocks, record, chronology, change, requireWorker, assess } = context
  const part = {
    /**
     * The report a resident applies from, if the reference and tracking code match (as on the tracking page), with
     * the name and contact details they gave on it (the application starts with them).
     */
    async applicantReport(reference: string, code: string) {
      const found = await reports.findForTracking(reference, code)
      if (!found) return undefined
      const { report } = found
      return {
        id: report.id,
        reference: report.reference,
        name: report.reporter_name ?? '',
        email: report.reporter_email ?? '',
        phone: report.reporter_phone ?? '',
      }
    },

    /** The application already made from a report, if any. */
    async applicationForReport(reportId: number) {
      const row = await repository.latestForReport(reportId)
      return row ? { reference: row.reference } : undefined
    },

    /** Eligibility now, for a report a resident tracks (what the application page tells them before they apply). */
    async eligibilityForReport(reportId: number): Promise<Eligibility> {
      const caseId = (await casework.repository.caseForReport(reportId)) ?? null
      return (await assess({ reportId, caseId, applicationOn: today() })).eligibility
    },

    /** Records an application once per submission; a repeat submission returns the first. */
    async apply(
      input: ApplicationInput,
      actor: Actor,
    ): Promise<Result<{ id: string; reference: string; linkedTo: string | null; linkedMine: boolean }>> {
      const existing = await repository.bySubmission(input.submissionId)
      if (existing)
        return { ok: true, id: existing.id, reference: existing.reference, linkedTo: null, linkedMine: false }
      let reportId: number | null = null
      if (input.reportReference || input.trackingCode) {
        const report = await part.applicantReport(input.reportReference ?? '', input.trackingCode ?? '')
        if (!report) return fail({ reportReference: t('caseReview.apply.errors.reportNotFound') })
        reportId = report.id
      }
      const now = clock.now()
      const receivedOn = londonDate(now)
      const caseId = reportId === null ? null : ((await casework.repository.caseForReport(reportId)) ?? null)
      const { eligibility, reportIds } = await assess({ reportId, caseId, applicationOn: receivedOn })
      const created = await repository.transaction(async trx => {
        await repository.rememberPolicy(policy.version, policy, now, trx)
        const earlier = await repository.earlierAbout(
          { reportIds, caseId, since: new Date(Date.parse(`${periodBefore(receivedOn, policy.lookBack)}T00:00:00Z`)) },
          trx,
        )
        const reference = await repository.nextReference(Number(receivedOn.slice(0, 4)), trx)
        const id = await repository.insert(
          {
            reference,
            submission_id: input.submissionId,
            received_at: now,
            received_on: receivedOn,
            channel: 'web',
            applicant_type: input.applicantType,
            applicant_name: input.name,
            applicant_email: input.email,
            applicant_phone: input.phone,
            applicant_address: input.address,
            victim_name: input.applicantType === 'representative' ? input.victimName : null,
            relationship: input.applicantType === 'representative' ? input.relationship : null,
            consent_confirmed: input.applicantType === 'representative' ? input.consent : false,
            report_id: reportId,
            case_id: caseId,
            description: input.description,
            dissatisfaction: input.dissatisfaction,
            hate_reported: input.hate,
            other_agencies: JSON.stringify(input.otherAgencies),
            linked_review_id: earlier?.id ?? null,
            status: 'received',
            eligibility: JSON.stringify(eligibility),
            eligibility_policy_version: policy.version,
            updated_at: now,
          },
          trx,
        )
        const linkedMine = earlier !== undefined && sameApplicant(earlier, { ...input, reportId })
        await record(
          actor,
          'CASE_REVIEW_APPLIED',
          { id },
          { linkedTo: earlier?.id ?? null, linkedMine, route: eligibility.route },
          trx,
        )
        await chronology({ id, case_id: caseId }, `ASB Case Review application ${reference} received`, actor, trx)
        return { id, reference, linkedTo: earlier?.reference ?? null, linkedMine }
      })
      return { ok: true, ...created }
    },

    /** The applications this user may see (the access policy as SQL), newest first. */
    async list(user: ReviewUser) {
      const rows = await repository.list({ visible: access.visibleSql(user) })
      return rows.map(row => ({ row, clocks: clocks(row) }))
    },

    async get(id: string) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
      const row = await repository.byId(id)
      if (!row) return undefined
      const [information, recommendations, linked] = await Promise.all([
        repository.information(id),
        repository.recommendations(id),
        repository.linkedTo(id),
      ])
      return { row, information, recommendations, linked, clocks: clocks(row) }
    },

    async acknowledge(user: ReviewUser, actor: Actor, review: ReviewRow, version: number) {
      requireWorker(user)
      if (review.acknowledged_at) throw new CaseReviewError('state')
      await change(review, actor, async trx => {
        await repository.update(review.id, version, { acknowledged_at: clock.now(), updated_at: clock.now() }, trx)
        await record(actor, 'CASE_REVIEW_ACKNOWLEDGED', review, {}, trx)
      })
    },

    /**
     * Links the case the review is about, by its reference. The coordinator may link any case in the partnership,
     * whichever team owns it (handoffs, ADR 0053): a review looks at how every agency dealt with the victim. The link
     * is audited against the review and against the case, and written in the case's chronology, so the case's owners
     * see it; it gives the coordinator no more access to the case than they had.
     */
    async linkCase(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      caseReference: string,
    ): Promise<Result> {
      requireWorker(user)
      const wanted = caseReference.trim().toUpperCase()
      const caseRow = wanted ? await casework.repository.caseByReference(wanted) : undefined
      if (!caseRow) return fail({ caseReference: t('caseReview.staff.errors.caseNotFound') })
      const visible = casework.canView(user, caseRow)
      await change(review, actor, async trx => {
        await repository.update(review.id, version, { case_id: caseRow.id, updated_at: clock.now() }, trx)
        await record(
          actor,
          'CASE_REVIEW_CASE_LINKED',
          review,
          { caseId: caseRow.id, caseVisibleToLinker: visible },
          trx,
        )
        await audit.record(
          {
            actor,
            action: 'case.case-review-linked',
            subjectType: 'case',
            subjectId: caseRow.id,
            details: { reviewId: review.id, reviewReference: review.reference, caseVisibleToLinker: visible },
          },
          trx,
        )
        await chronology(
          { id: review.id, case_id: caseRow.id },
          `ASB Case Review ${review.reference} linked`,
          actor,
          trx,
        )
      })
      return { ok: true }
    },

    /** Links the report an application is about, when the applicant did not give it (phone, letter, partner). */
    async linkReport(
      user: ReviewUser,
      actor: Actor,
      review: ReviewRow,
      version: number,
      reference: string,
    ): Promise<Result> {
      requireWorker(user)
      const report = reference ? await reports.findByReference(reference) : undefined
      if (!report) return fail({ reportReference: t('caseReview.staff.errors.reportNotFound') })
      const caseId = review.case_id ?? (await casework.repository.caseForReport(report.id)) ?? null
      await change(review, actor, async trx => {
        await repository.update(
          review.id,
          version,
          { report_id: report.id, case_id: caseId, updated_at: clock.now() },
          trx,
        )
        await record(actor, 'CASE_REVIEW_REPORT_LINKED', review, { reportId: report.id }, trx)
      })
      return { ok: true }
    },

    /** Eligibility as it stands today for an application (reports may have been linked since it arrived). */
    async currentEligibility(review: ReviewRow): Promise<Eligibility> {
      return (await assess({ reportId: review.report_id, caseId: review.case_id, applicationOn: review.received_on }))
        .eligibility
    },
  }

  return part
}

/**
 * Whether an earlier application about the same problem is this applicant's own: the same name, and made from the
 * same report (its tracking code proves it is theirs) or with the same email address or phone number. Then the
 * confirmation says "you have already asked", not "someone else has". A carer applying for the same victim, with the
 * victim's report, is someone else.
 */
export function sameApplicant(
  earlier: {
    report_id: number | null
    applicant_name: string
    applicant_email: string | null
    applicant_phone: string | null
  },
  now: { reportId: number | null; name: string; email: string | null; phone: string | null },
): boolean {
  const words = (value: string | null) => (value ?? '').trim().toLowerCase().replace(/\s+/g, ' ')
  const phone = (value: string | null) => (value ?? '').replace(/[^0-9]/g, '').replace(/^44/, '0')
  if (words(now.name) === '' || words(now.name) !== words(earlier.applicant_name)) return false
  if (now.reportId !== null && earlier.report_id === now.reportId) return true
  if (words(now.email) !== '' && words(now.email) === words(earlier.applicant_email)) return true
  return phone(now.phone) !== '' && phone(now.phone) === phone(earlier.applicant_phone)
}
