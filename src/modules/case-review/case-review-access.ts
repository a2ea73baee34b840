/**
 * Case Review applications under their access policy (case-review-access-policy.ts, ADR 0025): the facts a decision
 * needs, loaded in one query whether the application exists or not; the guards the resource-access plugin calls for
 * routes declaring `resource: { type: 'case-review' | 'case-review-minutes' | 'case-review-response', ... }`; the SQL
 * that limits the staff list to what the same policy shows; and the audit of each decision.
 *
 * Audit: a refusal (and a missing application) is `case-review.access-refused` against the application (no subject
 * when there is no such application) and, when the application is linked to a case, `case.access-refused` against the
 * case too, so the case's access log shows the attempt. A permitted read (any GET) is also written against the linked
 * case as `case-review.viewed`, once the page was answered; the route's own event stays against the application.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { AuditService } from '../../platform/audit.js'
import type { ResourceDecision, ResourceGuard } from '../../platform/resource-access.js'
import { isUuid } from '../../platform/identifiers.js'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { caseVisibleSql, visibilityFor, type ReportAccess } from '../casework/index.js'
import {
  caseReviewAllowed,
  caseReviewVisibilityFor,
  type CaseReviewFacts,
  type CaseReviewPart,
  type CaseReviewUser,
} from './case-review-access-policy.js'

const NO_ID = '00000000-0000-0000-0000-000000000000'

/** The resource types the Case Review routes declare, and the part of an application each one touches. */
export const CASE_REVIEW_RESOURCES: Record<string, CaseReviewPart> = {
  'case-review': 'application',
  'case-review-minutes': 'minutes',
  'case-review-response': 'response',
}

export interface CaseReviewAccessRecord {
  id: string
  reference: string
  caseId: string | null
  facts: CaseReviewFacts
}

interface FactsRow {
  id: string
  reference: string
  case_id: string | null
  chair_user_id: string | null
  asked_partner_ids: string[] | null
  case_visible: boolean
  report_visible: boolean
  panel_listed: boolean
}

