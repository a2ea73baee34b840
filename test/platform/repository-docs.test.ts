/**
 * Checks that keep the documentation honest: the README lists every ADR, and nothing in the repository cites a
 * document that is not in it (the product notes and style guides the project started from live outside the
 * repository; a rule taken from them is written into docs/ with its public source, see docs/domain-rules.md).
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'

import { projectRoot } from '../../src/config.js'

const TEXT = /\.(ts|js|mjs|md|njk|json|css|sh|yml|yaml)$/
const SKIP_DIRS = new Set(['node_modules', '.git', 'reference-data', 'coverage', 'data', 'results'])

function textFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : textFiles(full)
    return TEXT.test(entry.name) ? [full] : []
  })
}

const self = path.join(projectRoot, 'test/platform/repository-docs.test.ts')
const scanned = [
  ...['src', 'docs', 'test', 'e2e', 'bench', 'scripts', 'bin', '.ci'].flatMap(dir =>
    textFiles(path.join(projectRoot, dir)),
  ),
  ...['README.md', 'CHANGELOG.md', 'package.json', '.env.example'].map(file => path.join(projectRoot, file)),
].filter(file => file !== self && fs.existsSync(file))

/** The Markdown documents the repository has, by file name (the packs' attribution notes included). */
const markdown = new Set(
  [path.join(projectRoot, 'README.md'), path.join(projectRoot, 'CHANGELOG.md')]
    .concat(textFiles(path.join(projectRoot, 'docs')))
    .concat(
      fs
        .readdirSync(path.join(projectRoot, 'reference-data'), { recursive: true, encoding: 'utf8' })
        .map(file => path.join(projectRoot, 'reference-data', file)),
    )
    .filter(file => file.endsWith('.md'))
    .map(file => path.basename(file)),
)

/** Ways the code and docs have cited documents from outside the repository. */
const OUTSIDE: { pattern: RegExp; why: string }[] = [
  {
    pattern: /\bdomain-rules(?!\.md)\b/,
    why: 'cite docs/domain-rules.md (§ numbers are its own) or the public source',
  },
  { pattern: /\b(house-style|seed-map)\b/, why: 'a document outside the repository' },
  { pattern: /\bshared\/(docs|seeds)\b/, why: 'a document outside the repository' },
  // The open data beside the repository (../shared/data) is data a test and a documented command read, not a
  // document cited for a rule; anything else under ../shared is outside.
  { pattern: /\.\.\/shared\/(?!data\/)/, why: 'outside the repository' },
]

describe('repository documentation', () => {
  it('lists every ADR in the README, with its number and title, and links no ADR that is missing', () => {
    const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8')
    const adrDir = path.join(projectRoot, 'docs/adr')
    const adrs = fs.readdirSync(adrDir).filter(name => /^\d{4}-.+\.md$/.test(name))
    assert.ok(adrs.length >= 24, `${String(adrs.length)} ADRs found`)
    const missing = adrs.flatMap(name => {
      const title = fs.readFileSync(path.join(adrDir, name), 'utf8').split('\n')[0]?.replace(/^# /, '') ?? ''
      assert.match(title, new RegExp(`^${String(Number(name.slice(0, 4)))}\\. `), `${name} starts "# N. Title"`)
      return readme.includes(`- [${title}](docs/adr/${name})`) ? [] : [`- [${title}](docs/adr/${name})`]
    })
    assert.deepEqual(missing, [], 'README lines to add under "Decisions are recorded in docs/adr"')
    const linked = [...readme.matchAll(/\(docs\/adr\/([^)]+)\)/g)].map(match => match[1] ?? '')
    assert.deepEqual(
      linked.filter(name => !adrs.includes(name)),
      [],
      'README links ADRs that do not exist',
    )
  })

  it('cites no document from outside the repository', () => {
    const problems: string[] = []
    for (const file of scanned) {
      const lines = fs.readFileSync(file, 'utf8').split('\n')
      lines.forEach((line, index) => {
        const where = `${path.relative(projectRoot, file)}:${String(index + 1)}`
        for (const { pattern, why } of OUTSIDE)
          if (pattern.test(line)) problems.push(`${where}: ${why}: ${line.trim()}`)
        for (const match of line.matchAll(/[\w./-]*?([\w-]+\.md)\b/g)) {
          const name = match[1] ?? ''
          if (!markdown.has(name)) problems.push(`${where}: ${name} is not a document in this repository`)
        }
      })
    }
    assert.deepEqual(problems, [])
  })

  it('would catch a citation of the outside rules document (the patterns above are not dead)', () => {
    const citations = ['(domain-rules §2.2)', 'see ../shared/docs/product.md', 'house-style §8', 'interop.md §5']
    for (const citation of citations) {
      const caught =
        OUTSIDE.some(({ pattern }) => pattern.test(citation)) ||
        [...citation.matchAll(/([\w-]+\.md)\b/g)].some(match => !markdown.has(match[1] ?? ''))
      assert.ok(caught, citation)
    }
  })
})
