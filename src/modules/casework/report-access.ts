/**
 * Reports under the casework access policy (policy.ts, ADR 0019): the facts a decision needs, loaded in one query
 * whether the report exists or not; the guard the resource-access plugin calls for routes declaring
 * `resource: { type: 'report', ... }`; and the SQL that limits report lists to what the same policy shows.
 *
 * Audit: a refusal (and a missing report) is one row, `case.access-refused` against the case holding the report, or
 * `report.access-refused` against the report when no case holds it (no subject when there is no such report), so the
 * case's access log shows attempts on its reports. A permitted request on a linked report has the route's own audit
 * event written against the case (details name the report), so the access log shows who read the report and its
 * evidence; on an unlinked report the event stays against the report.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { AuditService } from '../../platform/audit.js'
import { RESTRICTIONS, type ResourceDecision, type ResourceGuard } from '../../platform/resource-access.js'
import { CATEGORIES, normaliseReportReference } from '../reporting/index.js'
import { caseVisibleSql, sensitivitySql } from './casework-repository.js'
import {
  reportAllowed,
  reporterContactShown,
  reportVisibilityFor,
  visibilityFor,
  type ReportAccessFacts,
  type ReportUser,
} from './policy.js'

const OWNER_KINDS: Record<string, readonly string[]> = {
  council: ['council'],
  police: ['police'],
  council_and_police: ['council', 'police'],
}

/** The partner kinds whose triage pool holds an unallocated report of this category (the taxonomy's owner). */
export function poolPartnerKinds(category: string): readonly string[] {
  const owner = CATEGORIES.find(item => item.code === category)?.owner ?? 'council'
  return OWNER_KINDS[owner] ?? []
}

/** The reports (alias `r`) in the triage pool of partners of this kind, by category; unknown ones are the council's. */
function poolCategorySql(partnerKind: string): RawBuilder<boolean> {
  const codes = CATEGORIES.filter(item => (OWNER_KINDS[item.owner] ?? []).includes(partnerKind)).map(item => item.code)
  const known = sql<boolean>`r.category in (${sql.join(codes.length > 0 ? codes : [''])})`
  if (partnerKind !== 'council') return codes.length > 0 ? known : sql<boolean>`false`
  return sql<boolean>`(${known} or r.category not in (${sql.join(CATEGORIES.map(item => item.code))}))`
}

/** The team the first matching allocation rule gives report `r` (the triage queue's rule, as a scalar). */
export const allocatedTeamSql = sql<string | null>`(
  select a.team_id from case_allocation_rule a
  where a.active
    and (a.category is null or a.category = r.category)
    and (a.ward_code is null or a.ward_code = r.ward_code)
    and (a.channel is null or a.channel = r.channel)
  order by a.position, a.created_at limit 1)`

interface FactsRow {
  id: number
  reference: string
  category: string
  hate: boolean
  reporter_mode: string
  consent_to_share: boolean
  case_id: string | null
  case_reference: string | null
  case_team_id: string | null
  case_partner_id: string | null
  case_sensitivity: string | null
  shared_partner_ids: string[] | null
  team_id: string | null
  partner_id: string | null
}

export interface ReportAccessRecord {
  reportId: number
  reference: string
  caseId: string | null
  caseReference: string | null
  facts: ReportAccessFacts
  reporter: { reporter_mode: string; consent_to_share: boolean }
}

