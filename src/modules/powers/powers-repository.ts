/** The only code that touches the powers tables. */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely'

import type {
  Database,
  PowerActionChangeTable,
  PowerActionDraftTable,
  PowerActionTable,
  PowerBreachTable,
} from '../../db/schema.js'
import { createPolicyStore } from '../../platform/versioned-policy.js'
import type { PowersPolicy } from './powers-policy.js'

export type Executor = Kysely<Database> | Transaction<Database>
export type ActionRow = Selectable<PowerActionTable> & {
  issued_by_name: string
  /** The issuing officer's team (a letter names it under the officer's name), if they have one. */
  issued_by_team: string | null
  approved_by_name: string | null
  party_name: string | null
  party_contact_withheld: boolean | null
}
export type BreachRow = Selectable<PowerBreachTable> & { recorded_by_name: string }
export type ChangeRow = Selectable<PowerActionChangeTable> & { recorded_by_name: string }
export type DraftRow = Selectable<PowerActionDraftTable>

export function createPowersRepository(db: Kysely<Database>) {
  const actions = (executor: Executor) =>
    executor
      .selectFrom('power_action as a')
      .innerJoin('staff_user as u', 'u.id', 'a.issued_by')
      .leftJoin('team as tm', 'tm.id', 'u.team_id')
      .leftJoin('staff_user as approver', 'approver.id', 'a.approved_by')
      .leftJoin('case_party as p', 'p.id', 'a.party_id')
      .selectAll('a')
      .select([
        'u.display_name as issued_by_name',
        'tm.name as issued_by_team',
        'approver.display_name as approved_by_name',
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

    /** A late-recorded action's approval (or refusal) by a supervisor, once: only while it is pending. */
    async decideApproval(
      id: string,
      decision: { status: 'approved' | 'refused'; by: string; at: Date; note: string | null },
      executor: Executor,
    ): Promise<boolean> {
      const result = await executor
        .updateTable('power_action')
        .set({
          approval_status: decision.status,
          approved_by: decision.by,
          approved_at: decision.at,
          approval_note: decision.note,
        })
        .where('id', '=', id)
        .where('approval_status', '=', 'pending')
        .executeTakeFirst()
      return result.numUpdatedRows > 0n
    },

    async changes(caseId: string, executor: Executor = db): Promise<ChangeRow[]> {
      return executor
        .selectFrom('power_action_change as c')
        .innerJoin('staff_user as u', 'u.id', 'c.recorded_by')
        .selectAll('c')
        .select('u.display_name as recorded_by_name')
        .where('c.case_id', '=', caseId)
        .orderBy('c.effective_date', 'asc')
        .orderBy('c.recorded_at', 'asc')
        .execute()
    },

    async changeBySubmission(submissionId: string, executor: Executor = db) {
      return executor
        .selectFrom('power_action_change')
        .select('id')
        .where('submission_id', '=', submissionId)
        .executeTakeFirst()
    },

    async insertChange(values: Insertable<PowerActionChangeTable>, executor: Executor): Promise<string> {
      const row = await executor
        .insertInto('power_action_change')
        .values(values)
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },

    /** The name of a staff member's team (a letter names it under the officer's name). */
    async teamName(teamId: string | null, executor: Executor = db): Promise<string | null> {
      if (!teamId) return null
      const row = await executor.selectFrom('team').select('name').where('id', '=', teamId).executeTakeFirst()
      return row?.name ?? null
    },

    async draft(id: string, executor: Executor = db): Promise<DraftRow | undefined> {
      return executor.selectFrom('power_action_draft').selectAll().where('id', '=', id).executeTakeFirst()
    },

    /** Keeps what the officer entered and the letter the preview shows, replacing an earlier preview of it. */
    async saveDraft(values: Insertable<PowerActionDraftTable>, executor: Executor = db): Promise<void> {
      await executor
        .insertInto('power_action_draft')
        .values(values)
        .onConflict(oc =>
          oc.column('id').doUpdateSet({
            body: values.body,
            letter_html: values.letter_html ?? null,
            power: values.power,
            created_at: values.created_at,
          }),
        )
        .execute()
    },

    async deleteDraft(id: string, executor: Executor): Promise<void> {
      await executor.deleteFrom('power_action_draft').where('id', '=', id).execute()
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
