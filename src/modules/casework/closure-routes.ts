/**
 * Closing and reopening a case (/cases/:reference/close, /reopen). Before closing, the closure checklist shows what
 * is still open: the case's tasks (closed with the case or carried, the officer chooses), victims assessed at high
 * risk whose review is not done or who were never referred to the Community MARAC, legal actions inside their appeal
 * window or compliance period, and an ASB Case Review in progress. Any of those blocks closure unless a supervisor
 * working the case records why it may close (the override is in the chronology and the audit trail).
 *
 * Closing closes every report in the case in the same transaction, with the outcome each resident sees and the
 * satisfaction check-in; reopening (the owning side, with a reason) reopens them with it.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'

import { VersionConflictError } from '../../platform/errors.js'
import { errorSummary, field, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import type { Actor } from '../../platform/audit.js'
import type { StaffUser } from '../accounts/index.js'
import { NOTIFICATION_TEMPLATES, type Reporting } from '../reporting/index.js'
import { OUTCOMES, oneOf } from './casework-forms.js'
import { caseworkPaths } from './casework-paths.js'
import { caseRouteSupport } from './case-route-support.js'
import type { CaseRow } from './casework-repository.js'
import { isCaseworkError, type CaseworkService, type ClosureChecklist } from './casework-service.js'
import { caseResource } from './case-resource.js'

const view = (name: string) => `casework/views/${name}.njk`
const staff = 'staff' as const
const TASK_CHOICES = ['close', 'carry'] as const

interface RefParams {
  reference: string
}

export const closureRoutes: FastifyPluginAsync<{
  casework: CaseworkService
  reporting: Reporting
  publicBaseUrl: string
}> = async (app, { casework, reporting, publicBaseUrl }) => {
  const { repository } = casework

  const { caseFor, userOf, conflict } = caseRouteSupport(app, casework)

  /** The checklist in words, for the form. */
  function checklistItems(checklist: ClosureChecklist) {
    return {
      openTasks: checklist.openTasks.map(task => ({ title: task.title, due: task.due_date })),
      blockers: checklist.blockers.map(blocker => ({
        text: t(`casework.closure.checks.${blocker.kind}`, { subject: blocker.subject }),
        date: blocker.date,
        dateText: blocker.date ? t(`casework.closure.dates.${blocker.kind}`) : null,
        href: blocker.href,
      })),
    }
  }

  async function closeForm(
    request: FastifyRequest,
    reply: FastifyReply,
    row: CaseRow,
    values: Record<string, unknown>,
    errors?: FieldErrors,
    status = 400,
  ) {
    const user = userOf(request)
    const checklist = await casework.closureChecklist(row)
    return reply.code(errors ? status : 200).view(view('close'), {
      row,
      values,
      errors,
      errorSummary: errors ? errorSummary(errors) : undefined,
      checklist: checklistItems(checklist),
      canOverride: casework.canOverrideClosure(user, row),
      outcomeItems: OUTCOMES.map(value => ({
        value,
        text: t(`casework.outcome.${value}`),
        hint: { text: t(`casework.outcomeHint.${value}`) },
      })),
      taskItems: TASK_CHOICES.map(value => ({
        value,
        text: t(`casework.closure.tasks.${value}`),
        hint: { text: t(`casework.closure.tasks.${value}Hint`) },
      })),
      back: caseworkPaths.case(row.reference),
    })
  }

  app.get<{ Params: RefParams }>(
    '/cases/:reference/close',
    { config: { resource: caseResource('case', 'change'), access: staff, audit: false } },
    async (request, reply) => {
      const row = await caseFor(request)
      if (row.status === 'closed') return reply.redirect(caseworkPaths.case(row.reference), 303)
      return closeForm(request, reply, row, { version: String(row.version) })
    },
  )

  app.post<{ Params: RefParams }>(
    '/cases/:reference/close',
    { config: { resource: caseResource('case', 'change'), access: staff, audit: false } },
    async (request, reply) => {
      const row = await caseFor(request)
      const user = userOf(request)
      const values = {
        outcome: field(request.body, 'outcome'),
        publicNote: field(request.body, 'publicNote'),
        referredAgency: field(request.body, 'referredAgency'),
        tasks: field(request.body, 'tasks'),
        overrideReason: field(request.body, 'overrideReason'),
        version: field(request.body, 'version'),
      }
      if (row.status === 'closed') return conflict(reply, row)
      const checklist = await casework.closureChecklist(row)
      const errors: FieldErrors = {}
      const outcome = oneOf(OUTCOMES, values.outcome)
      if (!outcome) errors.outcome = t('casework.errors.outcome')
      if ((outcome === 'no_further_action' || outcome === 'not_asb') && !values.publicNote)
        errors.publicNote = t('casework.errors.publicNote')
      if (values.publicNote.length > 2000) errors.publicNote = t('casework.errors.summaryLong')
      if (outcome === 'referred' && !values.referredAgency) errors.referredAgency = t('casework.errors.referredAgency')
      const tasks = oneOf(TASK_CHOICES, values.tasks) ?? null
      if (checklist.openTasks.length > 0 && !tasks) errors.tasks = t('casework.closure.errors.tasks')
      if (checklist.blockers.length > 0) {
        if (!casework.canOverrideClosure(user, row)) errors.overrideReason = t('casework.closure.errors.supervisor')
        else if (!values.overrideReason) errors.overrideReason = t('casework.closure.errors.overrideReason')
        else if (values.overrideReason.length > 2000) errors.overrideReason = t('casework.errors.summaryLong')
      }
      const version = Number(values.version)
      if (!Number.isInteger(version)) errors.outcome = errors.outcome ?? t('casework.errors.version')
      if (!outcome || Object.keys(errors).length > 0) {
        // A supervisor's decision missing is a refusal of the closure (409); a form mistake is a 400.
        const refused =
          Object.keys(errors).length === 1 && errors.overrideReason && !casework.canOverrideClosure(user, row)
        return closeForm(request, reply, row, values, errors, refused ? 409 : 400)
      }
      try {
        await closeCase(
          row,
          version,
          { outcome, publicNote: values.publicNote || null, referredAgency: values.referredAgency || null },
          request.actor,
          { user, tasks, overrideReason: values.overrideReason || null },
        )
      } catch (error) {
        if (error instanceof VersionConflictError) return conflict(reply, row)
        if (isCaseworkError(error, 'closure_blocked', 'override_forbidden', 'tasks_choice'))
          return closeForm(
            request,
            reply,
            row,
            values,
            error.code === 'tasks_choice'
              ? { tasks: t('casework.closure.errors.tasks') }
              : { overrideReason: t('casework.closure.errors.changed') },
            409,
          )
        throw error
      }
      return reply.redirect(`${caseworkPaths.case(row.reference)}?closed=1`, 303)
    },
  )

  /**
   * Closes the case and, in the same transaction, each report in it with the same outcome (its timeline, the
   * resident's notification), adding a satisfaction check-in for residents who can be contacted. Either all of it
   * commits or none does: a case is never closed while a resident's report still says "in progress".
   */
  async function closeCase(
    row: CaseRow,
    version: number,
    closure: { outcome: (typeof OUTCOMES)[number]; publicNote: string | null; referredAgency: string | null },
    actor: Actor,
    options: { user: StaffUser; tasks: 'close' | 'carry' | null; overrideReason: string | null },
  ) {
    await casework.close(
      row,
      version,
      closure,
      actor,
      async caseTrx => {
        for (const report of await repository.linkedReports(row.id, caseTrx)) {
          if (report.status === 'closed') continue
          const change =
            closure.outcome === 'referred'
              ? {
                  status: 'closed' as const,
                  closureReason: 'referred' as const,
                  referredAgency: closure.referredAgency ?? '',
                  publicNote: closure.publicNote ?? undefined,
                }
              : closure.outcome === 'resolved'
                ? {
                    status: 'closed' as const,
                    closureReason: 'resolved' as const,
                    publicNote: closure.publicNote ?? undefined,
                  }
                : { status: 'closed' as const, closureReason: closure.outcome, publicNote: closure.publicNote ?? '' }
          await reporting.reports.changeStatus(report.reference, change, actor, {
            trx: caseTrx,
            within: async (trx, full) => {
              const to =
                full.contact_preference === 'email' && full.reporter_email
                  ? { channel: 'email' as const, recipient: full.reporter_email }
                  : full.contact_preference === 'phone' && full.reporter_phone
                    ? { channel: 'sms' as const, recipient: full.reporter_phone }
                    : null
              if (!to) return
              const token = await casework.createCheckin(row.id, full.id, trx)
              await reporting.repository.enqueueNotification(
                {
                  reportId: full.id,
                  template: NOTIFICATION_TEMPLATES.caseCheckin,
                  channel: to.channel,
                  recipient: to.recipient,
                  personalisation: {
                    reference: full.reference,
                    link: `${publicBaseUrl}${caseworkPaths.checkin(token)}`,
                  },
                  at: casework.now(),
                },
                trx,
              )
            },
          })
        }
      },
      options,
    )
  }

  // Reopening: the owning side, with a reason; the reports reopen with the case.
  async function reopenForm(reply: FastifyReply, row: CaseRow, values: Record<string, unknown>, errors?: FieldErrors) {
    return reply.code(errors ? 400 : 200).view(view('reopen'), {
      row,
      values,
      errors,
      errorSummary: errors ? errorSummary(errors) : undefined,
      back: caseworkPaths.case(row.reference),
    })
  }

  app.get<{ Params: RefParams }>(
    '/cases/:reference/reopen',
    { config: { resource: caseResource('case', 'change'), access: staff, audit: false } },
    async (request, reply) => {
      const row = await caseFor(request)
      if (row.status !== 'closed') return reply.redirect(caseworkPaths.case(row.reference), 303)
      return reopenForm(reply, row, { version: String(row.version) })
    },
  )

  app.post<{ Params: RefParams }>(
    '/cases/:reference/reopen',
    { config: { resource: caseResource('case', 'change'), access: staff, audit: false } },
    async (request, reply) => {
      const row = await caseFor(request)
      const values = {
        reason: field(request.body, 'reason'),
        publicNote: field(request.body, 'publicNote'),
        version: field(request.body, 'version'),
      }
      // Already open (reopened by someone else, or never closed): nothing to do, the case page says where it stands.
      if (row.status !== 'closed') return reply.redirect(caseworkPaths.case(row.reference), 303)
      const errors: FieldErrors = {}
      if (!values.reason) errors.reason = t('casework.closure.errors.reopenReason')
      else if (values.reason.length > 2000) errors.reason = t('casework.errors.summaryLong')
      if (values.publicNote.length > 2000) errors.publicNote = t('casework.errors.summaryLong')
      const version = Number(values.version)
      if (!Number.isInteger(version)) errors.reason = errors.reason ?? t('casework.errors.version')
      if (Object.keys(errors).length > 0) return reopenForm(reply, row, values, errors)
      const publicNote = values.publicNote || t('casework.closure.reopenPublicNote')
      try {
        await casework.reopen(row, version, values.reason, request.actor, async trx => {
          for (const report of await repository.linkedReports(row.id, trx)) {
            if (report.status !== 'closed') continue
            await reporting.reports.changeStatus(
              report.reference,
              { status: 'in_progress', publicNote },
              request.actor,
              { trx },
            )
          }
        })
      } catch (error) {
        if (error instanceof VersionConflictError) return conflict(reply, row)
        if (isCaseworkError(error, 'not_closed')) return reply.redirect(caseworkPaths.case(row.reference), 303)
        throw error
      }
      return reply.redirect(`${caseworkPaths.case(row.reference)}?reopened=1`, 303)
    },
  )
}
