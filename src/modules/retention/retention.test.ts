import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { ConfigError, describeConfig, testConfig } from '../../config.js'
import { fixedClock } from '../../platform/clock.js'
import { describeRun } from './retention-cli.js'
import { cutoffFor, startRetentionSchedule, type RetentionService } from './retention-service.js'

describe('retention periods', () => {
  it('defaults to the schedule in docs/retention.md and lists every variable in `safer config`', () => {
    const { retention } = testConfig()
    assert.deepEqual(retention.periods, {
      closedCases: { amount: 6, unit: 'y' },
      unlinkedReports: { amount: 2, unit: 'y' },
      sentNotifications: { amount: 90, unit: 'd' },
      reportDrafts: { amount: 30, unit: 'd' },
      audit: { amount: 7, unit: 'y' },
    })
    assert.equal(retention.nightly, true)
    assert.equal(retention.runHour, 2)
    const listed = describeConfig().join('\n')
    for (const key of [
      'OUTBOX_KEY',
      'RETENTION_CLOSED_CASES',
      'RETENTION_AUDIT',
      'RETENTION_NIGHTLY',
      'RETENTION_RUN_HOUR',
    ])
      assert.match(listed, new RegExp(`^${key}`, 'm'))
  })

  it('takes periods in days, months or years and refuses anything else by name', () => {
    const config = testConfig({
      RETENTION_SENT_NOTIFICATIONS: '18m',
      RETENTION_NIGHTLY: 'false',
      RETENTION_RUN_HOUR: '23',
    })
    assert.deepEqual(config.retention.periods.sentNotifications, { amount: 18, unit: 'm' })
    assert.equal(config.retention.nightly, false)
    for (const bad of ['0y', '6', 'six years', '-1d', '6w'])
      assert.throws(
        () => testConfig({ RETENTION_CLOSED_CASES: bad }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError)
          assert.match(error.message, /RETENTION_CLOSED_CASES/)
          return true
        },
      )
    assert.throws(() => testConfig({ RETENTION_RUN_HOUR: '24' }), /RETENTION_RUN_HOUR/)
    assert.throws(() => testConfig({ OUTBOX_KEY: 'too short' }), /OUTBOX_KEY/)
  })

  it('counts back calendar days, months and years from now', () => {
    const now = new Date('2026-11-20T10:00:00Z')
    assert.equal(cutoffFor(now, { amount: 90, unit: 'd' }).toISOString(), '2026-08-22T10:00:00.000Z')
    assert.equal(cutoffFor(now, { amount: 18, unit: 'm' }).toISOString(), '2025-05-20T10:00:00.000Z')
    assert.equal(cutoffFor(now, { amount: 6, unit: 'y' }).toISOString(), '2020-11-20T10:00:00.000Z')
  })

  it('prints one line per type, saying whether it was done or would be', () => {
    const lines = [
      {
        type: 'closedCases' as const,
        action: 'anonymise' as const,
        cutoff: new Date('2020-11-20T10:00:00Z'),
        count: 2,
      },
      { type: 'evidenceFiles' as const, action: 'delete' as const, cutoff: undefined, count: 0 },
      {
        type: 'audit' as const,
        action: 'purge' as const,
        cutoff: new Date('2019-11-20T10:00:00Z'),
        count: 5,
        skipped: 'audit_event_purge(timestamptz) is not installed',
      },
    ]
    assert.deepEqual(describeRun({ dryRun: true, lines }), [
      'Dry run: nothing has been changed.',
      'closedCases: would anonymise 2 closed ASB cases (before 2020-11-20)',
      'evidenceFiles: would delete 0 evidence files (with their report or draft)',
      'audit: would purge 5 audit events (before 2019-11-20); not done: audit_event_purge(timestamptz) is not installed',
    ])
    assert.match(describeRun({ dryRun: false, lines })[1] ?? '', /^closedCases: anonymised 2/)
  })
})

describe('the nightly retention schedule', () => {
  it('runs once a night, in the configured hour (UK time), and again after a failure within the hour', async () => {
    const clock = fixedClock('2026-07-01T00:30:00Z') // 01:30 in London (summer time)
    let runs = 0
    let fail = false
    const service = {
      run: async () => {
        runs++
        if (fail) throw new Error('database went away')
        return { dryRun: false, lines: [] }
      },
    } as unknown as RetentionService
    const warnings: string[] = []
    const schedule = startRetentionSchedule({
      service,
      hour: 2,
      clock,
      checkEveryMs: 3_600_000,
      logger: { info: () => undefined, warn: (_object, message) => warnings.push(message) },
    })
    try {
      await schedule.tick()
      assert.equal(runs, 0, 'not before the hour')
      clock.set('2026-07-01T01:05:00Z') // 02:05 in London
      await schedule.tick()
      assert.equal(runs, 1)
      clock.set('2026-07-01T01:35:00Z')
      await schedule.tick()
      assert.equal(runs, 1, 'once a night')
      clock.set('2026-07-02T01:05:00Z')
      fail = true
      await schedule.tick()
      assert.equal(runs, 2)
      assert.deepEqual(warnings, ['retention run failed'])
      fail = false
      clock.set('2026-07-02T01:10:00Z')
      await schedule.tick()
      assert.equal(runs, 3, 'tried again within the hour after a failure')
      clock.set('2026-12-02T02:05:00Z') // 02:05 in London (winter time)
      await schedule.tick()
      assert.equal(runs, 4)
    } finally {
      await schedule.stop()
    }
  })
})
