/**
 * Powers pages on a case: the ladder (what is available, what is blocked and why), issuing an action, an action with
 * its deadlines and breaches, recording a breach, and letters as HTML and PDF. A case the user may not see answers
 * 404 exactly as a missing one; issuing needs the right to change the case (a partner's read-only user cannot).
 */
import { randomUUID } from 'node:crypto'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'

import { errorSummary, field, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import type { PdfRenderer } from '../../platform/pdf.js'
import { isUuid } from '../../platform/identifiers.js'
import {
  caseResource,
  caseworkPaths,
  declaredCaseResource,
  type Casework,
  type CaseRow,
  type PartyRow,
} from '../casework/index.js'
import { formatDate, presentAction, presentIssueForm, presentLadder, type FormValues } from './powers-presenters.js'
import { powersPaths } from './powers-paths.js'
import { isPowerCode, ruleFor, type PowerCode } from './powers-policy.js'
import type { ActionRow } from './powers-repository.js'
import { BREACH_RESPONSES, type PowersService } from './powers-service.js'

const CaseParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const PowerParams = Type.Object({ id: Type.String({ maxLength: 64 }), power: Type.String({ maxLength: 40 }) })
const ActionParams = Type.Object({ id: Type.String({ maxLength: 64 }), actionId: Type.String({ maxLength: 64 }) })
const FormBody = Type.Record(Type.String({ maxLength: 60 }), Type.Unknown())

const CASE_READERS = { roles: ['officer', 'supervisor', 'panel-coordinator', 'analyst', 'partner-read-only'] } as const
const ISSUERS = { roles: ['officer', 'supervisor'] } as const

export const powersRoutes: FastifyPluginAsyncTypebox<{
  powers: PowersService
  casework: Casework
  pdf: PdfRenderer
}> = async (app, { powers, casework, pdf }) => {
  /**
   * The case behind the route's `:id`, checked against the part and action the route declares (ADR 0019): a case the
   * user may not see answers 404 exactly as a missing one (casework records the attempt); what they may not do (or a
   * change on a closed case) answers 403 and is recorded as refused.
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
    if (!user || !caseRow) throw app.httpErrors.notFound()
    // The audit event names the case by id, whether the address used its id or its reference, so the case's access
    // log (who has seen it) includes the risk and powers pages too.
    request.auditContext.subjectType = 'case'
    request.auditContext.subjectId = caseRow.id
    if (!casework.can(user, caseRow, resource, action) || (action === 'change' && !powers.canIssue(user, caseRow))) {
      await casework.recordRefusal(user, caseRow, { resource, action, route: request.routeOptions.url })
      throw app.httpErrors.forbidden(t('powers.errors.forbidden'))
    }
    return caseRow
  }

  async function actionFor(request: FastifyRequest, caseRow: CaseRow, actionId: string): Promise<ActionRow> {
    const action =
      request.user && isUuid(actionId) ? await powers.actionFor(request.user, caseRow, actionId) : undefined
    if (!action) throw app.httpErrors.notFound()
    request.auditContext.details = { actionId: action.id, power: action.power, partyId: action.party_id }
    return action
  }

  function powerOf(code: string): PowerCode {
    if (!isPowerCode(code)) throw app.httpErrors.notFound()
    return code
  }

  async function renderIssue(
    request: FastifyRequest,
    reply: FastifyReply,
    caseRow: CaseRow,
    power: PowerCode,
    values: FormValues,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const user = request.user
    if (!user) throw app.httpErrors.notFound()
    const [perpetrators, actions] = await Promise.all([
      powers.perpetratorsFor(user, caseRow),
      powers.actionsFor(user, caseRow),
    ])
    const notices = actions.filter(action => action.power === 'closure-notice')
    return reply.code(status).view('powers/views/issue.njk', {
      ...presentIssueForm(
        ruleFor(powers.policy, power),
        caseRow,
        { perpetrators, notices, today: powers.today() },
        values,
        errors,
      ),
      backHref: powersPaths.ladder(caseRow.id, values.party),
      policyVersion: powers.policy.version,
    })
  }

  app.get(
    '/cases/:id/powers',
    {
      config: {
        resource: caseResource('case', 'view', 'id'),
        access: CASE_READERS,
        audit: { action: 'POWERS_VIEWED', subjectType: 'case', subjectParam: 'id' },
      },
      schema: {
        params: CaseParams,
        querystring: Type.Object({ party: Type.Optional(Type.String({ maxLength: 64 })) }),
      },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      if (!request.user) throw app.httpErrors.notFound()
      const { party, perpetrators, actions, steps } = await powers.ladderFor(request.user, caseRow, request.query.party)
      const canIssue = request.user ? powers.canIssue(request.user, caseRow) : false
      const breaches = await powers.breaches(caseRow)
      return reply.view('powers/views/ladder.njk', {
        caseHref: caseworkPaths.case(caseRow.reference),
        caseRow,
        party,
        policyVersion: powers.policy.version,
        today: formatDate(powers.today()),
        perpetrators: perpetrators.map(p => ({
          text: p.name,
          href: powersPaths.ladder(caseRow.id, p.id),
          current: p.id === party?.id,
        })),
        steps: presentLadder(caseRow.id, steps, party, canIssue),
        actions: actions.map(action => ({
          ...presentAction(
            caseRow.id,
            action,
            powers.policy.rules.find(rule => rule.code === action.power),
          ),
          breaches: breaches.filter(breach => breach.action_id === action.id).length,
        })),
      })
    },
  )

  app.get(
    '/cases/:id/powers/:power/new',
    {
      config: {
        resource: caseResource('case', 'change', 'id'),
        access: ISSUERS,
        audit: { action: 'POWER_FORM_VIEWED', subjectType: 'case', subjectParam: 'id' },
      },
      schema: {
        params: PowerParams,
        querystring: Type.Object({ party: Type.Optional(Type.String({ maxLength: 64 })) }),
      },
    },
    async (request, reply) => {
      const power = powerOf(request.params.power)
      const caseRow = await caseFor(request)
      return renderIssue(request, reply, caseRow, power, request.query.party ? { party: request.query.party } : {})
    },
  )

  app.post(
    '/cases/:id/powers/:power/new',
    {
      config: { resource: caseResource('case', 'change', 'id'), access: ISSUERS, audit: false },
      schema: { params: PowerParams, body: FormBody },
    },
    async (request, reply) => {
      const power = powerOf(request.params.power)
      const caseRow = await caseFor(request)
      const values: FormValues = Object.fromEntries(
        Object.keys(request.body)
          .filter(key => key !== '_csrf')
          .map(key => [key, field(request.body, key)]),
      )
      const submissionId = isUuid(values.submissionId ?? '') ? (values.submissionId ?? '') : ''
      if (!request.user || submissionId === '') {
        return renderIssue(request, reply, caseRow, power, { ...values, submissionId: '' }, {}, 400)
      }
      const result = await powers.issue(
        request.user,
        request.actor,
        caseRow,
        power,
        request.body,
        submissionId,
        (action, party) => renderLetter(caseRow, action, party),
      )
      if (!result.ok) return renderIssue(request, reply, caseRow, power, values, result.errors, 400)
      return reply.redirect(powersPaths.action(caseRow.id, result.id), 303)
    },
  )

  app.get(
    '/cases/:id/powers/actions/:actionId',
    {
      config: {
        resource: caseResource('case', 'view', 'id'),
        access: CASE_READERS,
        audit: { action: 'POWER_ACTION_VIEWED', subjectType: 'case', subjectParam: 'id' },
      },
      schema: { params: ActionParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const action = await actionFor(request, caseRow, request.params.actionId)
      const breaches = (await powers.breaches(caseRow)).filter(breach => breach.action_id === action.id)
      const rule = powers.policy.rules.find(candidate => candidate.code === action.power)
      return reply.view('powers/views/action.njk', {
        caseRow,
        action,
        ...presentAction(caseRow.id, action, rule),
        canIssue: request.user ? powers.canIssue(request.user, caseRow) : false,
        backHref: powersPaths.ladder(caseRow.id, action.party_id ?? undefined),
        breaches: breaches.map(breach => ({
          occurredOn: formatDate(breach.occurred_on),
          description: breach.description,
          response: t(`powers.breach.response.${breach.response}`),
          by: breach.recorded_by_name,
        })),
      })
    },
  )

  function breachView(caseRow: CaseRow, action: ActionRow, values: Record<string, string>, errors: FieldErrors = {}) {
    const message = (id: string) => (errors[id] ? { text: errors[id] } : undefined)
    return {
      caseRow,
      action: presentAction(caseRow.id, action, undefined),
      backHref: powersPaths.action(caseRow.id, action.id),
      values,
      submissionId: values.submissionId ?? randomUUID(),
      errorSummary: errorSummary(errors),
      errors: Object.fromEntries(Object.keys(errors).map(id => [id, message(id)])),
      responseItems: BREACH_RESPONSES.map(response => ({
        value: response,
        text: t(`powers.breach.response.${response}`),
        checked: values.response === response,
      })),
    }
  }

  app.get(
    '/cases/:id/powers/actions/:actionId/breaches/new',
    {
      config: {
        resource: caseResource('case', 'change', 'id'),
        access: ISSUERS,
        audit: { action: 'POWER_BREACH_FORM_VIEWED', subjectType: 'case', subjectParam: 'id' },
      },
      schema: { params: ActionParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const action = await actionFor(request, caseRow, request.params.actionId)
      return reply.view('powers/views/breach.njk', breachView(caseRow, action, {}))
    },
  )

  app.post(
    '/cases/:id/powers/actions/:actionId/breaches/new',
    {
      config: { resource: caseResource('case', 'change', 'id'), access: ISSUERS, audit: false },
      schema: { params: ActionParams, body: FormBody },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const action = await actionFor(request, caseRow, request.params.actionId)
      const body = request.body
      const values = {
        'occurredOn-day': field(body, 'occurredOn-day'),
        'occurredOn-month': field(body, 'occurredOn-month'),
        'occurredOn-year': field(body, 'occurredOn-year'),
        description: field(body, 'description'),
        response: field(body, 'response'),
        submissionId: isUuid(field(body, 'submissionId')) ? field(body, 'submissionId') : randomUUID(),
      }
      if (!request.user) throw app.httpErrors.forbidden()
      const result = await powers.recordBreach(request.user, request.actor, caseRow, action, {
        occurredOn: `${values['occurredOn-year']}-${values['occurredOn-month'].padStart(2, '0')}-${values['occurredOn-day'].padStart(2, '0')}`,
        description: values.description,
        response: values.response,
        submissionId: values.submissionId,
      })
      if (!result.ok)
        return reply.code(400).view('powers/views/breach.njk', breachView(caseRow, action, values, result.errors))
      return reply.redirect(`${powersPaths.action(caseRow.id, action.id)}?breach=1`, 303)
    },
  )

  /** The letter an action sends, as it is generated at issue (and stored on the case). */
  function renderLetter(caseRow: CaseRow, action: ActionRow, party: PartyRow | undefined): string {
    const rule = powers.policy.rules.find(candidate => candidate.code === action.power)
    if (!rule?.letter) throw app.httpErrors.notFound()
    const details = action.details
    return app.nunjucks.render('powers/views/letter.njk', {
      caseRow,
      action,
      party,
      ...presentAction(caseRow.id, action, rule),
      conduct: typeof details.conduct === 'string' ? details.conduct : '',
      requirements: typeof details.requirements === 'string' ? details.requirements : '',
      letterType: action.power,
      letterhead: powers.letterhead,
    })
  }

  /**
   * The letter exactly as sent: the copy kept on the case, or (for actions from before letters were kept) rendered. A
   * letter to a confidential reporter names them, so it is for the owning side only (casework's withholding); anyone
   * else is refused, and the refusal is on the case's access log.
   */
  async function letterHtml(request: FastifyRequest, caseRow: CaseRow, action: ActionRow): Promise<string> {
    const user = request.user
    if (!user) throw app.httpErrors.notFound()
    if (!powers.subjectShown(user, caseRow, action)) {
      await casework.recordRefusal(user, caseRow, { actionId: action.id, letter: true, withheld: true })
      throw app.httpErrors.forbidden(t('casework.party.letterWithheld'))
    }
    const kept = await casework.repository.letterFor(caseRow.id, 'powers', action.id)
    if (kept) return kept.html
    const party = action.party_id ? await casework.partyById(action.party_id) : undefined
    return renderLetter(caseRow, action, party)
  }

  app.get(
    '/cases/:id/powers/actions/:actionId/letter',
    {
      config: {
        resource: caseResource('export', 'view', 'id'),
        access: ISSUERS,
        audit: { action: 'POWER_LETTER_VIEWED', subjectType: 'case', subjectParam: 'id' },
      },
      schema: { params: ActionParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const action = await actionFor(request, caseRow, request.params.actionId)
      return reply.type('text/html; charset=utf-8').send(await letterHtml(request, caseRow, action))
    },
  )

  app.get(
    '/cases/:id/powers/actions/:actionId/letter.pdf',
    {
      config: {
        resource: caseResource('export', 'view', 'id'),
        access: ISSUERS,
        audit: { action: 'POWER_LETTER_EXPORTED', subjectType: 'case', subjectParam: 'id' },
      },
      schema: { params: ActionParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const action = await actionFor(request, caseRow, request.params.actionId)
      const body = await pdf.render(await letterHtml(request, caseRow, action))
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${caseRow.reference}-${action.power}.pdf"`)
        .send(body)
    },
  )
}
