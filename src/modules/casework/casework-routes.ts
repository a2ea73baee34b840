/**
 * Case pages (/cases/:reference ...). Every route is for signed-in staff; the access policy (policy.ts) decides the
 * rest: a case the user may not see answers 404 exactly as a missing case (and the attempt is audited), a visible
 * case the user may not change answers 403. Every view, change and export is an audit event on the case. Editing
 * uses optimistic locking: a form saved over someone else's change gets the 409 "changed by someone else" page.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import Type, { type Static } from 'typebox'

import { VersionConflictError } from '../../platform/errors.js'
import { errorSummary, field, type FieldErrors } from '../../platform/forms.js'
import { lookup, t } from '../../platform/i18n.js'
import type { PdfRenderer } from '../../platform/pdf.js'
import type { AccountsService } from '../accounts/index.js'
import { NOTIFICATION_TEMPLATES, type Reporting } from '../reporting/index.js'
import {
  CHRONOLOGY_KINDS,
  CONSENT_STATUSES,
  LAWFUL_BASES,
  PARTY_KINDS,
  PARTY_ROLES,
  PRIORITIES,
  SENSITIVITIES,
  categoryItems,
  categoryLabel,
  dateParts,
  oneOf,
  readDetails,
  readParty,
} from './casework-forms.js'
import { caseworkPaths } from './casework-paths.js'
import { caseRouteSupport } from './case-route-support.js'
import { casePage, chronologyItems, partyFor, partySummary, taskItems } from './casework-presenters.js'
import type { CaseRow } from './casework-repository.js'
import { ACCESS_LOG_FILTERS, isCaseworkError, isoDate, type CaseworkService } from './casework-service.js'
import { caseResource } from './case-resource.js'

const view = (name: string) => `casework/views/${name}.njk`
const staff = 'staff' as const

interface RefParams {
  reference: string
}

export const caseworkRoutes: FastifyPluginAsync<{
  casework: CaseworkService
  accounts: AccountsService
  reporting: Reporting
  pdf: PdfRenderer
  publicBaseUrl: string
}> = async (app, { casework, accounts, pdf }) => {
  const { repository } = casework

  const { caseFor, userOf, conflict, notFound: missing } = caseRouteSupport(app, casework)
  // Annotated so that a call narrows like a `never` function (TypeScript asks for it on a destructured name).
  const notFound: (request: FastifyRequest) => never = missing

  /** Staff of the owning team: who can lead the case or own its tasks. */
  async function teamMembers(row: CaseRow) {
    const users = await accounts.repository.listUsers()
    return users
      .filter(user => user.teamId === row.owning_team_id && !user.disabledAt)
      .filter(user => user.roles.some(role => role === 'officer' || role === 'supervisor'))
  }

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    row: CaseRow,
    extra: Record<string, unknown> = {},
  ) {
    const user = userOf(request)
    const [parties, chronology, tasks, shares, reports, letters] = await Promise.all([
      repository.parties(row.id),
      repository.chronology(row.id, { limit: 20 }),
      repository.tasks(row.id),
      repository.shares(row.id),
      repository.linkedReports(row.id),
      repository.letters(row.id),
    ])
    return reply.view(view('case'), {
      ...casePage({
        user,
        row,
        parties,
        chronology,
        tasks,
        shares,
        reports,
        letters,
        casework,
        today: isoDate(casework.now()),
      }),
      ...extra,
    })
  }

  app.get<{ Params: RefParams }>(
    '/cases/:reference',
    {
      config: {
        resource: caseResource('case', 'view'),
        access: staff,
        audit: { action: 'case.viewed', subjectType: 'case' },
      },
    },
    async (request, reply) => render(request, reply, await caseFor(request)),
  )

  // Details: edit with optimistic locking.
  async function detailsForm(
    reply: FastifyReply,
    row: CaseRow,
    values: Record<string, unknown>,
    errors?: FieldErrors,
    status = 200,
  ) {
    const members = await teamMembers(row)
    return reply.code(status).view(view('details'), {
      row,
      values,
      errors,
      errorSummary: errors ? errorSummary(errors) : undefined,
      categoryItems: categoryItems(String(values.category)),
      priorityItems: PRIORITIES.map(value => ({ value, text: t(`casework.priority.${value}`) })),
      sensitivityItems: [
        { value: '', text: t('casework.sensitivity.none') },
        ...SENSITIVITIES.map(value => ({ value, text: t(`casework.sensitivity.${value}`) })),
      ],
      leadItems: [
        { value: '', text: t('casework.details.noLead') },
        ...members.map(user => ({ value: user.id, text: user.displayName })),
      ],
      back: caseworkPaths.case(row.reference),
    })
  }

  app.get<{ Params: RefParams }>(
    '/cases/:reference/edit',
    { config: { resource: caseResource('case', 'change'), access: staff, audit: false } },
    async (request, reply) => {
      const row = await caseFor(request)
      const [year = '', month = '', day = ''] = (row.review_date ?? '').split('-')
      return detailsForm(reply, row, {
        title: row.title,
        category: row.category,
        priority: row.priority,
        sensitivity: row.sensitivity ?? '',
        leadOfficerId: row.lead_officer_id ?? '',
        reviewDate: { day, month, year },
        location: row.location ?? '',
        version: String(row.version),
      })
    },
  )

  app.post<{ Params: RefParams }>(
    '/cases/:reference/edit',
    { config: { resource: caseResource('case', 'change'), access: staff, audit: false } },
    async (request, reply) => {
      const row = await caseFor(request)
      const members = await teamMembers(row)
      const { values, errors, details } = readDetails(
        request.body,
        members.map(user => user.id),
      )
      const version = Number(values.version)
      if (!Number.isInteger(version)) errors.title = errors.title ?? t('casework.errors.version')
      if (!details || Object.keys(errors).length > 0) return detailsForm(reply, row, { ...values }, errors, 400)
      try {
        await casework.updateDetails(row, version, details, request.actor)
      } catch (error) {
        if (error instanceof VersionConflictError) return conflict(reply, row)
        throw error
      }
      return reply.redirect(caseworkPaths.case(row.reference), 303)
    },
  )

  // Parties.
  async function partyForm(reply: FastifyReply, row: CaseRow, values: Record<string, unknown>, errors?: FieldErrors) {
    return reply.code(errors ? 400 : 200).view(view('party-form'), {
      row,
      values,
      errors,
      errorSummary: errors ? errorSummary(errors) : undefined,
      roleItems: PARTY_ROLES.map(value => ({ value, text: t(`casework.partyRole.${value}`) })),
      kindItems: PARTY_KINDS.map(value => ({ value, text: t(`casework.partyKind.${value}`) })),
      back: caseworkPaths.case(row.reference),
    })
  }

  app.get<{ Params: RefParams }>(
    '/cases/:reference/parties/new',
    { config: { resource: caseResource('person', 'change'), access: staff, audit: false } },
    async (request, reply) => partyForm(reply, await caseFor(request), { kind: 'person' }),
  )

  app.post<{ Params: RefParams }>(
    '/cases/:reference/parties',
    { config: { resource: caseResource('person', 'change'), access: staff, audit: false } },
    async (request, reply) => {
      const row = await caseFor(request)
      const { values, errors, party } = readParty(request.body, isoDate(casework.now()))
      if (!party) return partyForm(reply, row, values, errors)
      const partyId = await casework.addParty(row, party, request.actor)
      // A person known elsewhere: the people index's "known to" page first (what this user may know of them).
      const next =
        party.kind === 'person' && request.user ? await casework.afterPartyAdded(request.user, row, partyId) : undefined
      return reply.redirect(next ?? `${caseworkPaths.case(row.reference)}#parties`, 303)
    },
  )

  app.get<{ Params: RefParams & { partyId: string } }>(
    '/cases/:reference/parties/:partyId',
    {
      config: {
        resource: caseResource('person', 'view'),
        access: staff,
        audit: { action: 'case.person-viewed', subjectType: 'case' },
      },
    },
    async (request, reply) => {
      const row = await caseFor(request)
      const stored = await casework.partyById(request.params.partyId)
      if (stored?.case_id !== row.id) notFound(request)
      request.auditContext.details = { ...request.auditContext.details, partyId: stored.id }
      const party = partyFor(userOf(request), row, stored)
      return reply.view(view('party'), {
        row,
        party,
        summary: partySummary(party),
        links: casework.linksFor(userOf(request), row),
        back: caseworkPaths.case(row.reference),
      })
    },
  )

  // Chronology.
  app.get<{ Params: RefParams; Querystring: { page?: string } }>(
    '/cases/:reference/chronology',
    {
      config: {
        resource: caseResource('chronology', 'view'),
        access: staff,
        audit: { action: 'case.chronology-viewed', subjectType: 'case' },
      },
    },
    async (request, reply) => {
      const row = await caseFor(request)
      const page = Math.max(1, Number.parseInt(request.query.page ?? '1', 10) || 1)
      const pageSize = 100
      const { rows, total } = await repository.chronology(row.id, { limit: pageSize, offset: (page - 1) * pageSize })
      return reply.view(view('chronology'), {
        row,
        items: chronologyItems(rows),
        total,
        page,
        pages: Math.max(1, Math.ceil(total / pageSize)),
        canAdd: casework.can(userOf(request), row, 'chronology', 'change'),
        kindItems: CHRONOLOGY_KINDS.map(value => ({ value, text: t(`casework.chronologyKind.${value}`) })),
        back: caseworkPaths.case(row.reference),
        values: {},
      })
    },
  )

  app.post<{ Params: RefParams }>(
    '/cases/:reference/chronology',
    { config: { resource: caseResource('chronology', 'change'), access: staff, audit: false } },
    async (request, reply) => {
      const row = await caseFor(request)
      const values = { kind: field(request.body, 'kind'), summary: field(request.body, 'summary') }
      const errors: FieldErrors = {}
      const kind = oneOf(CHRONOLOGY_KINDS, values.kind)
      if (!kind) errors.kind = t('casework.errors.chronologyKind')
      if (!values.summary) errors.summary = t('casework.errors.summary')
      else if (values.summary.length > 5000) errors.summary = t('casework.errors.summaryLong')
      if (!kind || Object.keys(errors).length > 0) {
        const { rows, total } = await repository.chronology(row.id, { limit: 100 })
        return reply.code(400).view(view('chronology'), {
          row,
          items: chronologyItems(rows),
          total,
          page: 1,
          pages: Math.max(1, Math.ceil(total / 100)),
          canAdd: true,
          kindItems: CHRONOLOGY_KINDS.map(value => ({ value, text: t(`casework.chronologyKind.${value}`) })),
          back: caseworkPaths.case(row.reference),
          values,
          errors,
          errorSummary: errorSummary(errors),
        })
      }
      await casework.addNote(row, { kind, summary: values.summary }, request.actor)
      return reply.redirect(`${caseworkPaths.case(row.reference)}#chronology`, 303)
    },
  )

  // Tasks.
  async function tasksPage(
    request: FastifyRequest,
    reply: FastifyReply,
    row: CaseRow,
    values: Record<string, unknown> = {},
    errors?: FieldErrors,
  ) {
    const user = userOf(request)
    const [tasks, members] = await Promise.all([repository.tasks(row.id), teamMembers(row)])
    const canChange = casework.can(user, row, 'task', 'change')
    return reply.code(errors ? 400 : 200).view(view('tasks'), {
      row,
      items: taskItems(tasks, isoDate(casework.now()), row.reference, canChange, row.status),
      canAdd: canChange,
      ownerItems: [
        { value: user.id, text: t('casework.tasks.me', { name: user.displayName }) },
        ...members
          .filter(member => member.id !== user.id)
          .map(member => ({ value: member.id, text: member.displayName })),
      ],
      values,
      errors,
      errorSummary: errors ? errorSummary(errors) : undefined,
      back: caseworkPaths.case(row.reference),
    })
  }

  app.get<{ Params: RefParams }>(
    '/cases/:reference/tasks',
    {
      config: {
        resource: caseResource('task', 'view'),
        access: staff,
        audit: { action: 'case.tasks-viewed', subjectType: 'case' },
      },
    },
    async (request, reply) => tasksPage(request, reply, await caseFor(request)),
  )

  app.post<{ Params: RefParams }>(
    '/cases/:reference/tasks',
    { config: { resource: caseResource('task', 'change'), access: staff, audit: false } },
    async (request, reply) => {
      const row = await caseFor(request)
      const user = userOf(request)
      const due = dateParts(request.body, 'dueDate')
      const values = {
        title: field(request.body, 'title'),
        ownerUserId: field(request.body, 'ownerUserId'),
        dueDate: due.parts,
      }
      const errors: FieldErrors = {}
      if (!values.title) errors.title = t('casework.errors.taskTitle')
      else if (values.title.length > 300) errors.title = t('casework.errors.taskTitleLong')
      const members = await teamMembers(row)
      if (values.ownerUserId !== user.id && !members.some(member => member.id === values.ownerUserId))
        errors.ownerUserId = t('casework.errors.taskOwner')
      if (!due.value) errors['dueDate-day'] = t('casework.errors.dueDate')
      else if (due.value < isoDate(casework.now())) errors['dueDate-day'] = t('casework.closure.errors.dueDatePast')
      if (!errors.ownerUserId && values.ownerUserId) {
        // Never a task its owner cannot open (a sensitive case and an analyst of the team, say): say why instead.
        const access = await casework.assigneeAccess(row.id, values.ownerUserId)
        if (access.kind !== 'sees')
          errors.ownerUserId = t('handoffs.taskCannotSee', {
            name: access.displayName ?? members.find(member => member.id === values.ownerUserId)?.displayName ?? '',
          })
      }
      if (Object.keys(errors).length > 0 || !due.value) return tasksPage(request, reply, row, values, errors)
      await casework.createTask(
        {
          caseId: row.id,
          title: values.title,
          ownerUserId: values.ownerUserId,
          dueDate: due.value,
          sourceModule: 'casework',
        },
        request.actor,
      )
      return reply.redirect(`${caseworkPaths.case(row.reference)}#tasks`, 303)
    },
  )

  app.post<{ Params: RefParams & { taskId: string } }>(
    '/cases/:reference/tasks/:taskId/done',
    { config: { resource: caseResource('task', 'change'), access: staff, audit: false } },
    async (request, reply) => {
      const row = await caseFor(request)
      try {
        await casework.completeTask(row, request.params.taskId, request.actor)
      } catch (error) {
        if (isCaseworkError(error, 'not_found')) notFound(request)
        if (!isCaseworkError(error, 'task_done')) throw error
      }
      return reply.redirect(`${caseworkPaths.case(row.reference)}#tasks`, 303)
    },
  )

  // Sharing with partners (owning side only: 'case' change).
  async function shareForm(reply: FastifyReply, row: CaseRow, values: Record<string, unknown>, errors?: FieldErrors) {
    const partners = (await accounts.repository.listPartners()).filter(
      partner => partner.active && partner.id !== row.owning_partner_id && !row.shared_partner_ids.includes(partner.id),
    )
    return reply.code(errors ? 400 : 200).view(view('share'), {
      row,
      values,
      errors,
      errorSummary: errors ? errorSummary(errors) : undefined,
      partnerItems: [{ value: '', text: '' }, ...partners.map(partner => ({ value: partner.id, text: partner.name }))],
      basisItems: LAWFUL_BASES.map(value => ({ value, text: t(`casework.lawfulBasis.${value}`) })),
      consentItems: CONSENT_STATUSES.map(value => ({ value, text: t(`casework.consent.${value}`) })),
      back: caseworkPaths.case(row.reference),
    })
  }

  app.get<{ Params: RefParams }>(
    '/cases/:reference/shares/new',
    { config: { resource: caseResource('case', 'change'), access: staff, audit: false } },
    async (request, reply) => shareForm(reply, await caseFor(request), {}),
  )

  app.post<{ Params: RefParams }>(
    '/cases/:reference/shares',
    { config: { resource: caseResource('case', 'change'), access: staff, audit: false } },
    async (request, reply) => {
      const row = await caseFor(request)
      const values = {
        partnerId: field(request.body, 'partnerId'),
        lawfulBasis: field(request.body, 'lawfulBasis'),
        consentStatus: field(request.body, 'consentStatus'),
        note: field(request.body, 'note'),
      }
      const errors: FieldErrors = {}
      const partner = values.partnerId ? await accounts.repository.partnerById(values.partnerId) : undefined
      if (!partner?.active || partner.id === row.owning_partner_id) errors.partnerId = t('casework.errors.sharePartner')
      else if (row.shared_partner_ids.includes(partner.id)) errors.partnerId = t('casework.errors.alreadyShared')
      const lawfulBasis = oneOf(LAWFUL_BASES, values.lawfulBasis)
      if (!lawfulBasis) errors.lawfulBasis = t('casework.errors.lawfulBasis')
      const consentStatus = oneOf(CONSENT_STATUSES, values.consentStatus)
      if (!consentStatus) errors.consentStatus = t('casework.errors.consent')
      if (lawfulBasis === 'consent' && consentStatus !== 'given')
        errors.consentStatus = t('casework.errors.consentBasis')
      if (consentStatus === 'refused-overridden' && !values.note) errors.note = t('casework.errors.overrideReason')
      if (values.note.length > 2000) errors.note = t('casework.errors.notesLong')
      if (Object.keys(errors).length > 0 || !partner || !lawfulBasis || !consentStatus)
        return shareForm(reply, row, values, errors)
      try {
        await casework.share(
          row,
          { partnerId: partner.id, lawfulBasis, consentStatus, note: values.note || null },
          request.actor,
          partner.name,
        )
      } catch (error) {
        if (isCaseworkError(error, 'already_shared'))
          return shareForm(reply, row, values, { partnerId: t('casework.errors.alreadyShared') })
        throw error
      }
      return reply.redirect(`${caseworkPaths.case(row.reference)}#sharing`, 303)
    },
  )

  app.post<{ Params: RefParams & { shareId: string } }>(
    '/cases/:reference/shares/:shareId/revoke',
    { config: { resource: caseResource('case', 'change'), access: staff, audit: false } },
    async (request, reply) => {
      const row = await caseFor(request)
      try {
        await casework.revokeShare(row, request.params.shareId, request.actor)
      } catch (error) {
        if (isCaseworkError(error, 'not_found')) notFound(request)
        throw error
      }
      return reply.redirect(`${caseworkPaths.case(row.reference)}#sharing`, 303)
    },
  )

  // Letters: stored exactly as sent by the action that produced them (the powers ladder), printable and as PDF.
  app.get<{ Params: RefParams & { letterId: string }; Querystring: { format?: string } }>(
    '/cases/:reference/letters/:letterId',
    {
      config: {
        resource: caseResource('export', 'view'),
        access: staff,
        audit: { action: 'case.letter-viewed', subjectType: 'case' },
      },
    },
    async (request, reply) => {
      const row = await caseFor(request)
      const letter = await repository.letterById(request.params.letterId)
      if (letter?.case_id !== row.id) notFound(request)
      // A letter to a confidential reporter names them: it is for the owning side only (ADR 0019).
      const party = letter.party_id ? await casework.partyById(letter.party_id) : undefined
      if (party && !casework.partyShown(userOf(request), row, party)) {
        await casework.recordRefusal(userOf(request), row, { letterId: letter.id, withheld: true })
        throw app.httpErrors.forbidden(t('casework.party.letterWithheld'))
      }
      request.auditContext.details = {
        ...request.auditContext.details,
        letterId: letter.id,
        format: request.query.format ?? 'html',
      }
      if (request.query.format === 'pdf') {
        const body = await pdf.render(letter.html)
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${row.reference}-${letter.template}.pdf"`)
          .send(body)
      }
      return reply.type('text/html; charset=utf-8').send(letter.html)
    },
  )

  // Closure and reopening: closure-routes.ts.

  // Access log: supervisors who can see the case; every event, a page at a time, filtered by kind.
  app.get<{ Params: RefParams; Querystring: Static<typeof AccessLogQuery> }>(
    '/cases/:reference/access-log',
    {
      config: {
        resource: caseResource('case', 'view'),
        access: { roles: ['supervisor'] },
        audit: { action: 'case.access-log-viewed', subjectType: 'case' },
      },
      schema: { querystring: AccessLogQuery },
    },
    async (request, reply) => {
      const row = await caseFor(request)
      const filter = request.query.filter ?? 'all'
      const pageSize = ACCESS_LOG_PAGE_SIZE
      const first = await casework.accessLog(row.id, {
        filter,
        limit: pageSize,
        offset: ((request.query.page ?? 1) - 1) * pageSize,
      })
      const pages = Math.max(1, Math.ceil(first.total / pageSize))
      // A page past the end (the log is shorter than a bookmarked link) shows the last page.
      const page = Math.min(request.query.page ?? 1, pages)
      const { rows: events, total } =
        page === (request.query.page ?? 1)
          ? first
          : await casework.accessLog(row.id, { filter, limit: pageSize, offset: (page - 1) * pageSize })
      request.auditContext.details = { ...request.auditContext.details, filter, page }
      const href = (to: number) => {
        const query = new URLSearchParams()
        if (filter !== 'all') query.set('filter', filter)
        if (to > 1) query.set('page', String(to))
        const search = query.toString()
        return `${caseworkPaths.caseAccessLog(row.reference)}${search ? `?${search}` : ''}`
      }
      return reply.view(view('access-log'), {
        row,
        events: events.map(event => ({
          at: event.occurred_at,
          who:
            event.display_name ?? t(`casework.accessLog.actor.${event.actor_type === 'user' ? 'unknown' : 'system'}`),
          partner: event.partner_name ?? '',
          action: accessAction(event.action),
          detail: accessDetail(event.details),
        })),
        filterItems: ACCESS_LOG_FILTERS.map(value => ({
          value,
          text: t(`casework.accessLog.filters.${value}`),
          selected: value === filter,
        })),
        action: caseworkPaths.caseAccessLog(row.reference),
        total,
        from: total === 0 ? 0 : (page - 1) * pageSize + 1,
        to: Math.min(total, page * pageSize),
        pagination:
          pages > 1
            ? {
                previous: page > 1 ? { href: href(page - 1) } : undefined,
                next: page < pages ? { href: href(page + 1) } : undefined,
                items: pageNumbers(page, pages).map(number =>
                  number === null ? { ellipsis: true } : { number, href: href(number), current: number === page },
                ),
              }
            : undefined,
        back: caseworkPaths.case(row.reference),
      })
    },
  )

  // Export: the whole case file, HTML to print or PDF.
  app.get<{ Params: RefParams; Querystring: { format?: string } }>(
    '/cases/:reference/export',
    {
      config: {
        resource: caseResource('export', 'view'),
        access: staff,
        audit: { action: 'case.exported', subjectType: 'case' },
      },
    },
    async (request, reply) => {
      const row = await caseFor(request)
      request.auditContext.details = { ...request.auditContext.details, format: request.query.format ?? 'html' }
      const [parties, chronology, tasks, shares, reports] = await Promise.all([
        repository.parties(row.id),
        repository.chronology(row.id, { limit: 10_000 }),
        repository.tasks(row.id),
        repository.shares(row.id),
        repository.linkedReports(row.id),
      ])
      const html = app.nunjucks.render(view('export'), {
        row,
        words: {
          status: t(`casework.status.${row.status}`),
          priority: t(`casework.priority.${row.priority}`),
        },
        categoryText: categoryLabel,
        taskStatusText: (status: string) => t(`casework.words.taskStatus.${status}`),
        parties: parties
          .map(stored => partyFor(userOf(request), row, stored))
          .map(party => ({ party, summary: partySummary(party) })),
        chronology: chronologyItems(chronology.rows),
        tasks,
        shares,
        reports,
        exportedBy: userOf(request).displayName,
        exportedAt: casework.now(),
      })
      if (request.query.format === 'pdf') {
        const body = await pdf.render(html)
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${row.reference}.pdf"`)
          .send(body)
      }
      return reply.type('text/html; charset=utf-8').send(html)
    },
  )
}

