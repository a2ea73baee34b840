/**
 * The triage queue: reports from every door that no case holds yet and nobody has closed, highest risk first, then
 * oldest. Each is allocated by the first matching allocation rule (category, ward, channel → team and lead officer).
 * Triage decisions go through reporting's `changeStatus`, so the resident's tracking page, the report's timeline,
 * the notification and the case change commit together.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely'

import type { Database } from '../../db/schema.js'

import type { Actor, AuditService } from '../../platform/audit.js'
import { t } from '../../platform/i18n.js'
import type { Clock } from '../../platform/clock.js'
import type { ReportRow, ReportService } from '../reporting/index.js'
import type { CaseRow, CaseworkRepository } from './casework-repository.js'
import { CaseworkError, type CaseworkService, type CaseUser, type NewParty } from './casework-service.js'
import { sensitivityForCategory } from './policy.js'

export interface QueueFilter {
  page: number
  pageSize?: number
  /** Only reports allocated to this team. */
  teamId?: string
  wardCode?: string
  /** The reports the user may see (report-access `unlinkedVisibleSql`): the queue lists nothing else. */
  visible: RawBuilder<boolean>
}

export interface QueueRow {
  id: number
  reference: string
  channel: string
  received_at: Date
  category: string
  ward_code: string
  priority: 'high' | 'medium' | 'standard'
  hate: boolean
  status: string
  repeat_caller: boolean
  repeat_location: boolean
  duplicate: boolean
  /** Added to another report (by the resident, or marked a duplicate by staff). */
  linked: boolean
  vulnerable: boolean
  team_id: string | null
  team_name: string | null
  lead_officer_id: string | null
}

export interface Allocation {
  teamId: string
  partnerId: string
  teamName: string
  leadOfficerId: string | null
}

const OPEN_STATUSES = ['received', 'assessed'] as const

/**
 * The person who made a report, as a party to the case it joins: a victim when they said they were one, otherwise a
 * complainant. Anonymous reporters leave no party. A confidential reporter's party carries a warning: the case holds
 * their identity, and nothing that goes to the other party may reveal it.
 */
export function reporterParty(report: ReportRow): NewParty | null {
  if (report.reporter_mode === 'anonymous' || !report.reporter_name) return null
  const role = report.impact.reporterRole
  const notes = [
    `Reported ${report.reference}.`,
    role === 'on_behalf' ? 'Reported on behalf of someone else.' : null,
    report.reporter_mode === 'confidential'
      ? 'Confidential reporter: never disclose their identity to the other party or the public.'
      : null,
  ]
  return {
    role: role === 'victim' ? 'victim' : 'complainant',
    kind: 'person',
    name: report.reporter_name,
    email: report.reporter_email,
    phone: report.reporter_phone,
    notes: notes.filter(Boolean).join(' '),
    contactWithheld: report.reporter_mode === 'confidential' && !report.consent_to_share,
  }
}

