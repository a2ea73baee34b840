/**
 * The powers letter's sender: the CSP pack's letterhead when it has one (organisation, team, address and only the
 * contact details it gives), and otherwise the Community Safety Partnership, exactly as before packs had letterheads.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { createNunjucksEnvironment } from '../../platform/views.js'

const env = createNunjucksEnvironment({ env: 'test' })

function letter(letterhead: Record<string, unknown> | null): string {
  return env.render('powers/views/letter.njk', {
    name: 'Community Protection Warning',
    caseRow: { reference: 'ASB-26-0001' },
    actionDate: '7 December 2026',
    party: { name: 'Dean Walsh', address: '1 High Street', postcode: null },
    subject: 'Community Protection Warning',
    letterType: 'cpw',
    conduct: 'Loud music',
    requirements: 'Stop',
    deadlines: [],
    action: { issued_by_name: 'Ola Officer', policy_version: 'asbcpa-2014/2026.1' },
    letterhead,
  })
}

describe('Powers letter sender', () => {
  it('signs off as the Community Safety Partnership without a letterhead', () => {
    const html = letter(null)
    assert.match(
      html,
      /<p class="meta">Community Safety Partnership · Our reference ASB-26-0001 · 7 December 2026<\/p>/,
    )
    assert.match(html, /Yours sincerely,<br>Ola Officer<\/p>/)
    assert.doesNotMatch(html, /class="letterhead"/)
  })

  it("heads the letter with the pack's letterhead, printing only the contact details it gives", () => {
    const html = letter({
      organisation: 'City of London Corporation',
      team: 'Community Safety Team',
      address: ['Guildhall', 'London'],
    })
    assert.match(
      html,
      /<p class="letterhead"><strong>City of London Corporation<\/strong><br>Community Safety Team<br>Guildhall<br>London<\/p>/,
    )
    assert.match(html, /<p class="meta">Our reference ASB-26-0001 · 7 December 2026<\/p>/)
    assert.match(html, /Ola Officer<br>Community Safety Team, City of London Corporation<\/p>/)
    assert.doesNotMatch(html, /Telephone|Email:/)
    assert.doesNotMatch(html, /Community Safety Partnership/)

    const contact = letter({ organisation: 'A Council', phone: '020 7946 0000', email: 'asb@example.org' })
    assert.match(contact, /<strong>A Council<\/strong><br>Telephone: 020 7946 0000<br>Email: asb@example.org<\/p>/)
    assert.match(contact, /Ola Officer<br>A Council<\/p>/)
  })
})
