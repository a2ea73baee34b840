/**
 * JSON with line numbers: `JSON.parse` gives the value; a small strict scanner walks the same text and records the
 * line on which each value starts (or the line of the first syntax fault), keyed by its JSON Pointer (`/indicators/3/target`), so a problem found by schema
 * validation can be reported as `indicators.json:57`.
 */

export interface LocatedJson {
  value: unknown
  /** The line (1-based) where the value at `pointer` starts, or of its nearest ancestor that exists. */
  lineOf(pointer: string): number
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
    this.name = 'JsonSyntaxError'
  }
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** Walks JSON text, recording the line each value starts on; throws JsonSyntaxError at the first fault. */
function scan(text: string): Map<string, number> {
  const lines = new Map<string, number>()
  let index = 0
  let line = 1

  function fail(what: string): never {
    const char = text[index]
    throw new JsonSyntaxError(
      char === undefined ? `${what}, but the text ends` : `${what}, found ${JSON.stringify(char)}`,
      line,
    )
  }

  function skipWhitespace(): void {
    while (index < text.length) {
      const char = text.charCodeAt(index)
      if (char === 10) line++
      else if (char !== 32 && char !== 9 && char !== 13) return
      index++
    }
  }

  function expect(char: string, what: string): void {
    skipWhitespace()
    if (text[index] !== char) fail(what)
    index++
  }

  function readString(): string {
    if (text[index] !== '"') fail('expected a string in double quotes')
    const start = index
    index++
    while (index < text.length && text[index] !== '"') {
      if (text[index] === '\n') fail('a string must end on its line')
      index += text[index] === '\\' ? 2 : 1
    }
    if (index >= text.length) fail('a string is not closed')
    index++
    try {
      return JSON.parse(text.slice(start, index)) as string
    } catch {
      return fail('a string has a bad escape')
    }
  }

  function walk(pointer: string): void {
    skipWhitespace()
    lines.set(pointer, line)
    const char = text[index]
    if (char === '{') {
      index++
      skipWhitespace()
      if (text[index] === '}') {
        index++
        return
      }
      for (;;) {
        skipWhitespace()
        const key = readString()
        expect(':', 'expected a colon after a key')
        walk(`${pointer}/${escapePointer(key)}`)
        skipWhitespace()
        const next = text[index]
        if (next !== ',' && next !== '}') fail('expected a comma or }')
        index++
        if (next === '}') return
      }
    } else if (char === '[') {
      index++
      skipWhitespace()
      if (text[index] === ']') {
        index++
        return
      }
      for (let item = 0; ; item++) {
        walk(`${pointer}/${String(item)}`)
        skipWhitespace()
        const next = text[index]
        if (next !== ',' && next !== ']') fail('expected a comma or ]')
        index++
        if (next === ']') return
      }
    } else if (char === '"') {
      readString()
    } else {
      const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
        text.slice(index, index + 64),
      )
      if (!literal) fail('expected a value')
      index += literal[0].length
    }
  }

  walk('')
  skipWhitespace()
  if (index < text.length) fail('expected the end of the text')
  return lines
}

/** Parses JSON text, throwing JsonSyntaxError with the line of the fault. */
export function parseJsonWithLines(text: string): LocatedJson {
  let value: unknown
  try {
    value = JSON.parse(text) as unknown
  } catch (error) {
    scan(text) // throws JsonSyntaxError with the line
    throw new JsonSyntaxError((error as Error).message, 1)
  }
  const lines = scan(text)
  return {
    value,
    lineOf(pointer: string): number {
      let current = pointer
      for (;;) {
        const found = lines.get(current)
        if (found !== undefined) return found
        if (current === '') return 1
        current = current.slice(0, current.lastIndexOf('/'))
      }
    },
  }
}
