import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import {
  aggregate,
  computeKpi,
  directionOfTravel,
  financialYearOf,
  monthlySeries,
  percentChange,
  ragRating,
  round2,
  ytdWindows,
  type IndicatorDefinition,
  type Observation,
} from './kpi-engine.js'

const count: IndicatorDefinition = {
  unit: 'count',
  polarity: 'lower-better',
  target: null,
  tolerancePct: 5,
  stableBandPct: 2,
}

function month(start: string, value: number, denominator: number | null = null): Observation {
  const [y, m] = start.split('-').map(Number) as [number, number]
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { periodStart: start, periodEnd: `${start.slice(0, 8)}${String(last)}`, value, denominator }
}

describe('KPI engine: financial year', () => {
  it('starts the financial year on 1 April', () => {
    assert.equal(financialYearOf('2019-03-31'), 2018)
    assert.equal(financialYearOf('2019-04-01'), 2019)
    assert.equal(financialYearOf('2026-11-20'), 2026)
  })

  it('compares year to date with the same period of the previous year', () => {
    assert.deepEqual(ytdWindows('2026-11-20'), {
      current: { start: '2026-04-01', end: '2026-11-20' },
      previous: { start: '2025-04-01', end: '2025-11-20' },
    })
    // A month end compares with the month end a year earlier, leap day included.
    assert.deepEqual(ytdWindows('2025-02-28').previous, { start: '2023-04-01', end: '2024-02-29' })
    assert.deepEqual(ytdWindows('2024-02-29').previous, { start: '2022-04-01', end: '2023-02-28' })
  })
})

describe('KPI engine: % change', () => {
  it('rounds to 2 decimals, half away from zero', () => {
    assert.equal(round2(1.005), 1.01)
    assert.equal(round2(-1.005), -1.01)
    assert.equal(percentChange(522, 574), -9.06)
  })

  it('is n/a (null) when the base is 0 or missing: never Infinity or NaN', () => {
    assert.equal(percentChange(5, 0), null)
    assert.equal(percentChange(0, 0), null)
    assert.equal(percentChange(190, null), null)
    assert.equal(percentChange(null, 10), null)
    assert.equal(percentChange(0, 10), -100)
  })
})

describe('KPI engine: aggregation', () => {
  const months = [month('2018-04-01', 10), month('2018-05-01', 20), month('2018-06-01', 30)]

  it('adds counts over the months inside the window, ignoring a month cut by the window', () => {
    assert.equal(aggregate('count', months, { start: '2018-04-01', end: '2018-06-30' }), 60)
    assert.equal(aggregate('count', months, { start: '2018-04-01', end: '2018-06-15' }), 30)
    assert.equal(aggregate('count', months, { start: '2019-04-01', end: '2019-06-30' }), null)
  })

  it('prefers a figure for exactly the window (a manual YTD) over summing months', () => {
    const withManual = [...months, { periodStart: '2018-04-01', periodEnd: '2018-06-30', value: 61, denominator: null }]
    assert.equal(aggregate('count', withManual, { start: '2018-04-01', end: '2018-06-30' }), 61)
  })

  it('computes percentages and rates from numerators and denominators, not an average of percentages', () => {
    const pct = [month('2018-04-01', 1, 10), month('2018-05-01', 9, 10)]
    assert.equal(aggregate('percent', pct, { start: '2018-04-01', end: '2018-05-31' }), 50)
    const rate = [month('2018-04-01', 30, 15000), month('2018-05-01', 15, 15000)]
    assert.equal(aggregate('rate-per-1000', rate, { start: '2018-04-01', end: '2018-05-31' }), 3)
    const zero = [month('2018-04-01', 0, 0)]
    assert.equal(aggregate('percent', zero, { start: '2018-04-01', end: '2018-04-30' }), null)
    const mixed = [month('2018-04-01', 69), month('2018-05-01', 1, 2)]
    assert.equal(aggregate('percent', mixed, { start: '2018-04-01', end: '2018-05-31' }), null)
  })
})

