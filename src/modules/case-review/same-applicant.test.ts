import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { sameApplicant } from './case-review-applications.js'

describe('an earlier Case Review application by the same applicant', () => {
  const earlier = {
    report_id: 7,
    applicant_name: 'Ada Resident',
    applicant_email: 'ada@example.org',
    applicant_phone: '07700 900982',
  }
  const now = { reportId: null, name: 'Ada Resident', email: null, phone: null }

  it('is theirs with the same name and the same report, email address or phone number', () => {
    assert.equal(sameApplicant(earlier, { ...now, reportId: 7 }), true)
    assert.equal(sameApplicant(earlier, { ...now, name: '  ada  resident', email: 'ADA@example.org ' }), true)
    assert.equal(sameApplicant(earlier, { ...now, phone: '+44 7700 900 982' }), true)
  })

  it("is someone else's with another name, or with nothing else in common", () => {
    assert.equal(sameApplicant(earlier, { ...now, name: 'Ben Carer', reportId: 7, email: 'ada@example.org' }), false)
    assert.equal(sameApplicant(earlier, now), false)
    assert.equal(sameApplicant(earlier, { ...now, reportId: 8, email: 'other@example.org' }), false)
    assert.equal(sameApplicant({ ...earlier, applicant_email: null }, { ...now, email: '' }), false)
  })
})
