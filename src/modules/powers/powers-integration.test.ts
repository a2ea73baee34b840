import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import { parse } from 'node-html-parser'

import { fixedClock } from '../../platform/clock.js'
import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { pdfText } from '../../../test/helpers/pdf-text.js'
import { openCaseWithParties, type RiskPowersCase } from '../../../test/helpers/risk-powers-fixtures.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { systemActor } from '../../platform/audit.js'
import { createPolicyStore } from '../../platform/versioned-policy.js'
import type { PowersPolicy } from './powers-policy.js'

const form = (session: StaffSession, fields: Record<string, string>) => ({
  headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({ _csrf: session.token, ...fields }).toString(),
})

const dated = (prefix: string, iso: string) => {
  const [year = '', month = '', day = ''] = iso.split('-')
  return { [`${prefix}-day`]: day, [`${prefix}-month`]: month, [`${prefix}-year`]: year }
}

function errors(body: string): string[] {
  return parse(body)
    .querySelectorAll('.govuk-error-summary__list a')
    .map(link => link.text.trim())
}

describe('Integration: powers ladder and victim risk over HTTP', () => {
  let test: TestApp
  let officer: StaffSession
  let supervisor: StaffSession
  let readOnly: StaffSession
  let fixture: RiskPowersCase
  const clock = fixedClock('2026-11-20T10:00:00Z')

  before(async () => {
    test = await buildTestApp({ clock })
    const officerStaff = await createStaff(test.deps, {
      roles: ['officer'],
      partnerCode: 'council',
      teamCode: 'asb-test',
      name: 'Olive Officer',
    })
    const readOnlyStaff = await createStaff(test.deps, { roles: ['partner-read-only'], partnerCode: 'police' })
    fixture = await openCaseWithParties(test.deps, { teamCode: 'asb-test', leadOfficerId: officerStaff.id })
    // The case was opened seven weeks ago: its actions may be dated from then on.
    await test.deps.database.db
      .updateTable('asb_case')
      .set({ opened_at: new Date('2026-10-01T09:00:00Z') })
      .where('id', '=', fixture.caseId)
      .execute()
    const supervisorStaff = await createStaff(test.deps, {
      roles: ['supervisor'],
      partnerCode: 'council',
      teamCode: 'asb-test',
      name: 'Sam Supervisor',
    })
    supervisor = await signIn(test.app, test.deps, supervisorStaff)
    const caseRow = await test.deps.casework.repository.caseById(fixture.caseId)
    const police = await test.deps.accounts.repository.partnerByCode('police')
    assert.ok(caseRow && police)
    await test.deps.casework.share(
      caseRow,
      { partnerId: police.id, lawfulBasis: 'cda-1998-s115', consentStatus: 'not-required' },
      systemActor,
      police.name,
    )
    officer = await signIn(test.app, test.deps, officerStaff)
    readOnly = await signIn(test.app, test.deps, readOnlyStaff)
  })
  after(() => test.close())

  /** The form, then (when it is accepted) the preview's confirmation: the response of the last step. */
  const issue = async (session: StaffSession, power: string, fields: Record<string, string>) => {
    const posted = await test.app.inject({
      method: 'POST',
      url: `/cases/${fixture.caseId}/powers/${power}/new`,
      ...form(session, { submissionId: randomUUID(), ...fields }),
    })
    if (posted.statusCode !== 303) return posted
    return test.app.inject({
      method: 'POST',
      url: `${posted.headers.location ?? ''}/confirm`,
      ...form(session, {}),
    })
  }

  it('shows the ladder with the CPN blocked until a warning has been given', async () => {
    const page = await test.app.inject({
      url: `/cases/${fixture.caseId}/powers?party=${fixture.adultId}`,
      headers: { cookie: officer.cookie },
    })
    assert.equal(page.statusCode, 200)
    const cpn = parse(page.body).querySelector('[data-qa="step-cpn"]')?.text ?? ''
    assert.match(cpn, /Blocked/)
    assert.match(cpn, /A Community Protection Warning must come before a Community Protection Notice/)
  })

  it('refuses a CPW to someone under 16 and to someone whose age is unknown, keeping the answers', async () => {
    const base = {
      ...dated('actionDate', '2026-11-20'),
      conduct: 'Loud music nightly',
      requirements: 'Stop',
      complianceDays: '14',
    }
    const youth = await issue(officer, 'cpw', { ...base, party: fixture.youthId })
    assert.equal(youth.statusCode, 400)
    assert.deepEqual(errors(youth.body), [
      'Kyle Moss is 15 on this date: this power is only for people aged 16 or over',
    ])
    assert.match(youth.body, /Loud music nightly/)
    const unknown = await issue(officer, 'cpw', { ...base, party: fixture.unknownAgeId })
    assert.equal(unknown.statusCode, 400)
    assert.deepEqual(errors(unknown.body), [
      "Record Unknown Lad's date of birth first: this power is only for people aged 16 or over",
    ])
    const empty = await issue(officer, 'cpw', { party: fixture.adultId })
    assert.equal(empty.statusCode, 400)
    assert.ok(errors(empty.body).includes('Describe the behaviour'))
    assert.ok(errors(empty.body).includes('Enter the date of the action as a real date'))
  })

  it('issues a CPW, refuses the CPN inside the compliance period, then issues it with its appeal window', async () => {
    const fields = {
      party: fixture.adultId,
      ...dated('actionDate', '2026-11-02'),
      conduct: 'Loud music nightly',
      requirements: 'No amplified music after 11pm',
      complianceDays: '14',
    }
    // Eighteen days ago: recorded late, so it needs a reason.
    const unexplained = await issue(officer, 'cpw', fields)
    assert.equal(unexplained.statusCode, 400)
    assert.deepEqual(errors(unexplained.body), [
      'This is more than 7 days ago: say why it is being recorded late (a supervisor will be asked to approve it)',
    ])
    const cpw = await issue(officer, 'cpw', { ...fields, lateReason: 'Served on a home visit; entered on return' })
    assert.equal(cpw.statusCode, 303)
    const cpwPage = await test.app.inject({ url: cpw.headers.location ?? '', headers: { cookie: officer.cookie } })
    assert.equal(cpwPage.statusCode, 200)
    assert.match(cpwPage.body, /Time to comply ends[\s\S]*16 November 2026/)
    assert.match(parse(cpwPage.body).querySelector('[data-qa="late-record"]')?.text ?? '', /does not count until/)
    // Its recorder cannot approve it, and until a supervisor does, the notice is still blocked.
    assert.equal(parse(cpwPage.body).querySelectorAll('[data-qa="approval-form"]').length, 0)
    const pendingNotice = await issue(officer, 'cpn', {
      party: fixture.adultId,
      ...dated('actionDate', '2026-11-17'),
      conduct: 'Music continued',
      requirements: 'No amplified music after 11pm',
      complianceDays: '7',
    })
    assert.equal(pendingNotice.statusCode, 400)
    assert.deepEqual(errors(pendingNotice.body), [
      'A Community Protection Warning must come before a Community Protection Notice',
    ])
    const approvalUrl = `${cpw.headers.location ?? ''}/approval`
    assert.equal(
      (await test.app.inject({ method: 'POST', url: approvalUrl, ...form(officer, { decision: 'approved' }) }))
        .statusCode,
      403,
    )
    const supervisorPage = await test.app.inject({
      url: cpw.headers.location ?? '',
      headers: { cookie: supervisor.cookie },
    })
    assert.equal(parse(supervisorPage.body).querySelectorAll('[data-qa="approval-form"]').length, 1)
    const unsure = await test.app.inject({
      method: 'POST',
      url: approvalUrl,
      ...form(supervisor, { decision: 'refused' }),
    })
    assert.equal(unsure.statusCode, 400)
    assert.deepEqual(errors(unsure.body), ['Say why you are refusing the late record'])
    const approved = await test.app.inject({
      method: 'POST',
      url: approvalUrl,
      ...form(supervisor, { decision: 'approved' }),
    })
    assert.equal(approved.statusCode, 303)
    const approvedPage = await test.app.inject({ url: cpw.headers.location ?? '', headers: { cookie: officer.cookie } })
    assert.match(approvedPage.body, /Late record approved by Sam Supervisor on 20 November 2026/)
    const chronology = await test.deps.database.db
      .selectFrom('case_chronology')
      .select(['summary', 'occurred_at'])
      .where('case_id', '=', fixture.caseId)
      .where('kind', '=', 'power')
      .orderBy('recorded_at')
      .execute()
    assert.deepEqual(
      chronology.map(entry => entry.summary),
      [
        "Community Protection Warning issued to Dean Walsh on 2 November 2026. Recorded late, on 20 November 2026, awaiting a supervisor's approval. Reason: Served on a home visit; entered on return",
        'A supervisor approved the late record of the Community Protection Warning dated 2 November 2026',
      ],
    )

    const early = await issue(officer, 'cpn', {
      party: fixture.adultId,
      ...dated('actionDate', '2026-11-16'),
      conduct: 'Music continued',
      requirements: 'No amplified music after 11pm',
      complianceDays: '7',
    })
    assert.equal(early.statusCode, 400)
    assert.deepEqual(errors(early.body), [
      "The warning's time to comply ends on 16 November 2026: a notice can be issued from 17 November 2026",
    ])

    const cpn = await issue(officer, 'cpn', {
      party: fixture.adultId,
      ...dated('actionDate', '2026-11-17'),
      conduct: 'Music continued',
      requirements: 'No amplified music after 11pm',
      complianceDays: '7',
    })
    assert.equal(cpn.statusCode, 303)
    const page = await test.app.inject({ url: cpn.headers.location ?? '', headers: { cookie: officer.cookie } })
    assert.match(page.body, /Appeal window closes[\s\S]*8 December 2026/)
    assert.match(page.body, /asbcpa-2014\/2026\.2/)

    const tasks = await test.deps.casework.repository.tasks(fixture.caseId)
    const titles = tasks.map(task => `${task.due_date} ${task.title}`)
    assert.ok(
      titles.includes(
        '2026-11-16 Check Dean Walsh has complied with the Community Protection Warning (time ends 16 November 2026)',
      ),
    )
    assert.ok(
      titles.includes(
        '2026-12-08 Appeal window for the Community Protection Notice to Dean Walsh closes on 8 December 2026',
      ),
    )
    const audit = await test.deps.audit.forSubject('case', fixture.caseId)
    assert.equal(audit.filter(event => event.action === 'POWER_ACTION_ISSUED').length, 2)
    // The rules the actions were taken under are kept by their version, and read back for a record that names it.
    const policies = createPolicyStore<PowersPolicy>(test.deps.database.db, 'power_policy')
    assert.deepEqual(await policies.document('asbcpa-2014/2026.2'), test.deps.powers.policy)
    assert.equal(await policies.applied('asbcpa-2014/2026.2', test.deps.powers.policy), test.deps.powers.policy)
    assert.equal(await policies.document('asbcpa-2014/1999.1'), undefined)

    const letter = await test.app.inject({
      url: `${cpn.headers.location ?? ''}/letter`,
      headers: { cookie: officer.cookie },
    })
    assert.equal(letter.statusCode, 200)
    assert.match(letter.body, /Community Protection Notice under section 43/)
    assert.match(letter.body, /No amplified music after 11pm/)

    // Both letters are kept on the case exactly as sent, named, and the case page lists them.
    const kept = await test.deps.casework.repository.letters(fixture.caseId)
    assert.deepEqual(kept.map(row => row.title).sort(), ['Community Protection Notice', 'Community Protection Warning'])
    const cpnId = (cpn.headers.location ?? '').split('/').pop() ?? ''
    const stored = await test.deps.casework.repository.letterFor(fixture.caseId, 'powers', cpnId)
    // The view adds only this response's CSP nonce to the letter's own style.
    assert.equal(stored?.html, letter.body.replace(/<style nonce="[^"]+">/, '<style>'))
    const casePage = await test.app.inject({ url: `/cases/${fixture.reference}`, headers: { cookie: officer.cookie } })
    assert.equal(casePage.statusCode, 200, casePage.body.slice(0, 300))
    assert.match(parse(casePage.body).querySelector('[data-qa="letters"]')?.text ?? '', /Community Protection Warning/)
  })

  it('records a breach against the notice, with errors first', async () => {
    const actions = await test.deps.powers.actions((await test.deps.casework.repository.caseById(fixture.caseId))!)
    const cpn = actions.find(action => action.power === 'cpn')
    assert.ok(cpn)
    const url = `/cases/${fixture.caseId}/powers/actions/${cpn.id}/breaches/new`
    const bad = await test.app.inject({ method: 'POST', url, ...form(officer, { submissionId: randomUUID() }) })
    assert.equal(bad.statusCode, 400)
    assert.ok(errors(bad.body).includes('Describe what happened'))
    const good = await test.app.inject({
      method: 'POST',
      url,
      ...form(officer, {
        submissionId: randomUUID(),
        ...dated('occurredOn', '2026-11-19'),
        description: 'Music at 1am',
        response: 'fixed-penalty',
      }),
    })
    assert.equal(good.statusCode, 303)
    const page = await test.app.inject({ url: good.headers.location ?? '', headers: { cookie: officer.cookie } })
    assert.match(page.body, /Music at 1am \(Fixed penalty notice/)
  })

  it('lets a partner read-only user see the ladder but not issue anything', async () => {
    const ladder = await test.app.inject({
      url: `/cases/${fixture.caseId}/powers`,
      headers: { cookie: readOnly.cookie },
    })
    assert.equal(ladder.statusCode, 200)
    assert.equal(parse(ladder.body).querySelectorAll('[data-qa^="issue-"]').length, 0)
    const refused = await issue(readOnly, 'warning-letter', {
      party: fixture.adultId,
      ...dated('actionDate', '2026-11-20'),
      conduct: 'x',
      requirements: 'y',
    })
    assert.equal(refused.statusCode, 403)
    const before = (await test.deps.powers.actions((await test.deps.casework.repository.caseById(fixture.caseId))!))
      .length
    assert.equal(before, 2)
  })

  it('answers 404 for a case the user cannot see, exactly as for a missing one', async () => {
    const outsider = await signIn(
      test.app,
      test.deps,
      await createStaff(test.deps, { roles: ['officer'], partnerCode: 'housing', teamCode: 'housing-test' }),
    )
    const hidden = await test.app.inject({
      url: `/cases/${fixture.caseId}/powers`,
      headers: { cookie: outsider.cookie },
    })
    const missing = await test.app.inject({
      url: `/cases/${randomUUID()}/powers`,
      headers: { cookie: outsider.cookie },
    })
    assert.equal(hidden.statusCode, 404)
    assert.equal(missing.statusCode, 404)
    assert.equal(
      hidden.body.replace(/nonce="[^"]+"/g, '').replace(/value="[^"]+"/g, ''),
      missing.body.replace(/nonce="[^"]+"/g, '').replace(/value="[^"]+"/g, ''),
    )
  })

  it('assesses the victim, prompts a Community MARAC referral when high, and refers once', async () => {
    const answers: Record<string, string> = {}
    for (const question of test.deps.risk.policy.questions) {
      answers[`q-${question.id}`] = question.kind === 'scale' ? (question.options?.[0]?.value ?? '') : 'no'
    }
    const url = `/cases/${fixture.caseId}/risk-assessments/new`
    const missing = await test.app.inject({
      method: 'POST',
      url,
      ...form(officer, { submissionId: randomUUID(), party: fixture.victimId, ...dated('assessedOn', '2026-11-20') }),
    })
    assert.equal(missing.statusCode, 400)
    assert.equal(errors(missing.body).length, test.deps.risk.policy.questions.length)

    const lowered = await test.app.inject({
      method: 'POST',
      url,
      ...form(officer, {
        submissionId: randomUUID(),
        party: fixture.victimId,
        ...dated('assessedOn', '2026-11-20'),
        ...answers,
        'q-threatToLife': 'yes',
        overrideLevel: 'medium',
        overrideReason: 'Seems calmer',
      }),
    })
    assert.equal(lowered.statusCode, 400)
    assert.deepEqual(errors(lowered.body), ['The risk is high because of a red flag: it cannot be lowered'])

    const submissionId = randomUUID()
    const fields = {
      submissionId,
      party: fixture.victimId,
      ...dated('assessedOn', '2026-11-20'),
      ...answers,
      'q-threatToLife': 'yes',
      'q-disability': 'yes',
    }
    const saved = await test.app.inject({ method: 'POST', url, ...form(officer, fields) })
    assert.equal(saved.statusCode, 303)
    const again = await test.app.inject({ method: 'POST', url, ...form(officer, fields) })
    assert.equal(again.headers.location, saved.headers.location, 'the same submission is recorded once')
    const page = await test.app.inject({ url: saved.headers.location ?? '', headers: { cookie: officer.cookie } })
    assert.match(page.body, /Refer to Community MARAC/)
    assert.match(page.body, /safer-asb-risk-2026\.1/)

    const referUrl = `${saved.headers.location ?? ''}/marac-referral`
    assert.equal((await test.app.inject({ method: 'POST', url: referUrl, ...form(officer, {}) })).statusCode, 303)
    assert.equal((await test.app.inject({ method: 'POST', url: referUrl, ...form(officer, {}) })).statusCode, 303)
    const pending = await test.deps.risk.pendingReferrals()
    assert.equal(pending.length, 1)
    assert.equal(pending[0]?.party_id, fixture.victimId)

    const officerUser = { id: '', partnerId: '', teamId: null, roles: ['officer' as const] }
    assert.equal((await test.deps.risk.highRiskVictims(officerUser)).length, 0, 'not visible outside the team')
    const team = await test.deps.accounts.repository.teamByCode('asb-test')
    const inTeam = await test.deps.risk.highRiskVictims({
      ...officerUser,
      partnerId: team?.partner_id ?? '',
      teamId: team?.id ?? null,
    })
    assert.deepEqual(
      inTeam.map(victim => [victim.name, victim.reviewDue]),
      [['Amira Begum', '2026-12-04']],
    )
    const tasks = await test.deps.casework.repository.tasks(fixture.caseId)
    assert.ok(tasks.some(task => task.title === 'Review the risk assessment of Amira Begum (High risk)'))
  })

  it('refuses an action dated before the case was opened, and a blocked power says why without an issue link', async () => {
    const before = await issue(officer, 'cpw', {
      party: fixture.adultId,
      ...dated('actionDate', '2026-09-01'),
      conduct: 'Loud music',
      requirements: 'Stop',
      complianceDays: '14',
      lateReason: 'Backdated to before the case',
    })
    assert.equal(before.statusCode, 400)
    assert.deepEqual(errors(before.body), [
      'The date of the action cannot be before the case was opened on 1 October 2026',
    ])
    const ladder = await test.app.inject({
      url: `/cases/${fixture.caseId}/powers?party=${fixture.youthId}`,
      headers: { cookie: officer.cookie },
    })
    const page = parse(ladder.body)
    assert.match(page.querySelector('[data-qa="step-cpw"]')?.text ?? '', /Kyle Moss is 15 on this date/)
    assert.equal(page.querySelectorAll('[data-qa="issue-cpw"]').length, 0, 'no issue link on a blocked power')
    assert.equal(page.querySelectorAll('[data-qa="issue-warning-letter"]').length, 1)
  })

  it('previews the notice exactly as it will be sent, records nothing until confirmed, and confirms once', async () => {
    const caseRow = (await test.deps.casework.repository.caseById(fixture.caseId))!
    const count = async () => (await test.deps.powers.actions(caseRow)).length
    const before = await count()
    const submissionId = randomUUID()
    const fields = {
      submissionId,
      party: fixture.adultId,
      ...dated('actionDate', '2026-11-20'),
      conduct: 'Music continued after the first notice',
      requirements: 'Remove the speakers from the balcony',
      complianceDays: '7',
    }
    const url = `/cases/${fixture.caseId}/powers/cpn/new`
    const posted = await test.app.inject({ method: 'POST', url, ...form(officer, fields) })
    assert.equal(posted.statusCode, 303)
    const previewUrl = posted.headers.location ?? ''
    assert.match(previewUrl, new RegExp(`/powers/drafts/${submissionId}$`))
    assert.equal(await count(), before, 'a preview records nothing')

    const preview = await test.app.inject({ url: previewUrl, headers: { cookie: officer.cookie } })
    assert.equal(preview.statusCode, 200)
    const shown = parse(preview.body).querySelector('[data-qa="letter-preview"]')?.text ?? ''
    for (const expected of [
      'London Borough of Tower Hamlets',
      '160 Whitechapel Road',
      'Telephone: 020 7364 5000',
      'Email: asb.casereview@towerhamlets.gov.uk',
      'Olive Officer',
      'Authorised officer, Team asb-test',
      'You must do what is required above within 7 days, that is by 27 November 2026.',
      "You may appeal against this notice to a magistrates' court within 21 days of the date it was given to you, that is by 11 December 2026",
    ]) {
      assert.ok(shown.includes(expected), `the preview shows "${expected}"`)
    }
    assert.equal(shown.split('Dean Walsh').length - 1, 1, 'the recipient is named once')
    assert.match(preview.body, /<link rel="stylesheet" href="\/assets\/app\/letter.css">/)
    assert.match(preview.body, /<img class="app-letter__logo" src="data:image\/svg\+xml;base64,/)

    // The letter on its own: styled by its own stylesheet under this response's CSP nonce, never blocked.
    const draftLetter = await test.app.inject({ url: `${previewUrl}/letter`, headers: { cookie: officer.cookie } })
    assert.equal(draftLetter.statusCode, 200)
    const nonce = /<style nonce="([^"]+)">/.exec(draftLetter.body)?.[1] ?? ''
    assert.ok(nonce.length > 8)
    assert.ok(String(draftLetter.headers['content-security-policy']).includes(`'nonce-${nonce}'`))
    assert.doesNotMatch(draftLetter.body, /<style>|style="/)

    const previewPdf = await test.app.inject({ url: `${previewUrl}/letter.pdf`, headers: { cookie: officer.cookie } })
    assert.equal(previewPdf.statusCode, 200)
    assert.equal(await count(), before, 'previewing the PDF records nothing either')

    const confirmUrl = `${previewUrl}/confirm`
    const confirmedAt = clock.now()
    const confirmed = await test.app.inject({ method: 'POST', url: confirmUrl, ...form(officer, {}) })
    assert.equal(confirmed.statusCode, 303)
    const again = await test.app.inject({ method: 'POST', url: confirmUrl, ...form(officer, {}) })
    assert.equal(again.headers.location, confirmed.headers.location, 'confirming twice records once')
    const resubmitted = await test.app.inject({ method: 'POST', url, ...form(officer, fields) })
    assert.equal(resubmitted.headers.location, confirmed.headers.location)
    assert.equal(await count(), before + 1)

    // Kept exactly as previewed, and the resident's PDF is printed from that very document.
    const actionId = (confirmed.headers.location ?? '').split('/').pop() ?? ''
    const stored = await test.deps.casework.repository.letterFor(fixture.caseId, 'powers', actionId)
    assert.equal(stored?.html, draftLetter.body.replace(`<style nonce="${nonce}">`, '<style>'))
    const pdf = await test.app.inject({
      url: `${confirmed.headers.location ?? ''}/letter.pdf`,
      headers: { cookie: officer.cookie },
    })
    assert.equal(pdf.statusCode, 200)
    assert.equal(pdf.headers['content-type'], 'application/pdf')
    const sentText = pdfText(pdf.rawPayload)
    assert.equal(sentText, pdfText(previewPdf.rawPayload), "the resident's PDF reads as the preview's")
    for (const expected of ['London Borough of Tower Hamlets', 'Olive Officer', 'Authorised officer, Team asb-test'])
      assert.ok(sentText.includes(expected), `the PDF shows "${expected}"`)
    assert.match(sentText, /within 21 days/)

    // Recorded at the real time it was confirmed, not stamped at noon.
    const entry = await test.deps.database.db
      .selectFrom('case_chronology')
      .select('occurred_at')
      .where('source_id', '=', actionId)
      .executeTakeFirstOrThrow()
    assert.equal(new Date(entry.occurred_at).toISOString(), confirmedAt.toISOString())
    assert.notEqual(confirmedAt.toISOString(), '2026-11-20T12:00:00.000Z')
  })

  it('extends, varies and withdraws an action, and only an action in force is active', async () => {
    const caseRow = (await test.deps.casework.repository.caseById(fixture.caseId))!
    const actions = await test.deps.powers.actions(caseRow)
    const cpw = actions.find(action => action.power === 'cpw')
    const latest = actions.find(action => action.power === 'cpn' && action.action_date === '2026-11-20')
    assert.ok(cpw && latest)
    const changeUrl = (id: string) => `/cases/${fixture.caseId}/powers/actions/${id}/changes/new`
    const change = (id: string, fields: Record<string, string>) =>
      test.app.inject({
        method: 'POST',
        url: changeUrl(id),
        ...form(officer, { submissionId: randomUUID(), ...dated('effectiveDate', '2026-11-20'), ...fields }),
      })

    const early = await change(cpw.id, {
      kind: 'extension',
      reason: 'More time agreed',
      ...dated('newEndDate', '2026-11-10'),
    })
    assert.equal(early.statusCode, 400)
    assert.deepEqual(errors(early.body), ['The new end date must be after the current one, 16 November 2026'])
    const extended = await change(cpw.id, {
      kind: 'extension',
      reason: 'More time agreed at the visit',
      ...dated('newEndDate', '2026-11-30'),
    })
    assert.equal(extended.statusCode, 303)
    const varied = await change(latest.id, { kind: 'variation', reason: 'Speakers removed', requirements: '' })
    assert.equal(varied.statusCode, 400)
    assert.deepEqual(errors(varied.body), ['Say what they must stop or do'])

    assert.ok((await test.deps.powers.activeActions(caseRow)).some(action => action.id === latest.id))
    const withdrawn = await change(latest.id, { kind: 'withdrawal', reason: 'Issued in error: duplicate of the first' })
    assert.equal(withdrawn.statusCode, 303)
    assert.ok(!(await test.deps.powers.activeActions(caseRow)).some(action => action.id === latest.id))
    const twice = await change(latest.id, { kind: 'discharge', reason: 'again' })
    assert.equal(twice.statusCode, 400)
    assert.deepEqual(errors(twice.body), ['This action is no longer in force (Withdrawn): it cannot be changed'])

    const page = await test.app.inject({
      url: `/cases/${fixture.caseId}/powers/actions/${cpw.id}`,
      headers: { cookie: officer.cookie },
    })
    assert.match(page.body, /Time to comply ends[\s\S]*30 November 2026/)
    assert.match(
      parse(page.body).querySelector('[data-qa="changes"]')?.text ?? '',
      /Extended from 20 November 2026 by Olive Officer: More time agreed at the visit; new end date 30 November 2026/,
    )
    const ladder = parse(
      (
        await test.app.inject({
          url: `/cases/${fixture.caseId}/powers?party=${fixture.adultId}`,
          headers: { cookie: officer.cookie },
        })
      ).body,
    )
    const statuses = ladder.querySelectorAll('[data-qa="action-status"]').map(cell => cell.text.trim())
    assert.ok(statuses.includes('Withdrawn') && statuses.includes('In force'))
    const chronology = await test.deps.database.db
      .selectFrom('case_chronology')
      .select('summary')
      .where('case_id', '=', fixture.caseId)
      .where('source_module', '=', 'powers')
      .execute()
    const summaries = chronology.map(entry => entry.summary)
    assert.ok(
      summaries.includes(
        'Community Protection Notice withdrawn on 20 November 2026: Issued in error: duplicate of the first',
      ),
    )
    const audit = await test.deps.audit.forSubject('case', fixture.caseId)
    assert.equal(audit.filter(event => event.action === 'POWER_ACTION_CHANGED').length, 2)
  })
})
