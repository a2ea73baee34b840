/**
 * The authorisation matrix, generated from the policy: every role × relation to the owning partner (owning team,
 * another team of the owning partner, a partner the case is shared with, a partner it is not shared with) × plain or
 * sensitive case × resource × action, asserted over HTTP. The expectation for each cell is what `allowed` says; the
 * HTTP answer is 404 when the case is invisible (exactly like a missing case), 403 when it is visible but the cell is
 * denied, and success otherwise. A separate table (policy.test.ts) pins the policy itself to the documented rule.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { openCaseAs } from '../../../test/helpers/authorisation-matrix.js'
import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import { ROLES, type Role } from '../accounts/index.js'
import { ACTIONS, RESOURCES, allowed, type CaseAction, type CaseResource } from './policy.js'

const clock = fixedClock('2026-11-20T10:00:00Z')
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

const RELATIONS = ['owning-team', 'owning-partner', 'shared', 'unshared'] as const
type RelationCase = (typeof RELATIONS)[number]
const HOME: Record<RelationCase, { partnerCode: string; teamCode: string }> = {
  'owning-team': { partnerCode: 'council', teamCode: 'asb-investigations' },
  'owning-partner': { partnerCode: 'council', teamCode: 'enforcement' },
  shared: { partnerCode: 'police', teamCode: 'police-partnership' },
  unshared: { partnerCode: 'housing', teamCode: 'housing-asb' },
}

interface Subject {
  id: string
  reference: string
  partyId: string
  sensitivity: string | null
}

describe('Integration: the casework authorisation matrix', () => {
  let t: TestApp
  const sessions = new Map<
    string,
    { session: StaffSession; user: { id: string; partnerId: string; teamId: string | null; roles: Role[] } }
  >()
  const subjects: Subject[] = []
  let sharedPartnerId = ''

  before(async () => {
    t = await buildTestApp({ clock })
    for (const role of ROLES) {
      for (const relation of RELATIONS) {
        const staff = await createStaff(t.deps, { roles: [role], ...HOME[relation] })
        const record = await t.deps.accounts.repository.userById(staff.id)
        assert.ok(record)
        sessions.set(`${role}/${relation}`, {
          session: await signIn(t.app, t.deps, staff),
          user: { id: record.id, partnerId: record.partnerId, teamId: record.teamId, roles: record.roles },
        })
      }
    }
    const owner = sessions.get('officer/owning-team')
    assert.ok(owner)
    const actor = { type: 'user' as const, id: owner.user.id }
    const police = await t.deps.accounts.repository.partnerByCode('police')
    assert.ok(police)
    sharedPartnerId = police.id
    for (const sensitivity of [null, 'domestic-abuse'] as const) {
      const row = await openCaseAs(t.deps, owner, { title: sensitivity ? 'Sensitive case' : 'Plain case', sensitivity })
      const partyId = await t.deps.casework.addParty(
        row,
        { role: 'victim', kind: 'person', name: 'Victim Person' },
        actor,
      )
      const fresh = await t.deps.casework.repository.caseById(row.id)
      assert.ok(fresh)
      await t.deps.casework.share(
        fresh,
        { partnerId: police.id, lawfulBasis: 'cda-1998-s115', consentStatus: 'given' },
        actor,
        police.name,
      )
      subjects.push({ id: row.id, reference: row.reference, partyId, sensitivity })
    }
  })
  after(() => t.close())

  async function request(
    session: StaffSession,
    subject: Subject,
    resource: CaseResource,
    action: CaseAction,
    userId: string,
  ) {
    const base = `/cases/${subject.reference}`
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } })
    const post = (url: string, values: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { ...FORM, cookie: session.cookie },
        payload: new URLSearchParams({ _csrf: session.token, ...values }).toString(),
      })
    if (action === 'view') {
      const url = {
        case: base,
        person: `${base}/parties/${subject.partyId}`,
        chronology: `${base}/chronology`,
        task: `${base}/tasks`,
        export: `${base}/export`,
      }[resource]
      return get(url)
    }
    switch (resource) {
      case 'case': {
        const row = await t.deps.casework.repository.caseById(subject.id)
        return post(`${base}/edit`, {
          title: row?.title ?? '',
          category: 'harassment',
          priority: 'medium',
          sensitivity: subject.sensitivity ?? '',
          leadOfficerId: row?.lead_officer_id ?? '',
          location: 'Matrix Street',
          version: String(row?.version ?? 0),
        })
      }
      case 'person':
        return post(`${base}/parties`, { role: 'witness', kind: 'person', name: 'A Witness' })
      case 'chronology':
        return post(`${base}/chronology`, { kind: 'note', summary: 'Matrix note' })
      case 'task':
        return post(`${base}/tasks`, {
          title: 'Matrix task',
          ownerUserId: userId,
          'dueDate-day': '1',
          'dueDate-month': '12',
          'dueDate-year': '2026',
        })
      case 'export':
        return post(`${base}/export`, {})
    }
  }

  for (const role of ROLES) {
    for (const relation of RELATIONS) {
      it(`${role} in ${relation}: every resource and action on plain and sensitive cases`, async () => {
        const entry = sessions.get(`${role}/${relation}`)
        assert.ok(entry)
        const problems: string[] = []
        for (const subject of subjects) {
          const facts = {
            owning_team_id: sessions.get('officer/owning-team')?.user.teamId ?? '',
            owning_partner_id: sessions.get('officer/owning-team')?.user.partnerId ?? '',
            sensitivity: subject.sensitivity,
            shared_partner_ids: [sharedPartnerId],
          }
          const visible = allowed(entry.user, facts, 'case', 'view')
          for (const resource of RESOURCES) {
            for (const action of ACTIONS) {
              const permitted = allowed(entry.user, facts, resource, action)
              const response = await request(entry.session, subject, resource, action, entry.user.id)
              // No route changes an export: every user gets 404 for that cell, and the policy denies it to all.
              const expected =
                resource === 'export' && action === 'change'
                  ? 404
                  : !visible
                    ? 404
                    : !permitted
                      ? 403
                      : action === 'view'
                        ? 200
                        : 303
              if (resource === 'export' && action === 'change') assert.equal(permitted, false)
              if (response.statusCode !== expected)
                problems.push(
                  `${subject.sensitivity ?? 'plain'} ${resource}/${action}: expected ${String(expected)}, got ${String(response.statusCode)}`,
                )
            }
          }
        }
        assert.deepEqual(problems, [])
      })
    }
  }

  it('answers an invisible case exactly as a missing one, and audits the attempt', async () => {
    const outsider = sessions.get('officer/unshared')
    assert.ok(outsider)
    const subject = subjects[0]
    assert.ok(subject)
    const normalise = (body: string) =>
      body
        .replace(/nonce="[^"]*"/g, 'nonce=""')
        .replace(/name="_csrf" value="[^"]*"/g, '')
        .replaceAll(subject.reference, 'REF')
    const hidden = await t.app.inject({
      method: 'GET',
      url: `/cases/${subject.reference}`,
      headers: { cookie: outsider.session.cookie },
    })
    const missing = await t.app.inject({
      method: 'GET',
      url: '/cases/REF',
      headers: { cookie: outsider.session.cookie },
    })
    assert.equal(hidden.statusCode, 404)
    assert.equal(missing.statusCode, 404)
    assert.equal(normalise(hidden.body), normalise(missing.body))
    const events = await t.deps.audit.forSubject('case', subject.id)
    assert.ok(events.some(event => event.action === 'case.access-refused' && event.actor_id === outsider.user.id))
  })

  it('records every view on the case, and shows supervisors the access log', async () => {
    const subject = subjects[0]
    assert.ok(subject)
    const supervisor = sessions.get('supervisor/owning-team')
    assert.ok(supervisor)
    const log = await t.app.inject({
      method: 'GET',
      url: `/cases/${subject.reference}/access-log`,
      headers: { cookie: supervisor.session.cookie },
    })
    assert.equal(log.statusCode, 200)
    assert.match(log.body, /Viewed the case/)
    assert.match(log.body, /Exported the case/)
    assert.match(log.body, /Was refused access/)
    const officer = sessions.get('officer/owning-team')
    assert.ok(officer)
    const refused = await t.app.inject({
      method: 'GET',
      url: `/cases/${subject.reference}/access-log`,
      headers: { cookie: officer.session.cookie },
    })
    assert.equal(refused.statusCode, 403)
  })

  it('lists only the cases a user may see', async () => {
    const list = async (key: string) => {
      const entry = sessions.get(key)
      assert.ok(entry)
      const response = await t.app.inject({ method: 'GET', url: '/cases', headers: { cookie: entry.session.cookie } })
      assert.equal(response.statusCode, 200)
      return subjects.filter(subject => response.body.includes(subject.reference)).map(subject => subject.sensitivity)
    }
    assert.deepEqual(await list('officer/owning-team'), [null, 'domestic-abuse'])
    assert.deepEqual(await list('partner-read-only/shared'), [null])
    assert.deepEqual(await list('officer/shared'), [null, 'domestic-abuse'])
    assert.deepEqual(await list('officer/unshared'), [])
    assert.deepEqual(await list('administrator/owning-team'), [])
  })
})
