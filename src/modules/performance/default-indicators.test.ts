import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, it } from 'node:test'

import { projectRoot } from '../../config.js'
import { declaredSourceKeys } from '../../indicator-source-keys.js'
import { loadCspPack } from '../pack/index.js'
import { computeKpi, ytdWindows, type Observation } from './kpi-engine.js'
import { definitionOf } from './performance-plan.js'

// The Tower Hamlets indicator set and the deck's figures now live in its CSP pack (reference-data/tower-hamlets).
const towerHamlets = loadCspPack(path.join(projectRoot, 'reference-data/tower-hamlets')).performance
const DEFAULT_PRIORITIES = towerHamlets.priorities
const DEFAULT_INDICATORS = towerHamlets.indicators
const [deck] = towerHamlets.historicValues
if (!deck) throw new Error('The Tower Hamlets pack has no historic values')
const DECK_AS_AT = deck.asAt
const DECK_FIGURES = deck.figures.map(
  figure => [figure.indicatorId, figure.ytd, figure.previousYtd, figure.printedChangePct] as const,
)

/** The deck's figures as the manual periodic values the demo loads: one YTD figure per year. */
function deckObservations(ytd: number, previous: number | null): Observation[] {
  const windows = ytdWindows(DECK_AS_AT)
  return [
    { periodStart: windows.current.start, periodEnd: windows.current.end, value: ytd, denominator: null },
    ...(previous === null
      ? []
      : [{ periodStart: windows.previous.start, periodEnd: windows.previous.end, value: previous, denominator: null }]),
  ]
}

describe('Default Tower Hamlets indicator set', () => {
  it("reproduces the deck's KPI table exactly", () => {
    const expected: Record<string, string> = {
      'asb-calls-101': '14768 14909 -0.95',
      'asb-repeat-callers': '522 574 -9.06',
      'asb-portal-reports': '190 n/a n/a',
      'drug-asb-portal-reports': '148 n/a n/a',
      'drug-operation-arrests': '1563 257 +508.17',
      'drug-supply-charges': '1041 776 +34.15',
      'domestic-abuse-offences': '3393 3013 +12.61',
      'sdvc-conviction-rate': '69 72 -4.17',
      'serious-youth-violence': '320 309 +3.56',
      'personal-robbery': '1472 1448 +1.66',
      'knife-crime': '830 889 -6.64',
      'total-burglary': '3293 2928 +12.47',
      'hate-crime-offences': '741 683 +8.49',
    }
    const signed = (value: number | null) => (value === null ? 'n/a' : `${value > 0 ? '+' : ''}${value.toFixed(2)}`)
    const actual: Record<string, string> = {}
    for (const [id, ytd, previous] of DECK_FIGURES) {
      const seed = DEFAULT_INDICATORS.find(indicator => indicator.id === id)
      assert.ok(seed, `${id} is in the default set`)
      const result = computeKpi(definitionOf(seed), deckObservations(ytd, previous), DECK_AS_AT)
      actual[id] =
        `${String(result.ytd)} ${result.previousYtd === null ? 'n/a' : String(result.previousYtd)} ${signed(result.changePct)}`
    }
    assert.deepEqual(actual, expected)
  })

  it('agrees with every % change the deck prints (to its precision)', () => {
    for (const [id, ytd, previous, printed] of DECK_FIGURES) {
      const seed = DEFAULT_INDICATORS.find(indicator => indicator.id === id)
      if (!seed) throw new Error(id)
      const { changePct } = computeKpi(definitionOf(seed), deckObservations(ytd, previous), DECK_AS_AT)
      if (printed === null) {
        assert.equal(changePct, null, id)
      } else {
        const decimals = printed.split('.')[1]?.length ?? 0
        assert.equal(changePct?.toFixed(decimals).replace(/^(\d)/, '+$1'), printed, id)
      }
    }
  })

  it('has the deck 13 indicators under the four 2017-21 priorities and the plan targets', () => {
    assert.equal(DECK_FIGURES.length, 13)
    const priorities = new Set(DEFAULT_PRIORITIES.map(priority => priority.id))
    for (const seed of DEFAULT_INDICATORS) assert.ok(priorities.has(seed.priorityId), seed.id)
    const target = (id: string) => DEFAULT_INDICATORS.find(indicator => indicator.id === id)?.target
    assert.deepEqual(target('rape-sanction-detection'), { kind: 'value', value: 15 })
    assert.deepEqual(target('hate-crime-sanction-detection'), { kind: 'value', value: 10 })
    assert.deepEqual(target('police-treat-fairly'), { kind: 'change-pct', value: 5 })
    assert.equal(new Set(DEFAULT_INDICATORS.map(indicator => indicator.id)).size, DEFAULT_INDICATORS.length)
  })

  it('has at least 20 indicators counted from records, each from a registered source, the deck still manual', () => {
    const keys = declaredSourceKeys()
    const counted = DEFAULT_INDICATORS.filter(indicator => indicator.source.kind === 'count')
    assert.ok(counted.length >= 20, `${String(counted.length)} indicators counted from records`)
    for (const indicator of counted)
      assert.ok(indicator.source.kind === 'count' && keys.has(indicator.source.key), indicator.id)
    // From Safer's own records (not imported police data): at least 20 as well.
    assert.ok(
      counted.filter(i => i.source.kind === 'count' && !/^(mps-crime|police-street):/.test(i.source.key)).length >= 20,
    )
    for (const [id] of DECK_FIGURES)
      assert.equal(DEFAULT_INDICATORS.find(indicator => indicator.id === id)?.source.kind, 'manual', id)
  })
})
