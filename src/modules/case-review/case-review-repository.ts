/** The only code that touches the Case Review tables. */
import {
  sql,
  type Insertable,
  type Kysely,
  type RawBuilder,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely'

import { VersionConflictError } from '../../platform/errors.js'

import type {
  CaseReviewInformationTable,
  CaseReviewRecommendationTable,
  CaseReviewTable,
  Database,
} from '../../db/schema.js'

export type Executor = Kysely<Database> | Transaction<Database>

export type ReviewRow = Selectable<CaseReviewTable> & {
  chair_name: string | null
  chair_partner_id: string | null
  chair_team_id: string | null
  case_reference: string | null
  report_reference: string | null
  linked_reference: string | null
}

export type InformationRow = Selectable<CaseReviewInformationTable> & { partner_name: string; partner_code: string }
export type RecommendationRow = Selectable<CaseReviewRecommendationTable> & {
  owner_name: string
  lead_partner_name: string
}

export function createCaseReviewRepository(db: Kysely<Database>) {
  function reviewQuery(executor: Executor) {
    return executor
      .selectFrom('case_review as r')
      .leftJoin('staff_user as chair', 'chair.id', 'r.chair_user_id')
      .leftJoin('asb_case as c', 'c.id', 'r.case_id')
      .leftJoin('report as rep', 'rep.id', 'r.report_id')
      .leftJoin('case_review as linked', 'linked.id', 'r.linked_review_id')
      .selectAll('r')
      .select([
        'chair.display_name as chair_name',
        'chair.partner_id as chair_partner_id',
        'chair.team_id as chair_team_id',
        'c.reference as case_reference',
        'rep.reference as report_reference',
        'linked.reference as linked_reference',
      ])
  }

  return {
    db,
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work)
    },

    async rememberPolicy(version: string, document: object, at: Date, executor: Executor = db): Promise<void> {
      await executor
        .insertInto('case_review_policy')
        .values({ version, document: JSON.stringify(document), first_used_at: at })
        .onConflict(oc => oc.column('version').doNothing())
        .execute()
    },

    async nextReference(year: number, executor: Executor): Promise<string> {
      const row = await executor
        .insertInto('case_review_counter')
        .values({ year, last: 1 })
        .onConflict(oc => oc.column('year').doUpdateSet({ last: sql`case_review_counter.last + 1` }))
        .returning('last')
        .executeTakeFirstOrThrow()
      return `CR-${String(year % 100).padStart(2, '0')}-${String(row.last).padStart(4, '0')}`
    },

    async insert(values: Insertable<CaseReviewTable>, executor: Executor): Promise<string> {
      const row = await executor.insertInto('case_review').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async bySubmission(submissionId: string, executor: Executor = db) {
      return executor
        .selectFrom('case_review')
        .select(['id', 'reference'])
        .where('submission_id', '=', submissionId)
        .executeTakeFirst()
    },

    async byId(id: string, executor: Executor = db): Promise<ReviewRow | undefined> {
      return reviewQuery(executor).where('r.id', '=', id).executeTakeFirst()
    },

    async byReference(reference: string, executor: Executor = db): Promise<ReviewRow | undefined> {
      return reviewQuery(executor).where('r.reference', '=', reference).executeTakeFirst()
    },

    /** `visible`: a condition on the application (alias `crv`) limiting the list to what a user may see. */
    async list(options: { open?: boolean; visible?: RawBuilder<boolean> } = {}): Promise<ReviewRow[]> {
      let query = reviewQuery(db)
      if (options.open) query = query.where('r.status', '!=', 'closed')
      const visible = options.visible
      if (visible)
        query = query.where(sql<boolean>`exists (select 1 from case_review crv where crv.id = r.id and ${visible})`)
      return query.orderBy('r.received_at', 'desc').limit(500).execute()
    },

    /** The earliest unlinked application about the same problem (same report or case) since a date. */
    /** The latest application made about a report (the tracking page stops inviting one once it is made). */
    async latestForReport(reportId: number, executor: Executor = db) {
      return executor
        .selectFrom('case_review')
        .select(['id', 'reference'])
        .where('report_id', '=', reportId)
        .orderBy('received_at', 'desc')
        .executeTakeFirst()
    },

    async earlierAbout(
      input: { reportIds: readonly number[]; caseId: string | null; since: Date },
      executor: Executor,
    ) {
      if (input.reportIds.length === 0 && input.caseId === null) return undefined
      return executor
        .selectFrom('case_review')
        .select(['id', 'reference', 'report_id', 'applicant_name', 'applicant_email', 'applicant_phone'])
        .where('linked_review_id', 'is', null)
        .where('received_at', '>=', input.since)
        .where(eb => {
          const options = []
          if (input.reportIds.length > 0) options.push(eb('report_id', 'in', [...input.reportIds]))
          if (input.caseId !== null) options.push(eb('case_id', '=', input.caseId))
          return eb.or(options)
        })
        .orderBy('received_at')
        .executeTakeFirst()
    },

    async linkedTo(id: string, executor: Executor = db) {
      return executor
        .selectFrom('case_review')
        .select(['id', 'reference', 'received_at', 'applicant_type'])
        .where('linked_review_id', '=', id)
        .orderBy('received_at')
        .execute()
    },

    /** Saves changes if nobody changed the application since `version`. */
    async update(id: string, version: number, values: Updateable<CaseReviewTable>, executor: Executor): Promise<void> {
      const result = await executor
        .updateTable('case_review')
        .set({ ...values, version: sql`version + 1` })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) throw new VersionConflictError('case_review')
    },

    async information(reviewId: string, executor: Executor = db): Promise<InformationRow[]> {
      return executor
        .selectFrom('case_review_information as i')
        .innerJoin('partner as p', 'p.id', 'i.partner_id')
        .selectAll('i')
        .select(['p.name as partner_name', 'p.code as partner_code'])
        .where('i.review_id', '=', reviewId)
        .orderBy('p.name')
        .execute()
    },

    async insertInformation(values: Insertable<CaseReviewInformationTable>, executor: Executor): Promise<string> {
      const row = await executor
        .insertInto('case_review_information')
        .values(values)
        .onConflict(oc => oc.columns(['review_id', 'partner_id']).doNothing())
        .returning('id')
        .executeTakeFirst()
      return row?.id ?? ''
    },

    async respond(
      id: string,
      reviewId: string,
      values: { response: string; at: Date; by: string | null },
      executor: Executor,
    ): Promise<boolean> {
      const result = await executor
        .updateTable('case_review_information')
        .set({ response: values.response, responded_at: values.at, responded_by: values.by })
        .where('id', '=', id)
        .where('review_id', '=', reviewId)
        .where('responded_at', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    async recommendations(reviewId: string, executor: Executor = db): Promise<RecommendationRow[]> {
      return executor
        .selectFrom('case_review_recommendation as rec')
        .innerJoin('staff_user as u', 'u.id', 'rec.owner_user_id')
        .innerJoin('partner as p', 'p.id', 'rec.lead_partner_id')
        .selectAll('rec')
        .select(['u.display_name as owner_name', 'p.name as lead_partner_name'])
        .where('rec.review_id', '=', reviewId)
        .orderBy('rec.created_at')
        .execute()
    },

    async insertRecommendation(values: Insertable<CaseReviewRecommendationTable>, executor: Executor) {
      const row = await executor
        .insertInto('case_review_recommendation')
        .values(values)
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },

    async setRecommendationTask(id: string, taskId: string, executor: Executor): Promise<void> {
      await executor.updateTable('case_review_recommendation').set({ task_id: taskId }).where('id', '=', id).execute()
    },

    /** What the statutory figures need, for every application. */
    async publicationFacts() {
      return db
        .selectFrom('case_review as r')
        .select([
          'r.received_on',
          'r.linked_review_id',
          'r.threshold_decision',
          'r.threshold_decided_at',
          'r.outcome_at',
          sql<number>`(select count(*) from case_review_recommendation rec where rec.review_id = r.id)::int`.as(
            'recommendations',
          ),
        ])
        .execute()
    },
  }
}

export type CaseReviewRepository = ReturnType<typeof createCaseReviewRepository>
