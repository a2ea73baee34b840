/**
 * The only code in the casework module that touches the database. Writes take an executor so a service (this one or
 * another module's, through `deps.casework`) can put a case change, its chronology entry and its audit event in one
 * transaction.
 */
import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely'

import type { visibilityFor } from './policy.js'
import { isUuid } from '../../platform/identifiers.js'
import { VersionConflictError } from '../../platform/errors.js'
import type {
  AsbCaseTable,
  CaseAllocationRuleTable,
  CaseChronologyTable,
  CaseLetterTable,
  CasePartyTable,
  CaseShareTable,
  CaseTaskTable,
  Database,
} from '../../db/schema.js'

export type Executor = Kysely<Database> | Transaction<Database>

/** A case with what access decisions and pages need about it. */
export type CaseRow = Selectable<AsbCaseTable> & {
  shared_partner_ids: string[]
  owning_team_name: string
  owning_partner_name: string
  lead_officer_name: string | null
}
export type PartyRow = Selectable<CasePartyTable>
export type ChronologyRow = Selectable<CaseChronologyTable> & { actor_name: string | null }
export type TaskRow = Selectable<CaseTaskTable> & { owner_name: string | null }
export type ShareRow = Selectable<CaseShareTable> & {
  partner_name: string
  partner_code: string
  shared_by_name: string | null
}
export type AllocationRuleRow = Selectable<CaseAllocationRuleTable> & {
  team_name: string
  partner_name: string
  lead_officer_name: string | null
}

/** The platform's optimistic-locking refusal; the old name is kept for callers outside the module. */
export { VersionConflictError as CaseVersionConflictError }

