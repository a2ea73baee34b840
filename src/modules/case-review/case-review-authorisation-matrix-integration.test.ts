/**
 * The Case Review authorisation matrix, generated from the built application and the policy (ADR 0025).
 *
 * Every staff route declaring a Case Review resource (`case-review`, `case-review-minutes`, `case-review-response`)
 * is asked, over HTTP, by every role in five homes (the council team owning the linked case, another council team,
 * the police, housing, health) about applications that stand differently to them: involving nobody, linked to a
 * council case shared with nobody, linked to a case shared with the police, with housing asked for information,
 * chaired by a health supervisor, listed on a Case Review panel meeting that health sits on, and about a report in
 * the council's triage pool. The expected answer comes from `caseReviewAllowed` with facts the test derives from the
 * casework and report policies itself: 404 when the application is invisible (exactly as a missing one), 403 when
 * visible but not permitted (or the role may not use the route at all), and otherwise anything the handler answers
 * past the guard (200, 303, a 400 form, a 409 state conflict). Every invisible answer is compared with the same
 * user's answer for an application that does not exist: the same page, but for the id in the URL.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
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
import { printEachDocumentOnce } from '../../../test/helpers/pdf-once.js'
import { createStaff, signIn } from '../../../test/helpers/staff.js'
import { systemActor } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import { hasAnyRole, ROLES, type Role, type StaffUser } from '../accounts/index.js'
import { allowed, poolPartnerKinds, reportAllowed, type ReportAccessFacts } from '../casework/index.js'
import { CASE_REVIEW_RESOURCES } from './case-review-access.js'
import { caseReviewAllowed, type CaseReviewFacts } from './case-review-access-policy.js'

const clock = fixedClock('2026-11-20T10:00:00Z')

const HOMES = {
  'council-team': { partnerCode: 'council', partnerKind: 'council', teamCode: 'asb-investigations' },
  'council-other': { partnerCode: 'council', partnerKind: 'council', teamCode: 'enforcement' },
  police: { partnerCode: 'police', partnerKind: 'police', teamCode: 'police-partnership' },
  housing: { partnerCode: 'housing', partnerKind: 'housing', teamCode: 'housing-asb' },
  health: { partnerCode: 'health', partnerKind: 'health', teamCode: 'health-asb' },
} as const
type Home = keyof typeof HOMES
const HOME_NAMES = Object.keys(HOMES) as Home[]

type SubjectKind = 'nobody' | 'council-case' | 'shared-case' | 'asked' | 'chaired' | 'panel' | 'pool-report'
const KINDS: SubjectKind[] = ['nobody', 'council-case', 'shared-case', 'asked', 'chaired', 'panel', 'pool-report']

interface Subject {
  kind: SubjectKind
  id: string
  reference: string
  caseId: string | null
  caseReference: string | null
  requestId: string | null
  /** The facts for a given user, derived from the casework and report policies, not from the application's SQL. */
  facts: (user: StaffUser) => CaseReviewFacts
}

