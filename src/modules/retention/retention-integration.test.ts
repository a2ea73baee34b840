/**
 * The retention schedule on a real database: old and recent records of every type, a dry run (counts, nothing
 * changed), a real run in batches (due records anonymised or deleted, recent ones untouched, evidence gone with its
 * report, one audit event), and a second run that finds nothing.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import { sql } from 'kysely'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff } from '../../../test/helpers/staff.js'
import { testConfig } from '../../config.js'
import { systemActor } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import type { IntakeInput } from '../reporting/index.js'
import { createRetention, describeRun, RETENTION_AUDIT_ACTION, type RetentionResult } from './index.js'

const NOW = '2026-11-20T10:00:00Z'
const clock = fixedClock(NOW)
const citizen = { type: 'anonymous' as const, id: null }

function report(description: string, email: string | null = null): IntakeInput {
  return {
    channel: 'web',
    category: 'noise_music',
    location: { postcode: 'E1 0AA' },
    occurredOn: '2020-01-01',
    pattern: 'one_off',
    description,
    impact: {
      reporterRole: 'victim',
      howOften: 'first_time',
      unsafeAtHome: 'no',
      healthAffected: 'no',
      targeted: 'no',
      characteristics: [],
    },
    reporter: email
      ? { mode: 'named', name: 'Ada Resident', email, contactPreference: 'email', consentToShare: true }
      : { mode: 'named', name: 'Ada Resident', phone: '07700900123', contactPreference: 'none', consentToShare: true },
  }
}

const counts = (result: RetentionResult) => Object.fromEntries(result.lines.map(line => [line.type, line.count]))

describe('Integration: retention schedule', () => {
  let t: TestApp
  let auditPurgeInstalled = false
  const ids = {
    oldCase: '',
    recentCase: '',
    recentCaseReport: 0,
    oldCaseReport: 0,
    oldCaseTrackingCode: '',
    oldCaseReference: '',
    oldReports: [] as number[],
    recentReport: 0,
    openOldReport: 0,
    sentLongAgo: 0,
    sentRecently: 0,
    oldDraft: '',
    recentDraft: '',
    oldAudit: 0,
  }

  async function addEvidence(target: { reportId?: number; draftId?: string }) {
    await t.deps.database.db
      .insertInto('report_evidence')
      .values({
        id: randomUUID(),
        draft_id: target.draftId ?? null,
        report_id: target.reportId ?? null,
        kind: 'photo',
        content_type: 'image/png',
        file_name: 'photo.png',
        size_bytes: 3,
        sha256: 'x',
        width: 1,
        height: 1,
        content: Buffer.from('png'),
        created_at: clock.now(),
      })
      .execute()
  }

  async function closedCase(openedAt: string, closedAt: string, teamId: string, partnerId: string) {
    clock.set(openedAt)
    const submitted = await t.deps.reporting.intake.submit(report('Music from the flat of Perry Neighbour'), citizen)
    await addEvidence({ reportId: submitted.report.id })
    const opened = await t.deps.casework.openCase(
      {
        title: 'Noise from 12 Acacia Avenue',
        category: 'noise_music',
        priority: 'standard',
        sensitivity: null,
        owningTeamId: teamId,
        owningPartnerId: partnerId,
        leadOfficerId: null,
        wardCode: submitted.report.wardCode,
        location: '12 Acacia Avenue',
        reportIds: [submitted.report.id],
      },
      systemActor,
    )
    const row = await t.deps.casework.repository.caseById(opened.id)
    assert.ok(row)
    await t.deps.casework.addParty(
      row,
      { role: 'perpetrator', kind: 'person', name: 'Perry Neighbour', phone: '07700900999', address: '12 Acacia' },
      systemActor,
    )
    await t.deps.casework.addChronology(opened.id, { kind: 'note', summary: 'Spoke to Perry Neighbour' }, systemActor)
    clock.set(closedAt)
    const fresh = await t.deps.casework.repository.caseById(opened.id)
    assert.ok(fresh)
    await t.deps.casework.close(fresh, fresh.version, { outcome: 'resolved', publicNote: 'It stopped.' }, systemActor)
    return { caseId: opened.id, reportId: submitted.report.id, submitted }
  }

  async function closedReport(at: string, description: string) {
    clock.set(at)
    const submitted = await t.deps.reporting.intake.submit(report(description), citizen)
    await t.deps.reporting.reports.changeStatus(
      submitted.report.reference,
      { status: 'closed', closureReason: 'resolved', publicNote: 'Sorted out.' },
      systemActor,
    )
    return submitted.report.id
  }

  async function sentMessage(at: string) {
    clock.set(at)
    const submitted = await t.deps.reporting.intake.submit(report('Shouting', 'ada@example.org'), citizen)
    assert.equal((await t.deps.reporting.notifications.drain()).sent, 1)
    const [row] = await t.deps.reporting.repository.outboxFor(submitted.report.id)
    assert.ok(row)
    return row.id
  }

  async function draft(at: string) {
    const id = randomUUID()
    await t.deps.database.db
      .insertInto('report_draft')
      .values({
        id,
        answers: JSON.stringify({ description: 'half-written' }),
        created_at: new Date(at),
        expires_at: new Date(Date.parse(at) + 86_400_000),
      })
      .execute()
    return id
  }

  /** Everything a run could change, to compare before and after a dry run. */
  async function snapshot() {
    const db = t.deps.database.db
    return JSON.stringify({
      reports: await db.selectFrom('report').selectAll().orderBy('id').execute(),
      cases: await db.selectFrom('asb_case').selectAll().orderBy('id').execute(),
      parties: await db.selectFrom('case_party').selectAll().orderBy('id').execute(),
      chronology: await db.selectFrom('case_chronology').selectAll().orderBy('id').execute(),
      evidence: await db.selectFrom('report_evidence').select('id').orderBy('id').execute(),
      outbox: await db.selectFrom('notification_outbox').selectAll().orderBy('id').execute(),
      drafts: await db.selectFrom('report_draft').select('id').orderBy('id').execute(),
      audit: await db.selectFrom('audit_event').select('id').orderBy('id').execute(),
    })
  }

  before(async () => {
    t = await buildTestApp({ clock })
    const { rows } = await sql<{
      installed: boolean
    }>`select to_regprocedure('audit_event_purge(timestamptz)') is not null as installed`.execute(t.deps.database.db)
    auditPurgeInstalled = rows[0]?.installed === true

    // Audit: one event from 2018, more than 7 years ago (everything else is from 2020 on). It is written first: the
    // audit trail is a hash chain, and a purge removes only its oldest end, up to the first event inside the period.
    const audit = await t.deps.database.db
      .insertInto('audit_event')
      .values({
        occurred_at: new Date('2018-01-01T00:00:00Z'),
        actor_type: 'system',
        action: 'test.old-event',
        details: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.oldAudit = audit.id
    await createStaff(t.deps, { roles: ['officer'], teamCode: 'asb-retention' })
    const team = await t.deps.accounts.repository.teamByCode('asb-retention')
    assert.ok(team)
    // Closed in March 2020: more than 6 years before NOW. Closed in 2025: not yet.
    const old = await closedCase('2020-03-01T10:00:00Z', '2020-03-10T10:00:00Z', team.id, team.partner_id)
    ids.oldCase = old.caseId
    ids.oldCaseReport = old.reportId
    ids.oldCaseTrackingCode = old.submitted.trackingCode ?? ''
    ids.oldCaseReference = old.submitted.report.reference
    const recent = await closedCase('2025-05-01T10:00:00Z', '2025-06-01T10:00:00Z', team.id, team.partner_id)
    ids.recentCase = recent.caseId
    ids.recentCaseReport = recent.reportId
    // Closed reports on no case: two last changed in 2023 (due after 2 years), one in 2025 (not due).
    ids.oldReports = [
      await closedReport('2023-01-10T10:00:00Z', 'Dog barking at number 4'),
      await closedReport('2023-02-10T10:00:00Z', 'Fireworks in the park'),
    ]
    await addEvidence({ reportId: ids.oldReports[0] })
    ids.recentReport = await closedReport('2025-06-10T10:00:00Z', 'Skateboarding at night')
    await addEvidence({ reportId: ids.recentReport })
    // Still open after years: never anonymised by the schedule.
    clock.set('2023-01-10T10:00:00Z')
    ids.openOldReport = (await t.deps.reporting.intake.submit(report('Still going on'), citizen)).report.id
    // Outbox: sent in July (more than 90 days ago) and yesterday.
    ids.sentLongAgo = await sentMessage('2026-07-01T10:00:00Z')
    ids.sentRecently = await sentMessage('2026-11-19T10:00:00Z')
    // Drafts: started in September (over 30 days ago) with a file, and last week.
    ids.oldDraft = await draft('2026-09-01T10:00:00Z')
    await addEvidence({ draftId: ids.oldDraft })
    ids.recentDraft = await draft('2026-11-15T10:00:00Z')
    clock.set(NOW)
  })
  after(async () => {
    await t.close()
  })

  it('counts what is due per type in a dry run and changes nothing', async () => {
    const before = await snapshot()
    const result = await t.deps.retention.run({ dryRun: true })
    assert.equal(result.dryRun, true)
    assert.deepEqual(counts(result), {
      closedCases: 1,
      unlinkedReports: 2,
      evidenceFiles: 3,
      sentNotifications: 1,
      reportDrafts: 1,
      audit: 1,
    })
    assert.equal(await snapshot(), before, 'a dry run changes nothing, and is not audited')
    const printed = describeRun(result)
    assert.match(printed[0] ?? '', /Dry run/)
    assert.ok(printed.includes('closedCases: would anonymise 1 closed ASB cases (before 2020-11-20)'))
    assert.ok(printed.some(line => /sentNotifications: would delete 1 .*\(before 2026-08-22\)/.test(line)))
  })

  it('anonymises and deletes what is due, in batches, leaves the rest, and audits the run', async () => {
    const db = t.deps.database.db
    // Batches of one: every type takes more than one transaction.
    const retention = createRetention({
      db,
      audit: t.deps.audit,
      clock,
      retention: testConfig().retention,
      batchSize: 1,
    })
    const result = await retention.run()
    assert.equal(result.dryRun, false)
    const { audit: purged, ...done } = counts(result)
    assert.deepEqual(done, {
      closedCases: 1,
      unlinkedReports: 2,
      evidenceFiles: 3,
      sentNotifications: 1,
      reportDrafts: 1,
    })

    // The old case: who and what gone, the figures kept.
    const oldCase = await db.selectFrom('asb_case').selectAll().where('id', '=', ids.oldCase).executeTakeFirstOrThrow()
    assert.equal(oldCase.title, '[redacted]')
    assert.equal(oldCase.location, null)
    assert.ok(oldCase.anonymised_at)
    assert.equal(oldCase.category, 'noise_music')
    assert.equal(oldCase.outcome, 'resolved')
    assert.equal(oldCase.status, 'closed')
    const parties = await db.selectFrom('case_party').selectAll().where('case_id', '=', ids.oldCase).execute()
    assert.equal(parties.length, 1)
    assert.deepEqual(
      parties.map(party => [party.role, party.name, party.phone, party.address]),
      [['perpetrator', '[redacted]', null, null]],
    )
    const chronology = await db.selectFrom('case_chronology').selectAll().where('case_id', '=', ids.oldCase).execute()
    assert.ok(chronology.length > 0)
    assert.ok(chronology.every(entry => entry.summary === '[redacted]'))
    // Its report goes with it: anonymised, its file deleted, its tracking page gone.
    const caseReport = await db
      .selectFrom('report')
      .selectAll()
      .where('id', '=', ids.oldCaseReport)
      .executeTakeFirstOrThrow()
    assert.equal(caseReport.description, '[redacted]')
    assert.equal(caseReport.reporter_name, null)
    assert.equal(caseReport.reporter_phone, null)
    assert.equal(caseReport.latitude, null)
    assert.equal(caseReport.category, 'noise_music')
    assert.equal(caseReport.ward_code, 'E05009332')
    const tracking = await t.app.inject({
      method: 'GET',
      url: `/track/${ids.oldCaseReference}/${ids.oldCaseTrackingCode}`,
    })
    assert.equal(tracking.statusCode, 404)
    const evidenceLeft = await db
      .selectFrom('report_evidence')
      .select(['report_id', 'draft_id'])
      .orderBy('report_id')
      .execute()
    assert.deepEqual(evidenceLeft, [
      { report_id: ids.recentCaseReport, draft_id: null },
      { report_id: ids.recentReport, draft_id: null },
    ])
    assert.doesNotMatch(
      JSON.stringify(await db.selectFrom('asb_case').selectAll().where('id', '=', ids.oldCase).execute()) +
        JSON.stringify(parties) +
        JSON.stringify(caseReport),
      /Perry|Acacia|07700900/,
    )

    // The old reports on no case are anonymised; the recent one, the open one and the recent case are untouched.
    const reports = await db
      .selectFrom('report')
      .select(['id', 'description', 'reporter_name', 'anonymised_at'])
      .where('id', 'in', [...ids.oldReports, ids.recentReport, ids.openOldReport])
      .orderBy('id')
      .execute()
    assert.deepEqual(
      reports.map(row => [row.description, row.reporter_name, row.anonymised_at !== null]),
      [
        ['[redacted]', null, true],
        ['[redacted]', null, true],
        ['Skateboarding at night', 'Ada Resident', false],
        ['Still going on', 'Ada Resident', false],
      ],
    )
    const recentCase = await db
      .selectFrom('asb_case')
      .selectAll()
      .where('id', '=', ids.recentCase)
      .executeTakeFirstOrThrow()
    assert.equal(recentCase.title, 'Noise from 12 Acacia Avenue')
    assert.equal(recentCase.anonymised_at, null)
    const recentParties = await db
      .selectFrom('case_party')
      .select('name')
      .where('case_id', '=', ids.recentCase)
      .execute()
    assert.deepEqual(recentParties, [{ name: 'Perry Neighbour' }])

    // Outbox and drafts: the old ones deleted, the recent ones kept.
    const outbox = await db.selectFrom('notification_outbox').select('id').orderBy('id').execute()
    assert.ok(!outbox.some(row => row.id === ids.sentLongAgo))
    assert.ok(outbox.some(row => row.id === ids.sentRecently))
    const drafts = await db.selectFrom('report_draft').select('id').execute()
    assert.deepEqual(drafts, [{ id: ids.recentDraft }])

    // One audit event for the run, with the counts and no personal data.
    const events = await db.selectFrom('audit_event').selectAll().where('action', '=', RETENTION_AUDIT_ACTION).execute()
    assert.equal(events.length, 1)
    const details = events[0]?.details as { counts: Record<string, number>; periods: Record<string, string> }
    assert.equal(details.counts.closedCases, 1)
    assert.equal(details.counts.unlinkedReports, 2)
    assert.equal(details.counts.evidenceFiles, 3)
    assert.deepEqual(details.periods, {
      closedCases: '6y',
      unlinkedReports: '2y',
      sentNotifications: '90d',
      reportDrafts: '30d',
      audit: '7y',
    })
    assert.doesNotMatch(JSON.stringify(events), /Perry|Acacia|Ada|ASB-/)

    // Audit events: purged through audit's own function (migration 0700), when it is installed.
    const oldAudit = await db.selectFrom('audit_event').select('id').where('id', '=', ids.oldAudit).execute()
    if (auditPurgeInstalled) {
      assert.equal(purged, 1)
      assert.deepEqual(oldAudit, [])
    } else {
      // Skipped ONLY because audit_event_purge(timestamptz) (migration 0700, another branch) is not in this database.
      assert.equal(oldAudit.length, 1)
      assert.match(result.lines.find(line => line.type === 'audit')?.skipped ?? '', /audit_event_purge/)
      process.stdout.write(
        '# SKIPPED assertion: audit_event_purge(timestamptz) is not installed here; audit rows were not purged\n',
      )
    }
  })

  it('finds nothing to do on a second run', async () => {
    const dry = counts(await t.deps.retention.run({ dryRun: true }))
    const again = counts(await t.deps.retention.run())
    for (const result of [dry, again]) {
      const { audit, ...rest } = result
      assert.deepEqual(rest, {
        closedCases: 0,
        unlinkedReports: 0,
        evidenceFiles: 0,
        sentNotifications: 0,
        reportDrafts: 0,
      })
      if (auditPurgeInstalled) assert.equal(audit, 0)
    }
  })
})
