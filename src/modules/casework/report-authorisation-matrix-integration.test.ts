/**
 * The report authorisation matrix, generated from the built application and the policy (ADR 0019).
 *
 * 1. The report pages, evidence, status and every triage decision declare a report resource (that every staff route
 *    with a parameter declares something is checked in case-routes-authorisation-matrix-integration.test.ts).
 * 2. Every route declaring a report resource is asked, over HTTP, by every role × relation (owning team, another team
 *    of the owning partner, a partner the case is shared with, a partner it is not) × report (plain or sensitive, in a
 *    case or not, allocated to a team or in a partner pool). The expected answer comes from `reportAllowed`: 404 when
 *    the report is invisible (exactly as a missing one), 403 when visible but not changeable (or the role may not use
 *    the route at all), anything else (200, 303, or 400 for the deliberately empty forms) when permitted.
 */
import assert from 'node:assert/strict'
import { createHash, randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import {
  asUser,
  blankVariableParts,
  declaredRoutes,
  FORM,
  signedInUsers,
  type DeclaredRoute,
} from '../../../test/helpers/authorisation-matrix.js'
import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn } from '../../../test/helpers/staff.js'
import { systemActor } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import { hasAnyRole, ROLES, type Role } from '../accounts/index.js'
import type { IntakeInput } from '../reporting/index.js'
import { reportAllowed, type ReportAccessFacts } from './policy.js'
import { poolPartnerKinds } from './report-access.js'
import { reporterParty } from './triage-service.js'

const clock = fixedClock('2026-11-20T10:00:00Z')
const MISSING = 'ASB-2026-ZZZZ'

const RELATIONS = ['owning-team', 'owning-partner', 'shared', 'unshared'] as const
type RelationCase = (typeof RELATIONS)[number]
const HOME: Record<RelationCase, { partnerCode: string; partnerKind: string; teamCode: string }> = {
  'owning-team': { partnerCode: 'council', partnerKind: 'council', teamCode: 'asb-investigations' },
  'owning-partner': { partnerCode: 'council', partnerKind: 'council', teamCode: 'enforcement' },
  shared: { partnerCode: 'police', partnerKind: 'police', teamCode: 'police-partnership' },
  unshared: { partnerCode: 'housing', partnerKind: 'housing', teamCode: 'housing-asb' },
}

type SubjectKind = 'plain' | 'sensitive' | 'plain-case' | 'sensitive-case' | 'unshared-case' | 'pool'
interface Subject {
  kind: SubjectKind
  reportId: number
  reference: string
  evidenceId: string
  caseId: string | null
  caseReference: string | null
  facts: ReportAccessFacts
}

function intake(category: string): IntakeInput {
  return {
    channel: 'web',
    category,
    location: { postcode: 'E1 0AA' },
    occurredOn: '2026-11-19',
    pattern: 'ongoing',
    frequency: 'several_times_a_week',
    description: `Matrix report about ${category}`,
    impact: {
      reporterRole: 'victim',
      howOften: 'regularly',
      unsafeAtHome: 'no',
      healthAffected: 'no',
      targeted: 'no',
      characteristics: [],
    },
    reporter: {
      mode: 'confidential',
      name: 'Carys Confidential',
      email: 'carys@example.org',
      phone: '07700 900123',
      contactPreference: 'email',
      consentToShare: false,
    },
  }
}