export function createReportAccess(deps: { db: Kysely<Database>; audit: AuditService }) {
  const { db, audit } = deps

  /** One query for everything a decision needs; the same work whether or not the report exists. */
  async function load(referenceInput: string): Promise<ReportAccessRecord | undefined> {
    const reference = normaliseReportReference(referenceInput) ?? ''
    const result = await sql<FactsRow>`
      select r.id, r.reference, r.category, r.hate, r.reporter_mode, r.consent_to_share,
        c.id as case_id, c.reference as case_reference, c.owning_team_id as case_team_id,
        c.owning_partner_id as case_partner_id, c.sensitivity as case_sensitivity,
        (select json_agg(s.partner_id) from case_share s where s.case_id = c.id and s.revoked_at is null)
          as shared_partner_ids,
        tm.id as team_id, tm.partner_id
      from report r
        left join case_report cr on cr.report_id = r.id
        left join asb_case c on c.id = cr.case_id
        left join team tm on tm.id = ${allocatedTeamSql}
      where r.reference = ${reference}`.execute(db)
    const row = result.rows[0]
    if (!row) return undefined
    const facts: ReportAccessFacts =
      row.case_id && row.case_team_id && row.case_partner_id
        ? {
            case: {
              owning_team_id: row.case_team_id,
              owning_partner_id: row.case_partner_id,
              sensitivity: row.case_sensitivity,
              shared_partner_ids: row.shared_partner_ids ?? [],
            },
          }
        : {
            case: null,
            owning_team_id: row.team_id,
            owning_partner_id: row.partner_id,
            pool_partner_kinds: poolPartnerKinds(row.category),
            sensitivity: row.hate ? 'hate' : null,
          }
    return {
      reportId: row.id,
      reference: row.reference,
      caseId: row.case_id,
      caseReference: row.case_reference,
      facts,
      reporter: { reporter_mode: row.reporter_mode, consent_to_share: row.consent_to_share },
    }
  }

  /** The policy's answer for one report and action (undefined report: neither visible nor permitted). */
  function decide(user: ReportUser, record: ReportAccessRecord | undefined, action: 'view' | 'change') {
    const visible = record ? reportAllowed(user, record.facts, 'view') : false
    const permitted = visible && record ? reportAllowed(user, record.facts, action) : false
    const contactShown = record ? reporterContactShown(user, record.facts, record.reporter) : false
    return { visible, permitted, restrictions: contactShown ? [] : [RESTRICTIONS.reporterContact] }
  }

  const guard: ResourceGuard = async (request, resource, id): Promise<ResourceDecision> => {
    const user = request.user
    if (!user) return { visible: false, permitted: false, restrictions: [] }
    const record = await load(id)
    const decision = decide(user, record, resource.action)
    const where = {
      route: request.routeOptions.url,
      method: request.method,
      resource: 'report',
      action: resource.action,
    }
    if (!decision.visible || !decision.permitted) {
      await audit.record({
        actor: { type: 'user', id: user.id },
        action: record?.caseId ? 'case.access-refused' : 'report.access-refused',
        subjectType: record?.caseId ? 'case' : record ? 'report' : null,
        subjectId: record ? (record.caseId ?? String(record.reportId)) : null,
        correlationId: request.id,
        details: { ...where, reportReference: record?.reference ?? id.slice(0, 20), found: Boolean(record) },
      })
      return decision
    }
    if (record) {
      request.auditContext.subjectType = record.caseId ? 'case' : 'report'
      request.auditContext.subjectId = record.caseId ?? String(record.reportId)
      request.auditContext.details = {
        ...request.auditContext.details,
        resource: 'report',
        reportId: record.reportId,
        reportReference: record.reference,
      }
    }
    return decision
  }

  /**
   * The reports (alias `r`) no case holds that this user may see, as an SQL condition: the allocated team's, its
   * partner's supervisors', or (no rule matches) the pool of the partner kinds owning the category. A per-row check,
   * so a list read in index order (the triage queue) stops at its page.
   */
  function unlinkedVisibleSql(user: ReportUser): RawBuilder<boolean> {
    const own = reportVisibilityFor(user)
    const hate = sql<boolean>`r.hate`
    const team = user.teamId ? sql`(tm.id = ${user.teamId} and ${sensitivitySql(own.team, hate)})` : sql`false`
    return sql<boolean>`coalesce(
      (select ${team}
          or (tm.partner_id = ${user.partnerId} and tm.id is distinct from ${user.teamId} and ${sensitivitySql(own.partner, hate)})
        from team tm where tm.id = ${allocatedTeamSql}),
      (${poolCategorySql(user.partnerKind)} and ${sensitivitySql(own.pool, hate)}))`
  }

  /** Every report (alias `r`) this user may see: in a case they may see (the case list's condition), or as above. */
  function visibleSql(user: ReportUser): RawBuilder<boolean> {
    return sql<boolean>`(
      case when exists (select 1 from case_report cr where cr.report_id = r.id offset 0)
        then exists (select 1 from case_report cr join asb_case c on c.id = cr.case_id
          where cr.report_id = r.id and ${caseVisibleSql(user, visibilityFor(user))})
        else ${unlinkedVisibleSql(user)} end)`
  }

  return { load, decide, guard, visibleSql, unlinkedVisibleSql }
}

export type ReportAccess = ReturnType<typeof createReportAccess>
