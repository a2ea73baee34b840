/**
 * The route-declaration check and the case-route authorisation matrix, generated from the built application
 * (ADR 0019).
 *
 * 1. Every staff route whose URL has a parameter declares the record it touches (`config.resource`, with a guard or
 *    `check: 'handler'`) or says why its parameter names no personal record (`resource: { none: 'reason' }`): a new
 *    route that forgets fails here, whichever module it is in.
 * 2. Every route declaring a case resource (casework, risk, powers, the panels' case pages) is asked over HTTP by
 *    every role × relation (owning team, another team of the owning partner, a partner the case is shared with, a
 *    partner it is not) × plain or sensitive case, with real records behind every sub-parameter (a victim, a risk
 *    assessment, a powers action and its letter, a DASH checklist, a task). The expected answer comes from the
 *    policy (`allowed`) for the part and action the route declares: 404 when the case is invisible (exactly as a
 *    missing case), 403 when visible but not permitted (or the role may not use the route), otherwise success (200,
 *    303, or 400 for the deliberately empty forms).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import {
  asUser,
  blankVariableParts,
  declaredRoutes,
  openCaseAs,
  signedInUsers,
  type DeclaredRoute,
} from '../../../test/helpers/authorisation-matrix.js'
import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { printEachDocumentOnce } from '../../../test/helpers/pdf-once.js'
import { createStaff, signIn } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import { hasAnyRole, ROLES, type Role } from '../accounts/index.js'
import { DASH_TOPICS, PANEL_PARTS } from '../panels/index.js'
import { allowed, RESOURCES, type CaseAccessFacts, type CaseResource } from './policy.js'

const clock = fixedClock('2026-11-20T10:00:00Z')

const RELATIONS = ['owning-team', 'owning-partner', 'shared', 'unshared'] as const
type RelationCase = (typeof RELATIONS)[number]
const HOME: Record<RelationCase, { partnerCode: string; partnerKind: string; teamCode: string }> = {
  'owning-team': { partnerCode: 'council', partnerKind: 'council', teamCode: 'asb-investigations' },
  'owning-partner': { partnerCode: 'council', partnerKind: 'council', teamCode: 'enforcement' },
  shared: { partnerCode: 'police', partnerKind: 'police', teamCode: 'police-partnership' },
  unshared: { partnerCode: 'housing', partnerKind: 'housing', teamCode: 'housing-asb' },
}

interface Subject {
  sensitivity: string | null
  id: string
  reference: string
  facts: CaseAccessFacts
  /** Values for every sub-record parameter a case route has. */
  params: Record<string, string>
}

type CaseRoute = DeclaredRoute

const dated = (prefix: string, iso: string) => {
  const [year = '', month = '', day = ''] = iso.split('-')
  return { [`${prefix}-day`]: day, [`${prefix}-month`]: month, [`${prefix}-year`]: year }
}