describe('Integration: the report authorisation matrix', () => {
  let t: TestApp
  const users = signedInUsers()
  const subjects: Subject[] = []
  let routes: DeclaredRoute[] = []

  before(async () => {
    t = await buildTestApp({ clock })
    for (const relation of RELATIONS) {
      for (const role of ROLES) {
        const staff = await createStaff(t.deps, { roles: [role], ...HOME[relation] })
        const user = await t.deps.accounts.repository.userById(staff.id)
        assert.ok(user)
        users.set(`${role}/${relation}`, { session: await signIn(t.app, t.deps, staff), user })
      }
    }
    const owner = users.get('officer/owning-team').user
    const teamId = owner.teamId ?? ''
    const actor = { type: 'user' as const, id: owner.id }
    const police = users.get('officer/shared').user.partnerId
    for (const category of ['noise_music', 'hate']) {
      await t.deps.casework.addAllocationRule(
        { position: 10, category, wardCode: null, channel: null, teamId, leadOfficerId: null },
        systemActor,
      )
    }

    const kinds: [SubjectKind, string][] = [
      ['plain', 'noise_music'],
      ['sensitive', 'hate'],
      ['plain-case', 'noise_music'],
      ['sensitive-case', 'hate'],
      ['unshared-case', 'noise_music'],
      ['pool', 'graffiti'],
    ]
    for (const [kind, category] of kinds) {
      const { report } = await t.deps.reporting.intake.submit(intake(category), systemActor)
      const evidenceId = randomUUID()
      const content = Buffer.from(`evidence for ${report.reference}`)
      await t.deps.reporting.repository.insertEvidence({
        id: evidenceId,
        draft_id: null,
        report_id: report.id,
        kind: 'photo',
        content_type: 'image/jpeg',
        file_name: 'photo.jpg',
        size_bytes: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
        width: 1,
        height: 1,
        content,
        created_at: clock.now(),
      })
      let caseId: string | null = null
      let caseReference: string | null = null
      let facts: ReportAccessFacts
      if (kind.endsWith('-case')) {
        const sensitivity = kind === 'sensitive-case' ? 'hate' : null
        const opened = await t.deps.casework.openCase(
          {
            title: `Case for ${kind}`,
            category,
            priority: 'medium',
            sensitivity,
            owningTeamId: teamId,
            owningPartnerId: owner.partnerId,
            leadOfficerId: owner.id,
            wardCode: null,
            reportIds: [report.id],
          },
          actor,
        )
        caseId = opened.id
        caseReference = opened.reference
        const shared = kind !== 'unshared-case'
        if (shared) {
          const row = await t.deps.casework.repository.caseById(opened.id)
          assert.ok(row)
          await t.deps.casework.share(
            row,
            { partnerId: police, lawfulBasis: 'cda-1998-s115', consentStatus: 'given' },
            actor,
            'Police',
          )
        }
        facts = {
          case: {
            owning_team_id: teamId,
            owning_partner_id: owner.partnerId,
            sensitivity,
            shared_partner_ids: shared ? [police] : [],
          },
        }
      } else {
        facts = {
          case: null,
          owning_team_id: kind === 'pool' ? null : teamId,
          owning_partner_id: kind === 'pool' ? null : owner.partnerId,
          pool_partner_kinds: poolPartnerKinds(category),
          sensitivity: category === 'hate' ? 'hate' : null,
        }
      }
      subjects.push({
        kind,
        reportId: report.id,
        reference: report.reference,
        evidenceId,
        caseId,
        caseReference,
        facts,
      })
    }
    routes = declaredRoutes(t.app, ['report'])
  })
  after(() => t.close())

  const subject = (kind: SubjectKind): Subject => {
    const found = subjects.find(item => item.kind === kind)
    assert.ok(found)
    return found
  }

  const { send } = asUser(() => t.app)

  const urlFor = (template: string, reference: string, evidenceId: string) =>
    template.replace(':reference', reference).replace(':id', evidenceId)

  it('declares a report resource on the report pages, evidence, status and every triage decision', () => {
    const declared = routes.map(route => `${route.method} ${route.url}`).sort()
    assert.deepEqual(declared, [
      'GET /staff/reports/:reference',
      'GET /staff/reports/:reference/evidence/:id',
      'GET /staff/triage/:reference',
      'POST /staff/reports/:reference/status',
      'POST /staff/triage/:reference/case',
      'POST /staff/triage/:reference/close',
      'POST /staff/triage/:reference/duplicate',
      'POST /staff/triage/:reference/link',
      'POST /staff/triage/:reference/refer',
    ])
  })

  for (const relation of RELATIONS) {
    it(`answers every report route as the policy says, for every role in ${relation}`, async () => {
      const problems: string[] = []
      for (const role of ROLES) {
        const { session, user } = users.get(`${role}/${relation}`)
        for (const item of subjects) {
          for (const route of routes) {
            const access = route.access as { roles?: readonly Role[] } | 'staff'
            const mayUse = access === 'staff' || hasAnyRole(user, access.roles ?? [])
            const visible = reportAllowed(user, item.facts, 'view')
            const permitted = reportAllowed(user, item.facts, route.resource.action)
            const response = await send(session, route.method, urlFor(route.url, item.reference, item.evidenceId))
            const status = response.statusCode
            const ok = !mayUse ? status === 403 : !visible ? status === 404 : !permitted ? status === 403 : status < 403
            if (!ok)
              problems.push(
                `${role} ${item.kind} ${route.method} ${route.url}: got ${String(status)} (route ${String(mayUse)}, visible ${String(visible)}, permitted ${String(permitted)})`,
              )
          }
        }
      }
      assert.deepEqual(problems, [])
    })
  }

  it('answers a police officer on an unshared council report exactly as a missing report, and logs it on the case', async () => {
    const police = users.get('officer/shared')
    const hidden = subject('unshared-case')
    const normalise = (body: string, reference: string) =>
      blankVariableParts(body.replace(/data-reference="[^"]*"|Reference: [^<\s]*/g, ''), [reference], 'REF')
    const before = await t.deps.reporting.reports.findByReference(hidden.reference)
    const refusalsOnCase = async () =>
      (await t.deps.audit.forSubject('case', hidden.caseId ?? '')).filter(
        event => event.action === 'case.access-refused' && event.actor_id === police.user.id,
      )
    const earlier = (await refusalsOnCase()).length
    for (const route of routes) {
      const refused = await send(police.session, route.method, urlFor(route.url, hidden.reference, hidden.evidenceId))
      const missing = await send(police.session, route.method, urlFor(route.url, MISSING, hidden.evidenceId))
      assert.equal(refused.statusCode, 404, `${route.method} ${route.url}`)
      assert.equal(missing.statusCode, 404, `${route.method} ${route.url}`)
      assert.equal(refused.headers['content-type'], missing.headers['content-type'])
      assert.equal(normalise(refused.body, hidden.reference), normalise(missing.body, MISSING))
      assert.doesNotMatch(refused.body, /Carys|carys@example\.org|07700/)
    }
    // A real status change from the police officer changes nothing and tells the resident nothing.
    const post = await t.app.inject({
      method: 'POST',
      url: `/staff/reports/${hidden.reference}/status`,
      headers: { ...FORM, cookie: police.session.cookie },
      payload: new URLSearchParams({
        _csrf: police.session.token,
        status: 'action_taken',
        publicNote: 'Police note the resident must not see',
      }).toString(),
    })
    assert.equal(post.statusCode, 404)
    const after = await t.deps.reporting.reports.findByReference(hidden.reference)
    assert.equal(after?.status, before?.status)
    const updates = await t.deps.reporting.repository.updatesFor(hidden.reportId)
    assert.ok(updates.every(update => update.public_note !== 'Police note the resident must not see'))

    // One refusal per route above and one for the status change, each against the case and naming the report.
    const refusals = await refusalsOnCase()
    assert.equal(refusals.length - earlier, routes.length + 1)
    assert.ok(
      refusals.every(event => (event.details as { reportReference?: string }).reportReference === hidden.reference),
    )
    const log = await t.app.inject({
      method: 'GET',
      url: `/cases/${hidden.caseReference ?? ''}/access-log`,
      headers: { cookie: users.get('supervisor/owning-team').session.cookie },
    })
    assert.equal(log.statusCode, 200)
    assert.match(log.body, /Was refused access/)
    assert.ok(log.body.includes(police.user.displayName))
  })

  it('keeps a hate report owned by the ASB team from the council enforcement officer', async () => {
    const enforcer = users.get('officer/owning-partner')
    const hate = subject('sensitive')
    for (const url of [`/staff/reports/${hate.reference}`, `/staff/triage/${hate.reference}`]) {
      const response = await send(enforcer.session, 'GET', url)
      assert.equal(response.statusCode, 404, url)
    }
    const refusals = (await t.deps.audit.forSubject('report', String(hate.reportId))).filter(
      event => event.action === 'report.access-refused' && event.actor_id === enforcer.user.id,
    )
    assert.ok(refusals.length >= 2)
    const owner = await send(users.get('officer/owning-team').session, 'GET', `/staff/reports/${hate.reference}`)
    assert.equal(owner.statusCode, 200)
  })

  it('withholds a confidential reporter’s details from the partner a case is shared with', async () => {
    const item = subject('plain-case')
    const shared = await send(users.get('officer/shared').session, 'GET', `/staff/reports/${item.reference}`)
    assert.equal(shared.statusCode, 200)
    assert.match(shared.body, /withheld: the reporter asked not to share their details/)
    assert.doesNotMatch(shared.body, /Carys|carys@example\.org|07700 900123/)
    const owner = await send(users.get('officer/owning-team').session, 'GET', `/staff/reports/${item.reference}`)
    assert.match(owner.body, /carys@example\.org/)
    const supervisor = await send(
      users.get('supervisor/owning-partner').session,
      'GET',
      `/staff/reports/${item.reference}`,
    )
    assert.match(supervisor.body, /carys@example\.org/)
  })

  it('withholds the confidential reporter as a party of the case from the partner it is shared with', async () => {
    const item = subject('plain-case')
    assert.ok(item.caseId && item.caseReference)
    const row = await t.deps.casework.repository.caseById(item.caseId)
    const report = await t.deps.reporting.repository.findById(item.reportId)
    assert.ok(row && report)
    const party = reporterParty(report)
    assert.ok(party?.contactWithheld, 'a confidential reporter who did not consent is withheld')
    const partyId = await t.deps.casework.addParty(row, party, {
      type: 'user',
      id: users.get('officer/owning-team').user.id,
    })
    for (const url of [
      `/cases/${item.caseReference}`,
      `/cases/${item.caseReference}/parties/${partyId}`,
      `/cases/${item.caseReference}/export`,
    ]) {
      const shared = await send(users.get('officer/shared').session, 'GET', url)
      assert.equal(shared.statusCode, 200, url)
      assert.match(shared.body, /Withheld: a confidential reporter/, url)
      assert.doesNotMatch(shared.body, /Carys|carys@example\.org|07700 900123/, url)
      const owner = await send(users.get('officer/owning-team').session, 'GET', url)
      assert.match(owner.body, /Carys/, url)
    }
  })

  it('records reads of a linked report and its evidence in the case’s access log', async () => {
    const item = subject('plain-case')
    const officer = users.get('officer/shared')
    await send(officer.session, 'GET', `/staff/reports/${item.reference}`)
    await send(officer.session, 'GET', `/staff/reports/${item.reference}/evidence/${item.evidenceId}`)
    const events = await t.deps.audit.forSubject('case', item.caseId ?? '')
    const mine = events.filter(event => event.actor_id === officer.user.id).map(event => event.action)
    assert.ok(mine.includes('STAFF_REPORT_VIEWED'))
    assert.ok(mine.includes('REPORT_EVIDENCE_VIEWED'))
    const log = await t.app.inject({
      method: 'GET',
      url: `/cases/${item.caseReference ?? ''}/access-log`,
      headers: { cookie: users.get('supervisor/owning-team').session.cookie },
    })
    assert.match(log.body, /Viewed a report of the case/)
    assert.match(log.body, /Opened a report’s evidence|Opened a report&#39;s evidence|Opened a report's evidence/)
  })

  it('lists only the reports each user may see, on the staff list and the triage queue', async () => {
    const problems: string[] = []
    for (const relation of RELATIONS) {
      for (const role of ['officer', 'supervisor'] as const) {
        const { session, user } = users.get(`${role}/${relation}`)
        const list = await send(session, 'GET', '/staff/reports')
        const queue = await send(session, 'GET', '/staff/triage')
        assert.equal(list.statusCode, 200)
        assert.equal(queue.statusCode, 200)
        for (const item of subjects) {
          const visible = reportAllowed(user, item.facts, 'view')
          if (list.body.includes(item.reference) !== visible)
            problems.push(`${role}/${relation} list ${item.kind}: expected ${String(visible)}`)
          const queued = visible && item.caseId === null
          if (queue.body.includes(item.reference) !== queued)
            problems.push(`${role}/${relation} queue ${item.kind}: expected ${String(queued)}`)
        }
      }
    }
    assert.deepEqual(problems, [])
  })
})
