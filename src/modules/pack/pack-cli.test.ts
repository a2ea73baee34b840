import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { projectRoot, runSaferInProcess } from '../../../test/helpers/cli.js'

describe('safer pack validate', () => {
  let dir: string
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-pack-cli-'))
    fs.cpSync(path.join(projectRoot, 'reference-data/tower-hamlets'), dir, { recursive: true })
  })
  after(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('says a good pack is valid and exits 0, without a database', async () => {
    const result = await runSaferInProcess(['pack', 'validate', 'reference-data/tower-hamlets'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    })
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /a valid CSP pack for London Borough of Tower Hamlets: 8 priorities, 22 outcomes/)
  })

  it('names each fault of a broken copy with its file and line, and exits 1', async () => {
    const file = path.join(dir, 'indicators.json')
    const text = fs.readFileSync(file, 'utf8').replace('"polarity": "awareness"', '"polarity": "sideways"')
    fs.writeFileSync(file, text)
    const line = text.slice(0, text.indexOf('"sideways"')).split('\n').length
    fs.writeFileSync(path.join(dir, 'plan.json'), '{\n  "priorities": [,\n}\n')

    const result = await runSaferInProcess(['pack', 'validate', dir], {})
    assert.equal(result.code, 1)
    const lines = result.stderr.trim().split('\n')
    assert.ok(
      lines.includes(
        `${path.join(dir, 'indicators.json')}:${String(line)}: polarity must be one of "lower-better", "higher-better", "awareness"`,
      ),
      result.stderr,
    )
    assert.ok(
      lines.some(entry => entry.startsWith(`${path.join(dir, 'plan.json')}:2: not valid JSON`)),
      result.stderr,
    )
    assert.match(result.stderr, /safer: 2 problems in the CSP pack /)
  })

  it('names a fault in panels.json with its file and line', async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-pack-cli-'))
    try {
      fs.cpSync(path.join(projectRoot, 'reference-data/city-of-london'), copy, { recursive: true })
      const file = path.join(copy, 'panels.json')
      const text = fs.readFileSync(file, 'utf8').replace('"kind": "da-marac"', '"kind": "domestic-abuse"')
      fs.writeFileSync(file, text)
      const line = text.slice(0, text.indexOf('"domestic-abuse"')).split('\n').length

      const result = await runSaferInProcess(['pack', 'validate', copy], {})
      assert.equal(result.code, 1)
      assert.ok(
        result.stderr.split('\n').some(entry => entry.startsWith(`${file}:${String(line)}: kind must be one of`)),
        result.stderr,
      )
    } finally {
      fs.rmSync(copy, { recursive: true, force: true })
    }
  })
})
