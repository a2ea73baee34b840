import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'

import {
  DEFAULT_CASE_REVIEW_POLICY,
  loadCaseReviewPolicy,
  withLocalChanges,
  type CaseReviewPolicy,
} from './case-review-policy.js'
import { assessEligibility, complaintFact, type ComplaintFact } from './eligibility.js'

const policy = DEFAULT_CASE_REVIEW_POLICY
let nextId = 1

function complaint(receivedOn: string, options: Partial<ComplaintFact> = {}): ComplaintFact {
  const id = nextId++
  return {
    id,
    reference: `ASB-26-${String(id).padStart(5, '0')}`,
    receivedOn,
    occurredOn: receivedOn,
    hate: false,
    byApplicant: true,
    reporterKey: 'applicant',
    channel: 'web',
    ...options,
  }
}

function assess(
  applicationOn: string,
  complaints: ComplaintFact[],
  highRiskAssessedOn: string | null = null,
  p: CaseReviewPolicy = policy,
) {
  return assessEligibility(p, { applicationOn, complaints, highRiskAssessedOn })
}

describe('case review eligibility: three qualifying complaints in six months (Tower Hamlets)', () => {
  it('meets the threshold with three complaints, the first exactly six months before the application', () => {
    const result = assess('2026-09-15', [complaint('2026-03-15'), complaint('2026-06-01'), complaint('2026-09-01')])
    assert.equal(result.met, true)
    assert.equal(result.route, 'complaints')
    assert.equal(result.windowStart, '2026-03-15')
    assert.equal(result.policyVersion, policy.version)
  })

  it('does not count a complaint one day more than six months before: below the threshold is discretionary, not a refusal', () => {
    const result = assess('2026-09-15', [complaint('2026-03-14'), complaint('2026-06-01'), complaint('2026-09-01')])
    assert.equal(result.met, false)
    assert.equal(result.route, 'discretionary')
    assert.equal(result.complaints[0]?.problem, 'outside-window')
    assert.equal(result.routes.find(route => route.route === 'complaints')?.found, 2)
  })

  it('a complaint made exactly one month after the behaviour qualifies; one day later it does not', () => {
    const inTime = assess('2026-07-10', [
      complaint('2026-06-30', { occurredOn: '2026-05-30' }),
      complaint('2026-07-01'),
      complaint('2026-07-02'),
    ])
    assert.equal(inTime.met, true)
    const late = assess('2026-07-10', [
      complaint('2026-07-01', { occurredOn: '2026-05-31' }),
      complaint('2026-07-02'),
      complaint('2026-07-03'),
    ])
    // 31 May + one month is 30 June (a month without a 31st ends on its last day).
    assert.equal(late.complaints.find(c => c.occurredOn === '2026-05-31')?.problem, 'late')
    assert.equal(late.met, false)
  })

  it('one month after 31 January is the last day of February', () => {
    const result = assess('2027-03-10', [
      complaint('2027-02-28', { occurredOn: '2027-01-31' }),
      complaint('2027-03-01', { occurredOn: '2027-01-31' }),
    ])
    assert.deepEqual(
      result.complaints.map(c => c.problem),
      [null, 'late'],
    )
  })

  it('needs the application within one month of the last report', () => {
    const complaints = [complaint('2026-05-01'), complaint('2026-06-01'), complaint('2026-08-15')]
    assert.equal(assess('2026-09-15', complaints).met, true)
    const late = assess('2026-09-16', complaints)
    assert.equal(late.met, false)
    const route = late.routes.find(entry => entry.route === 'complaints')
    assert.equal(route?.applicationInTime, false)
    assert.equal(route?.lastReportOn, '2026-08-15')
    const noRule = withLocalChanges({ applicationAfterLastReport: null })
    assert.equal(assess('2026-09-16', complaints, null, noRule).met, true)
  })

  it('counts hate incidents, unless a policy excludes them', () => {
    const complaints = [complaint('2026-05-01', { hate: true }), complaint('2026-06-01'), complaint('2026-08-15')]
    assert.equal(assess('2026-09-01', complaints).met, true)
    const excluding = withLocalChanges({
      countHateIncidents: false,
      variants: { ...policy.variants, singleHateIncident: false },
    })
    const result = assess('2026-09-01', complaints, null, excluding)
    assert.equal(result.met, false)
    assert.equal(result.complaints[0]?.problem, 'hate-excluded')
  })

  it('ignores other people\u2019s complaints for the applicant\u2019s count, and complaints after the application', () => {
    const result = assess('2026-09-01', [
      complaint('2026-05-01'),
      complaint('2026-06-01', { byApplicant: false, reporterKey: 'neighbour' }),
      complaint('2026-08-01'),
      complaint('2026-09-02'),
    ])
    assert.equal(result.met, false)
    assert.equal(result.complaints.at(-1)?.problem, 'after-application')
  })

  it('a lower local threshold (s104(4)) is met with fewer complaints', () => {
    const two = withLocalChanges({ minimumComplaints: 2 })
    assert.notEqual(two.version, policy.version)
    assert.match(two.version, /\+local\.[0-9a-f]{8}$/)
    assert.equal(assess('2026-09-01', [complaint('2026-07-01'), complaint('2026-08-01')], null, two).met, true)
  })
})

