import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'

import Type from 'typebox'

import { loadPolicyFile, policyFingerprint, withLocalChanges } from './versioned-policy.js'

interface Policy {
  version: string
  days: number
  strict: boolean
}

const DEFAULTS: Policy = { version: 'test-2026.1', days: 10, strict: true }
const Schema = Type.Object({
  version: Type.String({ minLength: 1 }),
  days: Type.Integer({ minimum: 1, maximum: 30 }),
  strict: Type.Boolean(),
})

describe('Versioned policy', () => {
  it('gives changed rules a version of their own, and unchanged rules the default version', () => {
    const changed = withLocalChanges(DEFAULTS, { days: 20 })
    assert.equal(changed.days, 20)
    assert.equal(changed.version, `test-2026.1+local.${policyFingerprint({ ...changed, version: '' })}`)
    assert.notEqual(withLocalChanges(DEFAULTS, { days: 21 }).version, changed.version)
    assert.equal(withLocalChanges(DEFAULTS, { days: 20 }).version, changed.version, 'the same rules, the same version')
    assert.deepEqual(withLocalChanges(DEFAULTS, { days: 10 }), DEFAULTS)
    assert.equal(withLocalChanges(DEFAULTS, { days: 20, version: 'ours-1' }).version, 'ours-1')
  })

  it('loads a file of changes, and refuses one it cannot read or that breaks the rules, naming setting and file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-policy-'))
    try {
      fs.writeFileSync(path.join(dir, 'good.json'), '{ "strict": false }')
      fs.writeFileSync(path.join(dir, 'bad.json'), '{ "days": 40 }')
      fs.writeFileSync(path.join(dir, 'odd.json'), '{ "days": 5 }')
      const options = {
        setting: 'TEST_POLICY_FILE',
        what: 'test policy',
        defaults: DEFAULTS,
        schema: Schema,
        validate: (policy: Policy) => (policy.days < 7 && policy.strict ? ['days under 7 need strict false'] : []),
      }
      assert.equal(loadPolicyFile('', dir, options), DEFAULTS)
      assert.equal(loadPolicyFile('good.json', dir, options).strict, false)
      assert.throws(
        () => loadPolicyFile('bad.json', dir, options),
        /TEST_POLICY_FILE bad.json is not a valid test policy: \/days/,
      )
      assert.throws(
        () => loadPolicyFile('odd.json', dir, options),
        /not a valid test policy: days under 7 need strict false/,
      )
      assert.throws(() => loadPolicyFile('missing.json', dir, options), /^Error: TEST_POLICY_FILE missing.json: ENOENT/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
