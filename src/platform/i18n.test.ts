import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { MissingTranslationError, t } from './i18n.js'

describe('copy', () => {
  it('fills placeholders and leaves unknown ones as written', () => {
    assert.equal(t('casework.accessLog.actions.case-viewed'), 'Viewed the case')
    assert.equal(t('powers.backToCase', { reference: 'ASB-26-00001' }), 'Back to case ASB-26-00001')
  })

  it('chooses the plural form from the number', () => {
    assert.equal(t('casework.triage.count', { total: 1 }), '1 report waiting')
    assert.equal(t('casework.triage.count', { total: 0 }), '0 reports waiting')
    assert.equal(t('casework.triage.count', { total: 12 }), '12 reports waiting')
    assert.equal(t('intelligence.import.rejectedMore', { count: 1 }), 'And 1 more rejected row.')
    assert.equal(t('intelligence.import.rejectedMore', { count: 'many' }), 'And many more rejected rows.')
  })

  it('refuses a key with no copy, so a typo cannot reach a page', () => {
    assert.throws(() => t('casework.triage.nothing-here'), MissingTranslationError)
    assert.throws(() => t('casework.triage'), MissingTranslationError)
  })
})