describe('case review eligibility: the variants', () => {
  it('five reports from different people about the same problem', () => {
    const people = ['a', 'b', 'c', 'd', 'e'].map((key, index) =>
      complaint(`2026-0${String(index + 4)}-10`, { byApplicant: key === 'a', reporterKey: key }),
    )
    const result = assess('2026-09-01', people)
    assert.equal(result.route, 'different-reporters')
    assert.equal(result.routes.find(route => route.route === 'different-reporters')?.found, 5)
    // Four people and an anonymous report: anonymous reports cannot be told apart, so they are not a fifth person.
    const four = [...people.slice(0, 4), complaint('2026-08-10', { byApplicant: false, reporterKey: null })]
    assert.equal(assess('2026-09-01', four).met, false)
    const off = withLocalChanges({ variants: { ...policy.variants, differentReporters: 0 } })
    assert.equal(assess('2026-09-01', people, null, off).met, false)
  })

  it('a single hate incident reported by the applicant', () => {
    const result = assess('2026-09-01', [complaint('2026-08-20', { hate: true })])
    assert.equal(result.route, 'hate')
    const off = withLocalChanges({ variants: { ...policy.variants, singleHateIncident: false } })
    assert.equal(assess('2026-09-01', [complaint('2026-08-20', { hate: true })], null, off).route, 'discretionary')
    // Someone else's hate report does not make the applicant's single incident.
    assert.equal(
      assess('2026-09-01', [complaint('2026-08-20', { hate: true, byApplicant: false, reporterKey: 'x' })]).met,
      false,
    )
  })

  it('a victim assessed as high risk within the look-back, and not before it', () => {
    assert.equal(assess('2026-09-01', [], '2026-03-01').route, 'high-risk')
    assert.equal(assess('2026-09-01', [], '2026-02-28').met, false)
    const off = withLocalChanges({ variants: { ...policy.variants, highRiskVictim: false } })
    assert.equal(assess('2026-09-01', [], '2026-08-01', off).met, false)
  })
})

describe('case review eligibility: London dates across the clock changes', () => {
  const report = (receivedAt: string, occurredOn: string) =>
    complaintFact(
      {
        id: 1,
        reference: 'ASB-26-00001',
        receivedAt: new Date(receivedAt),
        occurredOn,
        hate: false,
        reporterKey: 'k',
        channel: 'phone',
      },
      true,
    )

  it('a report made at 00:30 on the night the clocks go back is made on the London day', () => {
    // 23:30 UTC on 24 October 2026 is 00:30 BST on 25 October: one day more than a month after 24 September.
    const fact = report('2026-10-24T23:30:00Z', '2026-09-24')
    assert.equal(fact.receivedOn, '2026-10-25')
    assert.equal(assess('2026-10-26', [fact]).complaints[0]?.problem, 'late')
  })

  it('in winter (GMT) London and UTC agree; after the clocks go forward they do not', () => {
    assert.equal(report('2026-03-28T23:30:00Z', '2026-03-01').receivedOn, '2026-03-28')
    assert.equal(report('2026-03-29T23:30:00Z', '2026-03-01').receivedOn, '2026-03-30')
  })
})

describe('case review policy file', () => {
  it('changes the rules from a file, gives them their own version, and refuses an invalid file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'case-review-policy-'))
    fs.writeFileSync(
      path.join(dir, 'policy.json'),
      JSON.stringify({ timescales: { ...policy.timescales, acknowledge: 2 } }),
    )
    const loaded = loadCaseReviewPolicy('policy.json', dir)
    assert.equal(loaded.timescales.acknowledge, 2)
    assert.match(loaded.version, /^safer-case-review-2026\.1\+local\./)
    assert.equal(loadCaseReviewPolicy('', dir), policy)
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ minimumComplaints: 4 }))
    assert.throws(() => loadCaseReviewPolicy('bad.json', dir), /not a valid Case Review policy/)
    assert.throws(() => loadCaseReviewPolicy('missing.json', dir), /CASE_REVIEW_POLICY_FILE missing.json/)
  })
})