describe('Integration: the Case Review authorisation matrix', () => {
  let t: TestApp
  const users = signedInUsers()
  const subjects: Subject[] = []
  let routes: DeclaredRoute[] = []

  const subject = (kind: SubjectKind): Subject => {
    const found = subjects.find(item => item.kind === kind)
    assert.ok(found, kind)
    return found
  }

  async function application(name: string, reportId: number | null = null) {
    const applied = await t.deps.caseReview.apply(
      {
        submissionId: randomUUID(),
        applicantType: 'victim',
        name,
        email: `${name.split(' ')[0]?.toLowerCase() ?? 'x'}@example.org`,
        phone: '07700 900456',
        address: null,
        victimName: null,
        relationship: null,
        consent: false,
        reportReference: null,
        trackingCode: null,
        description: `Matrix application by ${name}`,
        dissatisfaction: 'Nothing changed.',
        hate: false,
        otherAgencies: ['council', 'police'],
      },
      systemActor,
    )
    assert.ok(applied.ok)
    await t.deps.database.db
      .updateTable('case_review')
      .set({ letter_html: `<p>Letter to ${name}</p>`, letter_kind: 'not-met', report_id: reportId })
      .where('id', '=', applied.id)
      .execute()
    return applied
  }

  before(async () => {
    t = await buildTestApp({ clock })
    // Each application's letter is printed by Chromium once; every other permitted user gets those same bytes through
    // the same route, guard and audit (test/helpers/pdf-once.ts).
    printEachDocumentOnce(t.deps.pdf)
    for (const home of HOME_NAMES) {
      for (const role of ROLES) {
        const staff = await createStaff(t.deps, { roles: [role], ...HOMES[home] })
        const user = await t.deps.accounts.repository.userById(staff.id)
        assert.ok(user)
        users.set(`${role}/${home}`, { session: await signIn(t.app, t.deps, staff), user })
      }
    }
    const chair = await createStaff(t.deps, { roles: ['supervisor'], partnerCode: 'health', partnerKind: 'health' })
    const chairUser = await t.deps.accounts.repository.userById(chair.id)
    assert.ok(chairUser)
    users.set('supervisor/chair', { session: await signIn(t.app, t.deps, chair), user: chairUser })

    const owner = users.get('officer/council-team').user
    const actor = { type: 'user' as const, id: owner.id }
    const police = users.get('officer/police').user.partnerId
    const housing = users.get('officer/housing').user.partnerId
    const health = users.get('officer/health').user.partnerId
    const none = (): CaseReviewFacts => ({
      chair_user_id: null,
      asked_partner_ids: [],
      case_visible: false,
      report_visible: false,
      panel_listed: false,
    })

    for (const kind of KINDS) {
      let caseId: string | null = null
      let caseReference: string | null = null
      let requestId: string | null = null
      let facts: (user: StaffUser) => CaseReviewFacts = none
      let reportId: number | null = null
      if (kind === 'pool-report') {
        const { report } = await t.deps.reporting.intake.submit(
          {
            channel: 'web',
            category: 'noise_music',
            location: { postcode: 'E1 0AA' },
            occurredOn: '2026-11-19',
            pattern: 'ongoing',
            description: 'Matrix noise report',
            impact: {
              reporterRole: 'victim',
              unsafeAtHome: 'no',
              healthAffected: 'no',
              targeted: 'no',
              characteristics: [],
            },
            reporter: {
              mode: 'named',
              name: 'Pat Pool',
              email: 'pat@example.org',
              contactPreference: 'email',
              consentToShare: true,
            },
          },
          systemActor,
        )
        reportId = report.id
        const reportFacts: ReportAccessFacts = {
          case: null,
          owning_team_id: null,
          owning_partner_id: null,
          pool_partner_kinds: poolPartnerKinds('noise_music'),
          sensitivity: null,
        }
        facts = user => ({ ...none(), report_visible: reportAllowed(user, reportFacts, 'view') })
      }
      const applied = await application(`Applicant ${kind}`, reportId)
      if (kind === 'council-case' || kind === 'shared-case') {
        const opened = await t.deps.casework.openCase(
          {
            title: `Case for ${kind}`,
            category: 'noise_music',
            priority: 'medium',
            sensitivity: null,
            owningTeamId: owner.teamId ?? '',
            owningPartnerId: owner.partnerId,
            leadOfficerId: owner.id,
            wardCode: null,
            reportIds: [],
          },
          actor,
        )
        caseId = opened.id
        caseReference = opened.reference
        if (kind === 'shared-case') {
          const row = await t.deps.casework.repository.caseById(opened.id)
          assert.ok(row)
          await t.deps.casework.share(
            row,
            { partnerId: police, lawfulBasis: 'cda-1998-s115', consentStatus: 'given' },
            actor,
            'Police',
          )
        }
        await t.deps.database.db
          .updateTable('case_review')
          .set({ case_id: opened.id })
          .where('id', '=', applied.id)
          .execute()
        const caseFacts = {
          owning_team_id: owner.teamId ?? '',
          owning_partner_id: owner.partnerId,
          sensitivity: null,
          shared_partner_ids: kind === 'shared-case' ? [police] : [],
        }
        facts = user => ({ ...none(), case_visible: allowed(user, caseFacts, 'case', 'view') })
      }
      if (kind === 'asked') {
        const row = await t.deps.database.db
          .insertInto('case_review_information')
          .values({ review_id: applied.id, partner_id: housing, requested_at: clock.now(), due_on: '2026-12-04' })
          .returning('id')
          .executeTakeFirstOrThrow()
        requestId = row.id
        facts = () => ({ ...none(), asked_partner_ids: [housing] })
      }
      if (kind === 'chaired') {
        await t.deps.database.db
          .updateTable('case_review')
          .set({ chair_user_id: chairUser.id })
          .where('id', '=', applied.id)
          .execute()
        facts = () => ({ ...none(), chair_user_id: chairUser.id })
      }
      if (kind === 'panel') {
        // Referred to the Case Review panel (as a met threshold does), which health sits on, and on a meeting's agenda.
        const referral = await t.deps.panels.service.refer(
          {
            panel: 'case-review',
            caseId: null,
            subject: `ASB Case Review ${applied.reference}`,
            reason: 'Threshold met',
            sourceModule: 'case-review',
            sourceId: applied.id,
          },
          systemActor,
        )
        const panel = await t.deps.database.db
          .selectFrom('panel_type')
          .select('id')
          .where('code', '=', 'case-review')
          .executeTakeFirstOrThrow()
        await t.deps.database.db
          .insertInto('panel_member_partner')
          .values({ panel_id: panel.id, partner_id: health })
          .execute()
        const meeting = await t.deps.database.db
          .insertInto('panel_meeting')
          .values({ panel_id: panel.id, meets_on: '2026-12-01', chair: 'Chair', created_at: clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow()
        await t.deps.database.db
          .insertInto('panel_agenda_item')
          .values({ meeting_id: meeting.id, referral_id: referral.id, position: 1, added_at: clock.now() })
          .execute()
        facts = user => ({ ...none(), panel_listed: user.partnerId === health })
      }
      subjects.push({ kind, id: applied.id, reference: applied.reference, caseId, caseReference, requestId, facts })
    }
    routes = declaredRoutes(t.app, Object.keys(CASE_REVIEW_RESOURCES))
  })
  after(() => t.close())

  const { send } = asUser(() => t.app)

  /** A 404 page with what legitimately differs between two URLs (the nonce, the CSRF token, the id) blanked. */
  const normalise = (body: string, id: string) => blankVariableParts(body, [id])
  const MISSING_ID = '3f0c4a52-9d1e-4b7a-8c2f-5e6d7a8b9c0d'

  const urlFor = (template: string, id: string, requestId: string | null) =>
    template
      .replace(':id', id)
      .replace(':action', 'threshold')
      .replace(':requestId', requestId ?? '00000000-0000-4000-8000-000000000000')

  it('declares every Case Review staff route with an application in its URL, route by route', () => {
    const staff = t.app
      .routeInventory()
      .filter(route => route.access !== 'public' && route.url.startsWith('/staff/case-reviews/:'))
    const undeclared = staff.filter(route => !route.resource).map(route => `${route.method} ${route.url}`)
    assert.deepEqual(undeclared, [])
    assert.deepEqual(
      routes.map(route => `${route.method} ${route.url} ${route.resource.type} ${route.resource.action}`).sort(),
      [
        'GET /staff/case-reviews/:id case-review view',
        'GET /staff/case-reviews/:id/letter case-review view',
        'GET /staff/case-reviews/:id/letter.pdf case-review view',
        'GET /staff/case-reviews/:id/minutes case-review-minutes view',
        'POST /staff/case-reviews/:id/:action case-review change',
        'POST /staff/case-reviews/:id/information/:requestId case-review-response change',
        'POST /staff/case-reviews/:id/minutes case-review-minutes change',
        'POST /staff/case-reviews/:id/recommendations case-review-minutes change',
      ],
    )
  })

  for (const home of [...HOME_NAMES, 'chair'] as const) {
    it(`answers every Case Review route as the policy says, for every role in ${home}`, async () => {
      const problems: string[] = []
      for (const role of home === 'chair' ? (['supervisor'] as Role[]) : ROLES) {
        const { session, user } = users.get(`${role}/${home}`)
        // What this user gets for an application that does not exist, route by route.
        const missing = new Map<string, string>()
        for (const route of routes) {
          const response = await send(session, route.method, urlFor(route.url, MISSING_ID, null))
          missing.set(`${route.method} ${route.url}`, normalise(response.body, MISSING_ID))
        }
        for (const item of subjects) {
          const facts = item.facts(user)
          for (const route of routes) {
            const access = route.access as { roles?: readonly Role[] } | 'staff'
            const mayUse = access === 'staff' || hasAnyRole(user, access.roles ?? [])
            const part = CASE_REVIEW_RESOURCES[route.resource.type] ?? 'application'
            const visible = caseReviewAllowed(user, facts, 'application', 'view')
            const permitted = caseReviewAllowed(user, facts, part, route.resource.action)
            const response = await send(session, route.method, urlFor(route.url, item.id, item.requestId))
            const status = response.statusCode
            // Past the guard, an answer to a request that does not exist is the handler's own 404.
            const handlerMissing = route.url.includes(':requestId') && item.requestId === null
            const ok = !mayUse
              ? status === 403
              : !visible
                ? status === 404
                : !permitted
                  ? status === 403
                  : handlerMissing
                    ? status === 404
                    : status !== 403 && status !== 404 && status < 500
            if (!ok)
              problems.push(
                `${role} ${item.kind} ${route.method} ${route.url}: got ${String(status)} (route ${String(mayUse)}, visible ${String(visible)}, permitted ${String(permitted)})`,
              )
            // A permitted user gets the letter itself (every application here has one).
            if (
              mayUse &&
              visible &&
              permitted &&
              route.url.endsWith('/letter.pdf') &&
              (status !== 200 ||
                response.headers['content-type'] !== 'application/pdf' ||
                response.rawPayload.subarray(0, 5).toString('latin1') !== '%PDF-')
            )
              problems.push(`${role} ${item.kind} ${route.method} ${route.url}: not a PDF`)
            // Invisible looks exactly like missing: the same page, byte for byte but for the id in the URL.
            if (mayUse && !visible && normalise(response.body, item.id) !== missing.get(`${route.method} ${route.url}`))
              problems.push(`${role} ${item.kind} ${route.method} ${route.url}: differs from a missing application`)
          }
        }
      }
      assert.deepEqual(problems, [])
    })
  }

  it('lists only the applications each user may see', async () => {
    const problems: string[] = []
    for (const home of HOME_NAMES) {
      for (const role of ['officer', 'supervisor', 'panel-coordinator'] as const) {
        const { session, user } = users.get(`${role}/${home}`)
        const list = await send(session, 'GET', '/staff/case-reviews')
        assert.equal(list.statusCode, 200)
        for (const item of subjects) {
          const visible = caseReviewAllowed(user, item.facts(user), 'application', 'view')
          if (list.body.includes(item.reference) !== visible)
            problems.push(`${role}/${home} list ${item.kind}: expected ${String(visible)}`)
        }
      }
    }
    assert.deepEqual(problems, [])
  })

  it('answers a police officer on a council-only application exactly as a missing one, and logs it on the case', async () => {
    const police = users.get('officer/police')
    const hidden = subject('council-case')
    assert.ok(hidden.caseId && hidden.caseReference)
    const missingId = randomUUID()
    const refusalsOnCase = async () =>
      (await t.deps.audit.forSubject('case', hidden.caseId ?? '')).filter(
        event => event.action === 'case.access-refused' && event.actor_id === police.user.id,
      )
    const earlier = (await refusalsOnCase()).length
    for (const route of routes) {
      const refused = await send(police.session, route.method, urlFor(route.url, hidden.id, null))
      const missing = await send(police.session, route.method, urlFor(route.url, missingId, null))
      assert.equal(refused.statusCode, 404, `${route.method} ${route.url}`)
      assert.equal(missing.statusCode, 404, `${route.method} ${route.url}`)
      assert.equal(refused.headers['content-type'], missing.headers['content-type'])
      assert.equal(normalise(refused.body, hidden.id), normalise(missing.body, missingId), route.url)
      assert.doesNotMatch(refused.body, /Applicant council-case|07700 900456|CR-\d\d-/)
    }
    // A real change from the police officer changes nothing.
    const before = await t.deps.database.db
      .selectFrom('case_review')
      .select(['version', 'status', 'acknowledged_at'])
      .where('id', '=', hidden.id)
      .executeTakeFirstOrThrow()
    for (const action of ['acknowledge', 'close', 'appeal']) {
      const post = await t.app.inject({
        method: 'POST',
        url: `/staff/case-reviews/${hidden.id}/${action}`,
        headers: { ...FORM, cookie: police.session.cookie },
        payload: new URLSearchParams({ _csrf: police.session.token, grounds: 'Police say so' }).toString(),
      })
      assert.equal(post.statusCode, 404, action)
    }
    const after = await t.deps.database.db
      .selectFrom('case_review')
      .select(['version', 'status', 'acknowledged_at'])
      .where('id', '=', hidden.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(after, before)
    const list = await send(police.session, 'GET', '/staff/case-reviews')
    assert.doesNotMatch(list.body, new RegExp(hidden.reference))

    // Every attempt is refused against the application and against its case, so the case's access log shows it.
    const refusals = await refusalsOnCase()
    assert.equal(refusals.length - earlier, routes.length + 3)
    assert.ok(
      refusals.every(
        event => (event.details as { caseReviewReference?: string }).caseReviewReference === hidden.reference,
      ),
    )
    const onApplication = (await t.deps.audit.forSubject('case_review', hidden.id)).filter(
      event => event.action === 'case-review.access-refused' && event.actor_id === police.user.id,
    )
    assert.ok(onApplication.length >= routes.length + 3)
    const log = await t.app.inject({
      method: 'GET',
      url: `/cases/${hidden.caseReference}/access-log`,
      headers: { cookie: users.get('supervisor/council-team').session.cookie },
    })
    assert.equal(log.statusCode, 200)
    assert.match(log.body, /Was refused access/)
    assert.ok(log.body.includes(police.user.displayName))
  })

  it('records each read of an application in its own audit and in the linked case’s access log', async () => {
    const item = subject('shared-case')
    const officer = users.get('officer/police')
    const readsOnCase = async () =>
      (await t.deps.audit.forSubject('case', item.caseId ?? '')).filter(
        event => event.actor_id === officer.user.id && event.action === 'case-review.viewed',
      ).length
    const earlier = await readsOnCase()
    for (const path of ['', '/letter']) {
      const response = await send(officer.session, 'GET', `/staff/case-reviews/${item.id}${path}`)
      assert.equal(response.statusCode, 200, path)
    }
    const own = (await t.deps.audit.forSubject('case_review', item.id)).filter(
      event => event.actor_id === officer.user.id,
    )
    assert.ok(own.some(event => event.action === 'CASE_REVIEW_VIEWED'))
    assert.ok(own.some(event => event.action === 'CASE_REVIEW_LETTER_VIEWED'))
    assert.equal((await readsOnCase()) - earlier, 2)
    const log = await t.app.inject({
      method: 'GET',
      url: `/cases/${item.caseReference ?? ''}/access-log`,
      headers: { cookie: users.get('supervisor/council-team').session.cookie },
    })
    assert.match(
      log.body,
      /Viewed the case’s ASB Case Review|Viewed the case&#39;s ASB Case Review|Viewed the case's ASB Case Review/,
    )
  })
})
