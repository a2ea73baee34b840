/**
 * The panel authorisation matrix, generated from the built application and the panel policy (panel-access.ts,
 * ADR 0019): every route declaring a panel resource is asked over HTTP by every role of a member partner and of a
 * partner that does not sit on the panel, with a real referral, meeting and agenda item behind its parameters. The
 * expected answer is what `panelAllowed` says for the part and action the route declares: 404 when the user is not
 * a member (exactly as a missing panel), 403 when a member may not do it (or the role may not use the route at all),
 * otherwise success (200, 303, or 400 for the deliberately empty forms).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import {
  asUser,
  declaredRoutes,
  openCaseAs,
  signedInUsers,
  type DeclaredRoute,
} from '../../../test/helpers/authorisation-matrix.js'
import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import { hasAnyRole, ROLES, type Role } from '../accounts/index.js'
import { DASH_TOPICS } from './marac-rules.js'
import { panelAllowed, type PanelPart } from './panel-access.js'
import type { PanelRow } from './panels-repository.js'

const clock = fixedClock('2026-11-20T10:00:00Z')
const HOMES = {
  council: { partnerCode: 'council', teamCode: 'asb-investigations' },
  police: { partnerCode: 'police', teamCode: 'police-partnership' },
  housing: { partnerCode: 'housing', teamCode: 'housing-asb' },
} as const
type Home = keyof typeof HOMES

type PanelRoute = DeclaredRoute

interface Fixture {
  panel: PanelRow
  referralId: string
  meetingId: string
  itemId: string
}

describe('Integration: the panel authorisation matrix', () => {
  let t: TestApp
  const users = signedInUsers()
  const fixtures = new Map<string, Fixture>()
  let routes: PanelRoute[] = []

  const { post, send } = asUser(() => t.app)

  before(async () => {
    t = await buildTestApp({ clock })
    for (const home of Object.keys(HOMES) as Home[]) {
      for (const role of ROLES) {
        const staff = await createStaff(t.deps, { roles: [role], ...HOMES[home] })
        const user = await t.deps.accounts.repository.userById(staff.id)
        assert.ok(user)
        users.set(`${role}/${home}`, { session: await signIn(t.app, t.deps, staff), user })
      }
    }
    const partner = async (code: string) => (await t.deps.accounts.repository.partnerByCode(code))?.id ?? ''
    const members = [await partner('council'), await partner('police')]
    for (const code of ['community-marac', 'da-marac', 'hate-incident-panel', 'tension-monitoring']) {
      const panel = await t.deps.panels.repository.panelByCode(code)
      assert.ok(panel, code)
      await t.deps.panels.repository.setMembers(panel.id, members)
    }

    // A case with a victim whose DASH checklist refers them to the DA MARAC (so it has safe-contact details).
    const owner = users.get('officer/council')
    const actor = { type: 'user' as const, id: owner.user.id }
    const caseRow = await openCaseAs(t.deps, owner, { title: 'Panel matrix case', priority: 'high' })
    const victimId = await t.deps.casework.addParty(
      caseRow,
      { role: 'victim', kind: 'person', name: 'Panel Victim' },
      actor,
    )
    const dash = await post(owner.session, `/panels/cases/${caseRow.id}/dash/new`, {
      submissionId: randomUUID(),
      party: victimId,
      ...Object.fromEntries(DASH_TOPICS.map(topic => [`q-${topic}`, 'yes'])),
      'incident-day': '18',
      'incident-month': '11',
      'incident-year': '2026',
      callouts: '',
      refer: 'yes',
      safePhone: '07700 900999',
    })
    assert.equal(dash.statusCode, 303, dash.body.slice(0, 400))

    const coordinator = users.get('panel-coordinator/council')
    for (const code of ['community-marac', 'da-marac']) {
      const panel = await t.deps.panels.repository.panelByCode(code)
      assert.ok(panel)
      const existing = (await t.deps.panels.service.referrals(panel, 'open'))[0]
      const referralId =
        existing?.id ??
        (
          await t.deps.panels.service.refer(
            {
              panel: { code },
              caseId: caseRow.id,
              subject: 'Panel matrix case',
              reason: 'Repeat incidents',
              sourceModule: 'panels',
            },
            actor,
          )
        ).id
      const meeting = await t.deps.panels.service.createMeeting(coordinator.user, actor, panel, {
        meetsOn: '2026-11-27',
        chair: 'Chair',
        location: 'Town hall',
        submissionId: randomUUID(),
      })
      assert.ok(meeting.ok)
      const row = await t.deps.panels.service.meeting(panel, meeting.id)
      assert.ok(row)
      await t.deps.panels.service.refreshAgenda(actor, panel, row)
      const item = (await t.deps.panels.service.agenda(row))[0]
      assert.ok(item)
      fixtures.set(code, { panel, referralId, meetingId: meeting.id, itemId: item.id })
    }
    for (const code of ['hate-incident-panel', 'tension-monitoring']) {
      const panel = await t.deps.panels.repository.panelByCode(code)
      assert.ok(panel)
      fixtures.set(code, { panel, referralId: '', meetingId: '', itemId: '' })
    }
    routes = declaredRoutes(t.app, ['panel'])
  })
  after(() => t.close())

  /** The panel each route is for: the tension log, the hate incidents, safe contact on the DA MARAC, else any. */
  const fixtureFor = (route: PanelRoute): Fixture => {
    const code = route.url.includes('/tensions')
      ? 'tension-monitoring'
      : route.url.includes('/hate-incidents')
        ? 'hate-incident-panel'
        : route.url.includes('/safe-contact')
          ? 'da-marac'
          : 'community-marac'
    const found = fixtures.get(code)
    assert.ok(found, code)
    return found
  }

  const urlFor = (route: PanelRoute, fixture: Fixture, code = fixture.panel.code) =>
    route.url
      .replace(':code', code)
      .replace(':id', fixture.referralId)
      .replace(':meetingId', fixture.meetingId)
      .replace(':itemId', fixture.itemId)

  it('declares every panel page route by route', () => {
    const declared = new Set(routes.map(route => `${route.method} ${route.url}`))
    for (const name of [
      'GET /panels/:code',
      'GET /panels/:code/referrals/:id',
      'POST /panels/:code/referrals/:id/close',
      'GET /panels/:code/meetings/:meetingId/items/:itemId',
      'GET /panels/:code/referrals/:id/safe-contact',
      'GET /panels/:code/tensions',
      'POST /panels/:code/hate-incidents/new',
    ])
      assert.ok(declared.has(name), name)
  })

  for (const home of Object.keys(HOMES) as Home[]) {
    it(`answers every panel route as the policy says, for every role of ${home}`, async () => {
      const problems: string[] = []
      for (const role of ROLES) {
        const { session, user } = users.get(`${role}/${home}`)
        for (const route of routes) {
          const fixture = fixtureFor(route)
          const access = route.access as { roles?: readonly Role[] } | 'staff'
          const mayUse = access === 'staff' || hasAnyRole(user, access.roles ?? [])
          const member = panelAllowed(user, fixture.panel, 'panel', 'view')
          const permitted = panelAllowed(
            user,
            fixture.panel,
            (route.resource.part ?? 'panel') as PanelPart,
            route.resource.action,
          )
          const status = (await send(session, route.method, urlFor(route, fixture))).statusCode
          const ok = !mayUse ? status === 403 : !member ? status === 404 : !permitted ? status === 403 : status < 403
          if (!ok)
            problems.push(
              `${role} ${route.method} ${route.url}: got ${String(status)} (route ${String(mayUse)}, member ${String(member)}, permitted ${String(permitted)})`,
            )
        }
      }
      assert.deepEqual(problems, [])
    })
  }

  it('answers a panel the user does not sit on exactly as a missing one', async () => {
    const outsider = users.get('panel-coordinator/housing')
    const problems: string[] = []
    const normalise = (body: string, code: string) =>
      body
        .replaceAll(code, 'CODE')
        .replace(/nonce="[^"]*"/g, 'nonce=""')
        .replace(/name="_csrf" value="[^"]*"/g, '')
    for (const route of routes) {
      const fixture = fixtureFor(route)
      const hidden = await send(outsider.session, route.method, urlFor(route, fixture))
      const missing = await send(outsider.session, route.method, urlFor(route, fixture, 'no-such-panel'))
      if (hidden.statusCode !== missing.statusCode)
        problems.push(`${route.method} ${route.url}: ${String(hidden.statusCode)} / ${String(missing.statusCode)}`)
      else if (normalise(hidden.body, fixture.panel.code) !== normalise(missing.body, 'no-such-panel'))
        problems.push(`${route.method} ${route.url}: the bodies differ`)
    }
    assert.deepEqual(problems, [])
  })
})
