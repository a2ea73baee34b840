import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { createRedactor, staffReference, staffText } from './redaction.js'

describe('redaction for a subject access bundle', () => {
  it('replaces other people’s names as whole words, whatever their case, and keeps the subject’s own', () => {
    const redact = createRedactor(['Jordan Okoro', 'Casey Smith', 'Ada Resident'], ['Ada Resident'])
    assert.equal(
      redact('Spoke to jordan okoro and Casey Smith; Ada Resident was present.'),
      'Spoke to [redacted] and [redacted]; Ada Resident was present.',
    )
    assert.equal(redact('Casey Smithson called'), 'Casey Smithson called', 'a longer word is not a name')
    assert.equal(redact(null), null)
  })

  it('redacts email addresses and names with punctuation literally, and ignores very short names', () => {
    const redact = createRedactor(['other.person@example.org', 'J. (Jo) Bloggs', 'Al'])
    assert.equal(
      redact('Copied to other.person@example.org about J. (Jo) Bloggs. All well.'),
      'Copied to [redacted] about [redacted]. All well.',
    )
  })

  it('names staff by role, team and organisation only', () => {
    const reference = staffReference({
      id: 'u1',
      display_name: 'Olivia Officer',
      team_name: 'ASB Investigations',
      partner_name: 'Tower Hamlets Council',
      roles: ['analyst', 'officer'],
    })
    assert.deepEqual(reference, { role: 'officer', team: 'ASB Investigations', organisation: 'Tower Hamlets Council' })
    assert.equal(staffText(reference), 'officer, ASB Investigations, Tower Hamlets Council')
    assert.doesNotMatch(JSON.stringify(reference), /Olivia/)
    assert.equal(staffReference(undefined), null)
  })
})
