/**
 * The end of the resident journey: "Is it one of these?" (nearby similar reports), "Check your answers", the
 * submission itself and the confirmation page.
 */
import { randomBytes } from 'node:crypto'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import type { GeographyService } from '../geography/index.js'
import { hasCode } from '../../platform/errors.js'
import { t } from '../../platform/i18n.js'
import { draftIdempotencyKey } from './draft-service.js'
import { draftEvidence } from './evidence-service.js'
import { IntakeError } from './intake-service.js'
import { firstMissingStep, text, toIntakeInput, type Answers } from './journey.js'
import { draftAudit, FormBody, outsideAnswers, view, type DraftSession } from './journey-session.js'
import { newTrackingCode } from './reference.js'
import type { Reporting } from './reporting.js'
import { reportingPaths } from './reporting-paths.js'
import { formatTrackingCode, presentCandidates, presentCheckAnswers } from './reporting-presenters.js'
import { findCategory } from './taxonomy.js'

const HONEYPOT = 'website'
/** The audit event of a submission from the journey. */
const SUBMITTED = { action: 'REPORT_SUBMITTED', subjectType: 'report' }

/** A similar report offered on "Is it one of these?": what the page showed, its token, and (server-side only) which. */
interface OfferedReport {
  token: string
  reference: string
  category: string
  where: string
  week: string
}

const similarOffered = (answers: Answers): OfferedReport[] =>
  Array.isArray(answers.similarOffered) ? (answers.similarOffered as OfferedReport[]) : []

/** The "will be added to" line: a similar report by what the page showed of it, the resident's own by reference. */
function linkedModel(answers: Answers) {
  const summary = answers.linkedSummary
  if (summary && typeof summary === 'object') return { linkedSummary: summary, linkedReference: '' }
  return {
    linkedSummary: null,
    linkedReference: typeof answers.linkedReference === 'string' ? answers.linkedReference : '',
  }
}

export interface SubmissionRoutesOptions {
  reporting: Reporting
  geography: GeographyService
  session: DraftSession
}

