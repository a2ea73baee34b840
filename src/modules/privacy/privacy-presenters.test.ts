import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { bundleView } from './privacy-presenters.js'
import type { SubjectAccessBundle } from './privacy-service.js'

const bundle = {
  format: 'safer-subject-access/1',
  generatedAt: '2026-11-20T10:00:00.000Z',
  subject: { email: 'ada@example.org' },
  request: 'DPA-7',
  redaction: { staff: 'Staff appear by role, team and organisation only, not by name.' },
  reports: [
    {
      reference: 'ASB-2611-ABCD',
      receivedAt: '2026-11-01T09:30:00.000Z',
      category: 'noise_music',
      status: 'received',
      occurredOn: '2026-10-31',
      description: 'Music every night.',
      location: { postcode: 'E1 6AN', description: null },
      impact: { reporterRole: 'victim' },
      reporter: { mode: 'named', name: 'Ada Resident', email: 'ada@example.org', consentToShare: true },
      statusHistory: [],
      evidence: [{ fileName: 'a.jpg', contentType: 'image/jpeg', sizeBytes: 10, file: 'evidence/x/a.jpg' }],
      caseReferences: [],
    },
  ],
  drafts: [],
  cases: [
    {
      reference: 'ASB-26-00001',
      title: 'noise at [redacted]',
      category: 'noise_music',
      status: 'open',
      openedAt: '2026-11-02T09:00:00.000Z',
      leadOfficer: { role: 'officer', team: 'ASB Team', organisation: 'The Council' },
      involvement: ['party: victim'],
      yourPartyRecords: [{ role: 'victim', name: 'Ada Resident' }],
      otherParties: [{ role: 'perpetrator', kind: 'person', name: '[redacted]' }],
      otherReportsRedacted: 2,
      chronology: [],
      tasks: [],
      letters: [],
      riskAssessments: [],
      powerActions: [],
    },
  ],
  checkins: [],
  caseReviews: [],
  notifications: [],
  staffAccount: false,
} as unknown as SubjectAccessBundle

describe('the printable subject access bundle', () => {
  it('says in words what the JSON holds, with labels, and shows staff by role only', () => {
    const view = bundleView(bundle)
    assert.equal(view.subject, 'ada@example.org')
    const [reports, cases, ...rest] = view.sections
    assert.equal(reports?.items[0]?.heading.startsWith('ASB-2611-ABCD'), true)
    const rows = Object.fromEntries((reports?.items[0]?.rows ?? []).map(row => [row.key, row.value]))
    assert.equal(rows.Category, 'Loud music, TV or parties')
    assert.equal(rows['Consent to share'], 'Yes')
    assert.equal(rows['Impact answers'], 'reporterRole: victim')
    assert.match(reports?.items[0]?.lists?.[0]?.entries[0] ?? '', /a\.jpg \(image\/jpeg, 10 bytes\)/)
    const caseRows = Object.fromEntries((cases?.items[0]?.rows ?? []).map(row => [row.key, row.value]))
    assert.equal(caseRows['Lead officer'], 'officer, ASB Team, The Council')
    assert.equal(caseRows['Other parties'], 'perpetrator (person) [redacted]')
    assert.equal(caseRows["Other residents' reports (not shown)"], '2')
    assert.ok(rest.every(section => section.items.length === 0 && section.empty === 'None held.'))
  })
})
