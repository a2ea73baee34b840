/**
 * Subject access and erasure on the seeded demo borough. The demo resident demo.resident2@example.org made 12
 * reports, two of which became open cases where they are the complainant, and was sent messages about them.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { Command, CommanderError } from 'commander'
import { sql } from 'kysely'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { pdfText } from '../../../test/helpers/pdf-text.js'
import {
  auditSubject,
  ERASURE_INCOMPLETE_EXIT_CODE,
  registerPrivacyCommands,
  type SubjectAccessBundle,
} from './index.js'

const RESIDENT = 'demo.resident2@example.org'
const operator = { type: 'system' as const, id: 'test' }

describe('Integration: subject access and erasure', () => {
  let t: TestApp
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-sar-'))
  const evidenceBytes = Buffer.from('fake-jpeg-bytes-for-the-bundle')

  before(async () => {
    t = await buildTestApp({ seedDemo: true })
    const db = t.deps.database.db
    // An evidence file on one of the resident's reports, and an unfinished report they started.
    const report = await db
      .selectFrom('report')
      .select('id')
      .where('reporter_email', '=', RESIDENT)
      .orderBy('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('report_evidence')
      .values({
        id: randomUUID(),
        report_id: report.id,
        kind: 'photo',
        content_type: 'image/jpeg',
        file_name: 'stairwell.jpg',
        size_bytes: evidenceBytes.length,
        sha256: 'x'.repeat(64),
        width: 10,
        height: 10,
        content: evidenceBytes,
        created_at: new Date('2026-11-01T10:00:00Z'),
      })
      .execute()
    await db
      .insertInto('report_draft')
      .values({
        id: randomUUID(),
        answers: JSON.stringify({ name: 'Priya Ahmed', email: RESIDENT, category: 'noise_music' }),
        report_id: null,
        created_at: new Date('2026-11-19T10:00:00Z'),
        expires_at: new Date('2026-11-20T10:00:00Z'),
      })
      .execute()
  })

  after(async () => {
    await t.close()
    fs.rmSync(work, { recursive: true, force: true })
  })

  async function exportFor(email: string, name: string) {
    const outDir = path.join(work, name)
    const result = await t.deps.privacy.exportTo(
      { kind: 'email', email },
      { outDir, actor: operator, request: 'DPA-1' },
    )
    const bundle = JSON.parse(fs.readFileSync(path.join(outDir, 'bundle.json'), 'utf8')) as SubjectAccessBundle
    return { outDir, result, bundle, text: fs.readFileSync(path.join(outDir, 'bundle.json'), 'utf8') }
  }

  it('exports every report and case of a demo resident as JSON and PDF, other people redacted', async () => {
    const db = t.deps.database.db
    const { outDir, bundle, text } = await exportFor(RESIDENT, 'resident2')

    const reports = await db
      .selectFrom('report')
      .select(['id', 'reference', 'reporter_name'])
      .where('reporter_email', '=', RESIDENT)
      .orderBy('received_at')
      .execute()
    assert.equal(reports.length, 12)
    assert.deepEqual(
      bundle.reports.map(report => report.reference),
      reports.map(report => report.reference),
    )
    const cases = await db
      .selectFrom('case_report')
      .innerJoin('asb_case', 'asb_case.id', 'case_report.case_id')
      .select(['asb_case.id', 'asb_case.reference'])
      .where(
        'case_report.report_id',
        'in',
        reports.map(report => report.id),
      )
      .orderBy('asb_case.opened_at')
      .execute()
    assert.equal(cases.length, 2)
    assert.deepEqual(
      bundle.cases.map(item => item.reference),
      cases.map(item => item.reference),
    )
    const name = reports[0]?.reporter_name ?? ''
    for (const item of bundle.cases) {
      assert.equal(item.yourPartyRecords[0]?.name, name, 'their own party record')
      assert.ok(item.otherParties.length > 0 && item.otherParties.every(party => party.name === '[redacted]'))
      assert.ok(item.chronology.some(entry => entry.kind === 'opened'))
    }
    assert.ok(bundle.notifications.length > 0 && bundle.notifications.every(message => message.recipient === RESIDENT))
    assert.equal(bundle.drafts.length, 1)

    // Nobody else: other residents' emails and names, other parties on their cases, staff names.
    const others = await db
      .selectFrom('report')
      .select(['reporter_name', 'reporter_email'])
      .where(eb => eb.or([eb('reporter_email', '<>', RESIDENT), eb('reporter_email', 'is', null)]))
      .where('reporter_name', 'is not', null)
      .execute()
    const otherEmails = others.map(row => row.reporter_email).filter((email): email is string => email !== null)
    assert.ok(otherEmails.length > 100)
    for (const email of otherEmails) assert.ok(!text.includes(email), `no other resident's email (${email})`)
    assert.doesNotMatch(text, /demo\.(reporter\d+|resident(?!2@)\d+)@example\.org/)
    const otherParties = await db
      .selectFrom('case_party')
      .select('name')
      .where(
        'case_id',
        'in',
        cases.map(item => item.id),
      )
      .where('name', '<>', name)
      .execute()
    assert.ok(otherParties.length > 0)
    for (const party of otherParties) assert.ok(!text.includes(party.name), `no other party (${party.name})`)
    const staff = await db.selectFrom('staff_user').select('display_name').execute()
    for (const member of staff) assert.ok(!text.includes(member.display_name), `no staff name (${member.display_name})`)
    assert.ok(
      bundle.cases.some(item => item.leadOfficer?.organisation),
      'staff appear by organisation',
    )

    // Their evidence file is written beside the bundle, byte for byte.
    const evidence = bundle.reports.flatMap(report => report.evidence)
    assert.equal(evidence.length, 1)
    assert.deepEqual(fs.readFileSync(path.join(outDir, evidence[0]?.file ?? '')), evidenceBytes)

    // The PDF, and the HTML it was printed from, say the same things.
    const pdf = pdfText(fs.readFileSync(path.join(outDir, 'bundle.pdf'))).replace(/\s+/g, ' ')
    const html = fs.readFileSync(path.join(outDir, 'bundle.html'), 'utf8')
    for (const [name, text] of [
      ['PDF', pdf],
      ['HTML', html],
    ] as const) {
      assert.match(text, /Your personal data held by Safer/, name)
      assert.ok(text.includes(RESIDENT), name)
      for (const report of reports) assert.ok(text.includes(report.reference), `${name} lists ${report.reference}`)
      for (const item of cases) assert.ok(text.includes(item.reference), `${name} lists ${item.reference}`)
      for (const email of otherEmails) assert.ok(!text.includes(email), name)
      for (const party of otherParties) assert.ok(!text.includes(party.name), name)
    }

    // Audited with the subject's identifier, and no personal data in the details.
    const event = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'privacy.sar-exported')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal(event.subject_type, 'data-subject')
    assert.equal(event.subject_id, auditSubject({ kind: 'email', email: RESIDENT }).subjectId)
    const details = JSON.stringify(event.details)
    assert.doesNotMatch(details, /@|Priya|Ahmed/)
    assert.match(details, /DPA-1/)
    assert.ok(!(event.subject_id ?? '').includes('@'))
  })

  it('shows what a message said, opened from the sealed outbox, but never its one-time code or link', async () => {
    const db = t.deps.database.db
    await t.deps.reporting.repository.enqueueNotification(
      {
        reportId: null,
        template: 'report-acknowledgement',
        channel: 'email',
        recipient: RESIDENT,
        personalisation: { reference: 'ASB-SAR-TEST', tracking_code: 'SECRETCODE99', tracking_link: 'https://x/t/1' },
        at: new Date('2026-11-19T11:00:00Z'),
      },
      db,
    )
    const { bundle, text } = await exportFor(RESIDENT, 'sealed-outbox')
    const message = bundle.notifications.find(item => item.content.reference === 'ASB-SAR-TEST')
    assert.ok(message, 'the message is in the bundle with its reference opened')
    assert.match(message.content.tracking_code ?? '', /not reproduced/)
    assert.match(message.content.tracking_link ?? '', /not reproduced/)
    assert.ok(!text.includes('SECRETCODE99'), 'no one-time code in the bundle')
    assert.ok(!text.includes('sealed:v1:'), 'no ciphertext in the bundle')
  })

  it('includes a Case Review application made by email', async () => {
    const { bundle } = await exportFor('amina@example.org', 'amina')
    assert.equal(bundle.caseReviews.length, 1)
    assert.equal(bundle.caseReviews[0]?.applicant.name, 'Amina Rahman')
  })

  it('exports one case party by id, without the other parties', async () => {
    const db = t.deps.database.db
    const perpetrator = await db
      .selectFrom('case_party')
      .innerJoin('case_report', 'case_report.case_id', 'case_party.case_id')
      .innerJoin('report', 'report.id', 'case_report.report_id')
      .select(['case_party.id', 'case_party.name', 'report.reporter_name'])
      .where('report.reporter_email', '=', RESIDENT)
      .where('case_party.role', '=', 'perpetrator')
      .where('case_party.kind', '=', 'person')
      .executeTakeFirstOrThrow()
    const outDir = path.join(work, 'party')
    await t.deps.privacy.exportTo({ kind: 'party', partyId: perpetrator.id }, { outDir, actor: operator })
    const text = fs.readFileSync(path.join(outDir, 'bundle.json'), 'utf8')
    const bundle = JSON.parse(text) as SubjectAccessBundle
    assert.equal(bundle.cases[0]?.yourPartyRecords[0]?.name, perpetrator.name)
    assert.ok(!text.includes(perpetrator.reporter_name ?? 'never'), 'the complainant is not named to the perpetrator')
    assert.ok(!text.includes(RESIDENT))
    const event = await db
      .selectFrom('audit_event')
      .select(['subject_type', 'subject_id'])
      .where('action', '=', 'privacy.sar-exported')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.deepEqual(event, { subject_type: 'case-party', subject_id: perpetrator.id })
  })

  it('refuses to write into a folder that is not empty', async () => {
    const outDir = path.join(work, 'resident2')
    await assert.rejects(
      t.deps.privacy.exportTo({ kind: 'email', email: RESIDENT }, { outDir, actor: operator }),
      /is not empty/,
    )
  })

  function cli() {
    let output = ''
    const program = new Command('safer').exitOverride()
    registerPrivacyCommands(program, {
      withPrivacy: (_name, work) => work(t.deps.privacy),
      stdout: { write: (chunk: string) => ((output += chunk), true) } as unknown as NodeJS.WritableStream,
    })
    return { program, output: () => output }
  }

  it('erases what may be erased, keeps what open cases need, says why, and exits 3', async () => {
    const db = t.deps.database.db
    const count = async () =>
      (
        await sql<{ named: number; notifications: number; drafts: number }>`
          select (select count(*)::int from report where reporter_email = ${RESIDENT}) as named,
                 (select count(*)::int from notification_outbox where recipient = ${RESIDENT}) as notifications,
                 (select count(*)::int from report_draft where answers->>'email' = ${RESIDENT}) as drafts`.execute(db)
      ).rows[0]
    const beforeCounts = await count()

    const dry = cli()
    await assert.rejects(
      dry.program.parseAsync(['sar', 'erase', '--email', RESIDENT, '--dry-run'], { from: 'user' }),
      (error: unknown) => error instanceof CommanderError && error.exitCode === ERASURE_INCOMPLETE_EXIT_CODE,
    )
    assert.match(dry.output(), /would erase {2}report ASB-/)
    assert.match(dry.output(), /kept {2}report ASB-\S+: case \S+ is open/)
    assert.match(dry.output(), /kept {2}case-party \S+: case \S+ is open/)
    assert.match(dry.output(), /Nothing was changed/)
    assert.deepEqual(await count(), beforeCounts, 'a dry run changes nothing')

    const real = cli()
    await assert.rejects(
      real.program.parseAsync(['sar', 'erase', '--email', RESIDENT, '--request', 'DPA-2'], { from: 'user' }),
      (error: unknown) => error instanceof CommanderError && error.exitCode === ERASURE_INCOMPLETE_EXIT_CODE,
    )
    assert.match(real.output(), /erased {2}report ASB-/)
    assert.match(real.output(), /erased {2}draft /)
    const afterCounts = await count()
    assert.equal(afterCounts?.named, 2, 'only the two reports that open cases rely on keep their reporter')
    assert.equal(afterCounts?.drafts, 0)
    assert.ok((afterCounts?.notifications ?? 0) < (beforeCounts?.notifications ?? 0))
    const erased = await db
      .selectFrom('report')
      .select(['reporter_mode', 'reporter_name', 'description', 'impact'])
      .where('reporter_mode', '=', 'anonymous')
      .where('description', 'like', '[Erased%')
      .execute()
    assert.equal(erased.length, 10)
    assert.ok(erased.every(row => row.reporter_name === null && Object.keys(row.impact).length === 0))
    assert.equal(
      (await db.selectFrom('report_evidence').select('id').where('file_name', '=', 'stairwell.jpg').execute()).length,
      0,
      'the evidence on an erased report is deleted',
    )
    const event = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'privacy.erased')
      .executeTakeFirstOrThrow()
    assert.equal(event.subject_id, auditSubject({ kind: 'email', email: RESIDENT }).subjectId)
    assert.doesNotMatch(JSON.stringify(event.details), /@/)
    assert.equal((event.details as { erased: number }).erased > 0, true)

    // What is left is exactly what the cases need.
    const { bundle } = await exportFor(RESIDENT, 'resident2-after')
    assert.equal(bundle.reports.length, 2)
    assert.equal(bundle.cases.length, 2)
  })

  it('keeps a Case Review, and erases a party on a case closed longer ago than the retention period', async () => {
    const db = t.deps.database.db
    const review = await t.deps.privacy.service.erase(
      { kind: 'email', email: 'amina@example.org' },
      { actor: operator },
    )
    assert.ok(
      review.decisions.some(d => d.type === 'case-review' && d.action === 'kept' && d.reason.includes('Case Review')),
    )

    const old = await db
      .selectFrom('asb_case')
      .select(['id', 'reference'])
      .orderBy('opened_at')
      .executeTakeFirstOrThrow()
    await db
      .updateTable('asb_case')
      .set({
        status: 'closed',
        outcome: 'resolved',
        closed_at: new Date('2019-03-01T10:00:00Z'),
        opened_at: new Date('2019-01-01T10:00:00Z'),
      })
      .where('id', '=', old.id)
      .execute()
    const party = await db
      .insertInto('case_party')
      .values({
        case_id: old.id,
        role: 'witness',
        kind: 'person',
        name: 'Wendy Witness',
        email: 'old.witness@example.org',
        phone: '07700 900123',
        created_at: new Date('2019-01-02T10:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const result = await t.deps.privacy.service.erase(
      { kind: 'email', email: 'old.witness@example.org' },
      { actor: operator },
    )
    assert.deepEqual(
      result.decisions.map(d => [d.type, d.action]),
      [['case-party', 'erased']],
    )
    const row = await db.selectFrom('case_party').selectAll().where('id', '=', party.id).executeTakeFirstOrThrow()
    assert.equal(row.email, null)
    assert.equal(row.phone, null)
    assert.doesNotMatch(row.name, /Wendy/)

    const nobody = cli()
    await nobody.program.parseAsync(['sar', 'erase', '--email', 'nobody@example.org'], { from: 'user' })
    assert.match(nobody.output(), /holds no records/)
  })
})
