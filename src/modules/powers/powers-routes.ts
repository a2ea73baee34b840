/**
 * Powers pages on a case: the ladder (what is available, what is blocked and why), issuing an action (the form, a
 * preview of exactly what will be recorded and the letter exactly as it will be sent, and a confirmation), an action
 * with its deadlines, breaches, changes and (recorded late) a supervisor's approval, and letters as HTML and PDF. A
 * case the user may not see answers 404 exactly as a missing one; issuing needs the right to change the case (a
 * partner's read-only user cannot). Everything works without JavaScript: each step is a form post and a redirect.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'

import { projectRoot } from '../../config.js'
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
import {
  formatDate,
  londonDateOf,
  presentAction,
  presentChanges,
  presentDeadlines,
  presentIssueForm,
  presentLadder,
  type FormValues,
} from './powers-presenters.js'
import { powersPaths } from './powers-paths.js'
import { isPowerCode, ruleFor, type PowerCode } from './powers-policy.js'
import type { ActionRow, ChangeRow } from './powers-repository.js'
import { BREACH_RESPONSES, CHANGE_KINDS, deadlinesWithChanges, type PowersService } from './powers-service.js'

const CaseParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const PowerParams = Type.Object({ id: Type.String({ maxLength: 64 }), power: Type.String({ maxLength: 40 }) })
const ActionParams = Type.Object({ id: Type.String({ maxLength: 64 }), actionId: Type.String({ maxLength: 64 }) })
const DraftParams = Type.Object({ id: Type.String({ maxLength: 64 }), draftId: Type.String({ maxLength: 64 }) })
const FormBody = Type.Record(Type.String({ maxLength: 60 }), Type.Unknown())

const CASE_READERS = { roles: ['officer', 'supervisor', 'panel-coordinator', 'analyst', 'partner-read-only'] } as const
const ISSUERS = { roles: ['officer', 'supervisor'] } as const
const SUPERVISORS = { roles: ['supervisor'] } as const

/** The letters' stylesheet: inlined in each letter, so a letter kept on the case prints exactly as it was sent. */
const LETTER_CSS = fs.readFileSync(path.join(projectRoot, 'src/assets/letter.css'), 'utf8')

/** The letter's body (what the preview page shows inside itself), from the whole letter document. */
export function letterBodyOf(html: string): string {
  const start = html.indexOf('<body>')
  const end = html.lastIndexOf('</body>')
  return start >= 0 && end > start ? html.slice(start + '<body>'.length, end).trim() : ''
}

