import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { caseTitle, chronologyItems, chronologySummary, sourceText } from './casework-presenters.js'
import type { ChronologyRow } from './casework-repository.js'
import { accessDetail } from './casework-routes.js'

describe('casework presenters: words, not codes', () => {
  it('writes the closure outcome of old chronology entries in words', () => {
    assert.equal(
      chronologySummary({ kind: 'closed', summary: 'Case closed: no_further_action' }),
      'Case closed: No further action',
    )
    assert.equal(
      chronologySummary({ kind: 'closed', summary: 'Case closed: not_asb' }),
      'Case closed: Not anti-social behaviour',
    )
    assert.equal(chronologySummary({ kind: 'note', summary: 'Case closed: not_asb' }), 'Case closed: not_asb')
    assert.equal(chronologySummary({ kind: 'closed', summary: 'Case closed: Resolved' }), 'Case closed: Resolved')
  })

  it('names where an entry came from and what kind it is in words', () => {
    assert.equal(sourceText('casework'), '')
    assert.equal(sourceText('risk'), 'from a risk assessment')
    assert.equal(sourceText('panels-dash'), 'from a DASH assessment')
    const row = (kind: string, source: string): ChronologyRow => ({
      id: 1,
      case_id: 'c',
      occurred_at: new Date('2026-11-20T12:00:00Z'),
      recorded_at: new Date('2026-11-20T12:00:00Z'),
      kind,
      summary: 'x',
      actor_id: null,
      actor_name: null,
      source_module: source,
      source_id: null,
    })
    const [risk, power, unknown] = chronologyItems([
      row('risk-assessment', 'risk'),
      row('power-breach', 'powers'),
      row('something-new', 'casework'),
    ])
    assert.deepEqual(
      [risk?.kind, risk?.source, power?.kind, power?.source, unknown?.kind],
      ['Risk assessment', 'from a risk assessment', 'Breach', 'from the powers ladder', 'Entry'],
    )
  })

  it('titles a case from the category label and the place', () => {
    assert.equal(caseTitle('noise_music', 'Commercial Road'), 'Loud music, TV or parties: Commercial Road')
    assert.equal(caseTitle('other', 'Commercial Road'), 'Anti-social behaviour: Commercial Road')
  })

  it('does not repeat the part viewed in the access log ("Viewed the case case")', () => {
    assert.equal(accessDetail({ resource: 'case', action: 'view', reference: 'ASB-26-00001' }), '')
    assert.equal(accessDetail({ resource: 'export', action: 'view', format: 'pdf' }), 'as a PDF')
    assert.equal(accessDetail({ resource: 'chronology', action: 'view', refused: true }), 'refused: the chronology')
    assert.equal(accessDetail({ resource: 'report', reportReference: 'ASB-2612-ABCD' }), 'ASB-2612-ABCD')
    assert.equal(accessDetail({ power: 'cpn', actionId: 'a' }), 'Community Protection Notice')
  })
})
