import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { annualFigures, figuresCsv, yearBounds, type PublicationFacts } from './publication.js'

function fact(receivedOn: string, overrides: Partial<PublicationFacts> = {}): PublicationFacts {
  return {
    receivedOn,
    duplicate: false,
    thresholdDecision: null,
    thresholdDecidedOn: null,
    outcomeOn: null,
    recommendations: 0,
    ...overrides,
  }
}

// A scripted year: 2026/27 runs from 1 April 2026 to 31 March 2027.
const script: PublicationFacts[] = [
  fact('2026-03-31', { thresholdDecision: 'not-met', thresholdDecidedOn: '2026-04-08' }),
  fact('2026-04-01', { thresholdDecision: 'not-met', thresholdDecidedOn: '2026-04-10' }),
  fact('2026-06-01', {
    thresholdDecision: 'met',
    thresholdDecidedOn: '2026-06-05',
    outcomeOn: '2026-07-01',
    recommendations: 2,
  }),
  fact('2026-06-02', { duplicate: true }),
  fact('2026-09-01', { thresholdDecision: 'met', thresholdDecidedOn: '2026-09-04', outcomeOn: '2026-10-01' }),
  fact('2027-03-20', {
    thresholdDecision: 'met',
    thresholdDecidedOn: '2027-03-25',
    outcomeOn: '2027-04-20',
    recommendations: 1,
  }),
]

describe('case review statutory figures', () => {
  it('counts the four figures per financial year for a scripted year', () => {
    const years = annualFigures(script, 4, '2027-05-01')
    assert.deepEqual(
      years.map(year => [
        year.label,
        year.applications,
        year.thresholdNotMet,
        year.reviews,
        year.reviewsWithRecommendations,
      ]),
      [
        ['2027/28', 0, 0, 1, 1],
        ['2026/27', 4, 2, 2, 1],
        ['2025/26', 1, 0, 0, 0],
      ],
    )
    assert.equal(years[1]?.start, '2026-04-01')
    assert.equal(years[1]?.end, '2027-03-31')
  })

  it('uses calendar years when the policy starts the year in January', () => {
    assert.deepEqual(yearBounds(2026, 1), { start: '2026-01-01', end: '2026-12-31', label: '2026' })
    const years = annualFigures(script, 1, '2027-05-01')
    assert.deepEqual(
      years.map(year => [year.label, year.applications]),
      [
        ['2027', 1],
        ['2026', 4],
      ],
    )
  })

  it('shows the current year with zeros when there are no applications', () => {
    assert.deepEqual(
      annualFigures([], 4, '2026-04-01').map(year => [year.label, year.applications]),
      [['2026/27', 0]],
    )
  })

  it('writes the figures as CSV with a header row', () => {
    const csv = figuresCsv(annualFigures(script, 4, '2027-05-01').slice(1, 2), [
      'Year',
      'Start',
      'End',
      'A',
      'B',
      'C',
      'D',
    ])
    assert.equal(csv, 'Year,Start,End,A,B,C,D\r\n2026/27,2026-04-01,2027-03-31,4,2,2,1\r\n')
  })
})
