/**
 * The text of a PDF as a reader sees it, for tests: the documents Safer prints come from headless Chromium (Skia),
 * whose fonts are subset CID fonts with a ToUnicode map, so the bytes in the file never contain the words and a
 * search for them proves nothing. This reads the page tree, inflates each page's content streams (and the form
 * XObjects they draw), maps every shown string through its font's ToUnicode CMap and returns one line per text object
 * (BT…ET), pages in order, NFKC-normalised (so a ligature glyph such as "ﬁ" reads as "fi"). It understands what Skia
 * writes (classic cross-reference, FlateDecode, Type0/Identity-H and simple fonts) and throws on anything else
 * rather than returning less text than the page shows.
 */
import zlib from 'node:zlib'

type PdfValue = number | string | boolean | null | PdfName | PdfString | PdfRef | PdfValue[] | PdfDict
interface PdfName {
  kind: 'name'
  name: string
}
interface PdfString {
  kind: 'string'
  bytes: Buffer
}
interface PdfRef {
  kind: 'ref'
  id: number
}
interface PdfDict {
  kind: 'dict'
  entries: Map<string, PdfValue>
}
interface PdfOperator {
  kind: 'operator'
  op: string
}
type Token =
  | PdfValue
  | PdfOperator
  | { kind: 'open-dict' }
  | { kind: 'close-dict' }
  | { kind: 'open-array' }
  | { kind: 'close-array' }

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20])
const DELIMITERS = new Set(Buffer.from('()<>[]{}/%', 'latin1'))

function isObject(value: unknown, kind: string): boolean {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === kind
}

/** Reads PDF tokens (objects and content-stream operators alike) from `data` starting at `position`. */
class Lexer {
  constructor(
    private readonly data: Buffer,
    public position = 0,
  ) {}

  private skipSpace(): void {
    while (this.position < this.data.length) {
      const byte = this.data[this.position] ?? 0
      if (WHITESPACE.has(byte)) this.position++
      else if (byte === 0x25) {
        while (
          this.position < this.data.length &&
          this.data[this.position] !== 0x0a &&
          this.data[this.position] !== 0x0d
        )
          this.position++
      } else break
    }
  }

  next(): Token | undefined {
    this.skipSpace()
    const { data } = this
    if (this.position >= data.length) return undefined
    const byte = data[this.position] ?? 0
    const char = String.fromCharCode(byte)
    if (char === '<' && data[this.position + 1] === 0x3c) {
      this.position += 2
      return { kind: 'open-dict' }
    }
    if (char === '>' && data[this.position + 1] === 0x3e) {
      this.position += 2
      return { kind: 'close-dict' }
    }
    if (char === '[') {
      this.position++
      return { kind: 'open-array' }
    }
    if (char === ']') {
      this.position++
      return { kind: 'close-array' }
    }
    if (char === '<') return this.hexString()
    if (char === '(') return this.literalString()
    if (char === '/') {
      this.position++
      return { kind: 'name', name: this.word() }
    }
    const word = this.word() || (this.position++, char)
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return Number(word)
    if (word === 'true' || word === 'false') return word === 'true'
    if (word === 'null') return null
    return { kind: 'operator', op: word }
  }

  private word(): string {
    const start = this.position
    while (this.position < this.data.length) {
      const byte = this.data[this.position] ?? 0
      if (WHITESPACE.has(byte) || DELIMITERS.has(byte)) break
      this.position++
    }
    return this.data.toString('latin1', start, this.position)
  }

  private hexString(): PdfString {
    const end = this.data.indexOf(0x3e, this.position)
    const hex = this.data.toString('latin1', this.position + 1, end).replace(/\s+/g, '')
    this.position = end + 1
    return { kind: 'string', bytes: Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex') }
  }

  private literalString(): PdfString {
    const bytes: number[] = []
    let depth = 0
    this.position++
    for (;;) {
      const byte = this.data[this.position++]
      if (byte === undefined) throw new Error('PDF: unterminated string')
      if (byte === 0x28) depth++
      else if (byte === 0x29) {
        if (depth === 0) break
        depth--
      } else if (byte === 0x5c) {
        const escaped = this.data[this.position++] ?? 0
        const simple: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 }
        const letter = String.fromCharCode(escaped)
        if (letter in simple) bytes.push(simple[letter] ?? 0)
        else if (escaped >= 0x30 && escaped <= 0x37) {
          let octal = letter
          while (octal.length < 3 && /[0-7]/.test(String.fromCharCode(this.data[this.position] ?? 0)))
            octal += String.fromCharCode(this.data[this.position++] ?? 0)
          bytes.push(parseInt(octal, 8) & 0xff)
        } else if (escaped === 0x0d || escaped === 0x0a) {
          if (escaped === 0x0d && this.data[this.position] === 0x0a) this.position++
        } else bytes.push(escaped)
        continue
      }
      bytes.push(byte)
    }
    return { kind: 'string', bytes: Buffer.from(bytes) }
  }

