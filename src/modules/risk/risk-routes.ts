/**
 * Risk pages on a case. A case the user may not see answers 404 exactly as a missing one (casework records the
 * attempt); seeing the case but not its people is 404 too. Recording needs the right to change people on the case.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'

import { field } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { isUuid } from '../../platform/identifiers.js'
import { caseResource, caseworkPaths, declaredCaseResource, type Casework, type CaseRow } from '../casework/index.js'
import {
  levelTag,
  describeTrigger,
  formatDate,
  presentAssessment,
  presentForm,
  type FormValues,
} from './risk-presenters.js'
import { riskPaths } from './risk-paths.js'
import type { RiskService } from './risk-service.js'

const CaseParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const AssessmentParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  assessmentId: Type.String({ maxLength: 64 }),
})
const HistoryParams = Type.Object({ id: Type.String({ maxLength: 64 }), partyId: Type.String({ maxLength: 64 }) })

const CASE_ROLES = { roles: ['officer', 'supervisor', 'panel-coordinator', 'analyst', 'partner-read-only'] } as const
const ASSESSOR_ROLES = { roles: ['officer', 'supervisor'] } as const

export const riskRoutes: FastifyPluginAsyncTypebox<{ risk: RiskService; casework: Casework }> = async (
  app,
  { risk, casework },
) => {
  /**
   * The case behind the route's `:id`, checked against the part and action the route declares (ADR 0019): a case the
   * user may not see, or whose people they may not see, answers 404 exactly as a missing one (casework records the
   * attempt); a change they may not make (or on a closed case) answers 403 and is recorded as refused.
   */
  async function caseFor(request: FastifyRequest): Promise<CaseRow> {
    const { resource, action, value: id } = declaredCaseResource(request)
    const user = request.user
    // By id (the links casework shows) or by reference (what people type and read).
    const caseRow = !user
      ? undefined
      : isUuid(id)
        ? await casework.findForUser(user, id)
        : /^[A-Za-z0-9-]{3,40}$/.test(id)
          ? await casework.findByReferenceForUser(user, id)
          : undefined
    if (!user || !caseRow || !casework.can(user, caseRow, resource, 'view')) throw app.httpErrors.notFound()
    // The audit event names the case by id, whether the address used its id or its reference, so the case's access
    // log (who has seen it) includes the risk and powers pages too.
    request.auditContext.subjectType = 'case'
    request.auditContext.subjectId = caseRow.id
    if (action === 'change' && !(caseRow.status === 'open' && casework.can(user, caseRow, resource, 'change'))) {
      await casework.recordRefusal(user, caseRow, { resource, action, route: request.routeOptions.url })
      throw app.httpErrors.forbidden(t('risk.errors.forbidden'))
    }
    return caseRow
  }

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    caseRow: CaseRow,
    values: FormValues,
    errors = {},
    status = 200,
  ) {
    const victims = request.user ? await risk.victims(request.user, caseRow) : []
    return reply.code(status).view('risk/views/new.njk', {
      ...presentForm(risk.policy, caseRow, victims, values, errors, risk.today()),
      backHref: riskPaths.caseRisk(caseRow.id),
    })
  }

  app.get(
    '/cases/:id/risk-assessments',
    {
      config: {
        resource: caseResource('person', 'view', 'id'),
        access: CASE_ROLES,
        audit: { action: 'RISK_ASSESSMENTS_VIEWED', subjectType: 'case', subjectParam: 'id' },
      },
      schema: { params: CaseParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const victims = request.user ? await risk.caseOverview(request.user, caseRow) : []
      const canAssess = request.user ? risk.canAssess(request.user, caseRow) : false
      return reply.view('risk/views/case.njk', {
        caseHref: caseworkPaths.case(caseRow.reference),
        caseRow,
        canAssess,
        victims: victims.map(victim => ({
          name: victim.party.name,
          role: victim.party.role,
          latest: victim.latest
            ? {
                tag: levelTag(victim.latest.level),
                href: riskPaths.assessment(caseRow.id, victim.latest.id),
                assessedOn: formatDate(victim.latest.assessed_on),
                reviewDue: formatDate(victim.latest.review_due),
              }
            : null,
          count: victim.count,
          required: victim.triggers.length > 0,
          triggers: victim.triggers.map(describeTrigger),
          assessHref: riskPaths.newAssessment(caseRow.id, victim.party.id),
          historyHref: riskPaths.history(caseRow.id, victim.party.id),
        })),
      })
    },
  )

  app.get(
    '/cases/:id/risk-assessments/new',
    {
      config: {
        resource: caseResource('person', 'change', 'id'),
        access: ASSESSOR_ROLES,
        audit: { action: 'RISK_ASSESSMENT_FORM_VIEWED', subjectType: 'case', subjectParam: 'id' },
      },
      schema: {
        params: CaseParams,
        querystring: Type.Object({ party: Type.Optional(Type.String({ maxLength: 64 })) }),
      },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      return renderForm(request, reply, caseRow, { party: request.query.party, answers: {} })
    },
  )

  app.post(
    '/cases/:id/risk-assessments/new',
    {
      config: { resource: caseResource('person', 'change', 'id'), access: ASSESSOR_ROLES, audit: false },
      schema: { params: CaseParams, body: Type.Record(Type.String(), Type.Unknown()) },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const body = request.body
      const answers: Record<string, string> = {}
      for (const question of risk.policy.questions) {
        const value = field(body, `q-${question.id}`)
        if (value !== '') answers[question.id] = value
      }
      const values: FormValues = {
        party: field(body, 'party'),
        answers,
        'assessedOn-day': field(body, 'assessedOn-day'),
        'assessedOn-month': field(body, 'assessedOn-month'),
        'assessedOn-year': field(body, 'assessedOn-year'),
        overrideLevel: field(body, 'overrideLevel'),
        overrideReason: field(body, 'overrideReason'),
        notes: field(body, 'notes'),
        submissionId: isUuid(field(body, 'submissionId')) ? field(body, 'submissionId') : undefined,
      }
      const user = request.user
      if (!user || !values.submissionId)
        return renderForm(request, reply, caseRow, { ...values, submissionId: undefined }, {}, 400)
      const assessedOn = `${values['assessedOn-year'] ?? ''}-${(values['assessedOn-month'] ?? '').padStart(2, '0')}-${(values['assessedOn-day'] ?? '').padStart(2, '0')}`
      const result = await risk.record(user, request.actor, caseRow, {
        partyId: values.party ?? '',
        answers,
        assessedOn,
        overrideLevel: values.overrideLevel ?? '',
        overrideReason: values.overrideReason ?? '',
        notes: values.notes ?? '',
        submissionId: values.submissionId,
      })
      if (!result.ok) return renderForm(request, reply, caseRow, values, result.errors, 400)
      return reply.redirect(riskPaths.assessment(caseRow.id, result.id), 303)
    },
  )

  app.get(
    '/cases/:id/risk-assessments/:assessmentId',
    {
      config: {
        resource: caseResource('person', 'view', 'id'),
        access: CASE_ROLES,
        audit: { action: 'RISK_ASSESSMENT_VIEWED', subjectType: 'case' },
      },
      schema: { params: AssessmentParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const found =
        request.user && isUuid(request.params.assessmentId)
          ? await risk.assessment(request.user, caseRow, request.params.assessmentId)
          : undefined
      if (!found) throw app.httpErrors.notFound()
      request.auditContext.details = { assessmentId: found.row.id, partyId: found.party.id }
      const { row, party, referral } = found
      return reply.view('risk/views/assessment.njk', {
        caseRow,
        party,
        row,
        ...presentAssessment(risk.policy, row),
        assessedOn: formatDate(row.assessed_on),
        reviewDue: formatDate(row.review_due),
        referral,
        isHigh: row.level === 'high',
        canRefer: request.user ? risk.canAssess(request.user, caseRow) : false,
        referralHref: riskPaths.referral(caseRow.id, row.id),
        historyHref: riskPaths.history(caseRow.id, party.id),
        backHref: riskPaths.caseRisk(caseRow.id),
      })
    },
  )

  app.post(
    '/cases/:id/risk-assessments/:assessmentId/marac-referral',
    {
      config: { resource: caseResource('person', 'change', 'id'), access: ASSESSOR_ROLES, audit: false },
      schema: { params: AssessmentParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const user = request.user
      if (!user || !isUuid(request.params.assessmentId)) throw app.httpErrors.notFound()
      const result = await risk.referToMarac(user, request.actor, caseRow, request.params.assessmentId)
      if (!result.ok && result.problem === 'not-found') throw app.httpErrors.notFound()
      if (!result.ok) throw app.httpErrors.badRequest(t('risk.errors.not-high'))
      return reply.redirect(`${riskPaths.assessment(caseRow.id, request.params.assessmentId)}?referred=1`, 303)
    },
  )

  app.get(
    '/cases/:id/victims/:partyId/risk-assessments',
    {
      config: {
        resource: caseResource('person', 'view', 'id'),
        access: CASE_ROLES,
        audit: { action: 'RISK_HISTORY_VIEWED', subjectType: 'case' },
      },
      schema: { params: HistoryParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const found =
        request.user && isUuid(request.params.partyId)
          ? await risk.history(request.user, caseRow, request.params.partyId)
          : undefined
      if (!found) throw app.httpErrors.notFound()
      request.auditContext.details = { partyId: found.party.id }
      return reply.view('risk/views/history.njk', {
        caseRow,
        party: found.party,
        backHref: riskPaths.caseRisk(caseRow.id),
        rows: found.assessments.map(row => ({
          href: riskPaths.assessment(caseRow.id, row.id),
          assessedOn: formatDate(row.assessed_on),
          tag: levelTag(row.level),
          score: row.score,
          overridden: row.level !== row.computed_level,
          by: row.assessed_by_name,
          policyVersion: row.policy_version,
          reviewDue: formatDate(row.review_due),
        })),
      })
    },
  )
}
