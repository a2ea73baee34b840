import { sql, type Kysely } from 'kysely'

/**
 * Victim risk assessments (src/modules/risk): one row per assessment of a victim on a case, with the answers, the
 * score, the level the policy gave and the level decided (professional judgement, with its reason), the policy
 * version, and the review date. `risk_policy` keeps each policy document the first time it is used. Community
 * MARAC referrals made from a high-risk assessment wait in `risk_marac_referral` for the panels module.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('risk_policy')
    .addColumn('version', 'text', col => col.primaryKey())
    .addColumn('document', 'jsonb', col => col.notNull())
    .addColumn('first_used_at', 'timestamptz', col => col.notNull())
    .execute()

  await db.schema
    .createTable('risk_assessment')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('party_id', 'uuid', col => col.notNull().references('case_party.id').onDelete('cascade'))
    .addColumn('policy_version', 'text', col => col.notNull().references('risk_policy.version'))
    .addColumn('answers', 'jsonb', col => col.notNull())
    .addColumn('score', 'integer', col => col.notNull())
    .addColumn('computed_level', 'text', col =>
      col.notNull().check(sql`computed_level in ('standard', 'medium', 'high')`),
    )
    .addColumn('level', 'text', col => col.notNull().check(sql`level in ('standard', 'medium', 'high')`))
    .addColumn('red_flags', 'jsonb', col => col.notNull())
    .addColumn('override_reason', 'text')
    .addColumn('triggers', 'jsonb', col => col.notNull())
    .addColumn('notes', 'text')
    .addColumn('assessed_on', 'date', col => col.notNull())
    .addColumn('review_due', 'date', col => col.notNull())
    .addColumn('marac_prompted', 'boolean', col => col.notNull())
    .addColumn('assessed_by', 'uuid', col => col.notNull().references('staff_user.id'))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addColumn('submission_id', 'uuid', col => col.notNull().unique())
    .addCheckConstraint(
      'risk_assessment_override_reason',
      sql`level = computed_level or (override_reason is not null and length(override_reason) > 0)`,
    )
    .execute()
  await db.schema
    .createIndex('risk_assessment_party_idx')
    .on('risk_assessment')
    .columns(['party_id', 'created_at desc'])
    .execute()
  await db.schema
    .createIndex('risk_assessment_case_idx')
    .on('risk_assessment')
    .columns(['case_id', 'created_at'])
    .execute()

  await db.schema
    .createTable('risk_marac_referral')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('assessment_id', 'uuid', col => col.notNull().unique().references('risk_assessment.id'))
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('party_id', 'uuid', col => col.notNull().references('case_party.id').onDelete('cascade'))
    .addColumn('status', 'text', col =>
      col.notNull().check(sql`status in ('pending', 'accepted', 'declined', 'heard', 'withdrawn')`),
    )
    .addColumn('reason', 'text', col => col.notNull())
    .addColumn('referred_by', 'uuid', col => col.notNull().references('staff_user.id'))
    .addColumn('referred_at', 'timestamptz', col => col.notNull())
    .addColumn('panel_reference', 'text')
    .addColumn('updated_at', 'timestamptz', col => col.notNull())
    .execute()
  await sql`create index risk_marac_referral_pending_idx on risk_marac_referral (referred_at) where status = 'pending'`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['risk_marac_referral', 'risk_assessment', 'risk_policy']) {
    await db.schema.dropTable(table).execute()
  }
}
