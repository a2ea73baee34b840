import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { projectRoot } from '../../src/config.js'

const script = path.join(projectRoot, 'scripts/check-import-cycles.js')

function check(root: string) {
  const result = spawnSync(process.execPath, [script, root], { encoding: 'utf8' })
  return { status: result.status, output: result.stdout + result.stderr }
}

describe('scripts/check-import-cycles.js (run by npm run lint)', () => {
  let root = ''
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), text)
  }
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-cycles-'))
  })
  after(() => fs.rmSync(root, { recursive: true, force: true }))

  it('passes a tree whose only loop is through `import type`, which is erased at run time', () => {
    write('src/platform/a.ts', "import type { B } from './b.js'\nexport const a = (b: B) => b\n")
    write('src/platform/b.ts', "import { a } from './a.js'\nexport type B = number\nexport const b = a\n")
    const { status, output } = check(root)
    assert.equal(status, 0, output)
    assert.match(output, /No import cycles among 2 files/)
  })

  it('fails on files that load each other, through re-exports and folders too, and names the loop', () => {
    write('src/modules/x/index.ts', "export { y } from './y.js'\n")
    write('src/modules/x/y.ts', "import { z } from '../../z.js'\nexport const y = () => z\n")
    write('src/z.ts', "import { type Y } from './modules/x/index.js'\nexport const z = 1\nexport type { Y }\n")
    const { status, output } = check(root)
    assert.equal(status, 1, output)
    assert.match(output, /Import cycles \(1\)/)
    assert.match(
      output,
      /src\/modules\/x\/index\.ts\n\s+-> src\/modules\/x\/y\.ts\n\s+-> src\/z\.ts\n\s+-> src\/modules\/x\/index\.ts/,
    )
  })
})