describe('KPI engine: direction of travel', () => {
  it('reads a fall as improving for lower-is-better and worsening for higher-is-better', () => {
    assert.deepEqual(directionOfTravel(count, 522, 574), { movement: 'down', assessment: 'improving' })
    assert.deepEqual(directionOfTravel({ ...count, polarity: 'higher-better' }, 69, 72), {
      movement: 'down',
      assessment: 'worsening',
    })
  })

  it('reads a rise in an awareness indicator (reporting) as improving', () => {
    assert.deepEqual(directionOfTravel({ ...count, polarity: 'awareness' }, 741, 683), {
      movement: 'up',
      assessment: 'improving',
    })
  })

  it('treats a change inside the band as no significant change, and missing figures as not available', () => {
    assert.equal(directionOfTravel(count, 1472, 1448).assessment, 'no-significant-change')
    assert.equal(directionOfTravel({ ...count, stableBandPct: 0 }, 1472, 1448).assessment, 'worsening')
    assert.equal(directionOfTravel(count, 190, null).movement, 'not-available')
    assert.deepEqual(directionOfTravel(count, 3, 0), { movement: 'up', assessment: 'worsening' })
  })
})

describe('KPI engine: RAG', () => {
  const sanction: IndicatorDefinition = {
    unit: 'percent',
    polarity: 'higher-better',
    target: { kind: 'value', value: 15 },
    tolerancePct: 5,
    stableBandPct: 2,
  }

  it('is green on or better than target, amber within 5% of it, red beyond', () => {
    assert.equal(ragRating(sanction, 15, null).rag, 'green')
    assert.equal(ragRating(sanction, 16, null).rag, 'green')
    assert.equal(ragRating(sanction, 14.25, null).rag, 'amber')
    assert.equal(ragRating(sanction, 14.2, null).rag, 'red')
  })

  it('honours a configured tolerance and lower-is-better targets', () => {
    assert.equal(ragRating({ ...sanction, tolerancePct: 10 }, 13.6, null).rag, 'amber')
    const volume = { ...count, target: { kind: 'value' as const, value: 100 } }
    assert.equal(ragRating(volume, 100, null).rag, 'green')
    assert.equal(ragRating(volume, 105, null).rag, 'amber')
    assert.equal(ragRating(volume, 106, null).rag, 'red')
  })

  it('turns a change target into a threshold on the previous year', () => {
    const fairly = { ...sanction, target: { kind: 'change-pct' as const, value: 5 } }
    assert.deepEqual(ragRating(fairly, 63, 60), { rag: 'green', threshold: 63 })
    assert.equal(ragRating(fairly, 60, 60).rag, 'amber')
    assert.equal(ragRating(fairly, 59, 60).rag, 'red')
    assert.equal(ragRating(fairly, 60, null).rag, 'grey')
  })

  it('is grey with no target or no figure', () => {
    assert.equal(ragRating(count, 10, 12).rag, 'grey')
    assert.equal(ragRating(sanction, null, 12).rag, 'grey')
  })
})

describe('KPI engine: computeKpi and monthly series', () => {
  const observations = [
    month('2017-04-01', 5),
    month('2017-05-01', 5),
    month('2017-06-01', 100),
    month('2018-04-01', 3),
    month('2018-05-01', 4),
    month('2018-06-01', 50),
  ]

  it('computes YTD at a month end against the same months of the previous year', () => {
    const result = computeKpi(count, observations, '2018-05-31')
    assert.equal(result.ytd, 7)
    assert.equal(result.previousYtd, 10)
    assert.equal(result.change, -3)
    assert.equal(result.changePct, -30)
    assert.equal(result.assessment, 'improving')
    assert.equal(result.rag, 'grey')
  })

  it('lists each month of the financial year to date with the same month a year earlier', () => {
    const series = monthlySeries('count', observations, '2018-06-30')
    assert.deepEqual(
      series.map(point => [point.month.start, point.value, point.previousValue]),
      [
        ['2018-04-01', 3, 5],
        ['2018-05-01', 4, 5],
        ['2018-06-01', 50, 100],
      ],
    )
  })
})
