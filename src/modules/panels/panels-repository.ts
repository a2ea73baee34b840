/**
 * The only code in the panels module that touches the database. Writes take an executor so a referral made by
 * another module (risk, case review) lands in that module's transaction.
 */
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely'

import { VersionConflictError } from '../../platform/errors.js'

import type {
  Database,
  HateIncidentTable,
  MaracDashTable,
  MaracSafeContactTable,
  PanelActionTable,
  PanelMeetingTable,
  PanelReferralTable,
  PanelTypeTable,
  TensionEntryTable,
} from '../../db/schema.js'

export type Executor = Kysely<Database> | Transaction<Database>

export type PanelRow = Selectable<PanelTypeTable> & { partner_ids: string[] }
export type ReferralRow = Selectable<PanelReferralTable> & {
  referred_by_name: string | null
  referring_partner_name: string | null
  case_reference: string | null
}
export type MeetingRow = Selectable<PanelMeetingTable>
export type ActionRow = Selectable<PanelActionTable> & { owner_name: string; owner_partner_name: string }
export type DashRow = Selectable<MaracDashTable> & { assessed_by_name: string }
export type TensionRow = Selectable<TensionEntryTable>
export type HateIncidentRow = Selectable<HateIncidentTable> & { case_reference: string | null }

export function createPanelsRepository(db: Kysely<Database>) {
  const panels = (executor: Executor) =>
    executor
      .selectFrom('panel_type as p')
      .selectAll('p')
      .select(
        sql<
          string[]
        >`coalesce((select json_agg(m.partner_id) from panel_member_partner m where m.panel_id = p.id), '[]'::json)`.as(
          'partner_ids',
        ),
      )

  const referrals = (executor: Executor) =>
    executor
      .selectFrom('panel_referral as r')
      .leftJoin('staff_user as u', 'u.id', 'r.referred_by')
      .leftJoin('partner as pa', 'pa.id', 'r.referring_partner_id')
      .leftJoin('asb_case as c', 'c.id', 'r.case_id')
      .selectAll('r')
      .select([
        'u.display_name as referred_by_name',
        'pa.name as referring_partner_name',
        'c.reference as case_reference',
      ])

  const actions = (executor: Executor) =>
    executor
      .selectFrom('panel_action as a')
      .innerJoin('staff_user as u', 'u.id', 'a.owner_user_id')
      .innerJoin('partner as p', 'p.id', 'u.partner_id')
      .selectAll('a')
      .select(['u.display_name as owner_name', 'p.name as owner_partner_name'])

  return {
    db,
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work)
    },

    // Panel configuration
    async panels(executor: Executor = db): Promise<PanelRow[]> {
      return panels(executor).orderBy('p.position').execute()
    },
    async panelByCode(code: string, executor: Executor = db): Promise<PanelRow | undefined> {
      return panels(executor).where('p.code', '=', code).executeTakeFirst()
    },
    async panelById(id: string, executor: Executor = db): Promise<PanelRow | undefined> {
      return panels(executor).where('p.id', '=', id).executeTakeFirst()
    },
    async panelByKind(kind: PanelRow['kind'], executor: Executor = db): Promise<PanelRow | undefined> {
      return panels(executor)
        .where('p.kind', '=', kind)
        .where('p.active', '=', true)
        .orderBy('p.position')
        .executeTakeFirst()
    },
    async updatePanel(
      id: string,
      version: number,
      values: Pick<
        PanelRow,
        'name' | 'purpose' | 'referral_criteria' | 'meeting_cadence' | 'minutes_restriction' | 'updated_at'
      >,
      partnerIds: readonly string[],
      executor: Executor,
    ): Promise<void> {
      const result = await executor
        .updateTable('panel_type')
        .set({ ...values, version: sql`version + 1` })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) throw new VersionConflictError('panel_type')
      await executor.deleteFrom('panel_member_partner').where('panel_id', '=', id).execute()
      if (partnerIds.length > 0) {
        await executor
          .insertInto('panel_member_partner')
          .values(partnerIds.map(partnerId => ({ panel_id: id, partner_id: partnerId })))
          .execute()
      }
    },
    /** Adds a panel the CSP pack names (docs/csp-pack.md). */
    async insertPanel(values: Insertable<PanelTypeTable>, executor: Executor): Promise<void> {
      await executor.insertInto('panel_type').values(values).execute()
    },
    /** The pack's wording for a panel nobody has edited (version 1); an edited panel is left as it is. */
    async rewordUneditedPanel(
      id: string,
      values: Pick<
        PanelRow,
        'name' | 'purpose' | 'referral_criteria' | 'meeting_cadence' | 'minutes_restriction' | 'position' | 'updated_at'
      >,
      executor: Executor,
    ): Promise<boolean> {
      const result = await executor
        .updateTable('panel_type')
        .set(values)
        .where('id', '=', id)
        .where('version', '=', 1)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
    async setPanelActive(id: string, active: boolean, now: Date, executor: Executor): Promise<void> {
      await executor.updateTable('panel_type').set({ active, updated_at: now }).where('id', '=', id).execute()
    },
    /** Removes a panel that nothing refers to and nobody has configured (no members, never edited). */
    async deleteUnusedPanel(id: string, executor: Executor): Promise<boolean> {
      const result = await executor
        .deleteFrom('panel_type')
        .where('id', '=', id)
        .where('version', '=', 1)
        .where(eb =>
          eb.and([
            eb.not(eb.exists(eb.selectFrom('panel_member_partner').select('panel_id').where('panel_id', '=', id))),
            eb.not(eb.exists(eb.selectFrom('panel_referral').select('id').where('panel_id', '=', id))),
            eb.not(eb.exists(eb.selectFrom('panel_meeting').select('id').where('panel_id', '=', id))),
            eb.not(eb.exists(eb.selectFrom('panel_action').select('id').where('panel_id', '=', id))),
          ]),
        )
        .executeTakeFirst()
      return Number(result.numDeletedRows) === 1
    },
    async setMembers(panelId: string, partnerIds: readonly string[], executor: Executor = db): Promise<void> {
      if (partnerIds.length === 0) return
      await executor
        .insertInto('panel_member_partner')
        .values(partnerIds.map(partnerId => ({ panel_id: panelId, partner_id: partnerId })))
        .onConflict(oc => oc.doNothing())
        .execute()
    },
    async partners(executor: Executor = db) {
      return executor
        .selectFrom('partner')
        .select(['id', 'code', 'name'])
        .where('active', '=', true)
        .orderBy('name')
        .execute()
    },
    /** Active staff users of the given partners, for choosing an action's owner. */
    async usersOfPartners(partnerIds: readonly string[], executor: Executor = db) {
      if (partnerIds.length === 0) return []
      return executor
        .selectFrom('staff_user as u')
        .innerJoin('partner as p', 'p.id', 'u.partner_id')
        .select(['u.id', 'u.display_name', 'p.name as partner_name', 'u.partner_id'])
        .where('u.partner_id', 'in', [...partnerIds])
        .where('u.disabled_at', 'is', null)
        .orderBy('p.name')
        .orderBy('u.display_name')
        .execute()
    },

    // Referrals
    async insertReferral(values: Insertable<PanelReferralTable>, executor: Executor): Promise<string | undefined> {
      const row = await executor
        .insertInto('panel_referral')
        .values(values)
        .onConflict(oc => oc.doNothing())
        .returning('id')
        .executeTakeFirst()
      return row?.id
    },
    async referralBySource(panelId: string, sourceModule: string, sourceId: string, executor: Executor = db) {
      return referrals(executor)
        .where('r.panel_id', '=', panelId)
        .where('r.source_module', '=', sourceModule)
        .where('r.source_id', '=', sourceId)
        .executeTakeFirst()
    },
    async referralBySubmission(submissionId: string, executor: Executor = db) {
      return referrals(executor).where('r.submission_id', '=', submissionId).executeTakeFirst()
    },
    async referral(id: string, executor: Executor = db): Promise<ReferralRow | undefined> {
      return referrals(executor).where('r.id', '=', id).executeTakeFirst()
    },
    async referralsForPanel(panelId: string, status?: ReferralRow['status'], executor: Executor = db) {
      let query = referrals(executor).where('r.panel_id', '=', panelId)
      if (status) query = query.where('r.status', '=', status)
      return query.orderBy('r.referred_at').orderBy('r.id').limit(500).execute()
    },
    async referralsForCase(caseId: string, executor: Executor = db) {
      return referrals(executor)
        .innerJoin('panel_type as p', 'p.id', 'r.panel_id')
        .select(['p.name as panel_name', 'p.code as panel_code'])
        .where('r.case_id', '=', caseId)
        .orderBy('r.referred_at', 'desc')
        .execute()
    },
    async closeReferral(id: string, outcome: string, at: Date, executor: Executor): Promise<boolean> {
      const result = await executor
        .updateTable('panel_referral')
        .set({ status: 'closed', outcome, closed_at: at })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
    /** The latest meeting date at which the party's referral to a panel of this kind was on the agenda. */
    async lastHeardOn(partyId: string, kind: PanelRow['kind'], before: string, executor: Executor = db) {
      const row = await executor
        .selectFrom('panel_agenda_item as i')
        .innerJoin('panel_meeting as m', 'm.id', 'i.meeting_id')
        .innerJoin('panel_referral as r', 'r.id', 'i.referral_id')
        .innerJoin('panel_type as p', 'p.id', 'r.panel_id')
        .select(sql<string | null>`max(m.meets_on)::text`.as('last'))
        .where('r.party_id', '=', partyId)
        .where('p.kind', '=', kind)
        .where('m.meets_on', '<=', before)
        .executeTakeFirst()
      return row?.last ?? null
    },

    // Meetings and agenda
    async insertMeeting(values: Insertable<PanelMeetingTable>, executor: Executor): Promise<string> {
      const row = await executor.insertInto('panel_meeting').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },
    async meetingBySubmission(submissionId: string, executor: Executor = db) {
      return executor
        .selectFrom('panel_meeting')
        .selectAll()
        .where('submission_id', '=', submissionId)
        .executeTakeFirst()
    },
    async meeting(id: string, executor: Executor = db): Promise<MeetingRow | undefined> {
      return executor.selectFrom('panel_meeting').selectAll().where('id', '=', id).executeTakeFirst()
    },
    async meetings(panelId: string, executor: Executor = db): Promise<MeetingRow[]> {
      return executor
        .selectFrom('panel_meeting')
        .selectAll()
        .where('panel_id', '=', panelId)
        .orderBy('meets_on', 'desc')
        .limit(100)
        .execute()
    },
    /** Adds every open referral of the panel not yet on the meeting's agenda, in referral order. */
    async addOpenReferralsToAgenda(meetingId: string, panelId: string, at: Date, executor: Executor): Promise<number> {
      const result = await sql<{ count: number }>`
        insert into panel_agenda_item (meeting_id, referral_id, position, added_at)
        select ${meetingId}, r.id,
          coalesce((select max(position) from panel_agenda_item where meeting_id = ${meetingId}), 0)
            + row_number() over (order by r.referred_at, r.id),
          ${at}
        from panel_referral r
        where r.panel_id = ${panelId} and r.status = 'open'
          and not exists (select 1 from panel_agenda_item i where i.meeting_id = ${meetingId} and i.referral_id = r.id)`.execute(
        executor,
      )
      return Number(result.numAffectedRows ?? 0)
    },
    async agenda(meetingId: string, executor: Executor = db) {
      return executor
        .selectFrom('panel_agenda_item as i')
        .innerJoin('panel_referral as r', 'r.id', 'i.referral_id')
        .leftJoin('asb_case as c', 'c.id', 'r.case_id')
        .leftJoin('panel_minute as mi', 'mi.agenda_item_id', 'i.id')
        .select([
          'i.id',
          'i.position',
          'i.referral_id',
          'r.subject',
          'r.reason',
          'r.status as referral_status',
          'r.case_id',
          'c.reference as case_reference',
          sql<boolean>`mi.agenda_item_id is not null`.as('has_minutes'),
          sql<number>`(select count(*)::integer from panel_action a where a.agenda_item_id = i.id)`.as('action_count'),
        ])
        .where('i.meeting_id', '=', meetingId)
        .orderBy('i.position')
        .execute()
    },
    async agendaItem(id: string, executor: Executor = db) {
      return executor.selectFrom('panel_agenda_item').selectAll().where('id', '=', id).executeTakeFirst()
    },
    async itemsForReferral(referralId: string, executor: Executor = db) {
      return executor
        .selectFrom('panel_agenda_item as i')
        .innerJoin('panel_meeting as m', 'm.id', 'i.meeting_id')
        .select(['i.id', 'i.meeting_id', 'm.meets_on', 'm.chair'])
        .where('i.referral_id', '=', referralId)
        .orderBy('m.meets_on')
        .execute()
    },

    // Attendance
    async attendance(meetingId: string, executor: Executor = db) {
      return executor
        .selectFrom('panel_attendance as a')
        .innerJoin('partner as p', 'p.id', 'a.partner_id')
        .select(['a.partner_id', 'a.present', 'a.representative', 'p.name as partner_name'])
        .where('a.meeting_id', '=', meetingId)
        .orderBy('p.name')
        .execute()
    },
    async saveAttendance(
      meetingId: string,
      rows: { partnerId: string; present: boolean; representative: string | null }[],
      executor: Executor,
    ): Promise<void> {
      await executor.deleteFrom('panel_attendance').where('meeting_id', '=', meetingId).execute()
      if (rows.length === 0) return
      await executor
        .insertInto('panel_attendance')
        .values(
          rows.map(row => ({
            meeting_id: meetingId,
            partner_id: row.partnerId,
            present: row.present,
            representative: row.representative,
          })),
        )
        .execute()
    },

    // Minutes
    async minute(agendaItemId: string, executor: Executor = db) {
      return executor
        .selectFrom('panel_minute as m')
        .leftJoin('staff_user as u', 'u.id', 'm.recorded_by')
        .selectAll('m')
        .select('u.display_name as recorded_by_name')
        .where('m.agenda_item_id', '=', agendaItemId)
        .executeTakeFirst()
    },
    async saveMinute(agendaItemId: string, text: string, by: string | null, at: Date, executor: Executor) {
      await executor
        .insertInto('panel_minute')
        .values({ agenda_item_id: agendaItemId, text, recorded_by: by, recorded_at: at })
        .onConflict(oc =>
          oc.column('agenda_item_id').doUpdateSet({
            text,
            recorded_by: by,
            recorded_at: at,
            version: sql`panel_minute.version + 1`,
          }),
        )
        .execute()
    },

    // Actions
    async insertAction(values: Insertable<PanelActionTable>, executor: Executor): Promise<string> {
      const row = await executor.insertInto('panel_action').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },
    async setActionTask(actionId: string, taskId: string, executor: Executor): Promise<void> {
      await executor.updateTable('panel_action').set({ case_task_id: taskId }).where('id', '=', actionId).execute()
    },
    async actionBySubmission(submissionId: string, executor: Executor = db) {
      return executor
        .selectFrom('panel_action')
        .selectAll()
        .where('submission_id', '=', submissionId)
        .executeTakeFirst()
    },
    async actionsForItem(agendaItemId: string, executor: Executor = db): Promise<ActionRow[]> {
      return actions(executor).where('a.agenda_item_id', '=', agendaItemId).orderBy('a.created_at').execute()
    },
    async actionsForReferral(referralId: string, executor: Executor = db): Promise<ActionRow[]> {
      return actions(executor).where('a.referral_id', '=', referralId).orderBy('a.created_at').execute()
    },
    /** Actions on cases recorded since `since`, with the panel's name and the case reference (staff alerts). */
    async caseActionsSince(since: Date, executor: Executor = db) {
      return executor
        .selectFrom('panel_action as a')
        .innerJoin('panel_type as p', 'p.id', 'a.panel_id')
        .innerJoin('asb_case as c', 'c.id', 'a.case_id')
        .select(['a.id', 'a.case_id', 'a.case_task_id', 'a.due_date', 'p.name as panel_name', 'c.reference'])
        .where('a.created_at', '>=', since)
        .orderBy('a.created_at')
        .execute()
    },
    /** Task status of each action's case task (open, done, cancelled). */
    async taskStatuses(taskIds: readonly string[], executor: Executor = db): Promise<Map<string, string>> {
      if (taskIds.length === 0) return new Map()
      const rows = await executor
        .selectFrom('case_task')
        .select(['id', 'status'])
        .where('id', 'in', [...taskIds])
        .execute()
      return new Map(rows.map(row => [row.id, row.status]))
    },

    // DASH / DA MARAC
    async insertDash(values: Insertable<MaracDashTable>, executor: Executor): Promise<string> {
      const row = await executor.insertInto('marac_dash').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },
    async setDashReferral(dashId: string, referralId: string, executor: Executor): Promise<void> {
      await executor.updateTable('marac_dash').set({ referral_id: referralId }).where('id', '=', dashId).execute()
    },
    async dashBySubmission(submissionId: string, executor: Executor = db) {
      return executor
        .selectFrom('marac_dash')
        .select(['id'])
        .where('submission_id', '=', submissionId)
        .executeTakeFirst()
    },
    async dash(id: string, executor: Executor = db): Promise<DashRow | undefined> {
      return executor
        .selectFrom('marac_dash as d')
        .innerJoin('staff_user as u', 'u.id', 'd.assessed_by')
        .selectAll('d')
        .select('u.display_name as assessed_by_name')
        .where('d.id', '=', id)
        .executeTakeFirst()
    },
    async dashForReferral(referralId: string, executor: Executor = db) {
      return executor.selectFrom('marac_dash').select(['id']).where('referral_id', '=', referralId).executeTakeFirst()
    },
    async insertSafeContact(values: Insertable<MaracSafeContactTable>, executor: Executor): Promise<void> {
      await executor.insertInto('marac_safe_contact').values(values).execute()
    },
    async safeContact(dashId: string, executor: Executor = db) {
      return executor.selectFrom('marac_safe_contact').selectAll().where('dash_id', '=', dashId).executeTakeFirst()
    },

    // Tension log
    async insertTension(values: Insertable<TensionEntryTable>, executor: Executor = db): Promise<string> {
      const row = await executor
        .insertInto('tension_entry')
        .values(values)
        .onConflict(oc => oc.column('submission_id').doNothing())
        .returning('id')
        .executeTakeFirst()
      return row?.id ?? ''
    },
    async tensionsBetween(from: string, to: string, executor: Executor = db): Promise<TensionRow[]> {
      return executor
        .selectFrom('tension_entry')
        .selectAll()
        .where('reported_on', '>=', from)
        .where('reported_on', '<=', to)
        .orderBy('reported_on')
        .orderBy('recorded_at')
        .execute()
    },

    // Hate incidents
    async insertHateIncident(values: Insertable<HateIncidentTable>, executor: Executor): Promise<string> {
      const row = await executor.insertInto('hate_incident').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },
    async hateIncidentBySubmission(submissionId: string, executor: Executor = db) {
      return executor
        .selectFrom('hate_incident')
        .select(['id'])
        .where('submission_id', '=', submissionId)
        .executeTakeFirst()
    },
    async setHateReferral(id: string, referralId: string, executor: Executor): Promise<void> {
      await executor.updateTable('hate_incident').set({ referral_id: referralId }).where('id', '=', id).execute()
    },
    async hateIncidents(from: string, to: string, executor: Executor = db): Promise<HateIncidentRow[]> {
      return executor
        .selectFrom('hate_incident as h')
        .leftJoin('asb_case as c', 'c.id', 'h.case_id')
        .selectAll('h')
        .select('c.reference as case_reference')
        .where('h.occurred_on', '>=', from)
        .where('h.occurred_on', '<=', to)
        .orderBy('h.occurred_on', 'desc')
        .limit(500)
        .execute()
    },
    /** Hate-flagged reports linked to a case, with the characteristics the reporter gave. */
    async hateReportsForCase(caseId: string, executor: Executor = db) {
      const rows = await executor
        .selectFrom('case_report as cr')
        .innerJoin('report as r', 'r.id', 'cr.report_id')
        .select(['r.id', 'r.reference', 'r.occurred_on', 'r.ward_code', 'r.impact'])
        .where('cr.case_id', '=', caseId)
        .where('r.hate', '=', true)
        .orderBy('r.occurred_on', 'desc')
        .execute()
      return rows.map(row => {
        const characteristics = (row.impact as Record<string, unknown> | null)?.characteristics
        return {
          id: row.id,
          reference: row.reference,
          occurredOn: row.occurred_on,
          wardCode: row.ward_code,
          characteristics: Array.isArray(characteristics)
            ? characteristics.filter((item): item is string => typeof item === 'string')
            : [],
        }
      })
    },

    // Counts (aggregates only) for the performance module's indicator sources
    async monthlyHateIncidents(from: string, to: string, executor: Executor = db) {
      const month = sql<string>`to_char(date_trunc('month', occurred_on), 'YYYY-MM-DD')`
      const rows = await executor
        .selectFrom('hate_incident')
        .select(['ward_code', month.as('month'), sql<number>`count(*)::integer`.as('total')])
        .where('occurred_on', '>=', from)
        .where('occurred_on', '<=', to)
        .groupBy(['ward_code', month])
        .execute()
      return rows.map(row => ({ wardCode: row.ward_code, month: row.month, total: row.total }))
    },
    async monthlyReferrals(kind: PanelRow['kind'] | null, from: string, to: string, executor: Executor = db) {
      const local = sql<string>`(r.referred_at at time zone 'Europe/London')::date`
      const month = sql<string>`to_char(date_trunc('month', r.referred_at at time zone 'Europe/London'), 'YYYY-MM-DD')`
      let query = executor
        .selectFrom('panel_referral as r')
        .innerJoin('panel_type as p', 'p.id', 'r.panel_id')
        .select(['r.ward_code', month.as('month'), sql<number>`count(*)::integer`.as('total')])
        .where(local, '>=', from)
        .where(local, '<=', to)
      if (kind) query = query.where('p.kind', '=', kind)
      const rows = await query.groupBy(['r.ward_code', month]).execute()
      return rows.map(row => ({ wardCode: row.ward_code, month: row.month, total: row.total }))
    },
    /** Tension log entries by ward and the month of the date reported; with a level or levels, only those. */
    async monthlyTensionEntries(levels: readonly number[] | null, from: string, to: string, executor: Executor = db) {
      const month = sql<string>`to_char(date_trunc('month', reported_on), 'YYYY-MM-DD')`
      let query = executor
        .selectFrom('tension_entry')
        .select(['ward_code', month.as('month'), sql<number>`count(*)::integer`.as('total')])
        .where('reported_on', '>=', from)
        .where('reported_on', '<=', to)
      if (levels) query = query.where('level', 'in', levels)
      const rows = await query.groupBy(['ward_code', month]).execute()
      return rows.map(row => ({ wardCode: row.ward_code, month: row.month, total: row.total }))
    },
    /**
     * Panel actions whose case task was done, by the referral's ward and the London month completed. An action on a
     * referral with no case has no task, so no completion to count.
     */
    async monthlyActionsCompleted(from: string, to: string, executor: Executor = db) {
      const done = sql<string>`(t.completed_at at time zone 'Europe/London')::date`
      const month = sql<string>`to_char(date_trunc('month', t.completed_at at time zone 'Europe/London'), 'YYYY-MM-DD')`
      const rows = await executor
        .selectFrom('panel_action as a')
        .innerJoin('case_task as t', 't.id', 'a.case_task_id')
        .innerJoin('panel_referral as r', 'r.id', 'a.referral_id')
        .select(['r.ward_code', month.as('month'), sql<number>`count(*)::integer`.as('total')])
        .where('t.status', '=', 'done')
        .where(done, '>=', from)
        .where(done, '<=', to)
        .groupBy(['r.ward_code', month])
        .execute()
      return rows.map(row => ({ wardCode: row.ward_code, month: row.month, total: row.total }))
    },
    /**
     * Panel actions due in each month that are decided by `today` (done, or due before today), and how many were
     * done on or before their due date; by the referral's ward and the month due. Cancelled tasks and actions with
     * no case task are not counted.
     */
    async monthlyActionsOnTime(from: string, to: string, today: string, executor: Executor = db) {
      const month = sql<string>`to_char(date_trunc('month', a.due_date), 'YYYY-MM-DD')`
      const onTime = sql<boolean>`t.status = 'done' and (t.completed_at at time zone 'Europe/London')::date <= a.due_date`
      const rows = await executor
        .selectFrom('panel_action as a')
        .innerJoin('case_task as t', 't.id', 'a.case_task_id')
        .innerJoin('panel_referral as r', 'r.id', 'a.referral_id')
        .select([
          'r.ward_code',
          month.as('month'),
          sql<number>`count(*)::integer`.as('due'),
          sql<number>`count(*) filter (where ${onTime})::integer`.as('on_time'),
        ])
        .where('t.status', '!=', 'cancelled')
        .where(eb => eb.or([eb('t.status', '=', 'done'), eb('a.due_date', '<', today)]))
        .where('a.due_date', '>=', from)
        .where('a.due_date', '<=', to)
        .groupBy(['r.ward_code', month])
        .execute()
      return rows.map(row => ({
        wardCode: row.ward_code,
        month: row.month,
        total: row.on_time,
        denominator: row.due,
      }))
    },
  }
}

export type PanelsRepository = ReturnType<typeof createPanelsRepository>