  /** A complete value: dictionaries and arrays are gathered, `n g R` becomes a reference. */
  value(first = this.next()): PdfValue {
    if (first === undefined) throw new Error('PDF: unexpected end of data')
    if (isObject(first, 'open-dict')) {
      const entries = new Map<string, PdfValue>()
      for (;;) {
        const key = this.next()
        if (isObject(key, 'close-dict')) return { kind: 'dict', entries }
        if (!isObject(key, 'name')) throw new Error('PDF: dictionary key is not a name')
        entries.set((key as PdfName).name, this.value())
      }
    }
    if (isObject(first, 'open-array')) {
      const items: PdfValue[] = []
      for (;;) {
        const token = this.next()
        if (isObject(token, 'close-array')) return items
        items.push(this.value(token))
      }
    }
    if (typeof first === 'number') {
      const saved = this.position
      const generation = this.next()
      const keyword = this.next()
      if (typeof generation === 'number' && isObject(keyword, 'operator') && (keyword as PdfOperator).op === 'R')
        return { kind: 'ref', id: first }
      this.position = saved
      return first
    }
    if (isObject(first, 'operator')) throw new Error(`PDF: unexpected ${(first as PdfOperator).op}`)
    return first as PdfValue
  }
}

interface PdfObject {
  value: PdfValue
  stream?: Buffer
}

function parseObjects(pdf: Buffer): Map<number, PdfObject> {
  const objects = new Map<number, PdfObject>()
  const text = pdf.toString('latin1')
  const header = /(\d+)\s+\d+\s+obj\b/g
  for (let match = header.exec(text); match; match = header.exec(text)) {
    const lexer = new Lexer(pdf, match.index + match[0].length)
    const value = lexer.value()
    const after = lexer.next()
    let stream: Buffer | undefined
    if (isObject(after, 'operator') && (after as PdfOperator).op === 'stream') {
      let start = lexer.position
      if (pdf[start] === 0x0d) start++
      if (pdf[start] === 0x0a) start++
      const length = isObject(value, 'dict') ? (value as PdfDict).entries.get('Length') : undefined
      const end = typeof length === 'number' ? start + length : pdf.indexOf('endstream', start, 'latin1')
      stream = pdf.subarray(start, end)
      header.lastIndex = end
    }
    objects.set(Number(match[1]), { value, stream })
  }
  return objects
}

