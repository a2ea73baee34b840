import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { hasCode, isDomainError } from '../../platform/errors.js'
import { t } from '../../platform/i18n.js'
import { EvidenceError } from './evidence.js'
import { IntakeError } from './intake-service.js'
import { StatusChangeError } from './report-service.js'

describe("reporting's refusals are domain errors", () => {
  it('carry a code, a status and a locale message, and keep their own class', () => {
    const intake = new IntakeError('outside_borough', [], { code: 'E09000012', name: 'Hackney', policeForce: null })
    assert.ok(isDomainError(intake) && intake instanceof IntakeError)
    assert.ok(hasCode(intake, 'outside_borough'))
    assert.equal(intake.kind, 'outside_borough', 'the old name still answers')
    assert.equal(intake.neighbour?.name, 'Hackney')
    assert.equal(intake.message, 'outside_borough', 'the message is the code: no personal data in logs')
    assert.equal(t(intake.messageKey ?? ''), 'The place is outside the area this service covers')

    const status = new StatusChangeError('already_closed')
    assert.ok(isDomainError(status) && status instanceof StatusChangeError)
    assert.equal(status.status, 409)
    assert.equal(status.field, 'status')
    assert.equal(new StatusChangeError('not_found').status, 404)

    const evidence = new EvidenceError('tooLarge')
    assert.ok(isDomainError(evidence) && evidence instanceof EvidenceError)
    assert.equal(evidence.problem, 'tooLarge')
    assert.equal(evidence.status, 413)
    assert.doesNotMatch(t(evidence.messageKey ?? '', evidence.params), /\{/, 'every placeholder is filled')
  })
})
