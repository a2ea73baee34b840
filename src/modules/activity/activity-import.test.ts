import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { readActivityCsv } from './activity-import.js'
import { activityErrorText } from './activity-presenters.js'
import { parseDate, validateActivity, type ValidationContext } from './activity-validation.js'

const context: ValidationContext = {
  types: [
    { code: 'people-trained', name: 'People trained' },
    { code: 'cctv-arrest', name: 'Arrests from CCTV' },
  ],
  wards: [
    { code: 'E05009336', name: 'Whitechapel' },
    { code: 'E05009323', name: 'Canary Wharf' },
  ],
  priorities: [{ id: 'violence', name: 'Violence' }],
  today: '2026-11-20',
}

const HEADER = 'type,date,ward,priority,quantity,operation,partner,evidence'

describe('Activity validation', () => {
  it('reads ISO and UK dates and refuses impossible ones', () => {
    assert.equal(parseDate('2019-03-31'), '2019-03-31')
    assert.equal(parseDate('31/03/2019'), '2019-03-31')
    assert.equal(parseDate('2019-02-30'), null)
    assert.equal(parseDate('03/31/2019'), null)
  })

  it('accepts codes or names, an empty ward (borough-wide) and an empty priority', () => {
    const result = validateActivity(
      {
        type: 'People trained',
        date: '2019-01-15',
        ward: 'whitechapel',
        priority: '',
        quantity: '1,742',
        operation: ' WRAP ',
        partner: '',
        evidence: 'Attendance sheets',
      },
      context,
    )
    assert.deepEqual(result, {
      ok: true,
      value: {
        typeCode: 'people-trained',
        occurredOn: '2019-01-15',
        wardCode: 'E05009336',
        priorityId: null,
        quantity: 1742,
        operation: 'WRAP',
        partner: null,
        evidence: 'Attendance sheets',
      },
    })
  })

  it('reports every problem by field', () => {
    const result = validateActivity(
      {
        type: '',
        date: '2030-01-01',
        ward: 'Hackney',
        priority: 'Nope',
        quantity: '1.5',
        operation: '',
        partner: '',
        evidence: ' ',
      },
      context,
    )
    assert.equal(result.ok, false)
    if (result.ok) return
    assert.deepEqual(
      result.errors.map(error => error.field),
      ['type', 'date', 'ward', 'priority', 'quantity', 'evidence'],
    )
  })
})

describe('Activity CSV import', () => {
  it('reads every line of a good file', () => {
    const result = readActivityCsv(
      `${HEADER}\ncctv-arrest,2019-01-02,Whitechapel,violence,3,Op Continuum,MPS,"CCTV log, January"\npeople-trained,02/01/2019,,,40,WRAP,,Register\n`,
      context,
    )
    assert.equal(result.ok, true)
    if (result.ok) assert.equal(result.records.length, 2)
  })

  it('refuses a header that is not exactly right', () => {
    const result = readActivityCsv('type,date,ward,priority,qty,operation,partner,evidence\n', context)
    assert.equal(result.ok, false)
    if (result.ok) return
    assert.deepEqual(
      result.problems.map(problem => ({
        line: problem.line,
        field: problem.field,
        message: activityErrorText(problem),
      })),
      [{ line: 1, field: 'header', message: `The first line must be exactly: ${HEADER}` }],
    )
  })

  it('reports problems with their line numbers, counting the header as line 1', () => {
    const result = readActivityCsv(
      `${HEADER}\ncctv-arrest,2019-01-02,,,3,,,Log\nbogus,2019-01-02,,,3,,,Log\ncctv-arrest,2019-01-02,,,0,,,Log\ncctv-arrest,2019-01-02\n`,
      context,
    )
    assert.equal(result.ok, false)
    if (result.ok) return
    assert.deepEqual(
      result.problems.map(problem => [problem.line, problem.field]),
      [
        [3, 'type'],
        [4, 'quantity'],
        [5, 'line'],
      ],
    )
  })

  it('says which line has a broken quote', () => {
    const result = readActivityCsv(
      `${HEADER}\ncctv-arrest,2019-01-02,,,3,,,Log\ncctv-arrest,"2019,,,3,,,Log\n`,
      context,
    )
    assert.equal(result.ok, false)
    if (!result.ok) assert.equal(result.problems[0]?.field, 'file')
  })
})
