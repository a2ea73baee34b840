/**
 * What the panels did in a period, for the partnership's generated reports (quarterly and annual): by panel, the
 * meetings held, referrals received, actions agreed at those meetings, and of the actions due in the period how many
 * were completed by their due date (the action's case task marked done on or before it). Counts only: no referral,
 * subject or person is returned. The performance module takes this through the composition root.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import { londonDate } from '../../platform/monthly-counts.js'

export interface PanelPeriodFigures {
  panel: string
  kind: string
  meetings: number
  referrals: number
  actionsAgreed: number
  actionsDue: number
  actionsDueCompletedOnTime: number
}

export function createPanelReportFigures(db: Kysely<Database>) {
  return {
    /** One line per active panel, in the panels' order, for the period `from`..`to` (ISO dates, inclusive). */
    async period(from: string, to: string): Promise<PanelPeriodFigures[]> {
      const referredOn = londonDate(sql.ref('r.referred_at'))
      const completedOn = londonDate(sql.ref('t.completed_at'))
      const rows = await db
        .selectFrom('panel_type as p')
        .select(eb => [
          'p.name',
          'p.kind',
          eb
            .selectFrom('panel_meeting as m')
            .select(sql<number>`count(*)::integer`.as('n'))
            .whereRef('m.panel_id', '=', 'p.id')
            .where('m.meets_on', '>=', from)
            .where('m.meets_on', '<=', to)
            .as('meetings'),
          eb
            .selectFrom('panel_referral as r')
            .select(sql<number>`count(*)::integer`.as('n'))
            .whereRef('r.panel_id', '=', 'p.id')
            .where(referredOn, '>=', from)
            .where(referredOn, '<=', to)
            .as('referrals'),
          eb
            .selectFrom('panel_action as a')
            .innerJoin('panel_agenda_item as i', 'i.id', 'a.agenda_item_id')
            .innerJoin('panel_meeting as m', 'm.id', 'i.meeting_id')
            .select(sql<number>`count(*)::integer`.as('n'))
            .whereRef('a.panel_id', '=', 'p.id')
            .where('m.meets_on', '>=', from)
            .where('m.meets_on', '<=', to)
            .as('actions_agreed'),
          eb
            .selectFrom('panel_action as a')
            .select(sql<number>`count(*)::integer`.as('n'))
            .whereRef('a.panel_id', '=', 'p.id')
            .where('a.due_date', '>=', from)
            .where('a.due_date', '<=', to)
            .as('actions_due'),
          eb
            .selectFrom('panel_action as a')
            .innerJoin('case_task as t', 't.id', 'a.case_task_id')
            .select(sql<number>`count(*)::integer`.as('n'))
            .whereRef('a.panel_id', '=', 'p.id')
            .where('a.due_date', '>=', from)
            .where('a.due_date', '<=', to)
            .where('t.status', '=', 'done')
            .where(sql<boolean>`${completedOn} <= a.due_date`)
            .as('on_time'),
        ])
        .where('p.active', '=', true)
        .orderBy('p.position')
        .orderBy('p.name')
        .execute()
      return rows.map(row => ({
        panel: row.name,
        kind: row.kind,
        meetings: row.meetings ?? 0,
        referrals: row.referrals ?? 0,
        actionsAgreed: row.actions_agreed ?? 0,
        actionsDue: row.actions_due ?? 0,
        actionsDueCompletedOnTime: row.on_time ?? 0,
      }))
    },
  }
}

export type PanelReportFigures = ReturnType<typeof createPanelReportFigures>