export const CHECKIN_TEMPLATE = NOTIFICATION_TEMPLATES.caseCheckin

/** The newest 200 on the first page, as before the log had pages. */
export const ACCESS_LOG_PAGE_SIZE = 200

const AccessLogQuery = Type.Object({
  filter: Type.Optional(Type.Union(ACCESS_LOG_FILTERS.map(value => Type.Literal(value)))),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
})

/** The page numbers GOV.UK pagination shows: the first, the last, the current one and its neighbours; null for a gap. */
export function pageNumbers(page: number, pages: number): (number | null)[] {
  const shown = [...new Set([1, page - 1, page, page + 1, pages])]
    .filter(n => n >= 1 && n <= pages)
    .sort((a, b) => a - b)
  const numbers: (number | null)[] = []
  for (const n of shown) {
    const previous = numbers[numbers.length - 1]
    if (typeof previous === 'number' && n - previous > 1) numbers.push(null)
    numbers.push(n)
  }
  return numbers
}

/**
 * The access log's wording for an audit action: `case.party-added` and `POWER_ACTION_ISSUED` alike become a key under
 * casework.accessLog.actions (lower case, dots and underscores as hyphens). An action without wording shows as "Other"
 * with its code, so nothing recorded against a case is ever hidden from the log.
 */
