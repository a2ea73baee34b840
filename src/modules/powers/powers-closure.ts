/**
 * What the powers module tells casework before a case closes (the closure checklist): the legal actions on the case
 * still inside their appeal window or compliance period on `today`.
 */
import { sql, type Kysely, type Transaction } from 'kysely'

import type { Database } from '../../db/schema.js'
import { formatLongDate } from '../../platform/dates.js'
import { t } from '../../platform/i18n.js'

type Executor = Kysely<Database> | Transaction<Database>

export function powersClosureFacts() {
  return async (caseId: string, today: string, executor: Executor) => {
    const rows = await executor
      .selectFrom('power_action')
      .select([
        'power',
        'action_date',
        sql<string | null>`deadlines->>'appealBy'`.as('appeal_by'),
        sql<string | null>`deadlines->>'complianceEnds'`.as('compliance_ends'),
      ])
      .where('case_id', '=', caseId)
      .where(sql<boolean>`(deadlines->>'appealBy' >= ${today} or deadlines->>'complianceEnds' >= ${today})`)
      .orderBy('action_date')
      .execute()
    return {
      activePowers: rows.map(row => ({
        label: t('powers.closure.action', {
          power: t(`powers.power.${row.power}.name`),
          date: formatLongDate(row.action_date),
        }),
        actionDate: row.action_date,
        appealBy: row.appeal_by,
        complianceEnds: row.compliance_ends,
      })),
    }
  }
}
