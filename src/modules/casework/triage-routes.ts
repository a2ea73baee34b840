/**
 * The triage queue (/staff/triage) for officers and supervisors: reports from every door, highest risk then oldest,
 * each allocated by the allocation rules; a report's triage page offers the four decisions (open a case, add to a
 * case, close with a reason, refer to a partner). Staff enter phone, 101 and walk-in reports through reporting's
 * intake service, like any other door.
 */
import { randomUUID } from 'node:crypto'

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'

import { errorSummary, field, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { hasAnyRole, type AccountsService } from '../accounts/index.js'
import type { GeographyService } from '../geography/index.js'
import { IntakeError, priorityReasonText, type Reporting } from '../reporting/index.js'
import { PRIORITIES, TRIAGE_CLOSE_REASONS, categoryItems, categoryLabel, dateParts, oneOf } from './casework-forms.js'
import { caseTitle } from './casework-presenters.js'
import { caseworkPaths } from './casework-paths.js'
import { isCaseworkError, type CaseworkService } from './casework-service.js'
import type { ReportAccess } from './report-access.js'
import type { TriageService } from './triage-service.js'

const view = (name: string) => `casework/views/${name}.njk`
const triageAccess = { roles: ['officer', 'supervisor'] } as const
const STAFF_SOURCES = ['phone', '101', 'walk-in'] as const
/** Triage decisions change the report: the report's (or its case's) change right, checked before the handler. */
const changeReport = { type: 'report', param: 'reference', action: 'change' } as const

interface RefParams {
  reference: string
}

export const triageRoutes: FastifyPluginAsync<{
  triage: TriageService
  casework: CaseworkService
  accounts: AccountsService
  reporting: Reporting
  geography: GeographyService
  reportAccess: ReportAccess
}> = async (app, { triage, casework, accounts, reporting, geography, reportAccess }) => {
  app.get<{ Querystring: { page?: string; allocation?: string; ward?: string } }>(
    caseworkPaths.triage,
    { config: { access: triageAccess, audit: 'triage.queue-viewed' } },
    async (request, reply) => {
      const user = request.user
      const page = Math.max(1, Number.parseInt(request.query.page ?? '1', 10) || 1)
      const mine = request.query.allocation === 'mine' && user?.teamId
      const ward = geography.ward(request.query.ward ?? '') ? request.query.ward : undefined
      if (!user) return reply.callNotFound()
      const result = await triage.queue({
        page,
        teamId: mine ? (user.teamId ?? undefined) : undefined,
        wardCode: ward,
        visible: reportAccess.unlinkedVisibleSql(user),
      })
      const now = casework.now().getTime()
      return reply.view(view('triage'), {
        rows: result.rows.map(row => ({
          href: caseworkPaths.triageReport(row.reference),
          reference: row.reference,
          category: categoryLabel(row.category),
          ward: geography.ward(row.ward_code)?.name ?? row.ward_code,
          channel: t(`casework.channel.${row.channel}`),
          priority: row.priority,
          priorityText: t(`casework.priority.${row.priority}`),
          ageDays: Math.max(0, Math.floor((now - new Date(row.received_at).getTime()) / 86_400_000)),
          receivedAt: row.received_at,
          hate: row.hate,
          repeat: row.repeat_caller || row.repeat_location,
          duplicate: row.duplicate,
          linked: row.linked,
          vulnerable: row.vulnerable,
          team: row.team_name ?? t('casework.triage.unallocated'),
        })),
        total: result.total,
        page,
        pages: Math.max(1, Math.ceil(result.total / result.pageSize)),
        filters: { allocation: mine ? 'mine' : 'all', ward: ward ?? '' },
        wardItems: [
          { value: '', text: t('casework.triage.allWards') },
          ...geography.wards().map(w => ({ value: w.code, text: w.name, selected: w.code === ward })),
        ],
        allocationItems: [
          { value: 'all', text: t('casework.triage.allocationAll') },
          { value: 'mine', text: t('casework.triage.allocationMine'), selected: Boolean(mine) },
        ],
        allocationRulesHref:
          user && hasAnyRole(user, ['supervisor', 'administrator']) ? caseworkPaths.allocationRules : null,
      })
    },
  )

  // Staff-entered reports (phone, 101, walk-in): through reporting's intake, channel 'phone'.
  function newReportForm(reply: FastifyReply, values: Record<string, unknown>, errors?: FieldErrors) {
    return reply.code(errors ? 400 : 200).view(view('triage-new'), {
      values,
      errors,
      errorSummary: errors ? errorSummary(errors) : undefined,
      sourceItems: STAFF_SOURCES.map(value => ({ value, text: t(`casework.newReport.sources.${value}`) })),
      categoryItems: [
        { value: '', text: '' },
        ...categoryItems(typeof values.category === 'string' ? values.category : ''),
      ],
      wardItems: [
        { value: '', text: t('casework.newReport.noWard') },
        ...geography.wards().map(w => ({ value: w.code, text: w.name, selected: w.code === values.wardCode })),
      ],
      back: caseworkPaths.triage,
    })
  }

  app.get(caseworkPaths.triageNew, { config: { access: triageAccess, audit: false } }, async (_request, reply) =>
    newReportForm(reply, {
      key: randomUUID(),
      pattern: 'one_off',
      reporterRole: 'victim',
      unsafeAtHome: 'no',
      healthAffected: 'no',
      mode: 'named',
      contactPreference: 'phone',
      consent: 'yes',
    }),
  )

  app.post(caseworkPaths.triageNew, { config: { access: triageAccess, audit: false } }, async (request, reply) => {
    const body = request.body
    const occurred = dateParts(body, 'occurredOn')
    const values = {
      key: field(body, 'key'),
      source: field(body, 'source'),
      category: field(body, 'category'),
      postcode: field(body, 'postcode'),
      wardCode: field(body, 'wardCode'),
      locationDescription: field(body, 'locationDescription'),
      occurredOn: occurred.parts,
      pattern: field(body, 'pattern'),
      description: field(body, 'description'),
      reporterRole: field(body, 'reporterRole'),
      unsafeAtHome: field(body, 'unsafeAtHome'),
      healthAffected: field(body, 'healthAffected'),
      mode: field(body, 'mode'),
      name: field(body, 'name'),
      phone: field(body, 'phone'),
      email: field(body, 'email'),
      contactPreference: field(body, 'contactPreference'),
      consent: field(body, 'consent'),
    }
    const errors: FieldErrors = {}
    if (!oneOf(STAFF_SOURCES, values.source)) errors.source = t('casework.newReport.errors.source')
    if (!values.category) errors.category = t('casework.newReport.errors.category')
    if (!occurred.value) errors['occurredOn-day'] = t('casework.newReport.errors.occurredOn')
    if (!values.description) errors.description = t('casework.newReport.errors.description')
    if (!values.postcode && !(values.wardCode && values.locationDescription))
      errors.postcode = t('casework.newReport.errors.location')
    if (!/^[0-9a-f-]{36}$/.test(values.key)) values.key = randomUUID()
    if (Object.keys(errors).length > 0) return newReportForm(reply, values, errors)
    const anonymous = values.mode === 'anonymous'
    const input = {
      channel: 'phone',
      idempotencyKey: `staff:${values.key}`,
      category: values.category,
      location: {
        ...(values.postcode ? { postcode: values.postcode } : {}),
        ...(values.wardCode ? { wardCode: values.wardCode } : {}),
        ...(values.locationDescription ? { description: values.locationDescription } : {}),
      },
      occurredOn: occurred.value,
      pattern: values.pattern,
      description: values.description,
      impact: {
        reporterRole: values.reporterRole,
        unsafeAtHome: values.unsafeAtHome,
        healthAffected: values.healthAffected,
        targeted: 'not_sure',
        characteristics: [],
      },
      reporter: {
        mode: values.mode,
        ...(!anonymous && values.name ? { name: values.name } : {}),
        ...(!anonymous && values.phone ? { phone: values.phone } : {}),
        ...(!anonymous && values.email ? { email: values.email } : {}),
        contactPreference: anonymous ? 'none' : values.contactPreference,
        consentToShare: values.consent === 'yes',
      },
    }
    try {
      const result = await reporting.intake.submit(input, request.actor, { correlationId: request.id })
      request.auditContext.subjectType = 'report'
      request.auditContext.subjectId = String(result.report.id)
      await casework.recordStaffReport(request.actor, result.report.id, values.source)
      return await reply.redirect(caseworkPaths.triageReport(result.report.reference), 303)
    } catch (error) {
      if (!(error instanceof IntakeError)) throw error
      return newReportForm(reply, values, intakeErrors(error))
    }
  })

  // One report's triage page.
  async function triagePage(
    request: FastifyRequest,
    reply: FastifyReply,
    reference: string,
    form?: { name: string; values: Record<string, unknown>; errors: FieldErrors },
  ) {
    const user = request.user
    const found = await triage.openReport(reference)
    if (!found || !user) return reply.callNotFound()
    const { report } = found
    const [allocation, teams, partners, users] = await Promise.all([
      triage.allocationFor(report.id, user),
      accounts.repository.listTeams(),
      accounts.repository.listPartners(),
      accounts.repository.listUsers(),
    ])
    const defaults = {
      title: caseTitle(report.category, geography.ward(report.ward_code)?.name ?? report.ward_code),
      teamId: allocation?.teamId ?? '',
      leadOfficerId: allocation?.leadOfficerId ?? user.id,
      priority: report.priority,
      publicNote: t('casework.triage.defaultPublicNote'),
    }
    const values = form?.name === 'case' ? form.values : defaults
    const linked = found.caseId ? await casework.repository.caseById(found.caseId) : undefined
    const flags = report.flags as unknown as {
      repeatCaller?: unknown[]
      repeatLocation?: unknown[]
      duplicateCandidates?: string[]
      priorityReasons?: string[]
    }
    const impact = report.impact as unknown as Record<string, string>
    const links = await triage.linkedReportsFor(report.id, user)
    return reply.code(form ? 400 : 200).view(view('triage-report'), {
      report,
      open: found.open,
      linkedCase:
        linked && casework.canView(user, linked)
          ? { reference: linked.reference, href: caseworkPaths.case(linked.reference) }
          : undefined,
      categoryText: categoryLabel(report.category),
      wardText: geography.ward(report.ward_code)?.name ?? report.ward_code,
      statusText: t(`report.status.${report.status}.label`),
      flags: {
        repeatCaller: (flags.repeatCaller ?? []).length > 0,
        repeatLocation: (flags.repeatLocation ?? []).length > 0,
        // Candidates found at intake that are not already joined to this report.
        duplicates: (flags.duplicateCandidates ?? []).filter(candidate => !links.references.includes(candidate)),
        reasons: sentence((flags.priorityReasons ?? []).map(priorityReasonText).join('; ')),
        vulnerable: impact.unsafeAtHome === 'yes' || impact.healthAffected === 'yes',
      },
      allocation,
      links,
      duplicateValues: form?.name === 'duplicate' ? form.values : { parentReference: links.suggested ?? '' },
      staffReportHref: `/staff/reports/${encodeURIComponent(report.reference)}`,
      caseValues: values,
      linkValues: form?.name === 'link' ? form.values : { caseReference: links.suggestedCase ?? '' },
      closeValues: form?.name === 'close' ? form.values : {},
      referValues: form?.name === 'refer' ? form.values : {},
      errors: form?.errors,
      formName: form?.name,
      errorSummary: form ? errorSummary(form.errors) : undefined,
      teamItems: teams.map(team => ({
        value: team.id,
        text: `${team.partner_name}: ${team.name}`,
        selected: team.id === values.teamId,
      })),
      leadItems: [
        { value: '', text: t('casework.details.noLead') },
        ...users
          .filter(u => !u.disabledAt && u.roles.some(role => role === 'officer' || role === 'supervisor'))
          .map(u => ({
            value: u.id,
            text: `${u.displayName} (${u.partnerName})`,
            selected: u.id === values.leadOfficerId,
          })),
      ],
      priorityItems: PRIORITIES.map(value => ({ value, text: t(`casework.priority.${value}`) })),
      reasonItems: TRIAGE_CLOSE_REASONS.map(value => ({ value, text: t(`casework.triage.reasons.${value}`) })),
      partnerItems: [
        { value: '', text: '' },
        ...partners.filter(p => p.active && p.id !== user.partnerId).map(p => ({ value: p.id, text: p.name })),
      ],
      back: caseworkPaths.triage,
    })
  }

  app.get<{ Params: RefParams }>(
    '/staff/triage/:reference',
    {
      config: {
        access: triageAccess,
        audit: { action: 'triage.report-viewed', subjectType: 'report' },
        resource: { type: 'report', param: 'reference', action: 'view' },
      },
    },
    async (request, reply) => triagePage(request, reply, request.params.reference),
  )

  app.post<{ Params: RefParams }>(
    '/staff/triage/:reference/case',
    { config: { access: triageAccess, audit: false, resource: changeReport } },
    async (request, reply) => {
      const values = {
        title: field(request.body, 'title'),
        teamId: field(request.body, 'teamId'),
        leadOfficerId: field(request.body, 'leadOfficerId'),
        priority: field(request.body, 'priority'),
        publicNote: field(request.body, 'publicNote'),
      }
      const errors: FieldErrors = {}
      if (!values.title) errors.title = t('casework.errors.title')
      else if (values.title.length > 200) errors.title = t('casework.errors.titleLong')
      const team = (await accounts.repository.listTeams()).find(item => item.id === values.teamId)
      if (!team) errors.teamId = t('casework.errors.team')
      const priority = oneOf(PRIORITIES, values.priority)
      if (!priority) errors.priority = t('casework.errors.priority')
      const lead = values.leadOfficerId ? await accounts.repository.userById(values.leadOfficerId) : undefined
      if (values.leadOfficerId && !lead) errors.leadOfficerId = t('casework.errors.leadOfficer')
      if (values.publicNote.length > 2000) errors.publicNote = t('casework.errors.summaryLong')
      if (!team || !priority || Object.keys(errors).length > 0)
        return triagePage(request, reply, request.params.reference, { name: 'case', values, errors })
      try {
        const opened = await triage.createCase(
          request.params.reference,
          {
            title: values.title,
            teamId: team.id,
            partnerId: team.partner_id,
            leadOfficerId: lead?.id ?? null,
            priority,
            publicNote: values.publicNote || t('casework.triage.defaultPublicNote'),
          },
          request.actor,
        )
        const created = await casework.repository.caseById(opened.id)
        const user = request.user
        // The new case may belong to another team: go where the officer can still see something.
        const visible = created && user && casework.canView(user, created)
        return await reply.redirect(
          visible ? caseworkPaths.case(opened.reference) : `${caseworkPaths.triage}?opened=${opened.reference}`,
          303,
        )
      } catch (error) {
        if (isCaseworkError(error, 'report_closed', 'already_linked'))
          return triagePage(request, reply, request.params.reference, {
            name: 'case',
            values,
            errors: { title: t('casework.errors.reportTaken') },
          })
        throw error
      }
    },
  )

  app.post<{ Params: RefParams }>(
    '/staff/triage/:reference/link',
    { config: { access: triageAccess, audit: false, resource: changeReport } },
    async (request, reply) => {
      const user = request.user
      const values = { caseReference: field(request.body, 'caseReference').toUpperCase() }
      const target =
        values.caseReference && user ? await casework.findByReferenceForUser(user, values.caseReference) : undefined
      let problem: string | undefined
      if (!target) problem = t('casework.errors.linkCase')
      else if (user && !casework.can(user, target, 'case', 'change')) problem = t('casework.errors.linkCase')
      else if (target.status === 'closed') problem = t('casework.errors.linkClosed')
      if (problem || !target)
        return triagePage(request, reply, request.params.reference, {
          name: 'link',
          values,
          errors: { caseReference: problem ?? t('casework.errors.linkCase') },
        })
      try {
        await triage.linkToCase(request.params.reference, target, t('casework.triage.defaultPublicNote'), request.actor)
      } catch (error) {
        if (isCaseworkError(error, 'report_closed', 'closed', 'already_linked'))
          return triagePage(request, reply, request.params.reference, {
            name: 'link',
            values,
            errors: { caseReference: t('casework.errors.reportTaken') },
          })
        throw error
      }
      return reply.redirect(caseworkPaths.case(target.reference), 303)
    },
  )

  // Staff's "added to": the report is about the same problem as another; it joins that report's case (now or later).
  app.post<{ Params: RefParams }>(
    '/staff/triage/:reference/duplicate',
    { config: { access: triageAccess, audit: false, resource: changeReport } },
    async (request, reply) => {
      const user = request.user
      const values = { parentReference: field(request.body, 'parentReference').toUpperCase() }
      const parent = values.parentReference
        ? await reporting.reports.findByReference(values.parentReference)
        : undefined
      const visible =
        parent && user ? reportAccess.decide(user, await reportAccess.load(parent.reference), 'view').visible : false
      if (!parent || !visible || parent.reference === request.params.reference.toUpperCase())
        return triagePage(request, reply, request.params.reference, {
          name: 'duplicate',
          values,
          errors: { parentReference: t('casework.closure.errors.duplicateOf') },
        })
      try {
        const joined = await triage.markDuplicate(
          request.params.reference,
          parent.reference,
          t('casework.triage.defaultPublicNote'),
          request.actor,
        )
        const target = joined.caseId ? await casework.repository.caseById(joined.caseId) : undefined
        if (target && user && casework.canView(user, target))
          return await reply.redirect(caseworkPaths.case(target.reference), 303)
      } catch (error) {
        if (isCaseworkError(error, 'report_closed', 'closed', 'already_linked', 'not_found'))
          return triagePage(request, reply, request.params.reference, {
            name: 'duplicate',
            values,
            errors: { parentReference: t('casework.errors.reportTaken') },
          })
        throw error
      }
      return reply.redirect(caseworkPaths.triageReport(request.params.reference), 303)
    },
  )

  app.post<{ Params: RefParams }>(
    '/staff/triage/:reference/close',
    { config: { access: triageAccess, audit: false, resource: changeReport } },
    async (request, reply) => {
      const values = {
        reason: field(request.body, 'reason'),
        publicNote: field(request.body, 'publicNote'),
        note: field(request.body, 'note'),
      }
      const errors: FieldErrors = {}
      const reason = oneOf(TRIAGE_CLOSE_REASONS, values.reason)
      if (!reason) errors.reason = t('casework.errors.closeReason')
      if (!values.publicNote) errors.closePublicNote = t('casework.errors.publicNote')
      if (values.publicNote.length > 2000) errors.closePublicNote = t('casework.errors.summaryLong')
      if (!reason || Object.keys(errors).length > 0)
        return triagePage(request, reply, request.params.reference, { name: 'close', values, errors })
      try {
        await triage.close(
          request.params.reference,
          { reason, publicNote: values.publicNote, note: values.note || null },
          request.actor,
        )
      } catch (error) {
        if (isCaseworkError(error, 'report_closed'))
          return triagePage(request, reply, request.params.reference, {
            name: 'close',
            values,
            errors: { reason: t('casework.errors.reportTaken') },
          })
        throw error
      }
      return reply.redirect(`${caseworkPaths.triage}?closed=${encodeURIComponent(request.params.reference)}`, 303)
    },
  )

  app.post<{ Params: RefParams }>(
    '/staff/triage/:reference/refer',
    { config: { access: triageAccess, audit: false, resource: changeReport } },
    async (request, reply) => {
      const values = {
        partnerId: field(request.body, 'partnerId'),
        publicNote: field(request.body, 'publicNote'),
        note: field(request.body, 'note'),
      }
      const partner = (await accounts.repository.listPartners()).find(p => p.id === values.partnerId && p.active)
      if (!partner)
        return triagePage(request, reply, request.params.reference, {
          name: 'refer',
          values,
          errors: { partnerId: t('casework.errors.referPartner') },
        })
      try {
        await triage.refer(
          request.params.reference,
          {
            partnerId: partner.id,
            partnerName: partner.name,
            publicNote: values.publicNote || null,
            note: values.note || null,
          },
          request.actor,
        )
      } catch (error) {
        if (isCaseworkError(error, 'report_closed'))
          return triagePage(request, reply, request.params.reference, {
            name: 'refer',
            values,
            errors: { partnerId: t('casework.errors.reportTaken') },
          })
        throw error
      }
      return reply.redirect(`${caseworkPaths.triage}?referred=${encodeURIComponent(request.params.reference)}`, 303)
    },
  )
}

/** Intake's problems, on the staff form's fields. */
function intakeErrors(error: IntakeError): FieldErrors {
  if (error.kind === 'outside_borough') return { postcode: t('casework.newReport.errors.outside') }
  if (error.kind === 'location_not_found') return { postcode: t('casework.newReport.errors.postcodeUnknown') }
  const errors: FieldErrors = {}
  const map: [string, string, string][] = [
    ['/reporter/name', 'name', 'name'],
    ['/reporter/email', 'email', 'email'],
    ['/reporter/phone', 'phone', 'phone'],
    ['/reporter', 'mode', 'mode'],
    ['/location', 'postcode', 'location'],
    ['/occurredOn', 'occurredOn-day', 'occurredOn'],
    ['/category', 'category', 'category'],
    ['/description', 'description', 'description'],
    ['/pattern', 'pattern', 'pattern'],
    ['/impact', 'reporterRole', 'impact'],
  ]
  for (const issue of error.issues) {
    const match = map.find(([prefix]) => issue.path.startsWith(prefix))
    const [, id, key] = match ?? ['', 'description', 'invalid']
    errors[id] ??= t(`casework.newReport.errors.${key}`)
  }
  if (Object.keys(errors).length === 0) errors.description = t('casework.newReport.errors.invalid')
  return errors
}

/** Words joined into a sentence: the first letter a capital. */
function sentence(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1)
}
