import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import type { StaffUser } from '../accounts/index.js'

const clock = fixedClock('2026-11-20T10:00:00Z')

describe('casework service (the contract other modules use)', () => {
  let t: TestApp
  let officer: StaffUser
  let stranger: StaffUser
  before(async () => {
    t = await buildTestApp({ clock })
    const a = await createStaff(t.deps, { roles: ['officer'], partnerCode: 'council', teamCode: 'asb-investigations' })
    const b = await createStaff(t.deps, { roles: ['officer'], partnerCode: 'police', teamCode: 'police-partnership' })
    officer = (await t.deps.accounts.repository.userById(a.id))!
    stranger = (await t.deps.accounts.repository.userById(b.id))!
  })
  after(() => t.close())

  it('opens a case with a yearly reference, and hides it from users outside the partnership', async () => {
    const { casework } = t.deps
    const actor = { type: 'user' as const, id: officer.id }
    const opened = await casework.openCase(
      {
        title: 'Noise from flat 4',
        category: 'noise_music',
        priority: 'medium',
        sensitivity: null,
        owningTeamId: officer.teamId!,
        owningPartnerId: officer.partnerId,
        leadOfficerId: officer.id,
        wardCode: null,
      },
      actor,
    )
    assert.match(opened.reference, /^ASB-26-\d{5}$/)
    const second = await casework.openCase(
      {
        title: 'Second',
        category: 'graffiti',
        priority: 'standard',
        sensitivity: null,
        owningTeamId: officer.teamId!,
        owningPartnerId: officer.partnerId,
        leadOfficerId: null,
        wardCode: null,
      },
      actor,
    )
    assert.equal(Number(second.reference.slice(-5)), Number(opened.reference.slice(-5)) + 1)

    const seen = await casework.findForUser(officer, opened.id)
    assert.equal(seen?.reference, opened.reference)
    assert.equal(await casework.findForUser(stranger, opened.id), undefined)
    assert.equal(await casework.findForUser(officer, '00000000-0000-0000-0000-000000000000'), undefined)
    assert.equal(await casework.findForUser(officer, 'not-a-uuid'), undefined)
    const refusals = await t.deps.audit.forSubject('case', opened.id)
    assert.ok(refusals.some(event => event.action === 'case.access-refused' && event.actor_id === stranger.id))

    const party = await casework.addParty(seen, { role: 'victim', kind: 'person', name: 'A Resident' }, actor)
    assert.equal((await casework.partyById(party))?.name, 'A Resident')
    const task = await casework.createTask(
      { caseId: opened.id, title: 'Visit', ownerUserId: officer.id, dueDate: '2026-11-21', sourceModule: 'risk' },
      actor,
    )
    assert.ok(task.id)
    await casework.addChronology(opened.id, { kind: 'note', summary: 'Spoke to victim' }, actor)
    const { rows, total } = await casework.repository.chronology(opened.id, { limit: 10 })
    assert.equal(total, 4)
    assert.equal(rows.length, 4)

    casework.registerCaseLink({ text: 'Risk', href: id => `/cases/${id}/risk`, roles: ['officer'] })
    const links = casework.linksFor(officer, seen)
    assert.ok(links.some(link => link.text === 'Risk' && link.href === `/cases/${opened.id}/risk`))
    casework.registerCaseLink({ text: 'Supervisors only', href: id => `/x/${id}`, roles: ['supervisor'] })
    assert.ok(!casework.linksFor(officer, seen).some(link => link.text === 'Supervisors only'))
  })
})
