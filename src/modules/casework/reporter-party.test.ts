import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { ReportRow } from '../reporting/index.js'
import { reporterParty } from './triage-service.js'

function report(overrides: Partial<ReportRow>): ReportRow {
  return {
    reference: 'ASB-26-000123',
    reporter_mode: 'named',
    reporter_name: 'Ada Resident',
    reporter_email: 'ada@example.org',
    reporter_phone: null,
    impact: { reporterRole: 'victim' },
    ...overrides,
  } as ReportRow
}

describe('the reporter as a party to the case', () => {
  it('makes a victim of a reporter who said they were one, with where they came from', () => {
    assert.deepEqual(reporterParty(report({})), {
      role: 'victim',
      kind: 'person',
      name: 'Ada Resident',
      email: 'ada@example.org',
      phone: null,
      notes: 'Reported ASB-26-000123.',
      contactWithheld: false,
    })
  })

  it('makes a complainant of a witness or someone reporting for another', () => {
    assert.equal(reporterParty(report({ impact: { reporterRole: 'witness' } }))?.role, 'complainant')
    const onBehalf = reporterParty(report({ impact: { reporterRole: 'on_behalf' } }))
    assert.equal(onBehalf?.role, 'complainant')
    assert.match(onBehalf?.notes ?? '', /on behalf of someone else/)
  })

  it('warns that a confidential reporter must never be disclosed', () => {
    assert.match(
      reporterParty(report({ reporter_mode: 'confidential' }))?.notes ?? '',
      /never disclose their identity to the other party/,
    )
  })

  it('withholds a confidential reporter from partners unless they agreed to share', () => {
    const confidential = report({ reporter_mode: 'confidential', consent_to_share: false })
    assert.equal(reporterParty(confidential)?.contactWithheld, true)
    const agreed = report({ reporter_mode: 'confidential', consent_to_share: true })
    assert.equal(reporterParty(agreed)?.contactWithheld, false)
  })

  it('adds nobody for an anonymous report or one without a name', () => {
    assert.equal(reporterParty(report({ reporter_mode: 'anonymous', reporter_name: null })), null)
    assert.equal(reporterParty(report({ reporter_name: null })), null)
  })
})
