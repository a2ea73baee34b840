/** The policy pinned to the documented rule (docs/casework.md), cell by cell for the cases that matter. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { Role } from '../accounts/index.js'
import {
  allowed,
  grantOf,
  reportAllowed,
  reporterContactShown,
  visibilityFor,
  type CaseAccessFacts,
  type ReportAccessFacts,
} from './policy.js'

const plain: CaseAccessFacts = {
  owning_team_id: 'team-asb',
  owning_partner_id: 'council',
  sensitivity: null,
  shared_partner_ids: ['police'],
}
const sensitive: CaseAccessFacts = { ...plain, sensitivity: 'domestic-abuse' }

const user = (roles: Role[], partnerId: string, teamId: string | null) => ({ roles, partnerId, teamId })

describe('casework access policy', () => {
  it('lets the owning team work the case and export it', () => {
    const officer = user(['officer'], 'council', 'team-asb')
    for (const resource of ['case', 'person', 'chronology', 'task'] as const) {
      assert.equal(allowed(officer, plain, resource, 'view'), true)
      assert.equal(allowed(officer, plain, resource, 'change'), true)
    }
    assert.equal(allowed(officer, plain, 'export', 'view'), true)
    assert.equal(allowed(officer, plain, 'export', 'change'), false)
  })

  it('lets supervisors of the owning partner work it from another team, but not officers', () => {
    assert.equal(grantOf(user(['supervisor'], 'council', 'team-enforcement'), plain), 'work')
    assert.equal(grantOf(user(['officer'], 'council', 'team-enforcement'), plain), 'none')
  })

  it('gives a shared partner joint working and its read-only users reading only', () => {
    const police = user(['officer'], 'police', 'team-police')
    assert.equal(allowed(police, plain, 'case', 'change'), false)
    assert.equal(allowed(police, plain, 'chronology', 'change'), true)
    assert.equal(allowed(police, plain, 'task', 'change'), true)
    const reader = user(['partner-read-only'], 'police', 'team-police')
    assert.equal(allowed(reader, plain, 'case', 'view'), true)
    for (const resource of ['case', 'person', 'chronology', 'task', 'export'] as const)
      assert.equal(allowed(reader, plain, resource, 'change'), false)
    assert.equal(allowed(reader, plain, 'export', 'view'), false)
  })

  it('hides everything from unshared partners and revoked shares', () => {
    assert.equal(grantOf(user(['supervisor'], 'housing', 'team-housing'), plain), 'none')
    assert.equal(grantOf(user(['officer'], 'police', 'team-police'), { ...plain, shared_partner_ids: [] }), 'none')
  })

  it('keeps sensitive cases from readers: panel coordinators, analysts and partner read-only', () => {
    assert.equal(grantOf(user(['analyst'], 'council', 'team-asb'), plain), 'read')
    assert.equal(grantOf(user(['analyst'], 'council', 'team-asb'), sensitive), 'none')
    assert.equal(grantOf(user(['panel-coordinator'], 'council', 'team-asb'), sensitive), 'none')
    assert.equal(grantOf(user(['partner-read-only'], 'police', 'team-police'), sensitive), 'none')
    assert.equal(grantOf(user(['officer'], 'police', 'team-police'), sensitive), 'joint')
  })

  it('gives administrators nothing by their role alone', () => {
    assert.equal(grantOf(user(['administrator'], 'council', 'team-asb'), plain), 'none')
    assert.equal(grantOf(user(['administrator', 'officer'], 'council', 'team-asb'), plain), 'work')
  })

  it('derives list visibility from the same grants', () => {
    assert.deepEqual(visibilityFor(user(['partner-read-only'], 'police', 'team-police')), {
      team: { plain: false, sensitive: false },
      partner: { plain: false, sensitive: false },
      shared: { plain: true, sensitive: false },
    })
    assert.deepEqual(visibilityFor(user(['supervisor'], 'council', 'team-asb')).partner, {
      plain: true,
      sensitive: true,
    })
  })
})

describe('report access policy (ADR 0019)', () => {
  const staff = (roles: Role[], partnerId: string, partnerKind: string, teamId: string | null) => ({
    roles,
    partnerId,
    partnerKind,
    teamId,
  })
  const officer = staff(['officer'], 'council', 'council', 'team-asb')
  const enforcer = staff(['officer'], 'council', 'council', 'team-enforcement')
  const councilSupervisor = staff(['supervisor'], 'council', 'council', 'team-enforcement')
  const police = staff(['officer'], 'police', 'police', 'team-police')
  const allocated: ReportAccessFacts = {
    case: null,
    owning_team_id: 'team-asb',
    owning_partner_id: 'council',
    pool_partner_kinds: ['council'],
    sensitivity: null,
  }
  const hate: ReportAccessFacts = { ...allocated, pool_partner_kinds: ['council', 'police'], sensitivity: 'hate' }
  const pooled: ReportAccessFacts = { ...allocated, owning_team_id: null, owning_partner_id: null }
  const unsharedCase: ReportAccessFacts = { case: { ...plain, shared_partner_ids: [] } }

  it('lets the allocated team and its partner’s supervisors work a report no case holds, and nobody else', () => {
    assert.equal(reportAllowed(officer, allocated, 'change'), true)
    assert.equal(reportAllowed(councilSupervisor, allocated, 'change'), true)
    assert.equal(reportAllowed(enforcer, allocated, 'view'), false)
    assert.equal(reportAllowed(police, allocated, 'view'), false)
    assert.equal(reportAllowed(enforcer, hate, 'view'), false)
  })

  it('puts a report no rule allocates in the pool of the partners owning its category', () => {
    assert.equal(reportAllowed(enforcer, pooled, 'change'), true)
    assert.equal(reportAllowed(police, pooled, 'view'), false)
    assert.equal(reportAllowed(staff(['analyst'], 'council', 'council', null), pooled, 'change'), false)
  })

  it('makes a linked report exactly as visible and changeable as its case', () => {
    assert.equal(reportAllowed(police, unsharedCase, 'view'), false)
    assert.equal(reportAllowed(police, { case: plain }, 'view'), true)
    assert.equal(reportAllowed(police, { case: plain }, 'change'), false)
    assert.equal(reportAllowed(officer, { case: plain }, 'change'), true)
  })

  it('withholds a confidential reporter’s details from a partner the case is shared with', () => {
    const reporter = { reporter_mode: 'confidential', consent_to_share: false }
    assert.equal(reporterContactShown(police, { case: plain }, reporter), false)
    assert.equal(reporterContactShown(officer, { case: plain }, reporter), true)
    assert.equal(reporterContactShown(councilSupervisor, { case: plain }, reporter), true)
    assert.equal(reporterContactShown(police, { case: plain }, { ...reporter, consent_to_share: true }), true)
  })
})
