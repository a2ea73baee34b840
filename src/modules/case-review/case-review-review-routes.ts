/**
 * One application, for staff: its page, and the steps its state allows (acknowledge, link a case or a report, the
 * threshold decision, the chair, asking agencies, inviting the applicant, the outcome, an appeal and its decision,
 * closing). Each step is `POST /staff/case-reviews/:id/:action`; the guard has found the application visible and
 * the change permitted, the service checks the step again.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import { field, fields } from '../../platform/forms.js'
import { isoFromParts, presentRecommendations } from './case-review-presenters.js'
import {
  changing,
  formBody,
  IdParams,
  STAFF,
  staffPages,
  viewing,
  type CaseReviewRouteOptions,
} from './case-review-route-support.js'
import { CaseReviewError } from './case-review-service.js'

const ActionParams = Type.Object({ id: Type.String({ maxLength: 64 }), action: Type.String({ maxLength: 40 }) })
const StepBody = formBody(
  'version',
  'caseReference',
  'reportReference',
  'decision',
  'persistence',
  'harm',
  'adequacy',
  'reason',
  'chair',
  'partners',
  'meetingOn-day',
  'meetingOn-month',
  'meetingOn-year',
  'note',
  'summary',
  'grounds',
  'appealDecision',
  'appealReason',
)

export const caseReviewReviewRoutes: FastifyPluginAsyncTypebox<CaseReviewRouteOptions> = async (app, options) => {
  const { caseReview } = options
  const { renderReview, letterHtml, step } = staffPages(app, options)

  app.get(
    '/staff/case-reviews/:id',
    {
      config: {
        access: STAFF,
        audit: { action: 'CASE_REVIEW_VIEWED', subjectType: 'case_review', subjectParam: 'id' },
        resource: viewing(),
      },
      schema: { params: IdParams },
    },
    async (request, reply) => renderReview(request, reply, request.params.id),
  )

  app.post(
    '/staff/case-reviews/:id/:action',
    {
      config: { access: STAFF, audit: false, resource: changing() },
      schema: { params: ActionParams, body: StepBody },
    },
    async (request, reply) => {
      const { id, action } = request.params
      const body = request.body
      const actor = request.actor
      return step(request, reply, id, body, async (user, row, version) => {
        switch (action) {
          case 'acknowledge':
            await caseReview.acknowledge(user, actor, row, version)
            return undefined
          case 'link-case':
            return caseReview.linkCase(user, actor, row, version, field(body, 'caseReference'))
          case 'link-report':
            return caseReview.linkReport(user, actor, row, version, field(body, 'reportReference'))
          case 'threshold': {
            const result = await caseReview.decideThreshold(user, actor, row, version, {
              decision: field(body, 'decision'),
              persistence: field(body, 'persistence'),
              harm: field(body, 'harm'),
              adequacy: field(body, 'adequacy'),
              reason: field(body, 'reason'),
            })
            if (result.ok && field(body, 'decision') === 'not-met') {
              const decided = await caseReview.get(id)
              if (decided) {
                await caseReview.storeLetter(
                  actor,
                  decided.row,
                  'not-met',
                  letterHtml(decided.row, 'not-met', {
                    date: new Date(decided.row.threshold_decided_at ?? Date.now()),
                  }),
                )
              }
            }
            return result
          }
          case 'chair':
            return caseReview.appointChair(user, actor, row, version, field(body, 'chair'))
          case 'information':
            return caseReview.requestInformation(user, actor, row, fields(body, 'partners'))
          case 'invite':
            return caseReview.inviteApplicant(user, actor, row, version, {
              meetingOn: isoFromParts(
                field(body, 'meetingOn-day'),
                field(body, 'meetingOn-month'),
                field(body, 'meetingOn-year'),
              ),
              note: field(body, 'note'),
            })
          case 'outcome': {
            const recommendations = presentRecommendations((await caseReview.get(id))?.recommendations ?? [])
            const summary = field(body, 'summary')
            return caseReview.sendOutcome(user, actor, row, version, summary, date =>
              letterHtml(row, 'outcome', { date, summary, recommendations }),
            )
          }
          case 'appeal':
            return caseReview.receiveAppeal(user, actor, row, version, { grounds: field(body, 'grounds') })
          case 'appeal-decision': {
            const result = await caseReview.decideAppeal(user, actor, row, version, {
              decision: field(body, 'appealDecision'),
              reason: field(body, 'appealReason'),
            })
            if (result.ok) {
              const decided = await caseReview.get(id)
              if (decided)
                await caseReview.storeLetter(
                  actor,
                  decided.row,
                  'appeal',
                  letterHtml(decided.row, 'appeal', { date: new Date() }),
                )
            }
            return result
          }
          case 'close':
            await caseReview.close(user, actor, row, version)
            return undefined
          default:
            throw new CaseReviewError('not-found')
        }
      })
    },
  )
}