export function createCaseworkRepository(db: Kysely<Database>) {
  function caseQuery(executor: Executor) {
    return executor
      .selectFrom('asb_case as c')
      .innerJoin('team as t', 't.id', 'c.owning_team_id')
      .innerJoin('partner as p', 'p.id', 'c.owning_partner_id')
      .leftJoin('staff_user as l', 'l.id', 'c.lead_officer_id')
      .selectAll('c')
      .select([
        't.name as owning_team_name',
        'p.name as owning_partner_name',
        'l.display_name as lead_officer_name',
        sql<
          string[]
        >`coalesce((select json_agg(s.partner_id) from case_share s where s.case_id = c.id and s.revoked_at is null), '[]'::json)`.as(
          'shared_partner_ids',
        ),
      ])
  }

  return {
    db,
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work)
    },

    async caseById(id: string, executor: Executor = db): Promise<CaseRow | undefined> {
      if (!isUuid(id)) return undefined
      return caseQuery(executor).where('c.id', '=', id).executeTakeFirst()
    },

    async caseByReference(reference: string, executor: Executor = db): Promise<CaseRow | undefined> {
      return caseQuery(executor).where('c.reference', '=', reference).executeTakeFirst()
    },

    async nextReference(year: number, executor: Executor): Promise<string> {
      const row = await executor
        .insertInto('case_reference_counter')
        .values({ year, last: 1 })
        .onConflict(oc => oc.column('year').doUpdateSet({ last: sql`case_reference_counter.last + 1` }))
        .returning('last')
        .executeTakeFirstOrThrow()
      return `ASB-${String(year % 100).padStart(2, '0')}-${String(row.last).padStart(5, '0')}`
    },

    async insertCase(values: Insertable<AsbCaseTable>, executor: Executor): Promise<string> {
      const row = await executor.insertInto('asb_case').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    /** Updates a case if it is still at `version`; otherwise throws CaseVersionConflictError and changes nothing. */
    async updateCase(
      id: string,
      version: number,
      values: Partial<Omit<Insertable<AsbCaseTable>, 'id' | 'version'>>,
      executor: Executor,
    ): Promise<void> {
      const result = await executor
        .updateTable('asb_case')
        .set({ ...values, version: sql`version + 1` })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) throw new VersionConflictError('case')
    },

    /** Bumps the version and updated_at without other changes (a party or share added). */
    async touchCase(id: string, at: Date, executor: Executor): Promise<void> {
      await executor
        .updateTable('asb_case')
        .set({ updated_at: at, version: sql`version + 1` })
        .where('id', '=', id)
        .execute()
    },

    async parties(caseId: string, executor: Executor = db): Promise<PartyRow[]> {
      return executor
        .selectFrom('case_party')
        .selectAll()
        .where('case_id', '=', caseId)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    },

    async partyById(id: string, executor: Executor = db): Promise<PartyRow | undefined> {
      if (!isUuid(id)) return undefined
      return executor.selectFrom('case_party').selectAll().where('id', '=', id).executeTakeFirst()
    },

    async insertParty(values: Insertable<CasePartyTable>, executor: Executor): Promise<string> {
      const row = await executor.insertInto('case_party').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async insertChronology(values: Insertable<CaseChronologyTable>, executor: Executor): Promise<number> {
      const row = await executor.insertInto('case_chronology').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async chronology(
      caseId: string,
      options: { limit: number; offset?: number },
      executor: Executor = db,
    ): Promise<{ rows: ChronologyRow[]; total: number }> {
      const [rows, count] = await Promise.all([
        executor
          .selectFrom('case_chronology as e')
          .leftJoin('staff_user as u', 'u.id', 'e.actor_id')
          .selectAll('e')
          .select('u.display_name as actor_name')
          .where('e.case_id', '=', caseId)
          .orderBy('e.occurred_at', 'desc')
          .orderBy('e.id', 'desc')
          .limit(options.limit)
          .offset(options.offset ?? 0)
          .execute(),
        executor
          .selectFrom('case_chronology')
          .select(eb => eb.fn.countAll<string>().as('n'))
          .where('case_id', '=', caseId)
          .executeTakeFirstOrThrow(),
      ])
      return { rows, total: Number(count.n) }
    },

    async insertTask(values: Insertable<CaseTaskTable>, executor: Executor): Promise<string> {
      const row = await executor.insertInto('case_task').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async tasks(caseId: string, executor: Executor = db): Promise<TaskRow[]> {
      return executor
        .selectFrom('case_task as k')
        .leftJoin('staff_user as u', 'u.id', 'k.owner_user_id')
        .selectAll('k')
        .select('u.display_name as owner_name')
        .where('k.case_id', '=', caseId)
        .orderBy(sql`case when k.status = 'open' then 0 else 1 end`)
        .orderBy('k.due_date')
        .orderBy('k.created_at')
        .execute()
    },

    async taskById(id: string, executor: Executor = db): Promise<Selectable<CaseTaskTable> | undefined> {
      if (!isUuid(id)) return undefined
      return executor.selectFrom('case_task').selectAll().where('id', '=', id).executeTakeFirst()
    },

    async completeTask(id: string, at: Date, executor: Executor): Promise<boolean> {
      const result = await executor
        .updateTable('case_task')
        .set({ status: 'done', completed_at: at })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    /** The case's lead officer and the supervisors of its owning team: who hears of events on it (staff alerts). */
    async caseWatchers(caseId: string, executor: Executor = db): Promise<string[]> {
      const rows = await executor
        .selectFrom('staff_user as u')
        .innerJoin('asb_case as c', join =>
          join.on(eb =>
            eb.or([
              eb('c.lead_officer_id', '=', eb.ref('u.id')),
              eb.and([
                eb('c.owning_team_id', '=', eb.ref('u.team_id')),
                eb.exists(
                  eb
                    .selectFrom('user_role as r')
                    .select('r.user_id')
                    .whereRef('r.user_id', '=', 'u.id')
                    .where('r.role', '=', 'supervisor'),
                ),
              ]),
            ]),
          ),
        )
        .select('u.id')
        .where('c.id', '=', caseId)
        .where('u.disabled_at', 'is', null)
        .execute()
      return rows.map(row => row.id)
    },

    /** What the access policy needs about a would-be task owner; undefined for an unknown or disabled account. */
    async assignee(userId: string, executor: Executor = db) {
      if (!isUuid(userId)) return undefined
      const row = await executor
        .selectFrom('staff_user as u')
        .innerJoin('partner as p', 'p.id', 'u.partner_id')
        .select(['u.id', 'u.partner_id', 'u.team_id', 'u.display_name', 'u.disabled_at', 'p.name as partner_name'])
        .where('u.id', '=', userId)
        .executeTakeFirst()
      if (row?.disabled_at !== null) return undefined
      const roles = await executor.selectFrom('user_role').select('role').where('user_id', '=', userId).execute()
      return {
        id: row.id,
        partnerId: row.partner_id,
        teamId: row.team_id,
        displayName: row.display_name,
        partnerName: row.partner_name,
        roles: roles.map(role => role.role),
      }
    },

    async shares(caseId: string, executor: Executor = db): Promise<ShareRow[]> {
      return executor
        .selectFrom('case_share as s')
        .innerJoin('partner as p', 'p.id', 's.partner_id')
        .leftJoin('staff_user as u', 'u.id', 's.shared_by')
        .selectAll('s')
        .select(['p.name as partner_name', 'p.code as partner_code', 'u.display_name as shared_by_name'])
        .where('s.case_id', '=', caseId)
        .orderBy('s.shared_at', 'desc')
        .execute()
    },

    async insertShare(values: Insertable<CaseShareTable>, executor: Executor): Promise<string> {
      const row = await executor.insertInto('case_share').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async revokeShare(caseId: string, shareId: string, by: string, at: Date, executor: Executor) {
      if (!isUuid(shareId)) return undefined
      return executor
        .updateTable('case_share')
        .set({ revoked_at: at, revoked_by: by })
        .where('id', '=', shareId)
        .where('case_id', '=', caseId)
        .where('revoked_at', 'is', null)
        .returning(['id', 'partner_id'])
        .executeTakeFirst()
    },

    async linkReport(caseId: string, reportId: number, by: string | null, at: Date, executor: Executor) {
      await executor
        .insertInto('case_report')
        .values({ case_id: caseId, report_id: reportId, linked_at: at, linked_by: by })
        .execute()
    },

    async caseForReport(reportId: number, executor: Executor = db): Promise<string | undefined> {
      const row = await executor
        .selectFrom('case_report')
        .select('case_id')
        .where('report_id', '=', reportId)
        .executeTakeFirst()
      return row?.case_id
    },

    async linkedReports(caseId: string, executor: Executor = db) {
      return executor
        .selectFrom('case_report as cr')
        .innerJoin('report as r', 'r.id', 'cr.report_id')
        .select([
          'r.id',
          'r.reference',
          'r.category',
          'r.status',
          'r.received_at',
          'r.channel',
          'r.description',
          'r.priority',
          'r.ward_code',
          'r.reporter_mode',
          'r.reporter_name',
          'r.contact_preference',
          'r.reporter_email',
          'r.reporter_phone',
          'r.linked_report_id',
          'cr.linked_at',
        ])
        .where('cr.case_id', '=', caseId)
        .orderBy('r.received_at')
        .execute()
    },

    /**
     * Every report joined to this one by "added to" (a resident adding their report to an earlier one, or staff
     * marking a duplicate), however far: the whole group, this report included, oldest first, each with its case.
     */
    async reportGroup(reportId: number, executor: Executor = db) {
      const result = await sql<{
        id: number | string
        reference: string
        status: string
        linked_report_id: number | string | null
        received_at: Date
        case_id: string | null
      }>`with recursive grp(id) as (
            select ${reportId}::int8
            union
            select other.id from grp
              join report r on r.id = grp.id
              join report other on other.linked_report_id = r.id or other.id = r.linked_report_id
          )
          select r.id, r.reference, r.status, r.linked_report_id, r.received_at, cr.case_id
            from report r join grp on grp.id = r.id left join case_report cr on cr.report_id = r.id
            order by r.received_at, r.id`.execute(executor)
      return result.rows.map(row => ({
        ...row,
        id: Number(row.id),
        linked_report_id: row.linked_report_id === null ? null : Number(row.linked_report_id),
      }))
    },

    /** Open tasks on a case closed with it (status cancelled); returns how many. */
    async closeOpenTasks(caseId: string, at: Date, executor: Executor): Promise<number> {
      const result = await executor
        .updateTable('case_task')
        .set({ status: 'cancelled', completed_at: at })
        .where('case_id', '=', caseId)
        .where('status', '=', 'open')
        .executeTakeFirst()
      return Number(result.numUpdatedRows)
    },

    async insertLetter(values: Insertable<CaseLetterTable>, executor: Executor): Promise<string> {
      const row = await executor.insertInto('case_letter').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async letters(caseId: string, executor: Executor = db) {
      return executor
        .selectFrom('case_letter as l')
        .leftJoin('case_party as p', 'p.id', 'l.party_id')
        .leftJoin('staff_user as u', 'u.id', 'l.created_by')
        .select([
          'l.id',
          'l.template',
          'l.title',
          'l.created_at',
          'p.name as party_name',
          'p.contact_withheld as party_contact_withheld',
          'u.display_name as created_by_name',
        ])
        .where('l.case_id', '=', caseId)
        .orderBy('l.created_at', 'desc')
        .execute()
    },

    async letterById(id: string, executor: Executor = db) {
      if (!isUuid(id)) return undefined
      return executor.selectFrom('case_letter').selectAll().where('id', '=', id).executeTakeFirst()
    },

    /** The letter an action of another module produced (for example a powers action), if it stored one. */
    async letterFor(caseId: string, sourceModule: string, sourceId: string, executor: Executor = db) {
      return executor
        .selectFrom('case_letter')
        .selectAll()
        .where('case_id', '=', caseId)
        .where('source_module', '=', sourceModule)
        .where('source_id', '=', sourceId)
        .orderBy('created_at', 'desc')
        .executeTakeFirst()
    },

    /** Cases the user may see (visibility derived from the policy), newest first. */
    async listVisible(
      user: { partnerId: string; teamId: string | null },
      visibility: ReturnType<typeof visibilityFor>,
      filter: { status?: 'open' | 'closed'; leadOfficerId?: string; limit: number; offset: number },
    ) {
      const conditions = [caseVisibleSql(user, visibility)]
      if (filter.status) conditions.push(sql`c.status = ${filter.status}`)
      if (filter.leadOfficerId) conditions.push(sql`c.lead_officer_id = ${filter.leadOfficerId}`)
      const where = sql.join(conditions, sql` and `)
      const [rows, count] = await Promise.all([
        sql<{
          id: string
          reference: string
          title: string
          category: string
          priority: string
          status: string
          sensitivity: string | null
          opened_at: Date
          review_date: string | null
          lead_officer_name: string | null
          owning_team_name: string
        }>`select c.id, c.reference, c.title, c.category, c.priority, c.status, c.sensitivity, c.opened_at, c.review_date,
              l.display_name as lead_officer_name, t.name as owning_team_name
            from asb_case c join team t on t.id = c.owning_team_id left join staff_user l on l.id = c.lead_officer_id
            where ${where}
            order by c.opened_at desc, c.id
            limit ${filter.limit} offset ${filter.offset}`.execute(db),
        sql<{ n: number }>`select count(*)::int as n from asb_case c where ${where}`.execute(db),
      ])
      return { rows: rows.rows, total: count.rows[0]?.n ?? 0 }
    },

    /**
     * Open tasks on open cases owned by the user, due on or before `until` (every open task when absent), soonest
     * first; whether the user may still see each case is checked by the caller. The same rows `overdueTasks` counts
     * (overdue.ts: one definition of overdue).
     */
    async tasksDueFor(userId: string, until?: string) {
      let query = db
        .selectFrom('case_task as k')
        .innerJoin('asb_case as c', 'c.id', 'k.case_id')
        .select(['k.id', 'k.title', 'k.due_date', 'k.case_id', 'c.reference', 'c.title as case_title'])
        .where('k.owner_user_id', '=', userId)
        .where('k.status', '=', 'open')
        .where('c.status', '!=', 'closed')
      if (until) query = query.where('k.due_date', '<=', until)
      return query.orderBy('k.due_date').orderBy('k.created_at').limit(100).execute()
    },

    /**
     * Overdue tasks (overdue.ts): open, on an open case, due before `today`; limited to `caseIds` when given. With
     * their case's owning team, lead officer and owner, for the tasking pack and staff notifications.
     */
    async overdueTasks(today: string, filter: { caseIds?: readonly string[]; limit?: number } = {}) {
      if (filter.caseIds?.length === 0) return []
      let query = db
        .selectFrom('case_task as k')
        .innerJoin('asb_case as c', 'c.id', 'k.case_id')
        .leftJoin('staff_user as u', 'u.id', 'k.owner_user_id')
        .select([
          'k.id',
          'k.title',
          'k.due_date',
          'k.case_id',
          'k.owner_user_id',
          'c.reference',
          'c.lead_officer_id',
          'c.owning_team_id',
          'u.display_name as owner_name',
        ])
        .where('k.status', '=', 'open')
        .where('c.status', '!=', 'closed')
        .where('k.due_date', '<', today)
      if (filter.caseIds) query = query.where('c.id', 'in', filter.caseIds)
      return query
        .orderBy('k.due_date')
        .orderBy('c.reference')
        .limit(filter.limit ?? 1000)
        .execute()
    },

    /** How many tasks are overdue across the partnership (overdue.ts), for a count beside what a reader may see. */
    async countOverdueTasks(today: string): Promise<number> {
      const row = await db
        .selectFrom('case_task as k')
        .innerJoin('asb_case as c', 'c.id', 'k.case_id')
        .select(eb => eb.fn.countAll<string>().as('n'))
        .where('k.status', '=', 'open')
        .where('c.status', '!=', 'closed')
        .where('k.due_date', '<', today)
        .executeTakeFirst()
      return Number(row?.n ?? 0)
    },

    async allocationRules(executor: Executor = db): Promise<AllocationRuleRow[]> {
      return executor
        .selectFrom('case_allocation_rule as a')
        .innerJoin('team as t', 't.id', 'a.team_id')
        .innerJoin('partner as p', 'p.id', 't.partner_id')
        .leftJoin('staff_user as u', 'u.id', 'a.lead_officer_id')
        .selectAll('a')
        .select(['t.name as team_name', 'p.name as partner_name', 'u.display_name as lead_officer_name'])
        .orderBy('a.position')
        .orderBy('a.created_at')
        .execute()
    },
  }
}

export type CaseworkRepository = ReturnType<typeof createCaseworkRepository>

/** A visibility rule (plain, sensitive) as SQL, given whether the record is sensitive (an SQL boolean). */
export function sensitivitySql(rule: { plain: boolean; sensitive: boolean }, sensitive: RawBuilder<boolean>) {
  return rule.plain && rule.sensitive
    ? sql<boolean>`true`
    : rule.plain
      ? sql<boolean>`not (${sensitive})`
      : rule.sensitive
        ? sql<boolean>`(${sensitive})`
        : sql<boolean>`false`
}

/** The cases (alias `c`) the user may see: `visibilityFor(user)` as SQL, for lists of cases and of their reports. */
export function caseVisibleSql(
  user: { partnerId: string; teamId: string | null },
  visibility: ReturnType<typeof visibilityFor>,
): RawBuilder<boolean> {
  const sensitive = sql<boolean>`c.sensitivity is not null`
  const parts = [
    user.teamId
      ? sql`(c.owning_team_id = ${user.teamId} and ${sensitivitySql(visibility.team, sensitive)})`
      : sql`false`,
    sql`(c.owning_partner_id = ${user.partnerId} and c.owning_team_id is distinct from ${user.teamId} and ${sensitivitySql(visibility.partner, sensitive)})`,
    sql`(c.owning_partner_id <> ${user.partnerId} and exists (select 1 from case_share s where s.case_id = c.id and s.partner_id = ${user.partnerId} and s.revoked_at is null) and ${sensitivitySql(visibility.shared, sensitive)})`,
  ]
  return sql<boolean>`(${sql.join(parts, sql` or `)})`
}