/** The form's answers as posted (strings), without the CSRF token. */
function formValues(body: Record<string, unknown>): FormValues {
  return Object.fromEntries(
    Object.keys(body)
      .filter(key => key !== '_csrf')
      .map(key => [key, field(body, key)]),
  )
}

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
      lateReasonHint: t('powers.field.lateReason.hint', { days: powers.policy.lateRecordingDays }),
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
      const { party, perpetrators, actions, steps, changes } = await powers.ladderFor(
        request.user,
        caseRow,
        request.query.party,
      )
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
          status: t(`powers.status.${powers.statusOf(action, changes)}`),
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
      const values = formValues(request.body)
      const submissionId = isUuid(values.submissionId ?? '') ? (values.submissionId ?? '') : ''
      const user = request.user
      if (!user || submissionId === '') {
        return renderIssue(request, reply, caseRow, power, { ...values, submissionId: '' }, {}, 400)
      }
      // Already confirmed (the back button, a second click): the action it recorded.
      const recorded = await powers.recorded(submissionId)
      if (recorded) {
        if (recorded.case_id !== caseRow.id) throw app.httpErrors.notFound()
        return reply.redirect(powersPaths.action(caseRow.id, recorded.id), 303)
      }
      const prepared = await powers.prepare(caseRow, power, request.body)
      if (!prepared.ok) return renderIssue(request, reply, caseRow, power, values, prepared.errors, 400)
      const row = powers.previewRow(user, await powers.teamNameOf(user), caseRow, prepared.value, submissionId)
      const letter = prepared.value.rule.letter ? renderLetter(caseRow, row, prepared.value.party) : null
      await powers.saveDraft(user, caseRow, power, values, submissionId, letter)
      return reply.redirect(powersPaths.preview(caseRow.id, submissionId), 303)
    },
  )

  /** The user's draft behind the route's `:draftId`; a confirmed one sends them to the action it recorded. */
  async function draftFor(request: FastifyRequest, reply: FastifyReply, caseRow: CaseRow, draftId: string) {
    const user = request.user
    if (!user || !isUuid(draftId)) throw app.httpErrors.notFound()
    const draft = await powers.draftFor(user, caseRow, draftId)
    if (draft) return { draft, power: powerOf(draft.power) }
    const recorded = await powers.recorded(draftId)
    if (recorded?.case_id === caseRow.id) {
      await reply.redirect(powersPaths.action(caseRow.id, recorded.id), 303)
      return undefined
    }
    throw app.httpErrors.notFound()
  }

  app.get(
    '/cases/:id/powers/drafts/:draftId',
    {
      config: {
        resource: caseResource('case', 'change', 'id'),
        access: ISSUERS,
        audit: { action: 'POWER_PREVIEW_VIEWED', subjectType: 'case', subjectParam: 'id' },
      },
      schema: { params: DraftParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const found = await draftFor(request, reply, caseRow, request.params.draftId)
      if (!found || !request.user) return reply
      const { draft, power } = found
      const prepared = await powers.prepare(caseRow, power, draft.body)
      if (!prepared.ok) return renderIssue(request, reply, caseRow, power, draft.body, prepared.errors, 400)
      const user = request.user
      const row = powers.previewRow(user, await powers.teamNameOf(user), caseRow, prepared.value, draft.id)
      const presented = presentAction(caseRow.id, row, prepared.value.rule)
      return reply.view('powers/views/preview.njk', {
        caseRow,
        ...presented,
        action: row,
        pageTitle: t('powers.preview.title', { power: presented.name }),
        backHref: powersPaths.edit(caseRow.id, draft.id),
        confirmHref: powersPaths.confirm(caseRow.id, draft.id),
        previewLetterHref: powersPaths.previewLetter(caseRow.id, draft.id),
        previewLetterPdfHref: powersPaths.previewLetterPdf(caseRow.id, draft.id),
        summaryRows: [
          { key: { text: t('powers.preview.power') }, value: { text: presented.name } },
          { key: { text: t('powers.ladder.subject') }, value: { text: presented.subject } },
          { key: { text: t('powers.ladder.date') }, value: { text: presented.actionDate } },
          { key: { text: t('powers.view.issuedBy') }, value: { text: row.issued_by_name } },
          ...(row.late_reason === null
            ? []
            : [{ key: { text: t('powers.preview.lateReason') }, value: { text: row.late_reason } }]),
        ],
        letterBody: draft.letter_html ? letterBodyOf(draft.letter_html) : null,
        late: row.late_reason !== null,
        lateText: t('powers.preview.late', { days: powers.policy.lateRecordingDays }),
      })
    },
  )

  app.get(
    '/cases/:id/powers/drafts/:draftId/edit',
    {
      config: {
        resource: caseResource('case', 'change', 'id'),
        access: ISSUERS,
        audit: { action: 'POWER_FORM_VIEWED', subjectType: 'case', subjectParam: 'id' },
      },
      schema: { params: DraftParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const found = await draftFor(request, reply, caseRow, request.params.draftId)
      if (!found) return reply
      return renderIssue(request, reply, caseRow, found.power, { ...found.draft.body, submissionId: found.draft.id })
    },
  )

  /** A draft letter as it will be sent: the document the confirmation will keep, byte for byte. */
  async function draftLetter(request: FastifyRequest, reply: FastifyReply, caseRow: CaseRow, draftId: string) {
    const found = await draftFor(request, reply, caseRow, draftId)
    if (!found) return undefined
    if (!found.draft.letter_html) throw app.httpErrors.notFound()
    return { html: found.draft.letter_html, power: found.power }
  }

  app.get(
    '/cases/:id/powers/drafts/:draftId/letter',
    {
      config: {
        resource: caseResource('export', 'view', 'id'),
        access: ISSUERS,
        audit: { action: 'POWER_LETTER_PREVIEWED', subjectType: 'case', subjectParam: 'id' },
      },
      schema: { params: DraftParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const letter = await draftLetter(request, reply, caseRow, request.params.draftId)
      if (!letter) return reply
      return reply.type('text/html; charset=utf-8').send(withStyleNonce(letter.html, reply))
    },
  )

  app.get(
    '/cases/:id/powers/drafts/:draftId/letter.pdf',
    {
      config: {
        resource: caseResource('export', 'view', 'id'),
        access: ISSUERS,
        audit: { action: 'POWER_LETTER_PREVIEWED', subjectType: 'case', subjectParam: 'id' },
      },
      schema: { params: DraftParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const letter = await draftLetter(request, reply, caseRow, request.params.draftId)
      if (!letter) return reply
      const body = await pdf.render(letter.html, { footer: letterFooter(caseRow) })
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${caseRow.reference}-${letter.power}-preview.pdf"`)
        .send(body)
    },
  )

  app.post(
    '/cases/:id/powers/drafts/:draftId/confirm',
    {
      config: { resource: caseResource('case', 'change', 'id'), access: ISSUERS, audit: false },
      schema: { params: DraftParams, body: FormBody },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const found = await draftFor(request, reply, caseRow, request.params.draftId)
      if (!found || !request.user) return reply
      const { draft, power } = found
      const result = await powers.issue(
        request.user,
        request.actor,
        caseRow,
        power,
        draft.body,
        draft.id,
        draft.letter_html,
      )
      if (!result.ok) return renderIssue(request, reply, caseRow, power, draft.body, result.errors, 400)
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
      const changes = (await powers.changes(caseRow)).filter(change => change.action_id === action.id)
      const status = powers.statusOf(action, changes)
      const user = request.user
      const canIssue = user ? powers.canIssue(user, caseRow) : false
      return reply.view('powers/views/action.njk', {
        caseRow,
        action,
        ...presentAction(caseRow.id, action, rule),
        deadlines: presentDeadlines(deadlinesWithChanges(action, changes)),
        status: t(`powers.status.${status}`),
        statusCode: status,
        late: action.late_reason !== null,
        approvalText:
          action.approval_status === 'pending'
            ? t('powers.approval.pending', { entered: formatDate(londonDateOf(action.created_at)) })
            : action.approval_status === 'approved' || action.approval_status === 'refused'
              ? t(`powers.approval.${action.approval_status}`, {
                  name: action.approved_by_name ?? '',
                  date: action.approved_at ? formatDate(londonDateOf(action.approved_at)) : '',
                })
              : null,
        canApprove: user ? powers.canApprove(user, caseRow, action) : false,
        approvalHref: powersPaths.approval(caseRow.id, action.id),
        approvalValues: {},
        approvalErrors: {},
        changes: presentChanges(changes),
        canChange: canIssue && (status === 'active' || status === 'pending-approval'),
        changeHref: powersPaths.change(caseRow.id, action.id),
        canIssue,
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

  app.post(
    '/cases/:id/powers/actions/:actionId/approval',
    {
      config: { resource: caseResource('case', 'change', 'id'), access: SUPERVISORS, audit: false },
      schema: { params: ActionParams, body: FormBody },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const action = await actionFor(request, caseRow, request.params.actionId)
      if (!request.user) throw app.httpErrors.notFound()
      if (action.approval_status === 'pending' && !powers.canApprove(request.user, caseRow, action)) {
        await casework.recordRefusal(request.user, caseRow, { actionId: action.id, approval: true })
        throw app.httpErrors.forbidden(t('powers.errors.approvalNotAllowed'))
      }
      const input = { decision: field(request.body, 'decision'), note: field(request.body, 'note') }
      const result = await powers.decideLate(request.user, request.actor, caseRow, action, input)
      if (!result.ok) {
        const changes = (await powers.changes(caseRow)).filter(change => change.action_id === action.id)
        const rule = powers.policy.rules.find(candidate => candidate.code === action.power)
        return reply.code(400).view('powers/views/action.njk', {
          caseRow,
          action,
          ...presentAction(caseRow.id, action, rule),
          status: t(`powers.status.${powers.statusOf(action, changes)}`),
          late: true,
          approvalText: t('powers.approval.pending', { entered: formatDate(londonDateOf(action.created_at)) }),
          canApprove: true,
          approvalHref: powersPaths.approval(caseRow.id, action.id),
          approvalValues: input,
          approvalErrors: Object.fromEntries(Object.entries(result.errors).map(([id, text]) => [id, { text }])),
          errorSummary: errorSummary(result.errors),
          changes: presentChanges(changes),
          canChange: false,
          canIssue: false,
          backHref: powersPaths.ladder(caseRow.id, action.party_id ?? undefined),
          breaches: [],
        })
      }
      return reply.redirect(powersPaths.action(caseRow.id, action.id), 303)
    },
  )

  /** What every powers sub-form page shows of its own state: the answers, the submission id, and the errors in words. */
  function formState(values: Record<string, string>, errors: FieldErrors) {
    return {
      values,
      submissionId: values.submissionId ?? randomUUID(),
      errorSummary: errorSummary(errors),
      errors: Object.fromEntries(Object.keys(errors).map(id => [id, errors[id] ? { text: errors[id] } : undefined])),
    }
  }

  /** A GOV.UK date input's three fields as typed, joined as an ISO date for the service to check. */
  function typedDate(body: unknown, prefix: string): string {
    return `${field(body, `${prefix}-year`)}-${field(body, `${prefix}-month`).padStart(2, '0')}-${field(body, `${prefix}-day`).padStart(2, '0')}`
  }

  function changeView(
    caseRow: CaseRow,
    action: ActionRow,
    changes: readonly ChangeRow[],
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) {
    const presented = presentAction(caseRow.id, action, undefined)
    const current = deadlinesWithChanges(action, changes)
    const canExtend = Boolean(current.expiresOn ?? current.complianceEnds)
    return {
      caseRow,
      action: presented,
      pageTitle: t('powers.change.title', { power: presented.name }),
      backHref: powersPaths.action(caseRow.id, action.id),
      ...formState(values, errors),
      canExtend,
      kindItems: CHANGE_KINDS.filter(kind => kind !== 'extension' || canExtend).map(kind => ({
        value: kind,
        text: t(`powers.change.kind.${kind}`),
        checked: values.kind === kind,
      })),
    }
  }

  app.get(
    '/cases/:id/powers/actions/:actionId/changes/new',
    {
      config: {
        resource: caseResource('case', 'change', 'id'),
        access: ISSUERS,
        audit: { action: 'POWER_CHANGE_FORM_VIEWED', subjectType: 'case', subjectParam: 'id' },
      },
      schema: { params: ActionParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const action = await actionFor(request, caseRow, request.params.actionId)
      const changes = (await powers.changes(caseRow)).filter(change => change.action_id === action.id)
      return reply.view('powers/views/change.njk', changeView(caseRow, action, changes, {}))
    },
  )

  app.post(
    '/cases/:id/powers/actions/:actionId/changes/new',
    {
      config: { resource: caseResource('case', 'change', 'id'), access: ISSUERS, audit: false },
      schema: { params: ActionParams, body: FormBody },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const action = await actionFor(request, caseRow, request.params.actionId)
      if (!request.user) throw app.httpErrors.notFound()
      const body = request.body
      const values = formValues(body)
      values.submissionId = isUuid(values.submissionId ?? '') ? (values.submissionId ?? '') : randomUUID()
      const result = await powers.recordChange(request.user, request.actor, caseRow, action, {
        kind: field(body, 'kind'),
        effectiveDate: typedDate(body, 'effectiveDate'),
        reason: field(body, 'reason'),
        requirements: field(body, 'requirements'),
        newEndDate: typedDate(body, 'newEndDate'),
        submissionId: values.submissionId,
      })
      if (!result.ok) {
        const changes = (await powers.changes(caseRow)).filter(change => change.action_id === action.id)
        return reply
          .code(400)
          .view('powers/views/change.njk', changeView(caseRow, action, changes, values, result.errors))
      }
      return reply.redirect(powersPaths.action(caseRow.id, action.id), 303)
    },
  )

  function breachView(caseRow: CaseRow, action: ActionRow, values: Record<string, string>, errors: FieldErrors = {}) {
    return {
      caseRow,
      action: presentAction(caseRow.id, action, undefined),
      backHref: powersPaths.action(caseRow.id, action.id),
      ...formState(values, errors),
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
        occurredOn: typedDate(body, 'occurredOn'),
        description: values.description,
        response: values.response,
        submissionId: values.submissionId,
      })
      if (!result.ok)
        return reply.code(400).view('powers/views/breach.njk', breachView(caseRow, action, values, result.errors))
      return reply.redirect(`${powersPaths.action(caseRow.id, action.id)}?breach=1`, 303)
    },
  )

  /**
   * The letter an action sends, as a whole document: the pack's letterhead and logo, the recipient (named once, in the
   * address), the conduct and requirements, the time to comply, the appeal rights where the law gives them, and the
   * authorised officer's name and role. Its stylesheet and logo are inlined, so the document kept is the letter sent.
   */
  function renderLetter(caseRow: CaseRow, action: ActionRow, party: PartyRow | undefined): string {
    const rule = powers.policy.rules.find(candidate => candidate.code === action.power)
    if (!rule?.letter) throw app.httpErrors.notFound()
    const details = action.details
    const deadlines = action.deadlines as Record<string, string | undefined>
    const presented = presentAction(caseRow.id, action, rule)
    const days = typeof details.complianceDays === 'number' ? details.complianceDays : null
    const letterType = action.power
    const team = action.issued_by_team ?? powers.letterhead?.team ?? null
    const letterBody = app.nunjucks.render('powers/views/letter-body.njk', {
      caseRow,
      action,
      party,
      ...presented,
      conduct: typeof details.conduct === 'string' ? details.conduct : '',
      requirements: typeof details.requirements === 'string' ? details.requirements : '',
      letterType,
      letterhead: powers.letterhead,
      compliance:
        days !== null && deadlines.complianceEnds ? { days, ends: formatDate(deadlines.complianceEnds) } : null,
      appeal:
        rule.appealWindow && deadlines.appealBy && letterType === 'cpn'
          ? { by: formatDate(deadlines.appealBy), days: rule.appealWindow.amount }
          : null,
      officer: {
        name: action.issued_by_name,
        role: team ? t('powers.letter.officerRole', { team }) : t('powers.letter.officerRoleNoTeam'),
      },
    })
    return app.nunjucks.render('powers/views/letter.njk', {
      name: presented.name,
      caseRow,
      letterCss: LETTER_CSS.trim(),
      letterBody: letterBody.trim(),
    })
  }

  /** The same footer on the preview's PDF and the resident's: the case reference beside the page number. */
  function letterFooter(caseRow: CaseRow): string {
    return t('powers.letter.reference', { reference: caseRow.reference })
  }

  /** The letter's own inline style, allowed by this response's Content Security Policy nonce. */
  function withStyleNonce(html: string, reply: FastifyReply): string {
    return html.replace(/<style>/g, `<style nonce="${reply.cspNonce.style}">`)
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
      return reply
        .type('text/html; charset=utf-8')
        .send(withStyleNonce(await letterHtml(request, caseRow, action), reply))
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
      const body = await pdf.render(await letterHtml(request, caseRow, action), { footer: letterFooter(caseRow) })
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${caseRow.reference}-${action.power}.pdf"`)
        .send(body)
    },
  )
}
