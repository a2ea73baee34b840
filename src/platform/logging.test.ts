import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { redactUrl } from './logging.js'

describe('redactUrl', () => {
  it('keeps tracking codes, check-in tokens and query secrets out of the log', () => {
    assert.equal(redactUrl('/track/ASB-2611-4F7K/ACDEFGHJKMNP'), '/track/ASB-2611-4F7K/[REDACTED]')
    assert.equal(redactUrl('/track/ASB-2611-4F7K/ACDEFGHJKMNP/again'), '/track/ASB-2611-4F7K/[REDACTED]/again')
    assert.equal(
      redactUrl('/asb-case-review/apply/ASB-2611-4F7K/ACDEFGHJKMNP'),
      '/asb-case-review/apply/ASB-2611-4F7K/[REDACTED]',
    )
    assert.equal(redactUrl('/check-in/abcDEF123_-xyz'), '/check-in/[REDACTED]')
    assert.equal(redactUrl('/sign-in/reset-password?token=secret&x=1'), '/sign-in/reset-password?token=[REDACTED]&x=1')
    assert.equal(redactUrl('/track'), '/track')
    assert.equal(redactUrl('/staff/reports/ASB-2611-4F7K'), '/staff/reports/ASB-2611-4F7K')
  })
})
