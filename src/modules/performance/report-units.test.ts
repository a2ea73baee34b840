import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { indicatorIdFrom, validateIndicator, type IndicatorForm } from './indicator-validation.js'
import { axisTicks, trendChart } from './report-charts.js'
import { indicatorErrorText } from './performance-presenters.js'
import { parseReportPeriod, quarterSlugOf } from './report-presenters.js'
import { createSourceRegistry } from './source-registry.js'
import { readSurveyCsv, SURVEY_CSV_HEADER } from './survey-import.js'

describe('Report periods', () => {
  it('reads quarters of the financial year and financial years', () => {
    const q4 = parseReportPeriod('quarterly', '2018-q4')
    assert.deepEqual(
      [q4?.start, q4?.asAt, q4?.label],
      ['2019-01-01', '2019-03-31', 'Quarter 4 2018/19 (January to March 2019)'],
    )
    const q1 = parseReportPeriod('quarterly', '2018-q1')
    assert.deepEqual([q1?.start, q1?.asAt], ['2018-04-01', '2018-06-30'])
    const q3 = parseReportPeriod('quarterly', '2019-q3')
    assert.deepEqual([q3?.start, q3?.asAt], ['2019-10-01', '2019-12-31'])
    const year = parseReportPeriod('annual', '2018')
    assert.deepEqual([year?.start, year?.asAt, year?.label], ['2018-04-01', '2019-03-31', '2018/19'])
    for (const bad of ['2018-q5', '2018-q0', '18-q1', '2018', 'x'])
      assert.equal(parseReportPeriod('quarterly', bad), null, bad)
    for (const bad of ['2018-q1', '1850', '20189']) assert.equal(parseReportPeriod('annual', bad), null, bad)
  })

  it('finds the quarter a date falls in', () => {
    assert.equal(quarterSlugOf('2019-03-31'), '2018-q4')
    assert.equal(quarterSlugOf('2019-04-01'), '2019-q1')
    assert.equal(quarterSlugOf('2018-09-30'), '2018-q2')
    assert.equal(quarterSlugOf('2018-12-01'), '2018-q3')
  })
})

describe('Report charts', () => {
  it('puts about five ticks at nice steps, never NaN for an empty series', () => {
    assert.deepEqual(axisTicks(5), { top: 5, ticks: [0, 1, 2, 3, 4, 5] })
    assert.deepEqual(axisTicks(1742), { top: 2000, ticks: [0, 500, 1000, 1500, 2000] })
    assert.deepEqual(axisTicks(0).ticks.every(Number.isFinite), true)
  })

  it('breaks a line at a gap instead of joining across missing months', () => {
    const months = [1, 2, null, 4, 5, null, null, null, null, null, null, null]
    const chart = trendChart('t', 'Test', [{ startYear: 2018, months }], String)
    const path = chart.series[0]?.path ?? ''
    assert.equal(path.match(/M/g)?.length, 2)
    assert.equal(chart.series[0]?.points.length, 4)
    assert.doesNotMatch(JSON.stringify(chart), /NaN|Infinity/)
    const empty = trendChart('e', 'Empty', [{ startYear: 2018, months: Array<null>(12).fill(null) }], String)
    assert.doesNotMatch(JSON.stringify(empty), /NaN|Infinity/)
  })
})