function accessAction(action: string): string {
  const wording = lookup(`casework.accessLog.actions.${action.toLowerCase().replace(/[._]/g, '-')}`)
  return typeof wording === 'string' ? wording : `${t('casework.accessLog.actions.other')} (${action})`
}

/**
 * What an access-log row adds to its action, in words: the report or power it was about, the format of an export,
 * and for a refusal the part of the case refused. The part viewed is not repeated ("Viewed the case", not "Viewed the
 * case case"): the action already names it.
 */
export function accessDetail(details: unknown): string {
  const value = details as Record<string, unknown> | null
  if (!value) return ''
  const parts: string[] = []
  const words = (key: string) => {
    const copy = lookup(key)
    return typeof copy === 'string' ? copy : undefined
  }
  if (typeof value.reportReference === 'string') parts.push(value.reportReference)
  if (typeof value.power === 'string') parts.push(words(`powers.power.${value.power}.name`) ?? value.power)
  if (typeof value.format === 'string')
    parts.push(words(`casework.words.accessDetail.format.${value.format}`) ?? value.format)
  if (value.refused === true) {
    const part =
      typeof value.resource === 'string' ? words(`casework.words.accessDetail.part.${value.resource}`) : undefined
    parts.push(part ? t('casework.words.accessDetail.refusedPart', { part }) : t('casework.words.accessDetail.refused'))
  }
  return parts.join(' · ')
}
