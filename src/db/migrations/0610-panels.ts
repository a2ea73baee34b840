import { sql, type Kysely } from 'kysely'

/**
 * Multi-agency panels (src/modules/panels): panel types as configuration rows (Community MARAC, DA MARAC, Hate
 * Incident Panel, ASB Case Review panel, Tension Monitoring Group) with their member partners; referrals onto a
 * panel; meetings with attendance by partner; an agenda built from open referrals; minutes per agenda item; owned
 * actions with due dates (mirrored as case tasks); DASH-based MARAC referral records with the safe-contact details
 * kept in a table of their own; the Tension Monitoring Group's tension log; and recorded hate incidents.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('panel_type')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('code', 'text', col => col.notNull().unique())
    .addColumn('kind', 'text', col =>
      col
        .notNull()
        .check(sql`kind in ('community-marac', 'da-marac', 'hate-incident', 'case-review', 'tension-monitoring')`),
    )
    .addColumn('name', 'text', col => col.notNull())
    .addColumn('purpose', 'text', col => col.notNull())
    .addColumn('referral_criteria', 'text', col => col.notNull())
    .addColumn('meeting_cadence', 'text', col => col.notNull())
    .addColumn('minutes_restriction', 'text', col =>
      col.notNull().check(sql`minutes_restriction in ('members', 'attendees')`),
    )
    .addColumn('not_for_perpetrator', 'boolean', col => col.notNull().defaultTo(true))
    .addColumn('position', 'integer', col => col.notNull())
    .addColumn('active', 'boolean', col => col.notNull().defaultTo(true))
    .addColumn('updated_at', 'timestamptz', col => col.notNull())
    .addColumn('version', 'integer', col => col.notNull().defaultTo(1))
    .execute()

  // The five panels a CSP runs, as editable configuration; which partners sit on each is set on the settings page
  // (the demo seeder sets the demo borough's).
  const panels: [string, string, string, string, string, string, 'members' | 'attendees'][] = [
    [
      'community-marac',
      'community-marac',
      'Community MARAC',
      'Multi-agency risk management for vulnerable or high-risk victims of anti-social behaviour, and for vulnerable perpetrators.',
      'A victim assessed as high risk, or a victim or perpetrator who is vulnerable and would benefit from a multi-agency action plan; escalation in frequency or severity.',
      'Monthly, second Thursday',
      'attendees',
    ],
    [
      'da-marac',
      'da-marac',
      'Domestic abuse MARAC',
      'Multi-agency risk assessment conference for high-risk victims of domestic abuse.',
      'Visible high risk (14 or more risk indicators), professional judgement, potential escalation (3 or more police call-outs in 12 months) or a repeat within 12 months of the last MARAC.',
      'Fortnightly, Tuesday',
      'attendees',
    ],
    [
      'hate-incident-panel',
      'hate-incident',
      'Hate Incident Panel',
      'Reviews hate incidents and crimes, supports victims and agrees partnership actions.',
      'Any hate incident or hate crime (race, religion, disability, sexual orientation, transgender identity) that needs a partnership response.',
      'Monthly, first Wednesday',
      'members',
    ],
    [
      'case-review',
      'case-review',
      'ASB Case Review panel',
      'Carries out ASB Case Reviews (the Community Trigger) under section 104 of the Anti-social Behaviour, Crime and Policing Act 2014.',
      'An application for an ASB Case Review that meets the threshold, or is accepted on the discretionary route.',
      'As needed, within the outcome time limit',
      'members',
    ],
    [
      'tension-monitoring',
      'tension-monitoring',
      'Tension Monitoring Group',
      'Monitors community tensions across the borough (evidenced, experienced, potential) and agrees actions.',
      'Ward-level tension information from partners, the community, councillors and social media.',
      'Weekly, Monday',
      'members',
    ],
  ]
  for (const [index, [code, kind, name, purpose, criteria, cadence, restriction]] of panels.entries()) {
    await sql`insert into panel_type (code, kind, name, purpose, referral_criteria, meeting_cadence, minutes_restriction, position, updated_at)
      values (${code}, ${kind}, ${name}, ${purpose}, ${criteria}, ${cadence}, ${restriction}, ${index + 1}, now())`.execute(
      db,
    )
  }

  await db.schema
    .createTable('panel_member_partner')
    .addColumn('panel_id', 'uuid', col => col.notNull().references('panel_type.id').onDelete('cascade'))
    .addColumn('partner_id', 'uuid', col => col.notNull().references('partner.id'))
    .addPrimaryKeyConstraint('panel_member_partner_pk', ['panel_id', 'partner_id'])
    .execute()
  await db.schema.createIndex('panel_member_partner_idx').on('panel_member_partner').column('partner_id').execute()

  await db.schema
    .createTable('panel_referral')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('panel_id', 'uuid', col => col.notNull().references('panel_type.id'))
    .addColumn('case_id', 'uuid', col => col.references('asb_case.id').onDelete('cascade'))
    .addColumn('party_id', 'uuid', col => col.references('case_party.id').onDelete('set null'))
    .addColumn('subject', 'text', col => col.notNull())
    .addColumn('reason', 'text', col => col.notNull())
    .addColumn('criteria', 'jsonb', col => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('ward_code', 'text')
    .addColumn('source_module', 'text', col => col.notNull())
    .addColumn('source_id', 'text')
    .addColumn('status', 'text', col => col.notNull().check(sql`status in ('open', 'closed', 'withdrawn')`))
    .addColumn('outcome', 'text')
    .addColumn('referred_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('referring_partner_id', 'uuid', col => col.references('partner.id'))
    .addColumn('referred_at', 'timestamptz', col => col.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('submission_id', 'uuid', col => col.unique())
    .execute()
  await sql`create unique index panel_referral_source_idx on panel_referral (panel_id, source_module, source_id) where source_id is not null`.execute(
    db,
  )
  await sql`create index panel_referral_open_idx on panel_referral (panel_id, referred_at) where status = 'open'`.execute(
    db,
  )
  await db.schema
    .createIndex('panel_referral_case_idx')
    .on('panel_referral')
    .columns(['case_id', 'referred_at'])
    .execute()
  await db.schema.createIndex('panel_referral_party_idx').on('panel_referral').column('party_id').execute()

  await db.schema
    .createTable('panel_meeting')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('panel_id', 'uuid', col => col.notNull().references('panel_type.id'))
    .addColumn('meets_on', 'date', col => col.notNull())
    .addColumn('chair', 'text', col => col.notNull())
    .addColumn('location', 'text')
    .addColumn('created_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addColumn('submission_id', 'uuid', col => col.unique())
    .execute()
  await db.schema.createIndex('panel_meeting_panel_idx').on('panel_meeting').columns(['panel_id', 'meets_on']).execute()

  await db.schema
    .createTable('panel_attendance')
    .addColumn('meeting_id', 'uuid', col => col.notNull().references('panel_meeting.id').onDelete('cascade'))
    .addColumn('partner_id', 'uuid', col => col.notNull().references('partner.id'))
    .addColumn('present', 'boolean', col => col.notNull())
    .addColumn('representative', 'text')
    .addPrimaryKeyConstraint('panel_attendance_pk', ['meeting_id', 'partner_id'])
    .execute()

  await db.schema
    .createTable('panel_agenda_item')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('meeting_id', 'uuid', col => col.notNull().references('panel_meeting.id').onDelete('cascade'))
    .addColumn('referral_id', 'uuid', col => col.notNull().references('panel_referral.id').onDelete('cascade'))
    .addColumn('position', 'integer', col => col.notNull())
    .addColumn('added_at', 'timestamptz', col => col.notNull())
    .addUniqueConstraint('panel_agenda_item_unique', ['meeting_id', 'referral_id'])
    .execute()
  await db.schema.createIndex('panel_agenda_item_referral_idx').on('panel_agenda_item').column('referral_id').execute()

  await db.schema
    .createTable('panel_minute')
    .addColumn('agenda_item_id', 'uuid', col => col.primaryKey().references('panel_agenda_item.id').onDelete('cascade'))
    .addColumn('text', 'text', col => col.notNull())
    .addColumn('recorded_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('recorded_at', 'timestamptz', col => col.notNull())
    .addColumn('version', 'integer', col => col.notNull().defaultTo(1))
    .execute()

  await db.schema
    .createTable('panel_action')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('panel_id', 'uuid', col => col.notNull().references('panel_type.id'))
    .addColumn('agenda_item_id', 'uuid', col => col.notNull().references('panel_agenda_item.id').onDelete('cascade'))
    .addColumn('referral_id', 'uuid', col => col.notNull().references('panel_referral.id').onDelete('cascade'))
    .addColumn('case_id', 'uuid', col => col.references('asb_case.id').onDelete('cascade'))
    .addColumn('title', 'text', col => col.notNull())
    .addColumn('owner_user_id', 'uuid', col => col.notNull().references('staff_user.id'))
    .addColumn('due_date', 'date', col => col.notNull())
    .addColumn('case_task_id', 'uuid')
    .addColumn('created_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addColumn('submission_id', 'uuid', col => col.notNull().unique())
    .execute()
  await db.schema.createIndex('panel_action_item_idx').on('panel_action').column('agenda_item_id').execute()
  await db.schema.createIndex('panel_action_referral_idx').on('panel_action').column('referral_id').execute()

  // DASH-based MARAC referral records: topic answers, score, criteria met, the policy version that decided them.
  await db.schema
    .createTable('marac_dash')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', col => col.notNull().references('asb_case.id').onDelete('cascade'))
    .addColumn('party_id', 'uuid', col => col.notNull().references('case_party.id').onDelete('cascade'))
    .addColumn('policy_version', 'text', col => col.notNull())
    .addColumn('form_version', 'text', col => col.notNull())
    .addColumn('answers', 'jsonb', col => col.notNull())
    .addColumn('score', 'integer', col => col.notNull())
    .addColumn('computed_level', 'text', col =>
      col.notNull().check(sql`computed_level in ('standard', 'medium', 'high')`),
    )
    .addColumn('judgement_reasons', 'text')
    .addColumn('callout_dates', 'jsonb', col => col.notNull())
    .addColumn('callouts_in_window', 'integer', col => col.notNull())
    .addColumn('incident_on', 'date', col => col.notNull())
    .addColumn('last_marac_on', 'date')
    .addColumn('criteria', 'jsonb', col => col.notNull())
    .addColumn('referred', 'boolean', col => col.notNull())
    .addColumn('referral_id', 'uuid', col => col.references('panel_referral.id').onDelete('set null'))
    .addColumn('assessed_by', 'uuid', col => col.notNull().references('staff_user.id'))
    .addColumn('assessed_on', 'date', col => col.notNull())
    .addColumn('created_at', 'timestamptz', col => col.notNull())
    .addColumn('submission_id', 'uuid', col => col.notNull().unique())
    .execute()
  await db.schema.createIndex('marac_dash_party_idx').on('marac_dash').columns(['party_id', 'created_at']).execute()

  // Safe-contact details: a table of their own so no query that builds a case page, chronology, agenda, minutes or
  // export can pick them up by accident (docs/panels.md "Safe contact").
  await db.schema
    .createTable('marac_safe_contact')
    .addColumn('dash_id', 'uuid', col => col.primaryKey().references('marac_dash.id').onDelete('cascade'))
    .addColumn('safe_phone', 'text')
    .addColumn('safe_email', 'text')
    .addColumn('safe_times', 'text')
    .addColumn('avoid', 'text')
    .addColumn('recorded_by', 'uuid', col => col.notNull().references('staff_user.id'))
    .addColumn('recorded_at', 'timestamptz', col => col.notNull())
    .execute()

  await db.schema
    .createTable('tension_entry')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ward_code', 'text', col => col.notNull())
    .addColumn('reported_on', 'date', col => col.notNull())
    .addColumn('category', 'text', col =>
      col.notNull().check(sql`category in ('evidenced', 'experienced', 'potential')`),
    )
    .addColumn('level', 'integer', col => col.notNull().check(sql`level between 1 and 6`))
    .addColumn('sources', 'jsonb', col => col.notNull())
    .addColumn('summary', 'text', col => col.notNull())
    .addColumn('actions', 'text')
    .addColumn('recorded_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('recorded_at', 'timestamptz', col => col.notNull())
    .addColumn('submission_id', 'uuid', col => col.notNull().unique())
    .execute()
  await db.schema
    .createIndex('tension_entry_date_idx')
    .on('tension_entry')
    .columns(['reported_on', 'ward_code'])
    .execute()

  await db.schema
    .createTable('hate_incident')
    .addColumn('id', 'uuid', col => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', col => col.references('asb_case.id').onDelete('cascade'))
    .addColumn('report_id', 'bigint', col => col.references('report.id'))
    .addColumn('occurred_on', 'date', col => col.notNull())
    .addColumn('ward_code', 'text')
    .addColumn('characteristics', 'jsonb', col => col.notNull())
    .addColumn('crime', 'boolean', col => col.notNull())
    .addColumn('summary', 'text', col => col.notNull())
    .addColumn('referral_id', 'uuid', col => col.references('panel_referral.id').onDelete('set null'))
    .addColumn('recorded_by', 'uuid', col => col.references('staff_user.id'))
    .addColumn('recorded_at', 'timestamptz', col => col.notNull())
    .addColumn('submission_id', 'uuid', col => col.notNull().unique())
    .execute()
  await db.schema
    .createIndex('hate_incident_date_idx')
    .on('hate_incident')
    .columns(['occurred_on', 'ward_code'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'hate_incident',
    'tension_entry',
    'marac_safe_contact',
    'marac_dash',
    'panel_action',
    'panel_minute',
    'panel_agenda_item',
    'panel_attendance',
    'panel_meeting',
    'panel_referral',
    'panel_member_partner',
    'panel_type',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