export function createCaseReviewAccess(deps: {
  db: Kysely<Database>
  audit: AuditService
  reportAccess: ReportAccess
}) {
  const { db, audit, reportAccess } = deps

  /** The linked case (application alias `crv`) is one the user may see under the casework policy. */
  function caseVisible(user: CaseReviewUser & { teamId: string | null }): RawBuilder<boolean> {
    return sql<boolean>`exists (select 1 from asb_case c where c.id = crv.case_id
      and ${caseVisibleSql(user, visibilityFor(user))})`
  }

  /** The linked report is one the user may see under the report policy (in its case, or by triage ownership). */
  function reportVisible(user: CaseReviewUser & { teamId: string | null }): RawBuilder<boolean> {
    return sql<boolean>`exists (select 1 from report r where r.id = crv.report_id and ${reportAccess.visibleSql(user)})`
  }

  /** A meeting of an active panel the user's partner sits on lists the review on its agenda. */
  function panelListed(user: CaseReviewUser): RawBuilder<boolean> {
    return sql<boolean>`exists (select 1 from panel_referral pr
      join panel_agenda_item ai on ai.referral_id = pr.id
      join panel_type pt on pt.id = pr.panel_id and pt.active
      join panel_member_partner mp on mp.panel_id = pr.panel_id and mp.partner_id = ${user.partnerId}
      where pr.source_module = 'case-review' and pr.source_id = crv.id::text)`
  }

  function askedSql(user: CaseReviewUser): RawBuilder<boolean> {
    return sql<boolean>`exists (select 1 from case_review_information i
      where i.review_id = crv.id and i.partner_id = ${user.partnerId})`
  }

  /** One query for everything a decision needs; the same work whether or not the application exists. */
  async function load(
    user: CaseReviewUser & { teamId: string | null },
    idInput: string,
  ): Promise<CaseReviewAccessRecord | undefined> {
    const id = isUuid(idInput) ? idInput : NO_ID
    const result = await sql<FactsRow>`
      select crv.id, crv.reference, crv.case_id, crv.chair_user_id,
        (select json_agg(i.partner_id) from case_review_information i where i.review_id = crv.id) as asked_partner_ids,
        ${caseVisible(user)} as case_visible,
        ${reportVisible(user)} as report_visible,
        ${panelListed(user)} as panel_listed
      from case_review crv
      where crv.id = ${id}`.execute(db)
    const row = result.rows[0]
    if (!row) return undefined
    return {
      id: row.id,
      reference: row.reference,
      caseId: row.case_id,
      facts: {
        chair_user_id: row.chair_user_id,
        asked_partner_ids: row.asked_partner_ids ?? [],
        case_visible: row.case_visible,
        report_visible: row.report_visible,
        panel_listed: row.panel_listed,
      },
    }
  }

  /** The policy's answer for one application, part and action (no application: neither visible nor permitted). */
  function decide(
    user: CaseReviewUser,
    record: CaseReviewAccessRecord | undefined,
    part: CaseReviewPart,
    action: 'view' | 'change',
  ): ResourceDecision {
    const visible = record ? caseReviewAllowed(user, record.facts, 'application', 'view') : false
    const permitted = visible && record ? caseReviewAllowed(user, record.facts, part, action) : false
    return { visible, permitted, restrictions: [] }
  }

  const guard: ResourceGuard = async (request, resource, id): Promise<ResourceDecision> => {
    const user = request.user
    if (!user) return { visible: false, permitted: false, restrictions: [] }
    const part = CASE_REVIEW_RESOURCES[resource.type] ?? 'application'
    const record = await load(user, id)
    const decision = decide(user, record, part, resource.action)
    const where = { route: request.routeOptions.url, method: request.method, resource: resource.type, part }
    if (!decision.visible || !decision.permitted) {
      const actor = { type: 'user' as const, id: user.id }
      const details = {
        ...where,
        action: resource.action,
        caseReviewReference: record?.reference ?? null,
        found: Boolean(record),
        visible: decision.visible,
      }
      await audit.record({
        actor,
        action: 'case-review.access-refused',
        subjectType: record ? 'case_review' : null,
        subjectId: record?.id ?? null,
        correlationId: request.id,
        details,
      })
      if (record?.caseId) {
        await audit.record({
          actor,
          action: 'case.access-refused',
          subjectType: 'case',
          subjectId: record.caseId,
          correlationId: request.id,
          details: { ...details, caseReviewId: record.id },
        })
      }
      return decision
    }
    if (record) {
      request.auditContext.details = {
        ...request.auditContext.details,
        resource: resource.type,
        caseReviewReference: record.reference,
        ...(record.caseId ? { caseId: record.caseId } : {}),
      }
    }
    return decision
  }

  /**
   * After a permitted read of an application linked to a case (any GET answered below 400): `case-review.viewed`
   * against the case, so the case's access log shows who read the Case Review about it.
   */
  async function recordCaseRead(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const details = request.auditContext.details
    const caseId = details?.caseId
    if (request.method !== 'GET' || reply.statusCode >= 400 || !request.resourceDecision || typeof caseId !== 'string')
      return
    try {
      await audit.record({
        actor: request.actor,
        action: 'case-review.viewed',
        subjectType: 'case',
        subjectId: caseId,
        origin: request.auditOrigin,
        details: {
          resource: 'case-review',
          route: request.routeOptions.url,
          caseReviewReference: details?.caseReviewReference ?? null,
        },
      })
    } catch (error) {
      request.log.error({ err: error }, 'could not write audit event')
    }
  }

  /** Every application (alias `crv`) this user may see, as an SQL condition built from the policy's relations. */
  function visibleSql(user: CaseReviewUser & { teamId: string | null }): RawBuilder<boolean> {
    const rule = caseReviewVisibilityFor(user)
    if (rule.all) return sql<boolean>`true`
    const parts: RawBuilder<boolean>[] = []
    if (rule.chair) parts.push(sql<boolean>`crv.chair_user_id = ${user.id}`)
    if (rule.asked) parts.push(askedSql(user))
    if (rule.case) parts.push(caseVisible(user))
    if (rule.report) parts.push(reportVisible(user))
    if (rule.panel) parts.push(panelListed(user))
    return parts.length > 0 ? sql<boolean>`(${sql.join(parts, sql` or `)})` : sql<boolean>`false`
  }

  const guards: Record<string, ResourceGuard> = Object.fromEntries(
    Object.keys(CASE_REVIEW_RESOURCES).map(type => [type, guard]),
  )

  return { load, decide, guard, guards, visibleSql, recordCaseRead }
}

export type CaseReviewAccess = ReturnType<typeof createCaseReviewAccess>
