import { sql, type Kysely } from 'kysely'

/**
 * Casework: ASB cases, their parties (people, addresses, vehicles), the reports they came from, partner shares with a
 * lawful basis, a chronology of everything, owned tasks, letters, allocation rules for the triage queue and the
 * satisfaction check-in after closure. Other modules (risk, powers, panels) refer to `asb_case` and `case_party`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Case references are ASB-<yy>-<nnnnn>, numbered per year.
  await db.schema
    .createTable('case_reference_counter')
    .addColumn('year', 'integer', col => col.primaryKey())
    .addColumn('last', 'integer', col => col.notNull())
    .execute()

  await db.schema
    .createTable('asb_case')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('reference', 'text', col => col.notNull().unique())
    .addColumn('title', 'text', col => col.notNull())
    .addColumn('category', 'text', col => col.notNull())
    .addColumn('sensitivity', 'text', col => col.check(sql`sensitivity in ('domestic-abuse', 'hate', 'safeguarding')`))
    .addColumn('priority', 'text', col => col.notNull().check(sql`priority in ('high', 'medium', 'standard')`))
    .addColumn('status', 'text', col => col.notNull().check(sql`status in ('open', 'closed')`))
    .addColumn('owning_team_id', 'uuid', col => col.notNull().references('team.id'))
    .addColumn('owning_partner_id', 'uuid', col => col.notNull().references('partner.id'))
    .addColumn('lead_officer_id', 'uuid', col => col.references('staff_user.id'))
    .addColumn('ward_code', 'text')
    .addColumn('location', 'text')
    .addColumn('opened_at', 'timestamptz', col => col.notNull())
    .addColumn('review_date', 'date')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('outcome', 'text', col =>
      col.check(sql`outcome in ('resolved', 'no_further_action', 'not_asb', 'referred')`),
    )
    .addColumn('outcome_note', 'text')
    .addColumn('referred_agency', 'text')
    .addColumn('created_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('updated_at', 'timestamptz', col => col.notNull())
    .addColumn('version', 'integer', col => col.notNull().defaultTo(1))
    .addCheckConstraint(
      'asb_case_closed_has_outcome',
      sql`(status = 'closed') = (outcome is not null and closed_at is not null)`,
    )
    .execute()
  await sql`create index asb_case_team_open_idx on asb_case (owning_team_id, status, opened_at)`.execute(db)
  await sql`create index asb_case_partner_idx on asb_case (owning_partner_id, status, opened_at)`.execute(db)
  await sql`create index asb_case_lead_idx on asb_case (lead_officer_id, status) where lead_officer_id is not null`.execute(
    db,
  )

  await db.schema
    .createTable('case_party')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('role', 'text', col =>
      col.notNull().check(sql`role in ('victim', 'complainant', 'perpetrator', 'witness')`),
    )
    .addColumn('kind', 'text', col => col.notNull().check(sql`kind in ('person', 'address', 'vehicle')`))
    .addColumn('name', 'text', col => col.notNull())
    .addColumn('date_of_birth', 'date')
    .addColumn('address', 'text')
    .addColumn('postcode', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('vehicle_registration', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .execute()
  await db.schema.createIndex('case_party_case_idx').on('case_party').columns(['case_id', 'role']).execute()

  await db.schema
    .createTable('case_report')
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('report_id', 'bigint', col => col.notNull().unique().references('report.id'))
    .addColumn('linked_at', 'timestamptz', col => col.notNull())
    .addColumn('linked_by', 'uuid', col => col.references('staff_user.id'))
    .addPrimaryKeyConstraint('case_report_pk', ['case_id', 'report_id'])
    .execute()

  await db.schema
    .createTable('case_share')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('partner_id', 'uuid', col => col.notNull().references('partner.id'))
    .addColumn('lawful_basis', 'text', col => col.notNull())
    .addColumn('consent_status', 'text', col =>
      col.notNull().check(sql`consent_status in ('given', 'not-required', 'refused-overridden', 'not-sought')`),
    )
    .addColumn('note', 'text')
    .addColumn('shared_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('shared_at', 'timestamptz', col => col.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'uuid', col => col.references('staff_user.id'))
    .execute()
  await sql`create unique index case_share_active_idx on case_share (case_id, partner_id) where revoked_at is null`.execute(
    db,
  )
  await sql`create index case_share_partner_idx on case_share (partner_id, case_id) where revoked_at is null`.execute(
    db,
  )

  await db.schema
    .createTable('case_chronology')
    .addColumn('id', 'bigint', col => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('occurred_at', 'timestamptz', col => col.notNull())
    .addColumn('recorded_at', 'timestamptz', col => col.notNull())
    .addColumn('kind', 'text', col => col.notNull())
    .addColumn('summary', 'text', col => col.notNull())
    .addColumn('actor_id', 'uuid', col => col.references('staff_user.id'))
    .addColumn('source_module', 'text', col => col.notNull())
    .addColumn('source_id', 'text')
    .execute()
  await db.schema
    .createIndex('case_chronology_case_idx')
    .on('case_chronology')
    .columns(['case_id', 'occurred_at desc', 'id desc'])
    .execute()

  await db.schema
    .createTable('case_task')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('title', 'text', col => col.notNull())
    .addColumn('owner_user_id', 'uuid', col => col.references('staff_user.id'))
    .addColumn('due_date', 'date', col => col.notNull())
    .addColumn('status', 'text', col => col.notNull().check(sql`status in ('open', 'done', 'cancelled')`))
    .addColumn('source_module', 'text', col => col.notNull())
    .addColumn('source_id', 'text')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('created_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .execute()
  await db.schema.createIndex('case_task_case_idx').on('case_task').columns(['case_id', 'status', 'due_date']).execute()
  await sql`create index case_task_owner_open_idx on case_task (owner_user_id, due_date) where status = 'open'`.execute(
    db,
  )

  await db.schema
    .createTable('case_letter')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('party_id', 'uuid', col => col.references('case_party.id'))
    .addColumn('template', 'text', col => col.notNull())
    .addColumn('html', 'text', col => col.notNull())
    .addColumn('created_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .execute()
  await db.schema.createIndex('case_letter_case_idx').on('case_letter').columns(['case_id', 'created_at']).execute()

  // Triage: which team a new report goes to. The first active rule (lowest position) whose conditions all match wins.
  await db.schema
    .createTable('case_allocation_rule')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('position', 'integer', col => col.notNull())
    .addColumn('category', 'text')
    .addColumn('ward_code', 'text')
    .addColumn('channel', 'text')
    .addColumn('team_id', 'uuid', col => col.notNull().references('team.id'))
    .addColumn('lead_officer_id', 'uuid', col => col.references('staff_user.id'))
    .addColumn('active', 'boolean', col => col.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addColumn('version', 'integer', col => col.notNull().defaultTo(1))
    .execute()

  // A report closed from the triage queue without a case keeps who did it and why (the public reason is on the report).
  await db.schema
    .createTable('report_triage')
    .addColumn('report_id', 'bigint', col => col.primaryKey().references('report.id'))
    .addColumn('decision', 'text', col => col.notNull().check(sql`decision in ('closed', 'referred')`))
    .addColumn('partner_id', 'uuid', col => col.references('partner.id'))
    .addColumn('note', 'text')
    .addColumn('decided_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('decided_at', 'timestamptz', col => col.notNull())
    .execute()

  // Satisfaction check-in after closure: one per closed case and report; the link carries a token stored hashed.
  await db.schema
    .createTable('case_checkin')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('report_id', 'bigint', col => col.notNull().references('report.id'))
    .addColumn('token_hash', 'text', col => col.notNull().unique())
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addColumn('expires_at', 'timestamptz', col => col.notNull())
    .addColumn('answered_at', 'timestamptz')
    .addColumn('satisfaction', 'text', col =>
      col.check(sql`satisfaction in ('very_satisfied', 'satisfied', 'neither', 'dissatisfied', 'very_dissatisfied')`),
    )
    .addColumn('feels_safer', 'text', col => col.check(sql`feels_safer in ('yes', 'no', 'not_sure')`))
    .addColumn('comment', 'text')
    .execute()
  await db.schema.createIndex('case_checkin_case_idx').on('case_checkin').column('case_id').execute()

  // The triage queue: open reports by risk then age.
  await sql`create index report_triage_queue_idx on report (received_at) where status in ('received', 'assessed')`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists report_triage_queue_idx`.execute(db)
  for (const table of [
    'case_checkin',
    'report_triage',
    'case_allocation_rule',
    'case_letter',
    'case_task',
    'case_chronology',
    'case_share',
    'case_report',
    'case_party',
    'asb_case',
    'case_reference_counter',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
