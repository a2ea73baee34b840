/** The only code that touches the risk tables. */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely'

import type { Database, RiskAssessmentTable, RiskMaracReferralTable } from '../../db/schema.js'
import { createPolicyStore } from '../../platform/versioned-policy.js'
import type { RiskPolicy } from './risk-policy.js'

export type Executor = Kysely<Database> | Transaction<Database>
export type AssessmentRow = Selectable<RiskAssessmentTable> & { assessed_by_name: string }
export type ReferralRow = Selectable<RiskMaracReferralTable>

export function createRiskRepository(db: Kysely<Database>) {
  const assessments = (executor: Executor) =>
    executor
      .selectFrom('risk_assessment as a')
      .innerJoin('staff_user as u', 'u.id', 'a.assessed_by')
      .selectAll('a')
      .select('u.display_name as assessed_by_name')

  return {
    db,
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work)
    },

    /** The risk policy documents by version: each decision stores the version it was made under. */
    policies: createPolicyStore<RiskPolicy>(db, 'risk_policy'),

    /** High-risk assessments recorded since `since`, with their case reference (staff alerts). */
    async highSince(since: Date, executor: Executor = db) {
      return executor
        .selectFrom('risk_assessment as a')
        .innerJoin('asb_case as c', 'c.id', 'a.case_id')
        .select(['a.id', 'a.case_id', 'a.assessed_on', 'c.reference'])
        .where('a.level', '=', 'high')
        .where('a.created_at', '>=', since)
        .orderBy('a.created_at')
        .execute()
    },

    async insertAssessment(values: Insertable<RiskAssessmentTable>, executor: Executor): Promise<string> {
      const row = await executor.insertInto('risk_assessment').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async assessmentBySubmission(submissionId: string, executor: Executor = db) {
      return executor
        .selectFrom('risk_assessment')
        .select(['id', 'case_id'])
        .where('submission_id', '=', submissionId)
        .executeTakeFirst()
    },

    async assessment(id: string, executor: Executor = db): Promise<AssessmentRow | undefined> {
      return assessments(executor).where('a.id', '=', id).executeTakeFirst()
    },

    async forParty(partyId: string, executor: Executor = db): Promise<AssessmentRow[]> {
      return assessments(executor)
        .where('a.party_id', '=', partyId)
        .orderBy('a.created_at', 'desc')
        .orderBy('a.id')
        .execute()
    },

    async forCase(caseId: string, executor: Executor = db): Promise<AssessmentRow[]> {
      return assessments(executor)
        .where('a.case_id', '=', caseId)
        .orderBy('a.created_at', 'desc')
        .orderBy('a.id')
        .execute()
    },

    /** Received dates of the reports linked to a case, and whether any carried the repeat-caller flag. */
    async linkedReportFacts(caseId: string, executor: Executor = db) {
      const rows = await executor
        .selectFrom('case_report as cr')
        .innerJoin('report as r', 'r.id', 'cr.report_id')
        .select(['r.received_at', 'r.flags'])
        .where('cr.case_id', '=', caseId)
        .execute()
      return rows.map(row => {
        const repeat = (row.flags as Record<string, unknown> | null)?.repeatCaller
        return { receivedAt: new Date(row.received_at), repeatCaller: Array.isArray(repeat) && repeat.length > 0 }
      })
    },

    /** Latest assessment of each victim whose level is high, on open cases. */
    async latestHigh(executor: Executor = db) {
      return executor
        .selectFrom('risk_assessment as a')
        .innerJoin('case_party as p', 'p.id', 'a.party_id')
        .innerJoin('asb_case as c', 'c.id', 'a.case_id')
        .select([
          'a.id',
          'a.case_id',
          'a.party_id',
          'a.level',
          'a.assessed_on',
          'a.review_due',
          'p.name as party_name',
          'p.contact_withheld as party_contact_withheld',
          'c.reference as case_reference',
        ])
        .where('c.status', '=', 'open')
        .where('a.level', '=', 'high')
        .where(eb =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('risk_assessment as newer')
                .select('newer.id')
                .whereRef('newer.party_id', '=', 'a.party_id')
                .where(inner =>
                  inner.or([
                    inner('newer.created_at', '>', inner.ref('a.created_at')),
                    inner.and([
                      inner('newer.created_at', '=', inner.ref('a.created_at')),
                      inner('newer.id', '>', inner.ref('a.id')),
                    ]),
                  ]),
                ),
            ),
          ),
        )
        .orderBy('a.review_due')
        .limit(500)
        .execute()
    },

    async insertReferral(values: Insertable<RiskMaracReferralTable>, executor: Executor): Promise<string> {
      const row = await executor
        .insertInto('risk_marac_referral')
        .values(values)
        .onConflict(oc => oc.column('assessment_id').doNothing())
        .returning('id')
        .executeTakeFirst()
      return row?.id ?? ''
    },

    async referralForAssessment(assessmentId: string, executor: Executor = db): Promise<ReferralRow | undefined> {
      return executor
        .selectFrom('risk_marac_referral')
        .selectAll()
        .where('assessment_id', '=', assessmentId)
        .executeTakeFirst()
    },

    async pendingReferrals(executor: Executor = db): Promise<ReferralRow[]> {
      return executor
        .selectFrom('risk_marac_referral')
        .selectAll()
        .where('status', '=', 'pending')
        .orderBy('referred_at')
        .execute()
    },
  }
}

export type RiskRepository = ReturnType<typeof createRiskRepository>