export function pdfText(pdf: Buffer): string {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('Not a PDF')
  const objects = parseObjects(pdf)

  const resolve = (value: PdfValue | undefined): PdfValue | undefined =>
    isObject(value, 'ref') ? objects.get((value as PdfRef).id)?.value : value
  const dict = (value: PdfValue | undefined): Map<string, PdfValue> => {
    const resolved = resolve(value)
    return isObject(resolved, 'dict') ? (resolved as PdfDict).entries : new Map<string, PdfValue>()
  }
  const nameOf = (value: PdfValue | undefined): string | undefined =>
    isObject(value, 'name') ? (value as PdfName).name : undefined

  function streamData(ref: PdfValue | undefined): Buffer {
    if (!isObject(ref, 'ref')) throw new Error('PDF: stream is not an indirect object')
    const object = objects.get((ref as PdfRef).id)
    if (!object?.stream) throw new Error(`PDF: object ${String((ref as PdfRef).id)} has no stream`)
    const filter = resolve(dict(object.value).get('Filter'))
    const filters = (Array.isArray(filter) ? filter : filter === undefined ? [] : [filter]).map(nameOf)
    if (filters.some(name => name !== 'FlateDecode')) throw new Error(`PDF: unsupported filter ${filters.join(', ')}`)
    return filters.length > 0 ? zlib.inflateSync(object.stream) : object.stream
  }

  for (const object of objects.values()) {
    if (nameOf(dict(object.value).get('Type')) === 'ObjStm') throw new Error('PDF: object streams are not supported')
  }

  interface Font {
    bytesPerCode: number
    toUnicode: Map<number, string>
  }
  const fonts = new Map<number, Font>()
  function fontFor(ref: PdfValue | undefined): Font {
    const id = isObject(ref, 'ref') ? (ref as PdfRef).id : -1
    const cached = fonts.get(id)
    if (cached) return cached
    const entries = dict(ref)
    const bytesPerCode = nameOf(entries.get('Subtype')) === 'Type0' ? 2 : 1
    const toUnicode = new Map<number, string>()
    if (entries.has('ToUnicode')) readCMap(streamData(entries.get('ToUnicode')), toUnicode)
    const font = { bytesPerCode, toUnicode }
    fonts.set(id, font)
    return font
  }

  function decode(bytes: Buffer, font: Font | undefined): string {
    if (!font) throw new Error('PDF: text shown before a font was chosen')
    let out = ''
    for (let i = 0; i + font.bytesPerCode <= bytes.length; i += font.bytesPerCode) {
      const code = font.bytesPerCode === 2 ? bytes.readUInt16BE(i) : (bytes[i] ?? 0)
      const mapped = font.toUnicode.get(code)
      if (mapped !== undefined) out += mapped
      else if (font.bytesPerCode === 1) out += String.fromCharCode(code)
      else throw new Error(`PDF: glyph ${String(code)} has no Unicode mapping`)
    }
    return out
  }

  const lines: string[] = []
  function runContent(content: Buffer, resources: Map<string, PdfValue>, depth: number): void {
    if (depth > 8) throw new Error('PDF: form XObjects nested too deeply')
    const fontRefs = dict(resources.get('Font'))
    const xObjects = dict(resources.get('XObject'))
    const lexer = new Lexer(content)
    const operands: PdfValue[] = []
    let font: Font | undefined
    let line = ''
    for (let token = lexer.next(); token !== undefined; token = lexer.next()) {
      if (!isObject(token, 'operator')) {
        operands.push(lexer.value(token))
        continue
      }
      const { op } = token as PdfOperator
      const last = operands.at(-1)
      if (op === 'BT') line = ''
      else if (op === 'ET') {
        if (line.trim()) lines.push(line)
        line = ''
      } else if (op === 'Tf') font = fontFor(fontRefs.get(nameOf(operands.at(-2)) ?? ''))
      else if ((op === 'Tj' || op === "'" || op === '"') && isObject(last, 'string'))
        line += decode((last as PdfString).bytes, font)
      else if (op === 'TJ' && Array.isArray(last)) {
        for (const part of last) if (isObject(part, 'string')) line += decode((part as PdfString).bytes, font)
      } else if (op === 'Do') {
        const ref = xObjects.get(nameOf(last) ?? '')
        const form = dict(ref)
        if (nameOf(form.get('Subtype')) === 'Form') {
          const formResources = form.has('Resources') ? dict(form.get('Resources')) : resources
          runContent(streamData(ref), formResources, depth + 1)
        }
      }
      operands.length = 0
    }
  }

  function pages(node: PdfValue | undefined, inherited: Map<string, PdfValue> | undefined, seen: Set<number>): void {
    if (!isObject(node, 'ref') || seen.has((node as PdfRef).id)) return
    seen.add((node as PdfRef).id)
    const entries = dict(node)
    const resources = entries.has('Resources') ? dict(entries.get('Resources')) : inherited
    if (nameOf(entries.get('Type')) === 'Pages') {
      const kids = resolve(entries.get('Kids'))
      for (const kid of Array.isArray(kids) ? kids : []) pages(kid, resources, seen)
      return
    }
    const contents = resolve(entries.get('Contents'))
    const parts = Array.isArray(contents) ? contents : [entries.get('Contents')]
    const content = Buffer.concat(parts.filter(part => part !== undefined).map(part => streamData(part)))
    runContent(content, resources ?? new Map<string, PdfValue>(), 0)
  }

  const catalog = [...objects.values()].find(object => nameOf(dict(object.value).get('Type')) === 'Catalog')
  if (!catalog) throw new Error('PDF: no document catalog')
  pages(dict(catalog.value).get('Pages'), undefined, new Set())
  return lines.join('\n').normalize('NFKC')
}

/** Reads `bfchar` and `bfrange` entries of a ToUnicode CMap (destinations are UTF-16BE). */
function readCMap(data: Buffer, into: Map<number, string>): void {
  const utf16 = (bytes: Buffer): string => {
    let out = ''
    for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes.readUInt16BE(i))
    return out
  }
  const code = (value: PdfValue): number => {
    const bytes = (value as PdfString).bytes
    return bytes.length === 0 ? 0 : bytes.readUIntBE(0, Math.min(bytes.length, 4))
  }
  const lexer = new Lexer(data)
  let section: 'bfchar' | 'bfrange' | undefined
  const values: PdfValue[] = []
  for (let token = lexer.next(); token !== undefined; token = lexer.next()) {
    if (isObject(token, 'operator')) {
      const { op } = token as PdfOperator
      if (op === 'beginbfchar' || op === 'beginbfrange') section = op === 'beginbfchar' ? 'bfchar' : 'bfrange'
      else if (op === 'endbfchar' || op === 'endbfrange') section = undefined
      values.length = 0
      continue
    }
    if (!section) continue
    values.push(lexer.value(token))
    if (section === 'bfchar' && values.length === 2) {
      const [source, target] = values as [PdfString, PdfString]
      into.set(code(source), utf16(target.bytes))
      values.length = 0
    } else if (section === 'bfrange' && values.length === 3) {
      const [low, high, target] = values as [PdfString, PdfString, PdfValue]
      for (let c = code(low); c <= code(high); c++) {
        const offset = c - code(low)
        if (Array.isArray(target)) {
          const item = target[offset]
          if (isObject(item, 'string')) into.set(c, utf16((item as PdfString).bytes))
        } else {
          const base = Buffer.from((target as PdfString).bytes)
          base.writeUInt16BE(base.readUInt16BE(base.length - 2) + offset, base.length - 2)
          into.set(c, utf16(base))
        }
      }
      values.length = 0
    }
  }
}
