/**
 * The powers letter: the CSP pack's letterhead when it has one (organisation, team, address, logo and only the contact
 * details it gives), otherwise the Community Safety Partnership; the recipient named once; the authorised officer's
 * name and role; the time to comply; a Notice's appeal rights; and no inline style attribute the CSP would block.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { createNunjucksEnvironment } from '../../platform/views.js'

const env = createNunjucksEnvironment({ env: 'test' })

function letter(letterhead: Record<string, unknown> | null, overrides: Record<string, unknown> = {}): string {
  return env.render('powers/views/letter-body.njk', {
    name: 'Community Protection Warning',
    caseRow: { reference: 'ASB-26-0001' },
    actionDate: '7 December 2026',
    party: { name: 'Dean Walsh', address: '1 High Street', postcode: 'E1 6AN' },
    letterType: 'cpw',
    conduct: 'Loud music',
    requirements: 'Stop',
    deadlines: [],
    compliance: { days: 14, ends: '21 December 2026' },
    appeal: null,
    officer: { name: 'Ola Officer', role: 'Authorised officer, ASB Team' },
    action: { policy_version: 'asbcpa-2014/2026.2' },
    letterhead,
    ...overrides,
  })
}

describe('Powers letter', () => {
  it('comes from the Community Safety Partnership without a letterhead', () => {
    const html = letter(null)
    assert.match(html, /<p class="app-letter__sender"><strong>Community Safety Partnership<\/strong><\/p>/)
    assert.match(html, /Yours sincerely,<br><br>Ola Officer<br>Authorised officer, ASB Team<\/p>/)
    assert.doesNotMatch(html, /data-qa="letterhead"|<img/)
  })

  it("heads the letter with the pack's letterhead and logo, printing only the contact details it gives", () => {
    const html = letter({
      organisation: 'City of London Corporation',
      team: 'Community Safety Team',
      address: ['Guildhall', 'London'],
      logoSrc: 'data:image/svg+xml;base64,PHN2Zy8+',
      logoAlt: 'City of London',
    })
    assert.match(
      html,
      /<p class="app-letter__sender" data-qa="letterhead"><strong>City of London Corporation<\/strong><br>Community Safety Team<br>Guildhall<br>London<\/p>/,
    )
    assert.match(
      html,
      /<img class="app-letter__logo" src="data:image\/svg\+xml;base64,PHN2Zy8\+" alt="City of London">/,
    )
    assert.match(html, /Ola Officer<br>Authorised officer, ASB Team<br>City of London Corporation<\/p>/)
    assert.doesNotMatch(html, /Telephone|Email:/)
    assert.doesNotMatch(html, /Community Safety Partnership/)

    const contact = letter({
      organisation: 'A Council',
      phone: '020 7946 0000',
      email: 'asb@example.org',
      logoSrc: null,
    })
    assert.match(contact, /<strong>A Council<\/strong><br>Telephone: 020 7946 0000<br>Email: asb@example.org<\/p>/)
    assert.doesNotMatch(contact, /<img/)
  })

  it('names the recipient once, states the time to comply, and uses no inline style', () => {
    const html = letter(null)
    assert.equal(html.split('Dean Walsh').length - 1, 1)
    assert.match(
      html,
      /<address class="app-letter__addressee" data-qa="addressee">Dean Walsh<br>1 High Street<br>E1 6AN<\/address>/,
    )
    assert.match(html, /You must do what is required above within 14 days, that is by 21 December 2026\./)
    assert.doesNotMatch(html, /style=|<style/)
    assert.doesNotMatch(html, /data-qa="appeal-rights"/)
  })

  it("gives a Notice's right of appeal to the magistrates' court", () => {
    const html = letter(null, {
      name: 'Community Protection Notice',
      letterType: 'cpn',
      appeal: { by: '28 December 2026', days: 21 },
    })
    assert.match(html, /This is a Community Protection Notice under section 43/)
    assert.match(
      html,
      /You may appeal against this notice to a magistrates&#39; court within 21 days of the date it was given to you, that is by 28 December 2026 \(section 46/,
    )
  })

  it('wraps the body in a whole document with its stylesheet inlined', () => {
    const html = env.render('powers/views/letter.njk', {
      name: 'Community Protection Notice',
      caseRow: { reference: 'ASB-26-0001' },
      letterCss: '.app-letter { color: #0b0c0c; }',
      letterBody: '<article class="app-letter">x</article>',
    })
    assert.match(html, /<style>\n\.app-letter \{ color: #0b0c0c; \}\n<\/style>/)
    assert.match(html, /<body>\n<article class="app-letter">x<\/article>\n<\/body>/)
  })
})
