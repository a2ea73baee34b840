/** The only code that touches the powers tables. */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely'

import type { Database, PowerActionTable, PowerBreachTable } from '../../db/schema.js'
import { createPolicyStore } from '../../platform/versioned-policy.js'
import type { PowersPolicy } from './powers-policy.js'

export type Executor = Kysely<Database> | Transaction<Database>
export type ActionRow = Selectable<PowerActionTable> & {
  issued_by_name: string
  party_name: string | null
  party_contact_withheld: boolean | null
}
export type BreachRow = Selectable<PowerBreachTable> & { recorded_by_name: string }

export function createPowersRepository(db: Kysely<Database>) {
  const actions = (executor: Executor) =>
    executor
      .selectFrom('power_action as a')
      .innerJoin('staff_user as u', 'u.id', 'a.issued_by')
      .leftJoin('case_party as p', 'p.id', 'a.party_id')
      .selectAll('a')
      .select([
        'u.display_name as issued_by_name',
        'p.name as party_name',
        'p.contact_withheld as party_contact_withheld',
      ])

  return {
    db,
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work)
    },

    /** The powers policy documents by version: each decision stores the version it was made under. */
    policies: createPolicyStore<PowersPolicy>(db, 'power_policy'),

    async forCase(caseId: string, executor: Executor = db): Promise<ActionRow[]> {
      return actions(executor)
        .where('a.case_id', '=', caseId)
        .orderBy('a.action_date', 'desc')
        .orderBy('a.created_at', 'desc')
        .execute()
    },

    async action(id: string, executor: Executor = db): Promise<ActionRow | undefined> {
      return actions(executor).where('a.id', '=', id).executeTakeFirst()
    },

    async actionBySubmission(submissionId: string, executor: Executor = db) {
      return executor
        .selectFrom('power_action')
        .select(['id', 'case_id'])
        .where('submission_id', '=', submissionId)
        .executeTakeFirst()
    },

    async insertAction(values: Insertable<PowerActionTable>, executor: Executor): Promise<string> {
      const row = await executor.insertInto('power_action').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async breaches(caseId: string, executor: Executor = db): Promise<BreachRow[]> {
      return executor
        .selectFrom('power_breach as b')
        .innerJoin('staff_user as u', 'u.id', 'b.recorded_by')
        .selectAll('b')
        .select('u.display_name as recorded_by_name')
        .where('b.case_id', '=', caseId)
        .orderBy('b.occurred_on', 'desc')
        .execute()
    },

    async breachBySubmission(submissionId: string, executor: Executor = db) {
      return executor
        .selectFrom('power_breach')
        .select('id')
        .where('submission_id', '=', submissionId)
        .executeTakeFirst()
    },

    async insertBreach(values: Insertable<PowerBreachTable>, executor: Executor): Promise<string> {
      const row = await executor.insertInto('power_breach').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },
  }
}

export type PowersRepository = ReturnType<typeof createPowersRepository>