describe('Resident survey CSV', () => {
  const context = { areaCodes: new Set(['E09000030', 'E05009317']), measures: new Set(['safe-after-dark']) }
  const header = SURVEY_CSV_HEADER.join(',')

  it('reads a good file', () => {
    const result = readSurveyCsv(
      `${header}\nARS 2019,safe-after-dark,E09000030,2019-01-01,2019-03-31,1000,612\nARS 2019,safe-after-dark,E05009317,2019-01-01,2019-03-31,52,30\n`,
      context,
    )
    assert.ok(result.ok)
    assert.deepEqual(result.rows[0], {
      survey: 'ARS 2019',
      measure: 'safe-after-dark',
      areaCode: 'E09000030',
      periodStart: '2019-01-01',
      periodEnd: '2019-03-31',
      respondents: 1000,
      agreeing: 612,
    })
  })

  it('refuses a header that is not exactly right', () => {
    const result = readSurveyCsv('survey,measure,area,period_start,period_end,respondents,agreeing\n', context)
    assert.ok(!result.ok)
    assert.deepEqual(
      result.problems.map(p => [p.line, p.field]),
      [[1, 'header']],
    )
  })

  it('reports every problem with its line number, the header being line 1', () => {
    const result = readSurveyCsv(
      [
        header,
        'ARS,safe-after-dark,E09000030,2019-01-01,2019-03-31,1000,612',
        'ARS,unknown-measure,E09000030,2019-01-01,2019-03-31,10,5',
        'ARS,safe-after-dark,E99999999,2019-02-30,2019-03-31,0,5',
        'ARS,safe-after-dark,E05009317,2019-01-01,2018-12-31,10,11',
        'ARS,safe-after-dark,E09000030,2019-01-01,2019-03-31,1000,612',
        'too,few',
      ].join('\n'),
      context,
    )
    assert.ok(!result.ok)
    assert.deepEqual(
      result.problems.map(p => `${String(p.line)}:${p.field}`),
      ['3:measure', '4:area_code', '4:period_start', '4:respondents', '5:period_end', '5:agreeing', '6:line', '7:line'],
    )
  })
})

describe('Indicator form', () => {
  const context = {
    priorities: new Set(['violence']),
    activityTypes: new Set(['patrol']),
    countSources: new Set(['reports:all']),
  }
  const form: IndicatorForm = {
    name: 'Knife crime',
    priorityId: 'violence',
    unit: 'count',
    polarity: 'lower-better',
    targetKind: 'change-pct',
    targetValue: '-10',
    tolerancePct: '5',
    stableBandPct: '2',
    source: 'count:reports:all',
    surveyMeasure: '',
    description: '',
  }

  it('saves nothing without polarity, and says why', () => {
    const result = validateIndicator({ ...form, polarity: '' }, context)
    assert.ok(!result.ok)
    assert.deepEqual(
      result.errors.map(e => e.field),
      ['polarity'],
    )
    // The refusal is a code; its words, from the locale file, say why.
    assert.match(indicatorErrorText(result.errors[0] ?? { code: 'name-missing' }), /rise is good or bad/)
  })

  it('accepts a complete definition and reads its source', () => {
    const result = validateIndicator(form, context)
    assert.ok(result.ok)
    assert.deepEqual(result.value.target, { kind: 'change-pct', value: -10 })
    assert.deepEqual(result.value.source, { kind: 'count', key: 'reports:all' })
    const survey = validateIndicator(
      { ...form, unit: 'percent', source: 'survey', surveyMeasure: 'safe-after-dark' },
      context,
    )
    assert.ok(survey.ok)
    assert.deepEqual(survey.value.source, { kind: 'survey', measure: 'safe-after-dark' })
  })

  it('names each bad field', () => {
    const result = validateIndicator(
      { ...form, name: ' ', priorityId: 'x', unit: 'x', targetValue: 'ten', tolerancePct: '-1', source: 'count:nope' },
      context,
    )
    assert.ok(!result.ok)
    assert.deepEqual(
      result.errors.map(e => e.field),
      ['name', 'priorityId', 'unit', 'targetValue', 'tolerancePct', 'source'],
    )
  })

  it('makes an id from the name', () => {
    assert.equal(indicatorIdFrom('ASB calls to 101 (all)'), 'asb-calls-to-101-all')
    assert.equal(indicatorIdFrom('"Police treat everyone fairly"'), 'police-treat-everyone-fairly')
  })
})

describe('Source registry', () => {
  it('registers sources once under module:what keys and lists them', () => {
    const registry = createSourceRegistry()
    const source = { key: 'cases:opened', name: 'Cases opened', module: 'cases', monthlyCounts: async () => [] }
    registry.register(source)
    assert.equal(registry.get('cases:opened'), source)
    assert.throws(() => registry.register(source), /already registered/)
    assert.throws(() => registry.register({ ...source, key: 'Cases opened' }), /module:what/)
    assert.deepEqual(
      registry.list().map(s => s.key),
      ['cases:opened'],
    )
  })
})
