import { sql, type Kysely } from 'kysely'

/**
 * The ASB Case Review (Community Trigger, s104 ASB, Crime and Policing Act 2014): applications, the eligibility
 * assessment and threshold decision (each stamped with the policy version it was made under, the policy documents
 * kept in `case_review_policy`), the review (independent chair, applicant invitation, agencies' information, meeting
 * minutes, recommendations that become owned tasks on the case), the outcome letter and the appeal.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('case_review_policy')
    .addColumn('version', 'text', col => col.primaryKey())
    .addColumn('document', 'jsonb', col => col.notNull())
    .addColumn('first_used_at', 'timestamptz', col => col.notNull())
    .execute()

  // References are CR-<yy>-<nnnn>, numbered per year.
  await db.schema
    .createTable('case_review_counter')
    .addColumn('year', 'integer', col => col.primaryKey())
    .addColumn('last', 'integer', col => col.notNull())
    .execute()

  await db.schema
    .createTable('case_review')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('reference', 'text', col => col.notNull().unique())
    .addColumn('submission_id', 'uuid', col => col.notNull().unique())
    .addColumn('received_at', 'timestamptz', col => col.notNull())
    .addColumn('received_on', 'date', col => col.notNull())
    .addColumn('channel', 'text', col => col.notNull().check(sql`channel in ('web', 'email', 'phone', 'letter')`))
    .addColumn('applicant_type', 'text', col =>
      col.notNull().check(sql`applicant_type in ('victim', 'representative')`),
    )
    .addColumn('applicant_name', 'text', col => col.notNull())
    .addColumn('applicant_email', 'text')
    .addColumn('applicant_phone', 'text')
    .addColumn('applicant_address', 'text')
    .addColumn('victim_name', 'text')
    .addColumn('relationship', 'text')
    .addColumn('consent_confirmed', 'boolean', col => col.notNull())
    .addColumn('report_id', 'bigint', col => col.references('report.id'))
    .addColumn('case_id', 'uuid', col => col.references('asb_case.id'))
    .addColumn('description', 'text', col => col.notNull())
    .addColumn('dissatisfaction', 'text', col => col.notNull())
    .addColumn('hate_reported', 'boolean', col => col.notNull())
    .addColumn('other_agencies', 'jsonb', col => col.notNull())
    .addColumn('linked_review_id', 'uuid', col => col.references('case_review.id'))
    .addColumn('status', 'text', col =>
      col.notNull().check(sql`status in ('received', 'review', 'not-met', 'outcome', 'appealed', 'closed')`),
    )
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('eligibility', 'jsonb', col => col.notNull())
    .addColumn('eligibility_policy_version', 'text', col => col.notNull().references('case_review_policy.version'))
    .addColumn('threshold_decision', 'text', col => col.check(sql`threshold_decision in ('met', 'not-met')`))
    .addColumn('threshold_route', 'text')
    .addColumn('threshold_reason', 'text')
    .addColumn('discretionary', 'jsonb')
    .addColumn('threshold_policy_version', 'text', col => col.references('case_review_policy.version'))
    .addColumn('threshold_decided_at', 'timestamptz')
    .addColumn('threshold_decided_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('chair_user_id', 'uuid', col => col.references('staff_user.id'))
    .addColumn('chair_appointed_at', 'timestamptz')
    .addColumn('meeting_on', 'date')
    .addColumn('applicant_invited_at', 'timestamptz')
    .addColumn('invitation_note', 'text')
    .addColumn('attendees', 'text')
    .addColumn('minutes', 'text')
    .addColumn('minutes_recorded_at', 'timestamptz')
    .addColumn('minutes_recorded_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('outcome_summary', 'text')
    .addColumn('outcome_at', 'timestamptz')
    .addColumn('outcome_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('letter_html', 'text')
    .addColumn('letter_kind', 'text', col => col.check(sql`letter_kind in ('not-met', 'outcome', 'appeal')`))
    .addColumn('letter_sent_at', 'timestamptz')
    .addColumn('appeal_against', 'text', col => col.check(sql`appeal_against in ('threshold', 'outcome')`))
    .addColumn('appeal_grounds', 'text')
    .addColumn('appeal_received_at', 'timestamptz')
    .addColumn('appeal_decision', 'text', col => col.check(sql`appeal_decision in ('upheld', 'not-upheld')`))
    .addColumn('appeal_reason', 'text')
    .addColumn('appeal_decided_at', 'timestamptz')
    .addColumn('appeal_decided_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('updated_at', 'timestamptz', col => col.notNull())
    .addColumn('version', 'integer', col => col.notNull().defaultTo(1))
    .addCheckConstraint(
      'case_review_consent',
      sql`applicant_type = 'victim' or (consent_confirmed and victim_name is not null)`,
    )
    .addCheckConstraint('case_review_decided', sql`(threshold_decision is null) = (threshold_decided_at is null)`)
    .execute()
  await sql`create index case_review_status_idx on case_review (status, received_at)`.execute(db)
  await sql`create index case_review_report_idx on case_review (report_id) where report_id is not null`.execute(db)
  await sql`create index case_review_case_idx on case_review (case_id) where case_id is not null`.execute(db)

  await db.schema
    .createTable('case_review_information')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('review_id', 'uuid', col => col.notNull().references('case_review.id').onDelete('cascade'))
    .addColumn('partner_id', 'uuid', col => col.notNull().references('partner.id'))
    .addColumn('requested_at', 'timestamptz', col => col.notNull())
    .addColumn('requested_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('due_on', 'date', col => col.notNull())
    .addColumn('response', 'text')
    .addColumn('responded_at', 'timestamptz')
    .addColumn('responded_by', 'uuid', col => col.references('staff_user.id'))
    .addUniqueConstraint('case_review_information_partner', ['review_id', 'partner_id'])
    .execute()

  await db.schema
    .createTable('case_review_recommendation')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('review_id', 'uuid', col => col.notNull().references('case_review.id').onDelete('cascade'))
    .addColumn('text', 'text', col => col.notNull())
    .addColumn('lead_partner_id', 'uuid', col => col.notNull().references('partner.id'))
    .addColumn('owner_user_id', 'uuid', col => col.notNull().references('staff_user.id'))
    .addColumn('due_on', 'date', col => col.notNull())
    .addColumn('update_frequency', 'text', col => col.notNull())
    .addColumn('task_id', 'text')
    .addColumn('created_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .execute()
  await db.schema
    .createIndex('case_review_recommendation_review_idx')
    .on('case_review_recommendation')
    .column('review_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'case_review_recommendation',
    'case_review_information',
    'case_review',
    'case_review_counter',
    'case_review_policy',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
