/**
 * The officer home (/staff): my open cases with their age, my tasks due today and overdue, high-risk victims (from the
 * risk module, when it is wired in), and the case list (/cases) of everything the user may see.
 */
import type { FastifyPluginAsync } from 'fastify'

import { t } from '../../platform/i18n.js'
import type { StaffUser } from '../accounts/index.js'
import { categoryLabel } from './casework-forms.js'
import { caseworkPaths } from './casework-paths.js'
import { caseAgeDays } from './casework-presenters.js'
import { type CaseworkService } from './casework-service.js'
import { isTaskOverdue, taskToday } from './overdue.js'
import { visibilityFor } from './policy.js'

const view = (name: string) => `casework/views/${name}.njk`

export interface HighRiskVictim {
  caseReference: string
  name: string
  reviewDue: string
  reviewOverdue: boolean
}

export const homeRoutes: FastifyPluginAsync<{
  casework: CaseworkService
  /** The risk module's high-risk victims the user may see; absent when risk is not wired in. */
  highRiskVictims?: (user: StaffUser) => Promise<HighRiskVictim[]>
}> = async (app, { casework, highRiskVictims }) => {
  const { repository } = casework

  app.get(
    caseworkPaths.home,
    { config: { access: 'staff', audit: 'casework.home-viewed' } },
    async (request, reply) => {
      const user = request.user
      if (!user) return reply.callNotFound()
      const now = casework.now()
      const today = taskToday(now)
      const visibility = visibilityFor(user)
      const [mine, due, risk] = await Promise.all([
        repository.listVisible(user, visibility, { status: 'open', leadOfficerId: user.id, limit: 50, offset: 0 }),
        // Every open task the user owns, wherever it came from (a case, a panel action, a Case Review).
        repository.tasksDueFor(user.id),
        highRiskVictims ? highRiskVictims(user) : Promise.resolve(undefined),
      ])
      const tasks: { title: string; due: string; href: string; reference: string; state: string }[] = []
      for (const task of due) {
        const caseRow = await repository.caseById(task.case_id)
        if (!caseRow || !casework.can(user, caseRow, 'task', 'view')) continue
        tasks.push({
          title: task.title,
          due: task.due_date,
          href: `${caseworkPaths.case(task.reference)}#task-${task.id}`,
          reference: task.reference,
          state: isTaskOverdue({ status: 'open', due_date: task.due_date }, caseRow.status, today)
            ? 'overdue'
            : task.due_date === today
              ? 'today'
              : 'upcoming',
        })
      }
      return reply.view(view('home'), {
        user,
        cases: mine.rows.map(row => ({
          href: caseworkPaths.case(row.reference),
          reference: row.reference,
          title: row.title,
          category: categoryLabel(row.category),
          priority: row.priority,
          ageDays: caseAgeDays(row.opened_at, now),
          reviewDate: row.review_date,
          reviewOverdue: row.review_date !== null && row.review_date < today,
        })),
        casesTotal: mine.total,
        overdue: tasks.filter(task => task.state === 'overdue'),
        dueToday: tasks.filter(task => task.state === 'today'),
        upcoming: tasks.filter(task => task.state === 'upcoming'),
        risk: risk?.map(victim => ({ ...victim, href: caseworkPaths.case(victim.caseReference) })),
        canTriage: user.roles.some(role => role === 'officer' || role === 'supervisor'),
      })
    },
  )

  app.get<{ Querystring: { status?: string; page?: string; reference?: string } }>(
    caseworkPaths.cases,
    { config: { access: 'staff', audit: 'casework.cases-listed' } },
    async (request, reply) => {
      const user = request.user
      if (!user) return reply.callNotFound()
      const wanted = request.query.reference?.trim().toUpperCase()
      if (wanted) {
        const found = await casework.findByReferenceForUser(user, wanted)
        if (found) return reply.redirect(caseworkPaths.case(found.reference), 303)
      }
      const status = request.query.status === 'closed' ? 'closed' : request.query.status === 'all' ? undefined : 'open'
      const page = Math.max(1, Number.parseInt(request.query.page ?? '1', 10) || 1)
      const pageSize = 50
      const now = casework.now()
      const { rows, total } = await repository.listVisible(user, visibilityFor(user), {
        status,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      })
      return reply.view(view('cases'), {
        rows: rows.map(row => ({
          href: caseworkPaths.case(row.reference),
          reference: row.reference,
          title: row.title,
          category: categoryLabel(row.category),
          priority: row.priority,
          priorityText: t(`casework.priority.${row.priority}`),
          status: t(`casework.status.${row.status}`),
          sensitive: row.sensitivity !== null,
          team: row.owning_team_name,
          lead: row.lead_officer_name ?? '',
          ageDays: caseAgeDays(row.opened_at, now),
        })),
        total,
        page,
        pages: Math.max(1, Math.ceil(total / pageSize)),
        status: status ?? 'all',
        notFound: wanted ?? undefined,
        statusItems: ['open', 'closed', 'all'].map(value => ({
          value,
          text: t(`casework.cases.statuses.${value}`),
          selected: value === (status ?? 'all'),
        })),
      })
    },
  )
}
