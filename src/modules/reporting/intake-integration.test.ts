import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { fixedClock } from '../../platform/clock.js'
import { IntakeError, type IntakeInput } from './index.js'
import { REFERENCE_PATTERN } from './reference.js'

const clock = fixedClock('2026-11-20T10:00:00Z')
const citizen = { type: 'anonymous' as const, id: null }

function input(overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    channel: 'web',
    category: 'noise_music',
    location: { postcode: 'E1 0AA' },
    occurredOn: '2026-11-19',
    occurredTime: '23:30',
    pattern: 'ongoing',
    frequency: 'several_times_a_week',
    description: 'Loud music every night from the flat above',
    impact: {
      reporterRole: 'victim',
      howOften: 'regularly',
      unsafeAtHome: 'no',
      healthAffected: 'no',
      targeted: 'no',
      characteristics: [],
    },
    reporter: {
      mode: 'named',
      name: 'Ada Resident',
      email: 'ada@example.org',
      contactPreference: 'email',
      consentToShare: true,
    },
    ...overrides,
  }
}

describe('Integration: intake service', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ clock })
  })
  after(async () => {
    await t.close()
  })

  it('places, categorises, references, audits and acknowledges a report in one go', async () => {
    const { intake } = t.deps.reporting
    const result = await intake.submit(input(), citizen)
    assert.equal(result.created, true)
    assert.match(result.report.reference, REFERENCE_PATTERN)
    assert.match(result.report.reference, /^ASB-2611-/)
    assert.equal(result.report.wardCode, 'E05009332')
    assert.match(result.report.lsoaCode ?? '', /^E01\d{6}$/)
    assert.equal(result.report.nsirQualifier, 'nuisance')
    assert.equal(result.report.status, 'received')
    assert.match(result.trackingCode ?? '', /^[34679ACDEFGHJKMNPQRTWXY]{12}$/)

    const db = t.deps.database.db
    const audit = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'REPORT_RECEIVED')
      .where('subject_id', '=', String(result.report.id))
      .execute()
    assert.equal(audit.length, 1)
    assert.doesNotMatch(JSON.stringify(audit[0]?.details), /ada@example.org|Ada/)
    const outbox = await t.deps.reporting.repository.outboxFor(result.report.id)
    assert.equal(outbox.length, 1)
    assert.equal(outbox[0]?.template, 'report-acknowledgement')
    assert.equal(outbox[0]?.recipient, 'ada@example.org')
    const updates = await t.deps.reporting.repository.updatesFor(result.report.id)
    assert.deepEqual(
      updates.map(update => update.status),
      ['received'],
    )
  })

  it('gives the same report for the same idempotency key, with one row', async () => {
    const { intake } = t.deps.reporting
    const key = 'idem-key-0001'
    const [first, second] = await Promise.all([
      intake.submit(input({ idempotencyKey: key }), citizen),
      intake.submit(input({ idempotencyKey: key }), citizen),
    ])
    const third = await intake.submit(input({ idempotencyKey: key }), citizen)
    assert.equal(first.report.reference, second.report.reference)
    assert.equal(first.report.reference, third.report.reference)
    assert.equal([first.created, second.created, third.created].filter(Boolean).length, 1)
    const rows = await t.deps.database.db.selectFrom('report').select('id').where('idempotency_key', '=', key).execute()
    assert.equal(rows.length, 1)
  })

  it('derives a personal qualifier and a hate flag from the impact answers', async () => {
    const result = await t.deps.reporting.intake.submit(
      input({
        category: 'vandalism',
        impact: {
          reporterRole: 'victim',
          howOften: 'a_few_times',
          unsafeAtHome: 'no',
          healthAffected: 'no',
          targeted: 'yes',
          characteristics: ['religion'],
        },
        reporter: { mode: 'anonymous', contactPreference: 'none', consentToShare: false },
      }),
      citizen,
    )
    assert.equal(result.report.nsirQualifier, 'personal')
    assert.equal(result.report.hate, true)
    assert.equal(result.report.priority, 'high')
    assert.ok(result.report.flags.priorityReasons.includes('hate'))
    const row = await t.deps.reporting.repository.findById(result.report.id)
    assert.equal(row?.reporter_name, null)
    assert.equal(row?.reporter_key, null)
  })

  it('flags repeat callers and repeat locations over configurable windows, and finds duplicates incl. closed', async () => {
    const { intake, reports } = t.deps.reporting
    const caller = {
      mode: 'confidential' as const,
      name: 'Bo',
      phone: '07700 900123',
      contactPreference: 'phone' as const,
      consentToShare: true,
    }
    const point = { latitude: 51.5155, longitude: -0.0596 }
    const first = await intake.submit(
      input({
        category: 'graffiti',
        location: point,
        occurredOn: '2026-11-09',
        receivedAt: '2026-11-10T09:00:00Z',
        reporter: caller,
      }),
      citizen,
    )
    assert.deepEqual(first.report.flags.repeatCaller, [])
    assert.deepEqual(first.report.flags.duplicateCandidates, [])
    await reports.changeStatus(
      first.report.reference,
      { status: 'closed', closureReason: 'resolved' },
      { type: 'user', id: 'officer-1' },
    )

    const second = await intake.submit(
      input({
        category: 'graffiti',
        location: { latitude: 51.5157, longitude: -0.0594 },
        occurredOn: '2026-11-17',
        receivedAt: '2026-11-18T09:00:00Z',
        reporter: { ...caller, phone: '+44 7700 900123' },
      }),
      citizen,
    )
    assert.deepEqual(second.report.flags.repeatCaller, [{ count: 2, days: 14 }])
    assert.deepEqual(second.report.flags.repeatLocation, [{ count: 2, days: 14 }])
    assert.deepEqual(second.report.flags.duplicateCandidates, [first.report.reference], 'closed reports are candidates')
    assert.equal(second.report.priority, 'medium')

    const third = await intake.submit(input({ category: 'graffiti', location: point, reporter: caller }), citizen)
    assert.equal(third.report.flags.repeatCaller.length, 2)
    assert.equal(third.report.priority, 'high')

    const elsewhere = await intake.submit(
      input({ category: 'graffiti', location: { latitude: 51.5, longitude: -0.02 } }),
      citizen,
    )
    assert.deepEqual(elsewhere.report.flags.duplicateCandidates, [])
  })

  it('takes a ward and a description when there is no point', async () => {
    const result = await t.deps.reporting.intake.submit(
      input({ location: { wardCode: 'E05009336', description: 'Behind the market stalls' } }),
      citizen,
    )
    assert.equal(result.report.wardCode, 'E05009336')
    assert.equal(result.report.lsoaCode, null)
  })

  it('rejects invalid input and names the neighbouring council for a point outside the borough', async () => {
    const { intake } = t.deps.reporting
    await assert.rejects(intake.submit({ ...input(), category: 'not-a-category' }, citizen), (error: unknown) => {
      assert.ok(error instanceof IntakeError)
      assert.equal(error.kind, 'invalid')
      assert.ok(error.issues.some(issue => issue.path === '/category'))
      return true
    })
    await assert.rejects(
      intake.submit(input({ reporter: { mode: 'named', contactPreference: 'none', consentToShare: true } }), citizen),
      (error: unknown) => error instanceof IntakeError && error.issues.some(issue => issue.path === '/reporter/name'),
    )
    await assert.rejects(
      intake.submit(input({ occurredOn: '2027-01-01' }), citizen),
      (error: unknown) => error instanceof IntakeError && error.issues.some(issue => issue.path === '/occurredOn'),
    )
    await assert.rejects(
      intake.submit(input({ location: { latitude: 51.545, longitude: -0.055 } }), citizen),
      (error: unknown) =>
        error instanceof IntakeError && error.kind === 'outside_borough' && error.neighbour?.name === 'Hackney',
    )
    await assert.rejects(
      intake.submit(input({ location: { postcode: 'SW1A 1AA' } }), citizen),
      (error: unknown) => error instanceof IntakeError && error.kind === 'location_not_found',
    )
  })
})