describe('Integration: route declarations and the case-route authorisation matrix', () => {
  let t: TestApp
  const users = signedInUsers()
  const subjects: Subject[] = []
  let routes: CaseRoute[] = []

  const { post, send } = asUser(() => t.app)

  before(async () => {
    t = await buildTestApp({ clock })
    // Each case's warning letter is printed by Chromium once; every other permitted user gets those same bytes through
    // the same route, guard and audit (test/helpers/pdf-once.ts).
    printEachDocumentOnce(t.deps.pdf)
    for (const relation of RELATIONS) {
      for (const role of ROLES) {
        const staff = await createStaff(t.deps, { roles: [role], ...HOME[relation] })
        const user = await t.deps.accounts.repository.userById(staff.id)
        assert.ok(user)
        users.set(`${role}/${relation}`, { session: await signIn(t.app, t.deps, staff), user })
      }
    }
    const owner = users.get('officer/owning-team')
    const actor = { type: 'user' as const, id: owner.user.id }
    const police = users.get('officer/shared').user.partnerId
    const yearsAgo = (years: number) => `${String(2026 - years)}-06-01`

    for (const sensitivity of [null, 'domestic-abuse'] as const) {
      const row = await openCaseAs(t.deps, owner, {
        title: sensitivity ? 'Sensitive matrix case' : 'Plain matrix case',
        sensitivity,
      })
      const victimId = await t.deps.casework.addParty(
        row,
        { role: 'victim', kind: 'person', name: 'Matrix Victim', dateOfBirth: yearsAgo(40) },
        actor,
      )
      const perpetratorId = await t.deps.casework.addParty(
        row,
        { role: 'perpetrator', kind: 'person', name: 'Matrix Perpetrator', dateOfBirth: yearsAgo(30) },
        actor,
      )
      const shared = await t.deps.casework.repository.caseById(row.id)
      assert.ok(shared)
      await t.deps.casework.share(
        shared,
        { partnerId: police, lawfulBasis: 'cda-1998-s115', consentStatus: 'given' },
        actor,
        'Police',
      )
      const caseRow = await t.deps.casework.repository.caseById(row.id)
      assert.ok(caseRow)

      // A low-risk assessment (so asking for its MARAC referral changes nothing), recorded as the owning officer.
      const answers: Record<string, string> = {}
      for (const question of t.deps.risk.policy.questions)
        answers[question.id] = question.kind === 'scale' ? (question.options?.[0]?.value ?? '') : 'no'
      const assessed = await t.deps.risk.record(owner.user, actor, caseRow, {
        partyId: victimId,
        answers,
        assessedOn: '2026-11-19',
        overrideLevel: '',
        overrideReason: '',
        notes: '',
        submissionId: randomUUID(),
      })
      assert.ok(assessed.ok)

      // A warning letter through its page, so the letter is kept on the case as the action sends it.
      // Previewed and then confirmed: the confirmed draft's id answers every draft route with the action it recorded.
      const draftId = randomUUID()
      const previewed = await post(owner.session, `/cases/${row.id}/powers/cpw/new`, {
        submissionId: draftId,
        party: perpetratorId,
        ...dated('actionDate', '2026-11-20'),
        conduct: 'Loud music nightly',
        requirements: 'No amplified music after 11pm',
        complianceDays: '14',
      })
      assert.equal(previewed.statusCode, 303, previewed.body.slice(0, 500))
      const warning = await post(owner.session, `${previewed.headers.location ?? ''}/confirm`)
      assert.equal(warning.statusCode, 303, warning.body.slice(0, 500))
      const actionId = (warning.headers.location ?? '').split('/').pop() ?? ''
      const letter = await t.deps.casework.repository.letterFor(row.id, 'powers', actionId)
      assert.ok(letter)

      // A DASH checklist that meets no referral criterion.
      const dash = await post(owner.session, `/panels/cases/${row.id}/dash/new`, {
        submissionId: randomUUID(),
        party: victimId,
        ...Object.fromEntries(DASH_TOPICS.map(topic => [`q-${topic}`, 'no'])),
        ...dated('incident', '2026-11-18'),
        callouts: '',
        refer: 'no',
      })
      assert.equal(dash.statusCode, 303, dash.body.slice(0, 500))
      const dashId = (dash.headers.location ?? '').split('/').pop() ?? ''

      const task = (await t.deps.casework.repository.tasks(row.id))[0]
      assert.ok(task)
      subjects.push({
        sensitivity,
        id: row.id,
        reference: row.reference,
        facts: {
          owning_team_id: caseRow.owning_team_id,
          owning_partner_id: caseRow.owning_partner_id,
          sensitivity,
          shared_partner_ids: [police],
        },
        params: {
          partyId: victimId,
          assessmentId: assessed.id,
          actionId,
          draftId,
          power: 'cpw',
          letterId: letter.id,
          taskId: task.id,
          // Revoking a real share would change the relations under test: a permitted user is asked about a share that
          // does not exist and gets the share lookup's 404 (see `expectedWhenPermitted`).
          shareId: randomUUID(),
          dash: dashId,
        },
      })
    }
    routes = declaredRoutes(t.app, ['case'])
  })
  after(() => t.close())

  /** The route's URL for this case: its declared parameter holds the case, the others its sub-records. */
  function urlFor(route: CaseRoute, subject: Subject, caseValue?: string): string {
    const { param } = route.resource
    return route.url.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      if (name === param) return caseValue ?? (name === 'reference' ? subject.reference : subject.id)
      // The panels' DASH page is the only case route whose sub-record parameter is `:id`.
      const value = name === 'id' ? subject.params.dash : subject.params[name]
      assert.ok(value, `no value for :${name} in ${route.url}`)
      return value
    })
  }

  const expectedWhenPermitted = (route: CaseRoute) => (route.url.endsWith('/revoke') ? 404 : undefined)

  it('has a declaration on every staff route with a parameter, and a reason on every route naming no record', () => {
    const problems: string[] = []
    for (const route of t.app.routeInventory()) {
      if (route.access === 'public' || !/:[A-Za-z]/.test(route.url)) continue
      const name = `${route.method} ${route.url}`
      const declared = route.resource
      if (declared === undefined) problems.push(`${name}: declares nothing`)
      else if ('none' in declared) {
        if (declared.none.trim().length < 10) problems.push(`${name}: says it names no record without a reason`)
      } else {
        if (!route.url.includes(`:${declared.param}`)) problems.push(`${name}: has no parameter :${declared.param}`)
        if (declared.type === 'case' && !RESOURCES.includes(declared.part as CaseResource))
          problems.push(`${name}: case part ${String(declared.part)} is not one the policy knows`)
        if (declared.type === 'panel' && !(PANEL_PARTS as readonly string[]).includes(declared.part ?? 'panel'))
          problems.push(`${name}: panel part ${String(declared.part)} is not one the policy knows`)
      }
    }
    assert.deepEqual(problems, [])
    // Every case page of casework, risk, powers and the panels is declared route by route.
    const prefixes = new Set(routes.map(route => route.url.split('/').slice(0, 4).join('/')))
    for (const prefix of [
      '/cases/:reference',
      '/cases/:id/risk-assessments',
      '/cases/:id/powers',
      '/panels/cases/:caseId',
    ])
      assert.ok(prefixes.has(prefix), prefix)
    assert.ok(routes.length >= 40, `only ${String(routes.length)} case routes declared`)
  })

  for (const relation of RELATIONS) {
    it(`answers every case route as the policy says, for every role in ${relation}`, async () => {
      const problems: string[] = []
      for (const role of ROLES) {
        const { session, user } = users.get(`${role}/${relation}`)
        for (const subject of subjects) {
          for (const route of routes) {
            const access = route.access as { roles?: readonly Role[] } | 'staff'
            const mayUse = access === 'staff' || hasAnyRole(user, access.roles ?? [])
            const visible = allowed(user, subject.facts, 'case', 'view')
            const permitted = allowed(user, subject.facts, route.resource.part as CaseResource, route.resource.action)
            const response = await send(session, route.method, urlFor(route, subject))
            const status = response.statusCode
            const special = expectedWhenPermitted(route)
            const ok = !mayUse
              ? status === 403
              : !visible
                ? status === 404
                : !permitted
                  ? status === 403
                  : special
                    ? status === special
                    : status < 403
            if (!ok)
              problems.push(
                `${role} ${subject.sensitivity ?? 'plain'} ${route.method} ${route.url}: got ${String(status)} (route ${String(mayUse)}, visible ${String(visible)}, permitted ${String(permitted)})`,
              )
            // A permitted user gets the document itself.
            if (
              ok &&
              status === 200 &&
              route.url.endsWith('.pdf') &&
              (response.headers['content-type'] !== 'application/pdf' ||
                response.rawPayload.subarray(0, 5).toString('latin1') !== '%PDF-')
            )
              problems.push(`${role} ${subject.sensitivity ?? 'plain'} ${route.method} ${route.url}: not a PDF`)
          }
        }
      }
      assert.deepEqual(problems, [])
    })
  }

  it('answers every case route on an invisible case exactly as on a missing one', async () => {
    // A supervisor may use every case route (the access log is theirs alone), so no answer is the role's 403.
    const outsider = users.get('supervisor/unshared')
    const subject = subjects[0]
    assert.ok(subject)
    const missingId = randomUUID()
    const missingReference = 'ASB-2026-99999'
    const normalise = (body: string, values: string[]) => blankVariableParts(body, values, 'CASE')
    const problems: string[] = []
    for (const route of routes) {
      const byReference = route.resource.param === 'reference'
      const hidden = await send(outsider.session, route.method, urlFor(route, subject))
      const missing = await send(
        outsider.session,
        route.method,
        urlFor(route, subject, byReference ? missingReference : missingId),
      )
      const name = `${route.method} ${route.url}`
      if (hidden.statusCode !== 404 || missing.statusCode !== 404)
        problems.push(`${name}: ${String(hidden.statusCode)} / ${String(missing.statusCode)}`)
      else if (
        normalise(hidden.body, [subject.id, subject.reference]) !==
        normalise(missing.body, [missingId, missingReference])
      )
        problems.push(`${name}: the bodies differ`)
    }
    assert.deepEqual(problems, [])
    const refusals = (await t.deps.audit.forSubject('case', subject.id)).filter(
      event => event.action === 'case.access-refused' && event.actor_id === outsider.user.id,
    )
    assert.ok(refusals.length >= routes.length, 'every refused attempt is on the case’s access log')
  })
})
