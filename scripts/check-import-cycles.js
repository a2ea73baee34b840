// Part of `npm run lint`: fails (exit 1) when the project's own files import each other in a cycle, and names each
// cycle file by file. Only imports that exist at run time count: `import type` / `export type` are erased, while
// `import { type A }` stays an (empty) import under verbatimModuleSyntax and so counts, as do `export ... from` and
// `import()`. Reading is done with the TypeScript parser (no type checking), so the whole tree takes about a second;
// eslint-plugin-import-x's no-cycle did the same job at several times the cost of the rest of the lint.
//
//   node scripts/check-import-cycles.js [root]     root defaults to the repository; scans src test e2e bench scripts bin
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import ts from 'typescript'

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'))
const DIRS = ['src', 'test', 'e2e', 'bench', 'scripts', 'bin']
const SOURCE = /\.(ts|mts|js|mjs)$/

function walk(dir) {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(full)
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : []
  })
}

/** The file a relative specifier names: `./x.js` may be `./x.ts` (TypeScript's NodeNext convention). */
function resolveSpecifier(from, specifier) {
  const target = path.resolve(path.dirname(from), specifier)
  const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts'), `${target}.ts`]
  candidates.push(path.join(target, 'index.ts'), path.join(target, 'index.js'))
  return candidates.find(file => fs.existsSync(file) && fs.statSync(file).isFile())
}

/** The relative specifiers a file loads at run time. */
function runtimeImports(file) {
  const text = fs.readFileSync(file, 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const specifiers = []
  const visit = node => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) specifiers.push(node.moduleSpecifier)
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly)
      specifiers.push(node.moduleSpecifier)
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0])
      specifiers.push(node.arguments[0])
    ts.forEachChild(node, visit)
  }
  visit(source)
  return specifiers
    .filter(literal => ts.isStringLiteralLike(literal) && literal.text.startsWith('.'))
    .map(literal => resolveSpecifier(file, literal.text))
    .filter(target => target !== undefined)
}

const files = DIRS.flatMap(dir => walk(path.join(root, dir)))
const graph = new Map(files.map(file => [file, [...new Set(runtimeImports(file))]]))

// Tarjan's strongly connected components: every component of more than one file (or a file importing itself) is a
// cycle. Iterative, so a long chain of imports cannot overflow the stack.
const index = new Map()
const low = new Map()
const onStack = new Set()
const stack = []
const components = []
let counter = 0
for (const start of graph.keys()) {
  if (index.has(start)) continue
  const work = [{ node: start, edge: 0 }]
  index.set(start, counter)
  low.set(start, counter++)
  stack.push(start)
  onStack.add(start)
  while (work.length > 0) {
    const frame = work[work.length - 1]
    const edges = graph.get(frame.node) ?? []
    if (frame.edge < edges.length) {
      const next = edges[frame.edge++]
      if (!graph.has(next)) continue
      if (!index.has(next)) {
        index.set(next, counter)
        low.set(next, counter++)
        stack.push(next)
        onStack.add(next)
        work.push({ node: next, edge: 0 })
      } else if (onStack.has(next)) low.set(frame.node, Math.min(low.get(frame.node), index.get(next)))
      continue
    }
    work.pop()
    if (work.length > 0) {
      const parent = work[work.length - 1].node
      low.set(parent, Math.min(low.get(parent), low.get(frame.node)))
    }
    if (low.get(frame.node) === index.get(frame.node)) {
      const component = []
      let member
      do {
        member = stack.pop()
        onStack.delete(member)
        component.push(member)
      } while (member !== frame.node)
      if (component.length > 1 || (graph.get(frame.node) ?? []).includes(frame.node)) components.push(component)
    }
  }
}

/** One concrete loop through a component, for the message: breadth-first from its first file back to itself. */
function loopThrough(component) {
  const members = new Set(component)
  const [first] = [...component].sort()
  const previous = new Map()
  const queue = [first]
  while (queue.length > 0) {
    const node = queue.shift()
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue
      if (next === first) {
        const loop = [first]
        for (let at = node; at !== first; at = previous.get(at)) loop.splice(1, 0, at)
        return [...loop, first]
      }
      if (!previous.has(next)) {
        previous.set(next, node)
        queue.push(next)
      }
    }
  }
  return [first, first]
}

if (components.length > 0) {
  process.stderr.write(`Import cycles (${String(components.length)}): files that load each other at run time.\n`)
  for (const component of components) {
    const loop = loopThrough(component).map(file => path.relative(root, file))
    process.stderr.write(`\n  ${loop.join('\n    -> ')}\n`)
    if (component.length > loop.length - 1)
      process.stderr.write(`  (${String(component.length)} files in this tangle in all)\n`)
  }
  process.stderr.write(
    '\nBreak each one: move what both sides need into a third file, or import a type with `import type`.\n',
  )
  process.exit(1)
}
process.stdout.write(`No import cycles among ${String(files.length)} files.\n`)