export function createTriageService(deps: {
  repository: CaseworkRepository
  casework: CaseworkService
  reports: ReportService
  audit: AuditService
  clock: Clock
}) {
  const { repository, casework, reports, audit, clock } = deps
  const { db } = repository

  function allocationJoin() {
    return sql<string>`left join lateral (
      select a.team_id, a.lead_officer_id from case_allocation_rule a
      where a.active
        and (a.category is null or a.category = r.category)
        and (a.ward_code is null or a.ward_code = r.ward_code)
        and (a.channel is null or a.channel = r.channel)
      order by a.position, a.created_at limit 1
    ) alloc on true left join team t on t.id = alloc.team_id`
  }

  /** The queue's order: risk first, then the oldest. The partial index report_triage_idx (migration 0530) holds it. */
  const queueOrder = sql`case r.priority when 'high' then 0 when 'medium' then 1 else 2 end, r.received_at, r.id`

  async function queue(
    filter: QueueFilter,
  ): Promise<{ rows: QueueRow[]; total: number; page: number; pageSize: number }> {
    const pageSize = filter.pageSize ?? 50
    const page = Math.max(1, filter.page)
    const conditions = [
      sql`r.status in ('received', 'assessed')`,
      // "offset 0" keeps this a per-row check (an index probe for each open report) rather than an anti-join. Most
      // reports are in cases, so the planner expects almost no open report to pass and hashes all of case_report
      // (14 ms at 100,000 cases) instead of probing the few open ones (0.1 ms for a page).
      sql`not exists (select 1 from case_report cr where cr.report_id = r.id offset 0)`,
    ]
    if (filter.wardCode) conditions.push(sql`r.ward_code = ${filter.wardCode}`)
    // Last: a per-row check on the few rows left, so the page is still read in order from the partial index.
    conditions.push(filter.visible)
    const open = sql.join(conditions, sql` and `)
    const columns = sql`r.id, r.reference, r.channel, r.received_at, r.category, r.ward_code, r.priority, r.hate, r.status,
          jsonb_array_length(coalesce(r.flags->'repeatCaller', '[]'::jsonb)) > 0 as repeat_caller,
          jsonb_array_length(coalesce(r.flags->'repeatLocation', '[]'::jsonb)) > 0 as repeat_location,
          (r.linked_report_id is null and jsonb_array_length(coalesce(r.flags->'duplicateCandidates', '[]'::jsonb)) > 0) as duplicate,
          r.linked_report_id is not null as linked,
          (r.impact->>'unsafeAtHome' = 'yes' or r.impact->>'healthAffected' = 'yes') as vulnerable,
          alloc.team_id, t.name as team_name, alloc.lead_officer_id`
    const offset = (page - 1) * pageSize
    // Filtered by team, every open report's allocation decides whether it is in the page. Otherwise the page comes
    // first (read in order from the partial index) and only its rows are allocated, and the count needs no rules.
    const [rows, count] = filter.teamId
      ? await Promise.all([
          sql<QueueRow>`
            select ${columns} from report r ${allocationJoin()}
            where ${open} and alloc.team_id = ${filter.teamId}
            order by ${queueOrder} limit ${pageSize} offset ${offset}`.execute(db),
          sql<{ n: number }>`
            select count(*)::int as n from report r ${allocationJoin()}
            where ${open} and alloc.team_id = ${filter.teamId}`.execute(db),
        ])
      : await Promise.all([
          sql<QueueRow>`
            select ${columns} from (
              select r.* from report r where ${open} order by ${queueOrder} limit ${pageSize} offset ${offset}
            ) r ${allocationJoin()}
            order by ${queueOrder}`.execute(db),
          sql<{ n: number }>`select count(*)::int as n from report r where ${open}`.execute(db),
        ])
    return { rows: rows.rows, total: count.rows[0]?.n ?? 0, page, pageSize }
  }

  /** The team a report goes to: the first matching rule, else the deciding user's own team. */
  async function allocationFor(reportId: number, user: CaseUser): Promise<Allocation | undefined> {
    const result = await sql<{ team_id: string; partner_id: string; name: string; lead_officer_id: string | null }>`
      select t.id as team_id, t.partner_id, t.name, alloc.lead_officer_id
      from report r ${allocationJoin()}
      where r.id = ${reportId} and alloc.team_id is not null`.execute(db)
    const rule = result.rows[0]
    if (rule) {
      return {
        teamId: rule.team_id,
        partnerId: rule.partner_id,
        teamName: rule.name,
        leadOfficerId: rule.lead_officer_id,
      }
    }
    if (!user.teamId) return undefined
    const team = await db
      .selectFrom('team')
      .select(['id', 'partner_id', 'name'])
      .where('id', '=', user.teamId)
      .executeTakeFirst()
    return team ? { teamId: team.id, partnerId: team.partner_id, teamName: team.name, leadOfficerId: null } : undefined
  }

  async function openReport(reference: string) {
    const report = await reports.findByReference(reference)
    if (!report) return undefined
    const caseId = await repository.caseForReport(report.id)
    return { report, caseId, open: (OPEN_STATUSES as readonly string[]).includes(report.status) && !caseId }
  }

  /** The reporter joins the case as a party, unless they are anonymous or already a party by the same name. */
  async function addReporter(caseId: string, report: ReportRow, actor: Actor, trx: Transaction<Database>) {
    const party = reporterParty(report)
    if (!party) return
    const caseRow = await repository.caseById(caseId, trx)
    if (!caseRow) return
    const known = await repository.parties(caseId, trx)
    if (known.some(existing => existing.kind === 'person' && existing.name === party.name)) return
    await casework.addParty(caseRow, party, actor, trx)
  }

  /**
   * The reports joined to `report` by "added to" (residents adding theirs, staff marking duplicates) that are still
   * open and in no case join `caseId` with it, in the caller's transaction: each moves to "in progress" (its timeline
   * and the resident's notification) and its reporter joins the case as a party.
   */
  async function joinLinkedReports(
    caseId: string,
    report: Pick<ReportRow, 'id'>,
    publicNote: string,
    actor: Actor,
    trx: Transaction<Database>,
  ): Promise<string[]> {
    const joined: string[] = []
    for (const member of await repository.reportGroup(report.id, trx)) {
      if (member.id === report.id || member.case_id) continue
      if (!(OPEN_STATUSES as readonly string[]).includes(member.status)) continue
      await reports.changeStatus(member.reference, { status: 'in_progress', publicNote }, actor, {
        trx,
        within: async (inner, full) => {
          const caseRow = await repository.caseById(caseId, inner)
          if (!caseRow) throw new CaseworkError('not_found')
          await casework.linkReport(caseRow, full.id, full.reference, actor, inner)
          await addReporter(caseId, full, actor, inner)
        },
      })
      joined.push(member.reference)
    }
    return joined
  }

  return {
    queue,
    allocationFor,
    openReport,

    /**
     * The reports joined to this one by "added to", in words for staff: the report it was added to (and that report's
     * case when the user may see it), and the reports added to it. `suggestedCase` is the case this report should join.
     */
    async linkedReportsFor(reportId: number, user: CaseUser) {
      const group = await repository.reportGroup(reportId)
      const self = group.find(member => member.id === reportId)
      const parent = self?.linked_report_id ? group.find(member => member.id === self.linked_report_id) : undefined
      const children = group.filter(member => member.linked_report_id === reportId)
      const caseOf = async (caseId: string | null) => {
        const caseRow = caseId ? await repository.caseById(caseId) : undefined
        return caseRow && casework.canView(user, caseRow) ? caseRow : undefined
      }
      const parentCase = await caseOf(parent?.case_id ?? null)
      const parts = [
        parent
          ? parentCase
            ? t('casework.closure.links.addedToInCase', { reference: parent.reference, case: parentCase.reference })
            : t('casework.closure.links.addedTo', { reference: parent.reference })
          : null,
        children.length > 0
          ? t('casework.closure.links.added', { references: children.map(child => child.reference).join(', ') })
          : null,
      ].filter((part): part is string => part !== null)
      return {
        references: group.filter(member => member.id !== reportId).map(member => member.reference),
        text: parts.length > 0 ? parts.join(' ') : null,
        suggested: parent?.reference ?? null,
        suggestedCase: parentCase?.status === 'open' ? parentCase.reference : null,
      }
    },

    /** Opens a case from a queue report; the report moves to "in progress" in the same transaction. */
    async createCase(
      reference: string,
      input: {
        title: string
        teamId: string
        partnerId: string
        leadOfficerId: string | null
        priority: 'high' | 'medium' | 'standard'
        publicNote: string
      },
      actor: Actor,
    ): Promise<{ id: string; reference: string }> {
      let opened: { id: string; reference: string } | undefined
      const found = await openReport(reference)
      if (!found?.open) throw new CaseworkError('report_closed')
      await reports.changeStatus(
        found.report.reference,
        { status: 'in_progress', publicNote: input.publicNote },
        actor,
        {
          within: async (trx, report) => {
            opened = await casework.openCase(
              {
                title: input.title,
                category: report.category,
                priority: input.priority,
                sensitivity: sensitivityForCategory(report.category, report.hate),
                owningTeamId: input.teamId,
                owningPartnerId: input.partnerId,
                leadOfficerId: input.leadOfficerId,
                wardCode: report.ward_code,
                location: [report.postcode, report.location_description].filter(Boolean).join(' ') || null,
                reportIds: [report.id],
              },
              actor,
              trx,
            )
            await addReporter(opened.id, report, actor, trx)
            await joinLinkedReports(opened.id, report, input.publicNote, actor, trx)
          },
        },
      )
      if (!opened) throw new Error('case not opened')
      return opened
    },

    /** Adds a queue report to an existing case the user may change. */
    async linkToCase(reference: string, caseRow: CaseRow, publicNote: string, actor: Actor): Promise<void> {
      const found = await openReport(reference)
      if (!found?.open) throw new CaseworkError('report_closed')
      if (caseRow.status === 'closed') throw new CaseworkError('closed')
      await reports.changeStatus(found.report.reference, { status: 'in_progress', publicNote }, actor, {
        within: async (trx, report) => {
          await casework.linkReport(caseRow, report.id, report.reference, actor, trx)
          await addReporter(caseRow.id, report, actor, trx)
          await joinLinkedReports(caseRow.id, report, publicNote, actor, trx)
        },
      })
    },

    /**
     * Marks a queue report as a duplicate of another report (staff's "added to"). When the other report is in an open
     * case, this one joins that case at once (in progress, its reporter a party); otherwise it joins the case opened
     * from either of them later. Returns the case it joined, if any.
     */
    async markDuplicate(
      reference: string,
      parentReference: string,
      publicNote: string,
      actor: Actor,
    ): Promise<{ caseId: string | null }> {
      const found = await openReport(reference)
      if (!found?.open) throw new CaseworkError('report_closed')
      const parent = await reports.findByReference(parentReference)
      if (!parent || parent.id === found.report.id) throw new CaseworkError('not_found')
      const parentCaseId = (await repository.caseForReport(parent.id)) ?? null
      const parentCase = parentCaseId ? await repository.caseById(parentCaseId) : undefined
      const joins = parentCase?.status === 'open' ? parentCase : undefined
      const mark = async (trx: Transaction<Database>, report: ReportRow) => {
        await reports.markAddedTo(report.id, parent.id, actor, trx)
        await audit.record(
          {
            actor,
            action: 'triage.marked-duplicate',
            subjectType: 'report',
            subjectId: String(report.id),
            details: { of: parent.id, caseId: joins?.id ?? null },
          },
          trx,
        )
      }
      if (!joins) {
        await repository.transaction(async trx => mark(trx, found.report))
        return { caseId: null }
      }
      await reports.changeStatus(found.report.reference, { status: 'in_progress', publicNote }, actor, {
        within: async (trx, report) => {
          await mark(trx, report)
          await casework.linkReport(joins, report.id, report.reference, actor, trx)
          await addReporter(joins.id, report, actor, trx)
          await joinLinkedReports(joins.id, report, publicNote, actor, trx)
        },
      })
      return { caseId: joins.id }
    },

    /**
     * A report a resident added to another report at intake joins the other report's case when that case is open (in
     * progress, its reporter a party), as staff marking it a duplicate would. Returns the case it joined, or null when
     * there is none to join (it then waits in triage, tagged as added to another report).
     */
    async joinParentCase(reference: string, publicNote: string, actor: Actor): Promise<{ caseId: string | null }> {
      const found = await openReport(reference)
      const parentId = found?.report.linked_report_id ?? null
      if (!found?.open || parentId === null) return { caseId: null }
      const parentCaseId = (await repository.caseForReport(parentId)) ?? null
      const parentCase = parentCaseId ? await repository.caseById(parentCaseId) : undefined
      if (parentCase?.status !== 'open') return { caseId: null }
      await reports.changeStatus(found.report.reference, { status: 'in_progress', publicNote }, actor, {
        within: async (trx, report) => {
          if (await repository.caseForReport(report.id, trx)) return
          await casework.linkReport(parentCase, report.id, report.reference, actor, trx)
          await addReporter(parentCase.id, report, actor, trx)
        },
      })
      return { caseId: parentCase.id }
    },

    /** Closes a queue report without a case, with the reason the resident sees. */
    async close(
      reference: string,
      input: { reason: 'no_further_action' | 'not_asb' | 'resolved'; publicNote: string; note: string | null },
      actor: Actor,
    ): Promise<void> {
      const found = await openReport(reference)
      if (!found?.open) throw new CaseworkError('report_closed')
      await reports.changeStatus(
        found.report.reference,
        { status: 'closed', closureReason: input.reason, publicNote: input.publicNote },
        actor,
        {
          within: async trx => {
            await trx
              .insertInto('report_triage')
              .values({
                report_id: found.report.id,
                decision: 'closed',
                partner_id: null,
                note: input.note,
                decided_by: actor.type === 'user' ? actor.id : null,
                decided_at: clock.now(),
              })
              .execute()
            await audit.record(
              {
                actor,
                action: 'triage.closed',
                subjectType: 'report',
                subjectId: String(found.report.id),
                details: {},
              },
              trx,
            )
          },
        },
      )
    },

    /** Refers a queue report to a partner organisation; the resident is told who has it. */
    async refer(
      reference: string,
      input: { partnerId: string; partnerName: string; publicNote: string | null; note: string | null },
      actor: Actor,
    ): Promise<void> {
      const found = await openReport(reference)
      if (!found?.open) throw new CaseworkError('report_closed')
      await reports.changeStatus(
        found.report.reference,
        {
          status: 'closed',
          closureReason: 'referred',
          referredAgency: input.partnerName,
          publicNote: input.publicNote ?? undefined,
        },
        actor,
        {
          within: async trx => {
            await trx
              .insertInto('report_triage')
              .values({
                report_id: found.report.id,
                decision: 'referred',
                partner_id: input.partnerId,
                note: input.note,
                decided_by: actor.type === 'user' ? actor.id : null,
                decided_at: clock.now(),
              })
              .execute()
            await audit.record(
              {
                actor,
                action: 'triage.referred',
                subjectType: 'report',
                subjectId: String(found.report.id),
                details: { partnerId: input.partnerId },
              },
              trx,
            )
          },
        },
      )
    },
  }
}

export type TriageService = ReturnType<typeof createTriageService>
