import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { ROLES, type Role } from '../accounts/index.js'
import {
  caseReviewAllowed,
  caseReviewVisibilityFor,
  isCoordinator,
  relationsOf,
  type CaseReviewFacts,
} from './case-review-access-policy.js'

const NONE: CaseReviewFacts = {
  chair_user_id: null,
  asked_partner_ids: [],
  case_visible: false,
  report_visible: false,
  panel_listed: false,
}

const user = (roles: Role[], partnerKind = 'council') => ({ id: 'u1', partnerId: 'p1', partnerKind, roles })

describe('the Case Review access policy', () => {
  it('makes panel coordinators of a relevant body, and only them, coordinators', () => {
    for (const kind of ['council', 'police', 'health', 'housing'])
      assert.ok(isCoordinator(user(['panel-coordinator'], kind)), kind)
    assert.equal(isCoordinator(user(['panel-coordinator'], 'probation')), false)
    for (const role of ROLES.filter(role => role !== 'panel-coordinator'))
      assert.equal(isCoordinator(user([role])), false, role)
  })

  it('pins who sees and changes what, relation by relation', () => {
    const cases: [string, Role[], CaseReviewFacts, string][] = [
      // [label, roles, facts, "application view/change, minutes view/change, response change" as 0/1]
      ['coordinator', ['panel-coordinator'], NONE, '11111'],
      ['uninvolved officer', ['officer'], NONE, '00000'],
      ['uninvolved supervisor', ['supervisor'], NONE, '00000'],
      ['chair', ['supervisor'], { ...NONE, chair_user_id: 'u1' }, '10110'],
      ['asked', ['officer'], { ...NONE, asked_partner_ids: ['p1'] }, '10001'],
      ['asked elsewhere', ['officer'], { ...NONE, asked_partner_ids: ['p2'] }, '00000'],
      ['case', ['officer'], { ...NONE, case_visible: true }, '10000'],
      ['report', ['supervisor'], { ...NONE, report_visible: true }, '10000'],
      ['panel', ['officer'], { ...NONE, panel_listed: true }, '10000'],
      ['administrator on a panel', ['administrator'], { ...NONE, panel_listed: true }, '00000'],
      ['analyst with the case', ['analyst'], { ...NONE, case_visible: true }, '00000'],
      ['read-only asked', ['partner-read-only'], { ...NONE, asked_partner_ids: ['p1'] }, '00000'],
    ]
    for (const [label, roles, facts, expected] of cases) {
      const someone = user(roles)
      const got = [
        caseReviewAllowed(someone, facts, 'application', 'view'),
        caseReviewAllowed(someone, facts, 'application', 'change'),
        caseReviewAllowed(someone, facts, 'minutes', 'view'),
        caseReviewAllowed(someone, facts, 'minutes', 'change'),
        caseReviewAllowed(someone, facts, 'response', 'change'),
      ]
        .map(value => (value ? '1' : '0'))
        .join('')
      assert.equal(got, expected, label)
    }
  })

  it('derives the list rule from the same table', () => {
    assert.deepEqual(caseReviewVisibilityFor(user(['panel-coordinator'])).all, true)
    const officer = caseReviewVisibilityFor(user(['officer']))
    assert.deepEqual(officer, { all: false, chair: true, asked: true, case: true, report: true, panel: true })
    const analyst = caseReviewVisibilityFor(user(['analyst']))
    assert.deepEqual(analyst, { all: false, chair: false, asked: false, case: false, report: false, panel: false })
    assert.deepEqual(relationsOf(user(['analyst']), { ...NONE, case_visible: true }), ['none'])
  })
})