export const submissionRoutes: FastifyPluginAsyncTypebox<SubmissionRoutesOptions> = async (app, options) => {
  const { reporting, geography, session } = options
  const { intake } = reporting
  const wardName = (code: string) => geography.ward(code)?.name ?? code

  async function candidatesFor(answers: Answers) {
    const category = typeof answers.category === 'string' ? answers.category : ''
    const wardCode = typeof answers.wardCode === 'string' ? answers.wardCode : ''
    if (!findCategory(category) || !wardCode) return []
    let point: { latitude: number; longitude: number } | null = null
    if (typeof answers.latitude === 'number' && typeof answers.longitude === 'number')
      point = { latitude: answers.latitude, longitude: answers.longitude }
    else if (answers.locationMode === 'postcode' && typeof answers.postcode === 'string') {
      const found = await geography.lookupPostcode(answers.postcode)
      if (found.status === 'found') point = found.point
    }
    // Reporting it again: the earlier report (and its reporter's others) are the resident's own, not someone else's.
    const ownOf = typeof answers.againOf === 'string' ? answers.againOf : undefined
    return intake.findDuplicateCandidates({ category, point, wardCode, ownOf })
  }

  // "Is it one of these?": nearby similar reports before submitting; linking adds to one, nothing is discarded.
  app.get(
    reportingPaths.step('similar'),
    { config: { access: 'public', audit: draftAudit } },
    async (request, reply) => {
      const draft = await session.activeDraft(request)
      const missing = draft ? firstMissingStep(draft.answers) : 'what'
      if (!draft || missing) return reply.redirect(reportingPaths.step(missing ?? 'what'), 303)
      const candidates = await candidatesFor(draft.answers)
      if (candidates.length === 0) return reply.redirect(reportingPaths.step('check'), 303)
      // The page carries opaque tokens, never references: which report each token means stays in the draft.
      const offered = presentCandidates(candidates, wardName).map((shown, index) => ({
        ...shown,
        token: randomBytes(12).toString('base64url'),
        reference: candidates[index]?.reference ?? '',
      }))
      await session.save(request, reply, { similarOffered: offered })
      return reply.view(view('similar'), {
        candidates: offered.map(({ category, where, week, token }) => ({ category, where, week, token })),
      })
    },
  )

  app.post(
    reportingPaths.step('similar'),
    {
      config: { access: 'public', audit: { action: 'REPORT_DRAFT_UPDATED', subjectType: 'report_draft' } },
      schema: { body: FormBody },
    },
    async (request, reply) => {
      const draft = await session.activeDraft(request)
      if (!draft) return reply.redirect(reportingPaths.step('what'), 303)
      const choice = text(request.body, 'choice')
      const offered = similarOffered(draft.answers).find(entry => choice !== '' && entry.token === choice)
      // Still a candidate now (same type, nearby, recent), or the choice is dropped.
      const stillCandidate =
        offered !== undefined &&
        (await candidatesFor(draft.answers)).some(candidate => candidate.reference === offered.reference)
      const linked = stillCandidate ? offered : undefined
      // "Mine is different" keeps the link a repeat report has to the resident's own earlier one.
      const own = typeof draft.answers.againOf === 'string' ? draft.answers.againOf : ''
      await session.save(request, reply, {
        linkedReference: linked ? linked.reference : own,
        linkedSummary: linked ? { category: linked.category, where: linked.where, week: linked.week } : null,
        similarOffered: [],
        similarSeen: true,
      })
      return reply.redirect(reportingPaths.step('check'), 303)
    },
  )

  const checkModel = (answers: Answers) => ({
    rows: presentCheckAnswers(answers, wardName),
    ...linkedModel(answers),
  })

  app.get(reportingPaths.step('check'), { config: { access: 'public', audit: draftAudit } }, async (request, reply) => {
    const draft = await session.anyDraft(request)
    if (draft?.reportId) return reply.redirect(reportingPaths.confirmation, 303)
    const missing = draft ? firstMissingStep(draft.answers) : 'triage'
    if (!draft || missing) return reply.redirect(reportingPaths.step(missing ?? 'triage'), 303)
    return reply.view(view('check'), checkModel(draft.answers))
  })

  app.post(
    reportingPaths.step('check'),
    {
      config: { access: 'public', audit: SUBMITTED },
      schema: { body: FormBody },
    },
    async (request, reply) => {
      if (text(request.body, HONEYPOT) !== '') {
        request.auditContext.skip = true
        return reply.code(400).view('errors/400.njk', { message: t('report.check.rejected') })
      }
      const draft = await session.anyDraft(request)
      if (!draft) return reply.redirect(reportingPaths.step('triage'), 303)
      if (draft.reportId) return reply.redirect(reportingPaths.confirmation, 303)
      const missing = firstMissingStep(draft.answers)
      if (missing) return reply.redirect(reportingPaths.step(missing), 303)
      const trackingCode = newTrackingCode({ secret: reporting.secret, key: draft.id })
      try {
        // The route's REPORT_SUBMITTED event goes into the report's own statement (the same row the audit hook
        // would write after the redirect); the hook writes it only for a draft submitted before.
        const result = await intake.submit(
          toIntakeInput(draft.answers, { idempotencyKey: draftIdempotencyKey(draft.id), trackingCode }),
          request.actor,
          {
            correlationId: request.id,
            evidenceIds: draftEvidence(draft.answers).map(file => file.id),
            audit: {
              actor: request.actor,
              action: SUBMITTED.action,
              subjectType: SUBMITTED.subjectType,
              origin: request.auditOrigin,
              details: { method: request.method, route: request.routeOptions.url, status: 303 },
            },
          },
        )
        request.auditContext.subjectId = String(result.report.id)
        if (result.created) request.auditContext.skip = true
        return await reply.redirect(reportingPaths.confirmation, 303)
      } catch (error) {
        if (!(error instanceof IntakeError)) throw error
        request.auditContext.skip = true
        if (hasCode(error, 'outside_borough')) {
          await session.save(
            request,
            reply,
            outsideAnswers(error.neighbour, typeof draft.answers.postcode === 'string' ? draft.answers.postcode : ''),
          )
          return reply.redirect(reportingPaths.step('outside'), 303)
        }
        const errors = { submit: t('report.check.errors.problem') }
        return reply.code(400).view(view('check'), {
          ...checkModel(draft.answers),
          errors,
          errorSummary: [{ text: errors.submit, href: '#check-answers' }],
        })
      }
    },
  )

  app.get(
    reportingPaths.confirmation,
    { config: { access: 'public', audit: { action: 'REPORT_CONFIRMATION_VIEWED', subjectType: 'report' } } },
    async (request, reply) => {
      const draft = await session.anyDraft(request)
      if (!draft?.reportId) return reply.redirect(reportingPaths.start, 303)
      const report = await reporting.repository.findById(draft.reportId)
      if (!report) return reply.redirect(reportingPaths.start, 303)
      request.auditContext.subjectId = String(report.id)
      const code = newTrackingCode({ secret: reporting.secret, key: draft.id })
      const category = findCategory(report.category)
      return reply.view(view('confirmation'), {
        reference: report.reference,
        trackingCode: formatTrackingCode(code),
        trackingUrl: reportingPaths.tracking(report.reference, code),
        owner: category?.owner ?? 'council',
        ...linkedModel(draft.answers),
        contactPreference: report.contact_preference,
        borough: geography.borough(),
      })
    },
  )
}
