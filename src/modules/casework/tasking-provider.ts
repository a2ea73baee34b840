/**
 * Casework's sections of the weekly tasking pack (intelligence module): repeat victims and repeat locations across
 * open cases, high-risk cases (from the risk module, when wired in) and overdue actions. Only cases the reader may
 * see are counted; victims are shown by initials and case reference, never by name.
 */
import { sql } from 'kysely'

import { formatLongDate } from '../../platform/dates.js'
import { t } from '../../platform/i18n.js'
import { addDays } from '../../platform/working-days.js'
import type { Role } from '../accounts/index.js'
import type { TaskingSectionProvider } from '../intelligence/index.js'
import type { CaseworkService, CaseUser } from './casework-service.js'
import { taskToday } from './overdue.js'
import { visibilityFor } from './policy.js'

export function createCaseworkTaskingProvider(deps: {
  casework: CaseworkService
  highRiskVictims?: (
    user: CaseUser,
  ) => Promise<{ caseReference: string; name: string; reviewDue: string; reviewOverdue: boolean }[]>
}): TaskingSectionProvider {
  const { casework } = deps
  const { db } = casework.repository

  async function visibleOpenCases(user: CaseUser): Promise<Set<string>> {
    const { rows } = await casework.repository.listVisible(user, visibilityFor(user), {
      status: 'open',
      limit: 100_000,
      offset: 0,
    })
    return new Set(rows.map(row => row.id))
  }

  const initials = (name: string) =>
    name
      .split(/\s+/)
      .filter(Boolean)
      .map(part => `${part[0]?.toUpperCase() ?? ''}.`)
      .join(' ')

  return {
    id: 'casework',
    async sections(context) {
      const staff = await db
        .selectFrom('staff_user')
        .select(['id', 'partner_id', 'team_id'])
        .where('id', '=', context.user.id)
        .executeTakeFirst()
      if (!staff) return []
      const user: CaseUser = {
        id: staff.id,
        partnerId: staff.partner_id,
        teamId: staff.team_id,
        roles: context.user.roles as Role[],
      }
      const visible = await visibleOpenCases(user)
      const ids = [...visible]
      // Overdue as the officers' home pages say it (overdue.ts), at the end of the pack's week when that is past.
      const now = taskToday(casework.now())
      const today = context.weekEnd < now ? addDays(context.weekEnd, 1) : now

      const victims = ids.length
        ? await sql<{ name: string; postcode: string | null; refs: string[] }>`
            select min(p.name) as name, p.postcode, json_agg(distinct c.reference) as refs
            from case_party p join asb_case c on c.id = p.case_id
            where p.kind = 'person' and p.role in ('victim', 'complainant') and c.id = any(${ids}::uuid[])
            group by lower(p.name), p.postcode
            having count(distinct c.id) > 1
            order by count(distinct c.id) desc limit 20`.execute(db)
        : { rows: [] }
      const places = ids.length
        ? await sql<{ location: string; ward_code: string | null; refs: string[] }>`
            select c.location, min(c.ward_code) as ward_code, json_agg(c.reference order by c.reference) as refs
            from asb_case c
            where c.location is not null and c.id = any(${ids}::uuid[])
            group by c.location
            having count(*) > 1
            order by count(*) desc limit 20`.execute(db)
        : { rows: [] }
      const [visibleOverdue, overdueTotal] = await Promise.all([
        casework.repository.overdueTasks(today, { caseIds: ids, limit: 100_000 }),
        casework.repository.countOverdueTasks(today),
      ])
      const overdue = visibleOverdue.slice(0, 50)
      const overdueHidden = Math.max(0, overdueTotal - visibleOverdue.length)

      const sections = [
        {
          title: t('casework.tasking.repeatVictims'),
          description: t('casework.tasking.repeatVictimsHint'),
          head: [t('casework.tasking.victim'), t('casework.tasking.cases')],
          rows: victims.rows.map(row => [
            `${initials(row.name)}${row.postcode ? ` (${row.postcode})` : ''}`,
            row.refs.join(', '),
          ]),
          empty: t('casework.tasking.noRepeatVictims'),
        },
        {
          title: t('casework.tasking.repeatLocations'),
          head: [t('casework.tasking.location'), t('casework.tasking.cases')],
          rows: places.rows.map(row => [row.location, row.refs.join(', ')]),
          empty: t('casework.tasking.noRepeatLocations'),
        },
      ]
      if (deps.highRiskVictims) {
        const risk = await deps.highRiskVictims(user)
        sections.push({
          title: t('casework.tasking.highRisk'),
          head: [t('casework.tasking.case'), t('casework.tasking.victim'), t('casework.tasking.reviewDue')],
          rows: risk.map(row => [
            row.caseReference,
            initials(row.name),
            row.reviewDue + (row.reviewOverdue ? ` (${t('casework.tasks.states.overdue')})` : ''),
          ]),
          empty: t('casework.tasking.noHighRisk'),
        })
      }
      sections.push({
        title: t('casework.tasking.overdue'),
        description:
          overdueHidden > 0
            ? t('casework.tasking.overdueHidden', { total: overdueTotal, hidden: overdueHidden })
            : t('casework.tasking.overdueTotal', { total: overdueTotal }),
        head: [
          t('casework.tasking.case'),
          t('casework.tasks.task'),
          t('casework.tasks.owner'),
          t('casework.tasks.due'),
        ],
        rows: overdue.map(row => [
          row.reference,
          row.title,
          row.owner_name ?? t('casework.tasks.unowned'),
          formatLongDate(row.due_date),
        ]),
        empty: overdueTotal > 0 ? t('casework.tasking.overdueNoneVisible') : t('casework.tasking.noOverdue'),
      })
      return sections
    },
  }
}
