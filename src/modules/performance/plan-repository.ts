import { sql, type Kysely, type Transaction } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { ActionSeed, OutcomeSeed } from './performance-plan.js'
import type { ActionStatus } from './plan-status.js'

export interface Outcome {
  id: string
  priorityId: string
  text: string
  indicatorIds: string[]
}

export interface PlanAction {
  id: number
  outcomeId: string
  title: string
  owner: string
  partner: string | null
  dueDate: string | null
  status: ActionStatus
  narrative: string
}

type Db = Kysely<Database> | Transaction<Database>

export function createPlanRepository(db: Kysely<Database>) {
  const actionColumns = [
    'id',
    'outcome_id',
    'title',
    'owner',
    'partner',
    sql<string | null>`due_date::text`.as('due_date'),
    'status',
    'narrative',
  ] as const
  const toAction = (row: {
    id: number
    outcome_id: string
    title: string
    owner: string
    partner: string | null
    due_date: string | null
    status: ActionStatus
    narrative: string
  }): PlanAction => ({
    id: row.id,
    outcomeId: row.outcome_id,
    title: row.title,
    owner: row.owner,
    partner: row.partner,
    dueDate: row.due_date,
    status: row.status,
    narrative: row.narrative,
  })

  return {
    async listOutcomes(): Promise<Outcome[]> {
      const rows = await db.selectFrom('performance_outcome').selectAll().orderBy('sort_order').execute()
      return rows.map(row => ({
        id: row.id,
        priorityId: row.priority_id,
        text: row.text,
        indicatorIds: row.indicator_ids,
      }))
    },

    async listActions(): Promise<PlanAction[]> {
      const rows = await db.selectFrom('performance_action').select(actionColumns).orderBy('id').execute()
      return rows.map(toAction)
    },

    async findAction(id: number): Promise<PlanAction | undefined> {
      const row = await db
        .selectFrom('performance_action')
        .select(actionColumns)
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? toAction(row) : undefined
    },

    async updateStatus(id: number, status: ActionStatus, narrative: string, trx: Db = db): Promise<boolean> {
      const result = await trx
        .updateTable('performance_action')
        .set({ status, narrative, updated_at: sql`now()` })
        .where('id', '=', id)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) > 0
    },

    async insertOutcomes(outcomes: OutcomeSeed[], trx: Db = db): Promise<void> {
      let order = 0
      for (const outcome of outcomes) {
        order += 10
        await trx
          .insertInto('performance_outcome')
          .values({
            id: outcome.id,
            priority_id: outcome.priorityId,
            text: outcome.text,
            indicator_ids: JSON.stringify(outcome.indicatorIds),
            sort_order: order,
          })
          .onConflict(oc => oc.column('id').doNothing())
          .execute()
      }
    },

    async insertActions(actions: ActionSeed[], trx: Db = db): Promise<void> {
      for (const action of actions) {
        await trx
          .insertInto('performance_action')
          .values({
            outcome_id: action.outcomeId,
            title: action.title,
            owner: action.owner,
            partner: action.partner,
            due_date: action.dueDate,
            status: action.status,
            narrative: action.narrative,
          })
          .onConflict(oc => oc.columns(['outcome_id', 'title']).doNothing())
          .execute()
      }
    },

    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work)
    },
  }
}

export type PlanRepository = ReturnType<typeof createPlanRepository>
